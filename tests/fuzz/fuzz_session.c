/*
 * fuzz_session.c - libFuzzer target: a stream of Ethernet frames through
 * the decoder, the session table, the lookups, the HTTP inspector and the
 * printer, the way src/main.c wires them.
 *
 * Input: records of
 *     len_hi len_lo dt  frame[len & 0x3fff]
 * The top two bits of len make the frame longer on the wire than captured
 * (0: not, 1: +1, 2: +100, 3: +1460), so snap-length cuts are exercised.
 * dt advances the capture clock: 0..127 by dt * 100 us, 128..249 by
 * (dt - 127) * 100 ms, 250..254 by (dt - 249) * 10 minutes (idle expiry
 * at 30 s and 900 s), 255 steps 2 s backwards (captures are not always
 * ordered).  A short last record takes what is left.
 *
 * The configuration is parsed by options_parse() from a fixed argv with
 * tiny pools (-L 4 -l 16) so that eviction and pool exhaustion happen
 * all the time; byte 0 of the input picks one of three command lines
 * (plain, --live, -q with other lookups).  The output goes to a memfd and
 * is checked to be plain text (-C0); everything is freed at the end.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "options.h"
#include "print.h"
#include "session.h"
#include "stats.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const argv_all[] = {
    "miruo", "-C0", "-L", "4", "-l", "16", "--all", "-v", "2", "-m", "http",
    "-x", "0", "--detail", "-f", "fuzz.pcap", NULL
};
static const char *const argv_live[] = {
    "miruo", "-C0", "-L", "4", "-l", "16", "--live", "-v", "2", "-m",
    "http:%:%", "-x", "0,64", "--detail", "--time=delta", "-f", "fuzz.pcap",
    NULL
};
static const char *const argv_quiet[] = {
    "miruo", "-C0", "-L", "4", "-l", "16", "--all", "-v", "2", "-m", "http",
    "-x", "0", "--detail", "-q", "-t", "100", "-T", "1000", "-r", "10",
    "-R", "2", "--time=rel", "-f", "fuzz.pcap", NULL
};

static struct config cfgs[3];
static int out_fd = -1;

static void setup(void)
{
    fuzz_parse(&cfgs[0], argv_all);
    fuzz_parse(&cfgs[1], argv_live);
    fuzz_parse(&cfgs[2], argv_quiet);
    out_fd = fuzz_memfd("fuzz_session");
}

struct run {
    const struct config *cfg;
    struct stats stats;
    struct feed feed;           /* frames into the tracker, as main.c */
};


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint32_t extra[4] = { 0, 1, 100, 1460 };
    struct printer *pr;
    struct capture_counts cc;
    struct cpu_meter cpu;
    struct run r;
    int64_t ts = 1704110400LL * 1000000;
    size_t pos = 1;

    if (out_fd < 0)
        setup();
    if (size < 1)
        return 0;
    memset(&r, 0, sizeof(r));
    r.cfg = &cfgs[data[0] % 3];
    pr = fuzz_wire(r.cfg, &r.stats, &r.feed, LINK_ETHERNET, out_fd);

    while (pos + 3 <= size) {
        uint32_t len = (uint32_t)data[pos] << 8 | data[pos + 1];
        uint8_t dt = data[pos + 2];
        uint32_t caplen = len & 0x3FFF;
        uint8_t *copy;

        pos += 3;
        if (caplen > size - pos)
            caplen = (uint32_t)(size - pos);
        if (dt < 128)
            ts += (int64_t)dt * 100;
        else if (dt < 250)
            ts += (int64_t)(dt - 127) * 100000;
        else if (dt < 255)
            ts += (int64_t)(dt - 249) * 600 * 1000000;
        else
            ts -= 2000000;
        /* An exact-size copy, so that ASan sees any read past it. */
        copy = malloc(caplen ? caplen : 1);
        if (copy == NULL)
            abort();
        memcpy(copy, data + pos, caplen);
        {
            struct frame f = { ts, copy, caplen, caplen + extra[len >> 14] };
            feed_frames(&r.feed, &f, 1);
        }
        free(copy);
        pos += caplen;
    }
    tracker_finish(r.feed.tracker, r.stats.now_us);
    printer_flush(pr);
    memset(&cc, 0, sizeof(cc));
    cpu_meter_start(&cpu);
    stats_print(out_fd, &r.stats, r.cfg, &cc, &cpu);
    fuzz_check_text(out_fd);
    tracker_free(r.feed.tracker);
    printer_free(pr);
    return 0;
}
