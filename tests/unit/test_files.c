/*
 * test_files.c - unit tests for the capture file modules: the snoop v2
 * reader (src/snoopfile.c, RFC 1761) and the pcap / pcapng / snoop writer
 * (src/writer.c).
 *
 *   test_files                      run the built-in checks
 *   test_files --records FILE N     also: FILE (snoop) has N Ethernet
 *                                   records and reads cleanly
 *   test_files --same A B           also: captures A and B (any of pcap,
 *                                   pcapng, snoop) hold the same frames
 *   test_files --convert IN SNOOP   also: IN rewritten by the writer as
 *                                   snoop is byte-identical to SNOOP
 *   test_files --keep               keep the temporary directory
 *
 * Prints "ok NAME" or "FAIL NAME: why" per check, then "N passed, N
 * failed"; exits 1 if anything failed.  Files are written to a fresh
 * directory made by mkdtemp under $TMPDIR (default /tmp).
 *
 * Build: gcc -std=gnu99 -I. -Isrc -o test_files tests/unit/test_files.c \
 *            src/snoopfile.c src/writer.c -lpcap
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "snoopfile.h"
#include "writer.h"
#include "check.h"

#define MAX_TMP_FILES 128
#define MAX_FRAME     2048

static char tmp_dir[256];
static char tmp_files[MAX_TMP_FILES][300];
static int n_tmp_files;


/* ---- temporary files ---------------------------------------------------- */

static const char *tmp_path(const char *name)
{
    char *p;

    if (n_tmp_files == MAX_TMP_FILES) {
        fprintf(stderr, "test_files: too many temporary files\n");
        exit(2);
    }
    p = tmp_files[n_tmp_files++];
    if ((size_t)snprintf(p, sizeof(tmp_files[0]), "%s/%s", tmp_dir,
                         name) >= sizeof(tmp_files[0])) {
        fprintf(stderr, "test_files: temporary path too long: %s\n", name);
        exit(2);
    }
    return p;
}

static void tmp_cleanup(void)
{
    int i;

    for (i = 0; i < n_tmp_files; i++)
        unlink(tmp_files[i]);
    rmdir(tmp_dir);
}

static int write_bytes(const char *path, const uint8_t *p, size_t n)
{
    FILE *f = fopen(path, "wb");

    if (f == NULL)
        return -1;
    if (n > 0 && fwrite(p, 1, n, f) != n) {
        fclose(f);
        return -1;
    }
    return fclose(f);
}

/* Read a whole file (at most `size` bytes); returns length or -1. */
static long read_bytes(const char *path, uint8_t *buf, size_t size)
{
    FILE *f = fopen(path, "rb");
    size_t n;

    if (f == NULL)
        return -1;
    n = fread(buf, 1, size, f);
    fclose(f);
    return (long)n;
}

static int file_exists(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0;
}

/* ---- byte helpers ------------------------------------------------------- */

static void be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t h32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, 4);
    return v;
}

static uint16_t h16(const uint8_t *p)
{
    uint16_t v;

    memcpy(&v, p, 2);
    return v;
}

static const uint8_t *find_bytes(const uint8_t *hay, size_t hlen,
                                 const void *needle, size_t nlen)
{
    size_t i;

    for (i = 0; nlen <= hlen && i <= hlen - nlen; i++)
        if (memcmp(hay + i, needle, nlen) == 0)
            return hay + i;
    return NULL;
}

/* ---- a frame source: pcap/pcapng through libpcap, snoop through us ------ */

struct src {
    pcap_t *pcap;
    FILE *f;
    struct snoop_reader *snoop;
    int dlt;
    char err[300];
};

static int src_open(struct src *s, const char *path)
{
    char perr[PCAP_ERRBUF_SIZE], serr[SNOOP_ERRBUF_SIZE];
    uint8_t magic[8];
    size_t got;

    memset(s, 0, sizeof(*s));
    s->f = fopen(path, "rb");
    if (s->f == NULL) {
        snprintf(s->err, sizeof(s->err), "%s: %s", path, strerror(errno));
        return -1;
    }
    got = fread(magic, 1, sizeof(magic), s->f);
    if (snoop_magic_matches(magic, got)) {
        s->snoop = snoop_open(s->f, magic, got, serr);
        if (s->snoop == NULL) {
            snprintf(s->err, sizeof(s->err), "%s", serr);
            fclose(s->f);
            s->f = NULL;
            return -1;
        }
        s->dlt = snoop_dlt(s->snoop);
        return 0;
    }
    fclose(s->f);
    s->f = NULL;
    s->pcap = pcap_open_offline(path, perr);
    if (s->pcap == NULL) {
        snprintf(s->err, sizeof(s->err), "%s", perr);
        return -1;
    }
    s->dlt = pcap_datalink(s->pcap);
    return 0;
}

/* 1 frame, 0 end, -1 error (s->err). */
static int src_next(struct src *s, int64_t *ts, const uint8_t **data,
                    uint32_t *caplen, uint32_t *wire)
{
    char serr[SNOOP_ERRBUF_SIZE];
    struct pcap_pkthdr *h;
    const u_char *d;
    int r;

    if (s->snoop != NULL) {
        r = snoop_next(s->snoop, ts, data, caplen, wire, serr);
        if (r < 0)
            snprintf(s->err, sizeof(s->err), "%s", serr);
        return r;
    }
    r = pcap_next_ex(s->pcap, &h, &d);
    if (r == 1) {
        *ts = (int64_t)h->ts.tv_sec * 1000000 + h->ts.tv_usec;
        *data = d;
        *caplen = h->caplen;
        *wire = h->len;
        return 1;
    }
    if (r == PCAP_ERROR_BREAK)
        return 0;
    snprintf(s->err, sizeof(s->err), "%s", pcap_geterr(s->pcap));
    return -1;
}

static void src_close(struct src *s)
{
    if (s->snoop != NULL)
        snoop_close(s->snoop);
    if (s->f != NULL)
        fclose(s->f);
    if (s->pcap != NULL)
        pcap_close(s->pcap);
    memset(s, 0, sizeof(*s));
}

/* ---- test packets ------------------------------------------------------- */

