/*
 * check.h - the reporting of miruo's unit test programs.
 *
 * Each program includes this once: check() prints "ok NAME" or
 * "FAIL NAME: why" (one line per check, as tests/t-unit.sh reads them) and
 * check_summary() the final "N passed, N failed" and the exit status.
 */
#ifndef MIRUO_TEST_CHECK_H
#define MIRUO_TEST_CHECK_H

#include <stdarg.h>
#include <stdio.h>

static int n_pass, n_fail;

static void check(int ok, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), unused));

static void check(int ok, const char *name, const char *fmt, ...)
{
    va_list ap;

    if (ok) {
        printf("ok %s\n", name);
        n_pass++;
        return;
    }
    printf("FAIL %s: ", name);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    n_fail++;
}

/* Print the summary line; the program's exit status. */
static int check_summary(void) __attribute__((unused));

static int check_summary(void)
{
    printf("%d passed, %d failed\n", n_pass, n_fail);
    return n_fail ? 1 : 0;
}

#endif /* MIRUO_TEST_CHECK_H */
