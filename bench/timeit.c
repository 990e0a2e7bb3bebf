/*
 * timeit.c - run a command, report its wall time and resource use.
 *
 *   timeit [-o FILE] COMMAND [ARG ...]
 *
 * Writes one line "wall_s user_s sys_s maxrss_kb exit" (to FILE, appended,
 * or to standard error) after the command ends.  Wall time comes from
 * CLOCK_MONOTONIC around fork/exec and wait4; CPU time and peak RSS from
 * the rusage wait4 returns for that child alone.  The command keeps
 * timeit's standard input, output and error.  Exit status: the command's
 * (128+N if it died of signal N), 127 if it could not be run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double tv(struct timeval t)
{
    return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
    const char *outfile = NULL;
    struct timespec t0, t1;
    struct rusage ru;
    int argi = 1, status, code;
    pid_t pid;
    FILE *o;

    if (argc > 2 && strcmp(argv[1], "-o") == 0) {
        outfile = argv[2];
        argi = 3;
    }
    if (argi >= argc) {
        fputs("usage: timeit [-o FILE] COMMAND [ARG ...]\n", stderr);
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid = fork();
    if (pid < 0) {
        perror("timeit: fork");
        return 127;
    }
    if (pid == 0) {
        execvp(argv[argi], argv + argi);
        fprintf(stderr, "timeit: %s: %s\n", argv[argi], strerror(errno));
        _exit(127);
    }
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("timeit: wait4");
            return 127;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    code = WIFEXITED(status) ? WEXITSTATUS(status)
                             : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    o = outfile ? fopen(outfile, "a") : stderr;
    if (!o) {
        perror(outfile);
        return 127;
    }
    fprintf(o, "%.4f %.4f %.4f %ld %d\n",
            (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
            tv(ru.ru_utime), tv(ru.ru_stime), ru.ru_maxrss, code);
    if (o != stderr)
        fclose(o);
    return code;
}