struct pkt {
    int64_t ts;
    uint32_t caplen, wire;
    const char *comment;
    uint8_t data[MAX_FRAME];
};

/* Three packets: no padding needed, 3 bytes of padding, a cut frame. */
static struct pkt pkts[3];

static void make_pkts(void)
{
    static const uint32_t caplens[3] = { 60, 61, 1023 };
    static const uint32_t wires[3] = { 60, 61, 1514 };
    static const char *const comments[3] = {
        "retransmission of seq 1", NULL, "caf\xc3\xa9 \xe2\x86\x92 ok!"
    };
    static const int64_t stamps[3] = {
        1704110400000000LL, 1704110400000001LL, 1704110401999999LL
    };
    int i;
    uint32_t j;

    for (i = 0; i < 3; i++) {
        pkts[i].ts = stamps[i];
        pkts[i].caplen = caplens[i];
        pkts[i].wire = wires[i];
        pkts[i].comment = comments[i];
        for (j = 0; j < pkts[i].caplen; j++)
            pkts[i].data[j] = (uint8_t)(j * 7 + (uint32_t)i * 31 + 1);
    }
}

static const char *fmt_ext(enum writer_format fmt)
{
    return fmt == WRITER_PCAP ? "pcap" : fmt == WRITER_PCAPNG ? "pcapng" :
           "snoop";
}

/*
 * Compare the frames in `path` with pkts[0..n).  Returns 0, or -1 with
 * the reason in why.
 */
static int compare_file(const char *path, int dlt, int n, char *why,
                        size_t size)
{
    struct src s;
    const uint8_t *data;
    uint32_t caplen, wire;
    int64_t ts;
    int i, r;

    if (src_open(&s, path) < 0) {
        snprintf(why, size, "open: %s", s.err);
        return -1;
    }
    if (s.dlt != dlt) {
        snprintf(why, size, "dlt %d, expected %d", s.dlt, dlt);
        src_close(&s);
        return -1;
    }
    for (i = 0; i < n; i++) {
        r = src_next(&s, &ts, &data, &caplen, &wire);
        if (r != 1) {
            snprintf(why, size, "frame %d: %s", i + 1,
                     r == 0 ? "missing" : s.err);
            src_close(&s);
            return -1;
        }
        if (ts != pkts[i].ts || caplen != pkts[i].caplen ||
            wire != pkts[i].wire ||
            memcmp(data, pkts[i].data, caplen) != 0) {
            snprintf(why, size, "frame %d differs (ts %lld caplen %u "
                     "wire %u)", i + 1, (long long)ts, (unsigned)caplen,
                     (unsigned)wire);
            src_close(&s);
            return -1;
        }
    }
    r = src_next(&s, &ts, &data, &caplen, &wire);
    src_close(&s);
    if (r != 0) {
        snprintf(why, size, "after %d frames: %s", n,
                 r > 0 ? "extra frame" : s.err);
        return -1;
    }
    return 0;
}

/* ---- writer tests ------------------------------------------------------- */

static void test_format_parse(void)
{
    enum writer_format f = WRITER_SNOOP;
    int ok;

    ok = writer_format_parse("pcap", &f) == 0 && f == WRITER_PCAP;
    ok = ok && writer_format_parse("pcapng", &f) == 0 && f == WRITER_PCAPNG;
    ok = ok && writer_format_parse("snoop", &f) == 0 && f == WRITER_SNOOP;
    check(ok, "format_parse_known", "a known name was not parsed");
    ok = writer_format_parse("PCAP", &f) < 0 &&
         writer_format_parse("", &f) < 0 &&
         writer_format_parse("pcapng2", &f) < 0 &&
         writer_format_parse("snoo", &f) < 0 &&
         writer_format_parse(NULL, &f) < 0;
    check(ok, "format_parse_unknown", "an unknown name was accepted");
    ok = strcmp(writer_format_name(WRITER_PCAP), "pcap") == 0 &&
         strcmp(writer_format_name(WRITER_PCAPNG), "pcapng") == 0 &&
         strcmp(writer_format_name(WRITER_SNOOP), "snoop") == 0;
    check(ok, "format_name", "names do not round-trip");
}

/* Write pkts in `fmt` to a new temp file; returns its path or NULL. */
static const char *write_pkts(enum writer_format fmt, int dlt,
                              const char *stem, int n, char *why,
                              size_t size)
{
    char name[64], err[WRITER_ERRBUF_SIZE];
    const char *path;
    struct writer *w;
    int i;

    if ((size_t)snprintf(name, sizeof(name), "%s.%s", stem,
                         fmt_ext(fmt)) >= sizeof(name)) {
        snprintf(why, size, "file name too long: %s", stem);
        return NULL;
    }
    path = tmp_path(name);
    w = writer_open(path, fmt, dlt, 0, err);
    if (w == NULL) {
        snprintf(why, size, "writer_open: %s", err);
        return NULL;
    }
    for (i = 0; i < n; i++) {
        if (writer_write(w, pkts[i].ts, pkts[i].data, pkts[i].caplen,
                         pkts[i].wire, pkts[i].comment, err) < 0) {
            snprintf(why, size, "writer_write: %s", err);
            writer_close(w, err);
            return NULL;
        }
    }
    if (writer_count(w) != (uint64_t)n) {
        snprintf(why, size, "writer_count %llu",
                 (unsigned long long)writer_count(w));
        writer_close(w, err);
        return NULL;
    }
    if (writer_close(w, err) < 0) {
        snprintf(why, size, "writer_close: %s", err);
        return NULL;
    }
    return path;
}

static void test_roundtrip(enum writer_format fmt)
{
    char name[64], why[400];
    const char *path;

    snprintf(name, sizeof(name), "roundtrip_%s", fmt_ext(fmt));
    path = write_pkts(fmt, DLT_EN10MB, "rt", 3, why, sizeof(why));
    if (path == NULL) {
        check(0, name, "%s", why);
        return;
    }
    check(compare_file(path, DLT_EN10MB, 3, why, sizeof(why)) == 0, name,
          "%s", why);
}

