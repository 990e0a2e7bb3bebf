/*
 * snoopfile.c - reader for Solaris snoop version 2 capture files.
 *
 * Owns the RFC 1761 ("Snoop Version 2 Packet Capture File Format") parsing:
 * the file header and the packet record headers.  All fields are 32-bit
 * big-endian.  Every length is checked before it is used: the included
 * length against the original length and a fixed limit, the record length
 * against the included length and a fixed limit, and every read against
 * what the file really holds.  One record buffer is allocated at open and
 * reused; a hostile file costs at most one bounded read per record.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "errbuf.h"
#include "snoopfile.h"

/* RFC 1761 section 3: "snoop\0\0\0" followed by version 2. */
static const uint8_t snoop_magic[SNOOP_MAGIC_LEN] = {
    's', 'n', 'o', 'o', 'p', 0, 0, 0
};

#define SNOOP_VERSION 2u

/* Bytes after the record header: packet data and padding. */
#define SNOOP_MAX_BODY (SNOOP_MAX_RECORD - SNOOP_REC_HDR_LEN)

struct snoop_reader {
    FILE *f;
    uint8_t *pre;           /* bytes the caller read before us */
    size_t pre_len;
    size_t pre_off;         /* pre[pre_off..pre_len) not consumed yet */
    unsigned datalink;      /* RFC 1761 datalink code */
    uint64_t records;       /* records returned so far */
    uint32_t drops;         /* cumulative drops of the last record */
    int failed;             /* an error was reported: stay failed */
    char err[SNOOP_ERRBUF_SIZE];
    uint8_t *body;          /* SNOOP_MAX_BODY bytes, reused per record */
};

/* ---- helpers ------------------------------------------------------------ */

static uint32_t get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

#define set_err(buf, ...) \
    errbuf_printf((buf), SNOOP_ERRBUF_SIZE, __VA_ARGS__)

/*
 * Read up to n bytes, first from the caller's pre-read bytes, then from
 * the FILE.  Returns the number of bytes stored; fewer than n means end of
 * file or a read error (see ferror).
 */
static size_t src_read(struct snoop_reader *r, uint8_t *dst, size_t n)
{
    size_t got = 0;
    size_t take;

    if (r->pre_off < r->pre_len) {
        take = r->pre_len - r->pre_off;
        if (take > n)
            take = n;
        memcpy(dst, r->pre + r->pre_off, take);
        r->pre_off += take;
        got = take;
    }
    if (got < n)
        got += fread(dst + got, 1, n - got, r->f);
    return got;
}

/* Record a sticky error for record number r->records + 1. */
static int rec_fail(struct snoop_reader *r, char *errbuf, const char *fmt,
                    ...) __attribute__((format(printf, 3, 4)));

static int rec_fail(struct snoop_reader *r, char *errbuf, const char *fmt,
                    ...)
{
    char what[SNOOP_ERRBUF_SIZE];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    snprintf(r->err, sizeof(r->err), "record %llu: %.200s",
             (unsigned long long)(r->records + 1), what);
    r->failed = 1;
    set_err(errbuf, "%s", r->err);
    return -1;
}

/* ---- public API --------------------------------------------------------- */

int snoop_magic_matches(const uint8_t *buf, size_t len)
{
    return buf != NULL && len >= SNOOP_MAGIC_LEN &&
           memcmp(buf, snoop_magic, SNOOP_MAGIC_LEN) == 0;
}

struct snoop_reader *snoop_open(FILE *f, const uint8_t *pre, size_t pre_len,
                                char *errbuf)
{
    struct snoop_reader *r;
    uint8_t hdr[SNOOP_HDR_LEN];
    size_t got;
    uint32_t version;

    if (f == NULL || (pre == NULL && pre_len > 0)) {
        set_err(errbuf, "snoop_open: invalid arguments");
        return NULL;
    }
    r = calloc(1, sizeof(*r));
    if (r == NULL) {
        set_err(errbuf, "out of memory");
        return NULL;
    }
    r->f = f;
    if (pre_len > 0) {
        r->pre = malloc(pre_len);
        if (r->pre == NULL)
            goto nomem;
        memcpy(r->pre, pre, pre_len);
        r->pre_len = pre_len;
    }

    /* RFC 1761 section 3: magic (8), version (4), datalink type (4). */
    got = src_read(r, hdr, sizeof(hdr));
    if (got < sizeof(hdr) && ferror(f)) {
        set_err(errbuf, "read error in snoop file header: %s",
                strerror(errno));
        goto fail;
    }
    if (memcmp(hdr, snoop_magic,
               got < SNOOP_MAGIC_LEN ? got : SNOOP_MAGIC_LEN) != 0) {
        set_err(errbuf, "not a snoop file");
        goto fail;
    }
    if (got < sizeof(hdr)) {
        set_err(errbuf, "truncated snoop file header");
        goto fail;
    }
    version = get_be32(hdr + 8);
    if (version != SNOOP_VERSION) {
        set_err(errbuf, "unsupported snoop version %lu",
                (unsigned long)version);
        goto fail;
    }
    r->datalink = get_be32(hdr + 12);

    r->body = malloc(SNOOP_MAX_BODY);
    if (r->body == NULL)
        goto nomem;
    return r;

nomem:
    set_err(errbuf, "out of memory");
fail:
    snoop_close(r);
    return NULL;
}

