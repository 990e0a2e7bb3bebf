/*
 * fuzz_common.h - helpers shared by the libFuzzer targets (header only).
 */
#ifndef MIRUO_FUZZ_COMMON_H
#define MIRUO_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <fcntl.h>

#include "decode.h"
#include "feed.h"
#include "options.h"
#include "print.h"
#include "session.h"
#include "stats.h"

/*
 * The printer and the session table wired as src/main.c wires them (less
 * the other outputs), frames going in through *fd.  Out of memory is a
 * harness failure: it aborts.  Free with tracker_free(fd->tracker) and
 * printer_free().
 */
static inline struct printer *fuzz_wire(const struct config *cfg,
                                        struct stats *st, struct feed *fd,
                                        enum link_kind link, int out_fd)
{
    struct tracker_hooks hooks;
    struct printer *pr = printer_new(cfg, st, out_fd);

    if (pr == NULL)
        abort();
    memset(&hooks, 0, sizeof(hooks));
    hooks.session_end = printer_session_end;
    hooks.segment_stored = printer_segment_stored;
    hooks.ctx = pr;
    feed_init(fd, st, tracker_new(cfg, st, &hooks), link, 0);
    if (fd->tracker == NULL)
        abort();
    printer_set_link(pr, link);
    return pr;
}

/*
 * Parse a fixed command line (NULL-terminated) exactly as the real CLI
 * does; a refusal is a bug of the harness, so it aborts.  The argument
 * strings are copied once and kept for the life of the process, since
 * the configuration points into them.
 */
static inline void fuzz_parse(struct config *cfg, const char *const *words)
{
    static char **kept[8];      /* reachable, so not reported as leaks */
    static int nkept;
    char **argv;
    int argc = 0, i;

    while (words[argc] != NULL)
        argc++;
    argv = calloc((size_t)argc + 1, sizeof(*argv));
    if (argv == NULL || nkept == 8)
        abort();
    kept[nkept++] = argv;
    for (i = 0; i < argc; i++)
        if ((argv[i] = strdup(words[i])) == NULL)
            abort();
    if (options_parse(argc, argv, cfg, 0) != OPTIONS_RUN) {
        fprintf(stderr, "fuzz: options_parse refused the fixed argv\n");
        abort();
    }
}

/* An in-memory file (falls back to /dev/null when memfd is missing). */
static inline int fuzz_memfd(const char *name)
{
    int fd = -1;
#ifdef MFD_CLOEXEC
    fd = memfd_create(name, MFD_CLOEXEC);
#endif
    if (fd < 0)
        fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        abort();
    return fd;
}

/*
 * With colour off, miruo's output is plain text: printable ASCII and
 * newlines only (DPI lines and hex dumps escape everything else).  Check
 * what was written to fd since the last call, then empty it.
 */
static inline void fuzz_check_text(int fd)
{
    static char buf[65536];
    off_t end = lseek(fd, 0, SEEK_END), pos = 0;

    if (end <= 0)
        return;
    while (pos < end) {
        ssize_t n = pread(fd, buf, sizeof(buf), pos), i;
        if (n <= 0)
            break;
        for (i = 0; i < n; i++) {
            unsigned char ch = (unsigned char)buf[i];
            if (ch != '\n' && (ch < 0x20 || ch > 0x7e)) {
                fprintf(stderr, "fuzz: raw byte 0x%02x in the output at "
                        "offset %lld\n", ch, (long long)(pos + i));
                abort();
            }
        }
        pos += n;
    }
    if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0)
        abort();
}

#endif /* MIRUO_FUZZ_COMMON_H */