/* Walk the pcapng blocks and check lengths and the EPB options. */
static void test_pcapng_layout(void)
{
    static uint8_t buf[16384];
    char why[400];
    const char *path;
    long n;
    size_t off;
    uint32_t type, len, caplen, olen;
    uint16_t code, ol;
    int blocks = 0, epbs = 0, comments = 0, ok = 1, ended;
    const uint8_t *c;

    path = write_pkts(WRITER_PCAPNG, DLT_EN10MB, "layout", 3, why,
                      sizeof(why));
    if (path == NULL || (n = read_bytes(path, buf, sizeof(buf))) <= 0) {
        check(0, "pcapng_layout", "cannot write/read the file");
        return;
    }
    c = find_bytes(buf, (size_t)n, pkts[0].comment,
                   strlen(pkts[0].comment));
    check(c != NULL && find_bytes(buf, (size_t)n, pkts[2].comment,
                                  strlen(pkts[2].comment)) != NULL,
          "pcapng_comment_bytes", "comment text not in the file");
    check(find_bytes(buf, (size_t)n, PACKAGE_STRING,
                     strlen(PACKAGE_STRING)) != NULL,
          "pcapng_userappl", "shb_userappl not in the file");

    snprintf(why, sizeof(why), "?");
    for (off = 0; ok && off < (size_t)n; off += len) {
        if ((size_t)n - off < 12) {
            snprintf(why, sizeof(why), "tail of %lu bytes",
                     (unsigned long)((size_t)n - off));
            ok = 0;
            break;
        }
        type = h32(buf + off);
        len = h32(buf + off + 4);
        if (len < 12 || len % 4 != 0 || len > (size_t)n - off ||
            h32(buf + off + len - 4) != len) {
            snprintf(why, sizeof(why), "block %d: bad length %u", blocks,
                     (unsigned)len);
            ok = 0;
            break;
        }
        if (blocks == 0 && (type != 0x0A0D0D0Au ||
                            h32(buf + 8) != 0x1A2B3C4Du ||
                            h16(buf + 12) != 1 || h16(buf + 14) != 0)) {
            snprintf(why, sizeof(why), "bad SHB");
            ok = 0;
        }
        if (blocks == 1 && (type != 1 || h16(buf + off + 8) != 1 ||
                            h32(buf + off + 12) != WRITER_MAX_SNAPLEN)) {
            snprintf(why, sizeof(why), "bad IDB");
            ok = 0;
        }
        if (type == 6) {
            /* EPB: options start after the padded data. */
            caplen = h32(buf + off + 20);
            olen = 28 + caplen + ((4 - caplen % 4) % 4);
            ended = 0;
            while (ok && olen + 4 <= len - 4) {
                code = h16(buf + off + olen);
                ol = h16(buf + off + olen + 2);
                if (code == 0) {
                    ended = 1;
                    olen += 4;
                    break;
                }
                if (code == 1) {
                    const char *want = pkts[epbs].comment;
                    if (want == NULL || ol != strlen(want) ||
                        memcmp(buf + off + olen + 4, want, ol) != 0) {
                        snprintf(why, sizeof(why), "EPB %d: bad comment",
                                 epbs + 1);
                        ok = 0;
                    }
                    comments++;
                }
                olen += 4 + ol + ((4 - ol % 4) % 4);
            }
            if (ok && olen != len - 4) {
                snprintf(why, sizeof(why), "EPB %d: options end at %u of "
                         "%u", epbs + 1, (unsigned)olen, (unsigned)len);
                ok = 0;
            }
            if (ok && (pkts[epbs].comment != NULL) != ended) {
                snprintf(why, sizeof(why), "EPB %d: opt_endofopt %s",
                         epbs + 1, ended ? "unexpected" : "missing");
                ok = 0;
            }
            epbs++;
        }
        blocks++;
    }
    if (ok && (blocks != 5 || epbs != 3 || comments != 2)) {
        snprintf(why, sizeof(why), "%d blocks, %d EPBs, %d comments",
                 blocks, epbs, comments);
        ok = 0;
    }
    check(ok, "pcapng_layout", "%s", why);
}

static void test_pcap_header(void)
{
    uint8_t buf[64];
    char why[400];
    const char *path;
    long n;

    path = write_pkts(WRITER_PCAP, DLT_EN10MB, "hdr", 0, why, sizeof(why));
    n = path ? read_bytes(path, buf, sizeof(buf)) : -1;
    check(n == 24 && h32(buf) == 0xa1b2c3d4u && h16(buf + 4) == 2 &&
          h16(buf + 6) == 4 && h32(buf + 16) == WRITER_MAX_SNAPLEN &&
          h32(buf + 20) == 1, "pcap_empty_header",
          "bad or missing 24-byte header (%ld bytes)", n);
    path = write_pkts(WRITER_SNOOP, DLT_EN10MB, "hdr", 0, why, sizeof(why));
    n = path ? read_bytes(path, buf, sizeof(buf)) : -1;
    check(n == 16 && memcmp(buf, "snoop\0\0\0\0\0\0\2\0\0\0\4", 16) == 0,
          "snoop_empty_header", "bad or missing 16-byte header (%ld bytes)",
          n);
}

/* Every supported link type survives a pcap and pcapng round trip. */
static void test_linktypes(void)
{
    static const int dlts[] = {
        DLT_EN10MB, DLT_NULL, DLT_RAW,
#ifdef DLT_LOOP
        DLT_LOOP,
#endif
#ifdef DLT_LINUX_SLL
        DLT_LINUX_SLL,
#endif
#ifdef DLT_LINUX_SLL2
        DLT_LINUX_SLL2,
#endif
#ifdef DLT_IPV4
        DLT_IPV4,
#endif
#ifdef DLT_IPV6
        DLT_IPV6,
#endif
    };
    char why[400], stem[64], name[80];
    const char *path;
    size_t i;
    int f;

    for (f = 0; f < 2; f++) {
        enum writer_format fmt = f == 0 ? WRITER_PCAP : WRITER_PCAPNG;
        for (i = 0; i < sizeof(dlts) / sizeof(dlts[0]); i++) {
            const char *dn = pcap_datalink_val_to_name(dlts[i]);
            snprintf(stem, sizeof(stem), "lt_%s", dn ? dn : "x");
            snprintf(name, sizeof(name), "linktype_%s_%s", fmt_ext(fmt),
                     dn ? dn : "x");
            path = write_pkts(fmt, dlts[i], stem, 1, why, sizeof(why));
            if (path == NULL) {
                check(0, name, "%s", why);
                continue;
            }
            check(compare_file(path, dlts[i], 1, why, sizeof(why)) == 0,
                  name, "%s", why);
        }
    }
}