int snoop_dlt(const struct snoop_reader *r)
{
    /*
     * RFC 1761 section 3 datalink codes: 0 IEEE 802.3, 1 IEEE 802.4,
     * 2 IEEE 802.5, 3 IEEE 802.6, 4 Ethernet, 5 HDLC, 6 character
     * synchronous, 7 IBM channel-to-channel, 8 FDDI, 9 other; Solaris
     * also writes 0x12 for IP over InfiniBand.  Only Ethernet maps onto a
     * link layer miruo decodes.
     */
    if (r->datalink == SNOOP_DL_ETHERNET)
        return DLT_EN10MB;
    return -1;
}

unsigned snoop_datalink(const struct snoop_reader *r)
{
    return r->datalink;
}

int snoop_next(struct snoop_reader *r, int64_t *ts_us, const uint8_t **data,
               uint32_t *caplen, uint32_t *wire_len, char *errbuf)
{
    uint8_t hdr[SNOOP_REC_HDR_LEN];
    uint32_t orig, incl, rec_len, drops, secs, usecs;
    size_t got, body;

    if (r->failed) {
        set_err(errbuf, "%s", r->err);
        return -1;
    }

    /*
     * RFC 1761 section 4, record header: original length, included
     * length, record length, cumulative drops, timestamp seconds,
     * timestamp microseconds.
     */
    got = src_read(r, hdr, sizeof(hdr));
    if (got < sizeof(hdr)) {
        if (ferror(r->f))
            return rec_fail(r, errbuf, "read error: %s", strerror(errno));
        if (got == 0)
            return 0;           /* clean end of file */
        return rec_fail(r, errbuf, "truncated record header (expected %u "
                        "bytes, got %lu)", (unsigned)SNOOP_REC_HDR_LEN,
                        (unsigned long)got);
    }
    orig = get_be32(hdr);
    incl = get_be32(hdr + 4);
    rec_len = get_be32(hdr + 8);
    drops = get_be32(hdr + 12);
    secs = get_be32(hdr + 16);
    usecs = get_be32(hdr + 20);

    if (rec_len < SNOOP_REC_HDR_LEN)
        return rec_fail(r, errbuf, "bad record length %lu",
                        (unsigned long)rec_len);
    if (incl > SNOOP_MAX_CAPLEN)
        return rec_fail(r, errbuf, "included length %lu exceeds the limit "
                        "%lu", (unsigned long)incl,
                        (unsigned long)SNOOP_MAX_CAPLEN);
    if (incl > orig)
        return rec_fail(r, errbuf, "included length %lu larger than "
                        "original length %lu", (unsigned long)incl,
                        (unsigned long)orig);
    if (rec_len > SNOOP_MAX_RECORD)
        return rec_fail(r, errbuf, "record length %lu exceeds the limit "
                        "%lu", (unsigned long)rec_len,
                        (unsigned long)SNOOP_MAX_RECORD);
    if (rec_len - SNOOP_REC_HDR_LEN < incl)
        return rec_fail(r, errbuf, "record length %lu too short for "
                        "included length %lu", (unsigned long)rec_len,
                        (unsigned long)incl);

    /*
     * Packet data, then padding up to rec_len (the RFC pads records to a
     * 4-octet boundary).  body <= SNOOP_MAX_BODY by the checks above.
     * A file that ends inside the padding of its last record still gives
     * the complete packet; the next call then sees the end of file.
     */
    body = rec_len - SNOOP_REC_HDR_LEN;
    got = src_read(r, r->body, body);
    if (got < incl) {
        if (ferror(r->f))
            return rec_fail(r, errbuf, "read error: %s", strerror(errno));
        return rec_fail(r, errbuf, "truncated record (expected %lu bytes, "
                        "got %lu)", (unsigned long)incl,
                        (unsigned long)got);
    }
    if (got < body && ferror(r->f))
        return rec_fail(r, errbuf, "read error: %s", strerror(errno));

    r->records++;
    r->drops = drops;
    *ts_us = (int64_t)secs * 1000000 + (int64_t)usecs;
    *data = r->body;
    *caplen = incl;
    *wire_len = orig;
    return 1;
}

uint64_t snoop_records(const struct snoop_reader *r)
{
    return r->records;
}

uint32_t snoop_drops(const struct snoop_reader *r)
{
    return r->drops;
}

void snoop_close(struct snoop_reader *r)
{
    if (r == NULL)
        return;
    free(r->body);
    free(r->pre);
    free(r);
}
