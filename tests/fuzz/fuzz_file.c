/*
 * fuzz_file.c - libFuzzer target: the whole input is a capture file.
 *
 * The input is written to a memfd and opened by path (/dev/fd/N) through
 * capture_open(), exactly as `miruo -f FILE` does: format detection by
 * magic, libpcap's pcap and pcapng readers, miruo's own snoop reader
 * (src/snoopfile.c), the file's link type, -p / --snaplen / the filter
 * in deliver().  Each frame is decoded with the file's link type and fed
 * to a small session table and the printer (output checked to be plain
 * text).  The input length modulo 4 picks one of four command lines so
 * that record selection, the --snaplen cut and the BPF filter run too.
 */
#include "config.h"

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "decode.h"
#include "options.h"
#include "print.h"
#include "session.h"
#include "stats.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const argv_plain[] = {
    "miruo", "-C0", "--all", "-L", "8", "-l", "32", "-m", "http",
    "--detail", "-f", "x", NULL
};
static const char *const argv_snaplen[] = {
    "miruo", "-C0", "--live", "-L", "8", "-l", "32", "--snaplen", "60",
    "-x", "0", "-f", "x", NULL
};
static const char *const argv_range[] = {
    "miruo", "-C0", "--all", "-p", "2,9", "-c", "5", "-v", "1", "-f", "x",
    NULL
};
static const char *const argv_filter[] = {
    "miruo", "-C0", "--all", "-L", "8", "-f", "x", "tcp", "and", "port",
    "80", NULL
};

static struct config cfgs[4];
static int in_fd = -1, out_fd = -1;
static char in_path[64];

struct run {
    struct capture *cap;
    enum link_kind link;
    struct stats stats;
    struct feed feed;           /* frames into the tracker, as main.c */
};

/* The frames go to main.c's feed; the --detail decoder reads each too. */
static void on_frames(void *ctx, const struct frame *f, unsigned n)
{
    struct run *r = ctx;
    struct frame_detail d;
    unsigned i;

    for (i = 0; i < n; i++)
        decode_detail(r->link, f[i].data, f[i].caplen, &d);
    feed_frames(&r->feed, f, n);
}

static void setup(void)
{
    int i;

    fuzz_parse(&cfgs[0], argv_plain);
    fuzz_parse(&cfgs[1], argv_snaplen);
    fuzz_parse(&cfgs[2], argv_range);
    fuzz_parse(&cfgs[3], argv_filter);
    in_fd = fuzz_memfd("fuzz_file_input");
    out_fd = fuzz_memfd("fuzz_file_output");
    snprintf(in_path, sizeof(in_path), "/dev/fd/%d", in_fd);
    for (i = 0; i < 4; i++)
        cfgs[i].file = in_path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static volatile sig_atomic_t stop;
    char errbuf[CAPTURE_ERRBUF_SIZE];
    struct printer *pr;
    struct config *cfg;
    struct run r;
    size_t off = 0;

    if (in_fd < 0)
        setup();
    if (ftruncate(in_fd, 0) != 0)
        abort();
    while (off < size) {
        ssize_t n = pwrite(in_fd, data + off, size - off, (off_t)off);
        if (n <= 0)
            abort();
        off += (size_t)n;
    }
    cfg = &cfgs[size % 4];
    memset(&r, 0, sizeof(r));
    errbuf[0] = '\0';
    r.cap = capture_open(cfg, errbuf);
    if (r.cap == NULL) {
        if (errbuf[0] == '\0')
            abort();            /* every refusal says why */
        return 0;
    }
    r.link = capture_link(r.cap);
    pr = fuzz_wire(cfg, &r.stats, &r.feed, r.link, out_fd);
    capture_describe(r.cap, errbuf, sizeof(errbuf));
    errbuf[0] = '\0';
    if (capture_loop(r.cap, on_frames, NULL, &r, &stop, errbuf) < 0 &&
        errbuf[0] == '\0')
        abort();                /* a read error says what it was */
    tracker_finish(r.feed.tracker, r.stats.now_us);
    printer_flush(pr);
    fuzz_check_text(out_fd);
    tracker_free(r.feed.tracker);
    printer_free(pr);
    capture_close(r.cap);
    return 0;
}