static void test_open_errors(void)
{
    char err[WRITER_ERRBUF_SIZE];
    struct writer *w;
    const char *path;

    path = tmp_path("sll.snoop");
    w = writer_open(path, WRITER_SNOOP, DLT_LINUX_SLL, 0, err);
    check(w == NULL && strcmp(err, "cannot write snoop: link type "
                              "LINUX_SLL has no snoop datalink") == 0 &&
          !file_exists(path), "open_snoop_sll",
          "w=%p err=\"%s\"", (void *)w, w ? "" : err);
    if (w != NULL)
        writer_close(w, err);

    path = tmp_path("ppp.pcap");
    w = writer_open(path, WRITER_PCAP, DLT_PPP, 0, err);
    check(w == NULL && strstr(err, "link type PPP is not supported") &&
          !file_exists(path), "open_pcap_unsupported_dlt",
          "w=%p err=\"%s\"", (void *)w, w ? "" : err);
    if (w != NULL)
        writer_close(w, err);

    w = writer_open(tmp_dir, WRITER_PCAP, DLT_EN10MB, 0, err);
    check(w == NULL && strncmp(err, "cannot create file: ", 20) == 0,
          "open_directory", "w=%p err=\"%s\"", (void *)w, w ? "" : err);
    if (w != NULL)
        writer_close(w, err);

    if (access("/dev/full", W_OK) == 0) {
        w = writer_open("/dev/full", WRITER_PCAPNG, DLT_EN10MB, 0, err);
        check(w == NULL && strstr(err, "write error: ") != NULL,
              "open_dev_full", "w=%p err=\"%s\"", (void *)w,
              w ? "" : err);
        if (w != NULL)
            writer_close(w, err);
    } else {
        printf("ok open_dev_full # skipped, no /dev/full\n");
        n_pass++;
    }
}

static void test_write_errors(void)
{
    char err[WRITER_ERRBUF_SIZE], why[400];
    struct writer *w;
    const char *path;
    uint8_t big[128];
    int ok;

    memset(big, 0xab, sizeof(big));
    path = tmp_path("limits.pcap");
    w = writer_open(path, WRITER_PCAP, DLT_EN10MB, 100, err);
    if (w == NULL) {
        check(0, "write_limits", "writer_open: %s", err);
        return;
    }
    ok = writer_write(w, 5, big, 101, 101, NULL, err) < 0 &&
         strstr(err, "captured length 101 exceeds the snaplen 100") != NULL;
    check(ok, "write_caplen_over_snaplen", "err=\"%s\"", err);
    ok = writer_write(w, -1, big, 10, 10, NULL, err) < 0 &&
         strstr(err, "negative time stamp") != NULL;
    check(ok, "write_negative_ts", "err=\"%s\"", err);
    ok = writer_write(w, (int64_t)0x100000000LL * 1000000, big, 10, 10,
                      NULL, err) < 0 && strstr(err, "out of range") != NULL;
    check(ok, "write_ts_out_of_range", "err=\"%s\"", err);
    /* wire_len below caplen is raised to caplen. */
    ok = writer_write(w, 1000001, big, 100, 50, NULL, err) == 0 &&
         writer_count(w) == 1;
    ok = writer_close(w, err) == 0 && ok;
    check(ok, "write_after_rejects", "err=\"%s\"", err);
    memcpy(pkts[0].data, big, 100);
    {
        struct pkt save = pkts[0];
        pkts[0].ts = 1000001;
        pkts[0].caplen = 100;
        pkts[0].wire = 100;
        ok = compare_file(path, DLT_EN10MB, 1, why, sizeof(why)) == 0;
        check(ok, "write_wire_raised", "%s", why);
        pkts[0] = save;
    }
    make_pkts();
}

/* After writer_flush, with the writer still open, the file is valid. */
static void test_flush(enum writer_format fmt)
{
    char err[WRITER_ERRBUF_SIZE], why[400], name[64], fn[64];
    struct writer *w;
    const char *path;
    int i, ok = 1;

    snprintf(name, sizeof(name), "flush_%s", fmt_ext(fmt));
    snprintf(fn, sizeof(fn), "flush.%s", fmt_ext(fmt));
    path = tmp_path(fn);
    w = writer_open(path, fmt, DLT_EN10MB, 0, err);
    if (w == NULL) {
        check(0, name, "writer_open: %s", err);
        return;
    }
    for (i = 0; i < 2 && ok; i++)
        ok = writer_write(w, pkts[i].ts, pkts[i].data, pkts[i].caplen,
                          pkts[i].wire, pkts[i].comment, err) == 0;
    ok = ok && writer_flush(w, err) == 0;
    if (!ok) {
        check(0, name, "%s", err);
        writer_close(w, err);
        return;
    }
    check(compare_file(path, DLT_EN10MB, 2, why, sizeof(why)) == 0, name,
          "%s", why);
    ok = writer_write(w, pkts[2].ts, pkts[2].data, pkts[2].caplen,
                      pkts[2].wire, pkts[2].comment, err) == 0 &&
         writer_close(w, err) == 0;
    snprintf(name, sizeof(name), "flush_then_close_%s", fmt_ext(fmt));
    check(ok && compare_file(path, DLT_EN10MB, 3, why, sizeof(why)) == 0,
          name, "%s", ok ? why : err);
}

/* "-" writes to standard output (in a child whose stdout is a file). */
static void test_stdout(void)
{
    char why[400];
    const char *path = tmp_path("stdout.snoop");
    pid_t pid;
    int status = -1;

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        char err[WRITER_ERRBUF_SIZE];
        struct writer *w;
        int i;

        if (freopen(path, "wb", stdout) == NULL)
            _exit(3);
        w = writer_open("-", WRITER_SNOOP, DLT_EN10MB, 0, err);
        if (w == NULL)
            _exit(4);
        for (i = 0; i < 3; i++)
            if (writer_write(w, pkts[i].ts, pkts[i].data, pkts[i].caplen,
                             pkts[i].wire, NULL, err) < 0)
                _exit(5);
        if (writer_close(w, err) < 0)
            _exit(6);
        /* stdout must still be usable: it was not closed. */
        if (fflush(stdout) != 0 || fileno(stdout) != 1)
            _exit(7);
        _exit(0);
    }
    if (pid > 0)
        waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        check(0, "write_stdout", "child status %d", status);
        return;
    }
    check(compare_file(path, DLT_EN10MB, 3, why, sizeof(why)) == 0,
          "write_stdout", "%s", why);
}

static void test_pcapng_long_comment(void)
{
    static char comment[70000];
    static uint8_t buf[80000];
    char err[WRITER_ERRBUF_SIZE], why[400];
    const char *path = tmp_path("longcomment.pcapng");
    struct writer *w;
    long n;
    int ok;
    size_t i;

    /* 65534 'x' then a 2-byte UTF-8 sequence straddling the 65535 cut. */
    for (i = 0; i < 65534; i++)
        comment[i] = 'x';
    comment[65534] = '\xc3';
    comment[65535] = '\xa9';
    for (i = 65536; i < sizeof(comment) - 1; i++)
        comment[i] = 'y';
    comment[sizeof(comment) - 1] = '\0';
    w = writer_open(path, WRITER_PCAPNG, DLT_EN10MB, 0, err);
    ok = w != NULL &&
         writer_write(w, pkts[0].ts, pkts[0].data, pkts[0].caplen,
                      pkts[0].wire, comment, err) == 0 &&
         writer_write(w, pkts[1].ts, pkts[1].data, pkts[1].caplen,
                      pkts[1].wire, "", err) == 0;
    if (w != NULL)
        ok = writer_close(w, err) == 0 && ok;
    if (!ok) {
        check(0, "pcapng_long_comment", "%s", err);
        return;
    }
    n = read_bytes(path, buf, sizeof(buf));
    /* SHB 48 + IDB 20 + EPB(60 data, 4+65534 comment+2 pad, 4) + EPB 96 */
    ok = n == 48 + 20 + (32 + 60 + 4 + 65536 + 4) + (32 + 64);
    check(ok, "pcapng_long_comment_size", "file is %ld bytes", n);
    check(compare_file(path, DLT_EN10MB, 2, why, sizeof(why)) == 0,
          "pcapng_long_comment_read", "%s", why);
}

/* ---- snoop reader tests ------------------------------------------------- */

/* Build a snoop file: header + records described by arrays. */
struct rec {
    uint32_t orig, incl, rec_len, drops, secs, usecs;
    uint32_t body;          /* bytes of data+padding actually present */
};

static size_t build_snoop(uint8_t *out, size_t size, uint32_t version,
                          uint32_t datalink, const struct rec *recs, int n)
{
    size_t off = 16;
    uint32_t j;
    int i;

    memcpy(out, "snoop\0\0\0", 8);
    be32(out + 8, version);
    be32(out + 12, datalink);
    for (i = 0; i < n; i++) {
        if (off + 24 + recs[i].body > size)
            abort();
        be32(out + off, recs[i].orig);
        be32(out + off + 4, recs[i].incl);
        be32(out + off + 8, recs[i].rec_len);
        be32(out + off + 12, recs[i].drops);
        be32(out + off + 16, recs[i].secs);
        be32(out + off + 20, recs[i].usecs);
        off += 24;
        for (j = 0; j < recs[i].body; j++)
            out[off + j] = j < recs[i].incl ? (uint8_t)(j + (uint32_t)i) :
                           0xEE;
        off += recs[i].body;
    }
    return off;
}

/*
 * Read the snoop bytes (pre-reading `pre` bytes as a caller would).
 * Returns the records read before the end; *rc is the last snoop_next
 * result (or -2 when snoop_open failed); err gets the message.
 */
static int read_snoop_bytes(const uint8_t *bytes, size_t len, size_t pre,
                            int *rc, char *err, int check_data)
{
    const char *path = tmp_path("in.snoop");
    struct snoop_reader *r;
    uint8_t head[64];
    const uint8_t *data;
    uint32_t caplen, wire, j;
    int64_t ts;
    FILE *f;
    size_t got = 0;
    int n = 0;

    err[0] = '\0';
    if (write_bytes(path, bytes, len) < 0 || (f = fopen(path, "rb")) == 0) {
        snprintf(err, SNOOP_ERRBUF_SIZE, "cannot write %s", path);
        *rc = -3;
        n_tmp_files--;
        return 0;
    }
    if (pre > 0)
        got = fread(head, 1, pre, f);
    r = snoop_open(f, head, got, err);
    if (r == NULL) {
        *rc = -2;
    } else {
        while ((*rc = snoop_next(r, &ts, &data, &caplen, &wire, err)) == 1) {
            if (check_data)
                for (j = 0; j < caplen; j++)
                    if (data[j] != (uint8_t)(j + (uint32_t)n))
                        *rc = -4;
            if (*rc != 1)
                break;
            n++;
        }
        snoop_close(r);
    }
    fclose(f);
    unlink(path);
    n_tmp_files--;
    return n;
}

static void expect_snoop(const char *name, const uint8_t *bytes, size_t len,
                         int want_n, int want_rc, const char *want_err)
{
    char err[SNOOP_ERRBUF_SIZE];
    int rc, n;

    n = read_snoop_bytes(bytes, len, 8, &rc, err, 1);
    check(n == want_n && rc == want_rc &&
          (want_err == NULL || strcmp(err, want_err) == 0), name,
          "read %d records, rc %d, err \"%s\"", n, rc, err);
}

static const struct rec good3[3] = {
    { 74, 74, 100, 0, 1704110400, 0, 76 },
    { 60, 60, 84, 0, 1704110400, 999999, 60 },
    { 1514, 74, 100, 2, 1704110401, 5, 76 },
};

static void test_snoop_reader(void)
{
    static uint8_t buf[4096];
    struct rec recs[3];
    char err[SNOOP_ERRBUF_SIZE];
    size_t len;
    int rc, n, ok;
    size_t pre;

    check(snoop_magic_matches((const uint8_t *)"snoop\0\0\0\0\0\0\2", 12) &&
          snoop_magic_matches((const uint8_t *)"snoop\0\0\0", 8) &&
          !snoop_magic_matches((const uint8_t *)"snoop\0\0", 7) &&
          !snoop_magic_matches((const uint8_t *)"snoopy\0\0", 8) &&
          !snoop_magic_matches((const uint8_t *)"\xd4\xc3\xb2\xa1xxxx", 8),
          "snoop_magic_matches", "wrong answer");

    len = build_snoop(buf, sizeof(buf), 2, 4, good3, 3);
    expect_snoop("snoop_good", buf, len, 3, 0, NULL);

    /* Any amount of pre-read bytes, including none and part of record 1. */
    ok = 1;
    for (pre = 0; pre <= 40; pre++) {
        n = read_snoop_bytes(buf, len, pre, &rc, err, 1);
        if (n != 3 || rc != 0) {
            ok = 0;
            break;
        }
    }
    check(ok, "snoop_pre_read_lengths", "pre %lu: %d records, rc %d, %s",
          (unsigned long)pre, n, rc, err);

    memcpy(buf, "snoop\0\0\1", 8);
    expect_snoop("snoop_bad_magic", buf, len, 0, -2, "not a snoop file");
    memcpy(buf, "\xd4\xc3\xb2\xa1\2\0\4\0", 8);
    expect_snoop("snoop_pcap_magic", buf, len, 0, -2, "not a snoop file");

    len = build_snoop(buf, sizeof(buf), 1, 4, good3, 3);
    expect_snoop("snoop_version_1", buf, len, 0, -2,
                 "unsupported snoop version 1");
    len = build_snoop(buf, sizeof(buf), 3, 4, good3, 3);
    expect_snoop("snoop_version_3", buf, len, 0, -2,
                 "unsupported snoop version 3");

    len = build_snoop(buf, sizeof(buf), 2, 4, good3, 0);
    expect_snoop("snoop_header_only", buf, len, 0, 0, NULL);
    expect_snoop("snoop_truncated_header", buf, 12, 0, -2,
                 "truncated snoop file header");
    expect_snoop("snoop_magic_only", buf, 8, 0, -2,
                 "truncated snoop file header");
    n = read_snoop_bytes(buf, 0, 0, &rc, err, 1);
    check(n == 0 && rc == -2 && strcmp(err, "truncated snoop file header")
          == 0, "snoop_empty_file", "rc %d err \"%s\"", rc, err);

    /* Truncated inside the data of the last record. */
    len = build_snoop(buf, sizeof(buf), 2, 4, good3, 3);
    expect_snoop("snoop_truncated_last_record", buf, len - 76 + 30, 2, -1,
                 "record 3: truncated record (expected 74 bytes, got 30)");
    /* Truncated inside a record header. */
    expect_snoop("snoop_truncated_record_header", buf, 16 + 100 + 10, 1, -1,
                 "record 2: truncated record header (expected 24 bytes, "
                 "got 10)");
    /* Truncated inside the padding of the last record: record is whole. */
    expect_snoop("snoop_truncated_padding", buf, len - 1, 3, 0, NULL);

    memcpy(recs, good3, sizeof(recs));
    recs[2].rec_len = 12;
    recs[2].body = 0;
    len = build_snoop(buf, sizeof(buf), 2, 4, recs, 3);
    expect_snoop("snoop_record_length_12", buf, len, 2, -1,
                 "record 3: bad record length 12");

    memcpy(recs, good3, sizeof(recs));
    recs[0].rec_len = 0;
    recs[0].body = 0;
    len = build_snoop(buf, sizeof(buf), 2, 4, recs, 1);
    expect_snoop("snoop_record_length_0", buf, len, 0, -1,
                 "record 1: bad record length 0");

    memcpy(recs, good3, sizeof(recs));
    recs[1].orig = 59;
    len = build_snoop(buf, sizeof(buf), 2, 4, recs, 3);
    expect_snoop("snoop_incl_over_orig", buf, len, 1, -1,
                 "record 2: included length 60 larger than original "
                 "length 59");

    memcpy(recs, good3, sizeof(recs));
    recs[1].rec_len = 24 + 59;
    len = build_snoop(buf, sizeof(buf), 2, 4, recs, 3);
    expect_snoop("snoop_record_length_short", buf, len, 1, -1,
                 "record 2: record length 83 too short for included "
                 "length 60");

    memcpy(recs, good3, sizeof(recs));
    recs[0].orig = 300000;
    recs[0].incl = 300000;
    recs[0].rec_len = 300024;
    recs[0].body = 0;
    len = build_snoop(buf, sizeof(buf), 2, 4, recs, 1);
    expect_snoop("snoop_incl_over_limit", buf, len, 0, -1,
                 "record 1: included length 300000 exceeds the limit "
                 "262144");

    memcpy(recs, good3, sizeof(recs));
    recs[0].rec_len = 0x7fffffffu;
    recs[0].body = 0;
    len = build_snoop(buf, sizeof(buf), 2, 4, recs, 1);
    expect_snoop("snoop_record_length_absurd", buf, len, 0, -1,
                 "record 1: record length 2147483647 exceeds the limit "
                 "262171");
    recs[0].rec_len = 0xffffffffu;
    len = build_snoop(buf, sizeof(buf), 2, 4, recs, 1);
    expect_snoop("snoop_record_length_max", buf, len, 0, -1,
                 "record 1: record length 4294967295 exceeds the limit "
                 "262171");

    /* Extra padding (more than needed for alignment) is skipped. */
    memcpy(recs, good3, sizeof(recs));
    recs[0].rec_len = 24 + 74 + 10;
    recs[0].body = 74 + 10;
    recs[1].rec_len = 24 + 60 + 4;
    recs[1].body = 60 + 4;
    len = build_snoop(buf, sizeof(buf), 2, 4, recs, 3);
    expect_snoop("snoop_extra_padding", buf, len, 3, 0, NULL);

    /* No padding at all on an odd length (not aligned, still valid). */
    memcpy(recs, good3, sizeof(recs));
    recs[0].orig = recs[0].incl = 73;
    recs[0].rec_len = 24 + 73;
    recs[0].body = 73;
    len = build_snoop(buf, sizeof(buf), 2, 4, recs, 3);
    expect_snoop("snoop_unpadded", buf, len, 3, 0, NULL);

    /* Zero-length packet. */
    memcpy(recs, good3, sizeof(recs));
    recs[1].orig = 0;
    recs[1].incl = 0;
    recs[1].rec_len = 24;
    recs[1].body = 0;
    len = build_snoop(buf, sizeof(buf), 2, 4, recs, 3);
    expect_snoop("snoop_empty_packet", buf, len, 3, 0, NULL);
}

/* Fields, datalink mapping, sticky errors, drops. */
static void test_snoop_details(void)
{
    static uint8_t buf[4096];
    char err[SNOOP_ERRBUF_SIZE], err2[SNOOP_ERRBUF_SIZE];
    const char *path = tmp_path("details.snoop");
    struct snoop_reader *r;
    const uint8_t *data;
    uint32_t caplen, wire;
    int64_t ts;
    size_t len;
    FILE *f;
    int ok, rc;

    len = build_snoop(buf, sizeof(buf), 2, 4, good3, 3);
    if (write_bytes(path, buf, len - 40) < 0 ||
        (f = fopen(path, "rb")) == NULL) {
        check(0, "snoop_fields", "cannot write %s", path);
        return;
    }
    r = snoop_open(f, NULL, 0, err);
    if (r == NULL) {
        check(0, "snoop_fields", "%s", err);
        fclose(f);
        return;
    }
    check(snoop_dlt(r) == DLT_EN10MB && snoop_datalink(r) == 4,
          "snoop_dlt_ethernet", "dlt %d datalink %u", snoop_dlt(r),
          snoop_datalink(r));
    rc = snoop_next(r, &ts, &data, &caplen, &wire, err);
    ok = rc == 1 && ts == 1704110400000000LL && caplen == 74 && wire == 74;
    rc = snoop_next(r, &ts, &data, &caplen, &wire, err);
    ok = ok && rc == 1 && ts == 1704110400999999LL && caplen == 60 &&
         wire == 60 && data[0] == 1 && data[59] == 60;
    check(ok, "snoop_fields", "rc %d ts %lld caplen %u wire %u", rc,
          (long long)ts, (unsigned)caplen, (unsigned)wire);
    check(snoop_records(r) == 2 && snoop_drops(r) == 0, "snoop_counters",
          "records %llu drops %u", (unsigned long long)snoop_records(r),
          (unsigned)snoop_drops(r));
    rc = snoop_next(r, &ts, &data, &caplen, &wire, err);
    err2[0] = '\0';
    ok = rc == -1 &&
         snoop_next(r, &ts, &data, &caplen, &wire, err2) == -1 &&
         strcmp(err, err2) == 0 &&
         strcmp(err, "record 3: truncated record (expected 74 bytes, "
                "got 36)") == 0;
    check(ok, "snoop_sticky_error", "rc %d \"%s\" / \"%s\"", rc, err, err2);
    snoop_close(r);
    fclose(f);

    /* Drops, and a datalink without a DLT mapping. */
    len = build_snoop(buf, sizeof(buf), 2, 0x12, good3, 3);
    if (write_bytes(path, buf, len) < 0 || (f = fopen(path, "rb")) == 0) {
        check(0, "snoop_dlt_ipoib", "cannot write %s", path);
        return;
    }
    r = snoop_open(f, NULL, 0, err);
    ok = r != NULL && snoop_dlt(r) == -1 && snoop_datalink(r) == 0x12;
    check(ok, "snoop_dlt_ipoib", "%s", r ? "wrong mapping" : err);
    while (r != NULL && snoop_next(r, &ts, &data, &caplen, &wire, err) == 1)
        ;
    check(r != NULL && snoop_records(r) == 3 && snoop_drops(r) == 2 &&
          wire == 1514 && caplen == 74, "snoop_drops_and_cut_frame",
          "bad values");
    snoop_close(r);
    fclose(f);
    snoop_close(NULL);
}

/*
 * Hostile input: every truncation and many random corruptions of a valid
 * file must end (0 or -1) without crashing, with bounded records.
 */
static void test_snoop_fuzz(void)
{
    static uint8_t base[4096], buf[4096];
    char err[SNOOP_ERRBUF_SIZE];
    uint32_t seed = 12345;
    size_t len, cut, k;
    int i, rc, n, ok = 1;

    len = build_snoop(base, sizeof(base), 2, 4, good3, 3);
    for (cut = 0; cut <= len && ok; cut++) {
        n = read_snoop_bytes(base, cut, 8, &rc, err, 1);
        if (rc == 1 || n > 3 || (rc == 0 && cut < len - 2 && n == 3))
            ok = 0;
    }
    check(ok, "snoop_every_truncation", "cut %lu: %d records rc %d",
          (unsigned long)cut, n, rc);

    ok = 1;
    for (i = 0; i < 3000 && ok; i++) {
        memcpy(buf, base, len);
        for (k = 0; k < 4; k++) {
            seed = seed * 1103515245u + 12345u;
            buf[16 + (seed >> 8) % (len - 16)] = (uint8_t)(seed >> 24);
        }
        n = read_snoop_bytes(buf, len, 8, &rc, err, 0);
        if (n > 40 || rc == 1)
            ok = 0;
    }
    check(ok, "snoop_random_corruption", "iteration %d: %d records rc %d",
          i, n, rc);
}

/* ---- tshark (optional) -------------------------------------------------- */

static void test_tshark(void)
{
    char cmd[600], line[256], why[400];
    const char *path;
    FILE *p;
    int found = 0;

    if (system("tshark -v >/dev/null 2>&1") != 0) {
        printf("ok tshark_comment # skipped, no tshark\n");
        n_pass++;
        return;
    }
    path = write_pkts(WRITER_PCAPNG, DLT_EN10MB, "tshark", 3, why,
                      sizeof(why));
    if (path == NULL) {
        check(0, "tshark_comment", "%s", why);
        return;
    }
    snprintf(cmd, sizeof(cmd), "tshark -r '%s' -T fields -e frame.comment "
             "2>/dev/null", path);
    p = popen(cmd, "r");
    while (p != NULL && fgets(line, sizeof(line), p) != NULL)
        if (strstr(line, pkts[0].comment) != NULL)
            found = 1;
    if (p != NULL)
        pclose(p);
    check(found, "tshark_comment", "tshark does not show the comment");
}

/* ---- checks on given files ---------------------------------------------- */

static void cmd_records(const char *path, const char *count)
{
    char name[300];
    struct src s;
    const uint8_t *data;
    uint32_t caplen, wire;
    int64_t ts;
    long n = 0, want = strtol(count, NULL, 10);
    int r;

    snprintf(name, sizeof(name), "records %s", path);
    if (src_open(&s, path) < 0) {
        check(0, name, "%s", s.err);
        return;
    }
    if (s.snoop == NULL || s.dlt != DLT_EN10MB) {
        check(0, name, "not an Ethernet snoop file (dlt %d)", s.dlt);
        src_close(&s);
        return;
    }
    while ((r = src_next(&s, &ts, &data, &caplen, &wire)) == 1)
        n++;
    check(r == 0 && n == want, name, "%ld records, rc %d, %s", n, r,
          r < 0 ? s.err : "");
    src_close(&s);
}

static void cmd_same(const char *a, const char *b)
{
    char name[600];
    struct src sa, sb;
    const uint8_t *da, *db;
    uint32_t ca, cb, wa, wb;
    int64_t ta, tb;
    int ra, rb;
    long n = 0;

    snprintf(name, sizeof(name), "same %s %s", a, b);
    if (src_open(&sa, a) < 0) {
        check(0, name, "%s", sa.err);
        return;
    }
    if (src_open(&sb, b) < 0) {
        check(0, name, "%s", sb.err);
        src_close(&sa);
        return;
    }
    for (;;) {
        ra = src_next(&sa, &ta, &da, &ca, &wa);
        rb = src_next(&sb, &tb, &db, &cb, &wb);
        if (ra != 1 || rb != 1)
            break;
        n++;
        if (ta != tb || ca != cb || wa != wb || memcmp(da, db, ca) != 0) {
            ra = rb = -9;
            break;
        }
    }
    check(ra == 0 && rb == 0 && sa.dlt == sb.dlt && n > 0, name,
          "frame %ld: rc %d/%d dlt %d/%d %s %s", n, ra, rb, sa.dlt, sb.dlt,
          ra == -1 ? sa.err : "", rb == -1 ? sb.err : "");
    src_close(&sa);
    src_close(&sb);
}

static void cmd_convert(const char *in, const char *snoop)
{
    static uint8_t b1[1 << 20], b2[1 << 20];
    char name[600], err[WRITER_ERRBUF_SIZE];
    const char *out = tmp_path("convert.snoop");
    struct writer *w = NULL;
    struct src s;
    const uint8_t *data;
    uint32_t caplen, wire;
    int64_t ts;
    long n1, n2;
    int r = -1;

    snprintf(name, sizeof(name), "convert %s = %s", in, snoop);
    if (src_open(&s, in) < 0) {
        check(0, name, "%s", s.err);
        return;
    }
    w = writer_open(out, WRITER_SNOOP, s.dlt, 0, err);
    while (w != NULL &&
           (r = src_next(&s, &ts, &data, &caplen, &wire)) == 1)
        if (writer_write(w, ts, data, caplen, wire, NULL, err) < 0)
            break;
    src_close(&s);
    if (w == NULL || r != 0 || writer_close(w, err) < 0) {
        check(0, name, "%s", err);
        return;
    }
    n1 = read_bytes(out, b1, sizeof(b1));
    n2 = read_bytes(snoop, b2, sizeof(b2));
    check(n1 > 0 && n1 == n2 && memcmp(b1, b2, (size_t)n1) == 0, name,
          "%ld vs %ld bytes, contents differ", n1, n2);
}

/* ---- main --------------------------------------------------------------- */

int main(int argc, char **argv)
{
    const char *base = getenv("TMPDIR");
    int keep = 0, i;

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (base == NULL || base[0] == '\0')
        base = "/tmp";
    snprintf(tmp_dir, sizeof(tmp_dir), "%s/test_files.XXXXXX", base);
    if (mkdtemp(tmp_dir) == NULL) {
        fprintf(stderr, "test_files: mkdtemp %s: %s\n", tmp_dir,
                strerror(errno));
        return 2;
    }

    make_pkts();
    test_format_parse();
    test_roundtrip(WRITER_PCAP);
    test_roundtrip(WRITER_PCAPNG);
    test_roundtrip(WRITER_SNOOP);
    test_pcap_header();
    test_pcapng_layout();
    test_pcapng_long_comment();
    test_linktypes();
    test_open_errors();
    test_write_errors();
    test_flush(WRITER_PCAP);
    test_flush(WRITER_PCAPNG);
    test_flush(WRITER_SNOOP);
    test_stdout();
    test_snoop_reader();
    test_snoop_details();
    test_snoop_fuzz();
    test_tshark();

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--keep") == 0) {
            keep = 1;
        } else if (strcmp(argv[i], "--records") == 0 && i + 2 < argc) {
            cmd_records(argv[i + 1], argv[i + 2]);
            i += 2;
        } else if (strcmp(argv[i], "--same") == 0 && i + 2 < argc) {
            cmd_same(argv[i + 1], argv[i + 2]);
            i += 2;
        } else if (strcmp(argv[i], "--convert") == 0 && i + 2 < argc) {
            cmd_convert(argv[i + 1], argv[i + 2]);
            i += 2;
        } else {
            fprintf(stderr, "test_files: bad argument %s\n", argv[i]);
            n_fail++;
        }
    }

    if (keep)
        printf("# files kept in %s\n", tmp_dir);
    else
        tmp_cleanup();
    return check_summary();
}
