/*
 * pcapfile.c - fast reader for the records of classic pcap files.
 *
 * One buffer of READ_BLOCK + MAX_RECORD bytes is filled with pread(2) in
 * blocks of READ_BLOCK bytes (small enough to stay in the L2 cache while
 * the records in it are processed) and records are handed out in place.
 * When the next record is not whole in the buffer, what is left of the
 * buffer (less than one record) moves to its front and the next block is
 * read behind it.  The checks and messages follow libpcap 1.10's
 * sf-pcap.c so that a damaged file reads the same either way.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errbuf.h"
#include "pcapfile.h"

#define REC_HDR_LEN   16u               /* ts_sec ts_usec caplen len */
#define MAX_CAPLEN    262144u           /* libpcap's MAXIMUM_SNAPLEN */
#define MAX_RECORD    (REC_HDR_LEN + MAX_CAPLEN)
#define READ_BLOCK    (256u * 1024u)

struct pcap_reader {
    int fd;
    int swapped;
    int nsec;
    uint32_t snapshot;
    uint8_t *buf;               /* READ_BLOCK + MAX_RECORD bytes */
    size_t have;                /* bytes in buf */
    size_t pos;                 /* next record at buf[pos] */
    uint64_t buf_off;           /* file offset of buf[0] */
    int eof;
    int failed;                 /* an error was reported: stay failed */
    char err[PCAPFILE_ERRBUF_SIZE];
};

#define set_err(r, ...) \
    errbuf_printf((r)->err, PCAPFILE_ERRBUF_SIZE, __VA_ARGS__)

int pcapfile_magic(const uint8_t *buf, size_t len, int *nsec)
{
    uint32_t m;

    if (len < 4)
        return 0;
    m = (uint32_t)buf[0] << 24 | (uint32_t)buf[1] << 16 |
        (uint32_t)buf[2] << 8 | buf[3];
    switch (m) {
    case 0xa1b2c3d4: case 0xd4c3b2a1:
        *nsec = 0;
        return 1;
    case 0xa1b23c4d: case 0x4d3cb2a1:
        *nsec = 1;
        return 1;
    }
    return 0;
}

struct pcap_reader *pcapfile_open(int fd, int swapped, int nsec,
                                  uint32_t snapshot)
{
    struct pcap_reader *r = calloc(1, sizeof(*r));

    if (r == NULL)
        return NULL;
    r->buf = malloc(READ_BLOCK + MAX_RECORD);
    if (r->buf == NULL) {
        free(r);
        return NULL;
    }
    r->fd = fd;
    r->swapped = swapped;
    r->nsec = nsec;
    r->snapshot = snapshot;
    r->buf_off = PCAPFILE_HDR_LEN;
    return r;
}

void pcapfile_close(struct pcap_reader *r)
{
    if (r == NULL)
        return;
    free(r->buf);
    free(r);
}

uint64_t pcapfile_offset(const struct pcap_reader *r)
{
    return r->buf_off + r->pos;
}

/*
 * Make `need` bytes (at most MAX_RECORD) available at buf[pos].  Returns
 * how many are (fewer only at the end of the file), or -1 on a read error.
 */
static long fill(struct pcap_reader *r, size_t need)
{
    ssize_t n;
    size_t want;

    if (r->have - r->pos >= need)
        return (long)need;
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->have - r->pos);
        r->buf_off += r->pos;
        r->have -= r->pos;
        r->pos = 0;
    }
    while (r->have < need && !r->eof) {
        want = READ_BLOCK + MAX_RECORD - r->have;
        if (want > READ_BLOCK)
            want = READ_BLOCK;
        n = pread(r->fd, r->buf + r->have, want,
                  (off_t)(r->buf_off + r->have));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            set_err(r, "error reading dump file: %s", strerror(errno));
            return -1;
        }
        if (n == 0)
            r->eof = 1;
        r->have += (size_t)n;
    }
    return (long)(r->have < need ? r->have : need);
}

static uint32_t field(const struct pcap_reader *r, const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof(v));
    return r->swapped ? __builtin_bswap32(v) : v;
}

static int fail(struct pcap_reader *r, char *errbuf)
{
    r->failed = 1;
    errbuf_printf(errbuf, PCAPFILE_ERRBUF_SIZE, "%s", r->err);
    return -1;
}

/* The record at buf[pos], whole in the buffer with a checked caplen. */
static void take(struct pcap_reader *r, uint32_t caplen,
                 struct pcap_record *rec)
{
    const uint8_t *h = r->buf + r->pos;

    rec->data = h + REC_HDR_LEN;
    if (r->swapped) {
        rec->sec = field(r, h);
        rec->usec = field(r, h + 4);
    } else {
        rec->sec = (int32_t)field(r, h);
        rec->usec = (int32_t)field(r, h + 4);
    }
    if (r->nsec)
        rec->usec /= 1000;
    rec->caplen = caplen > r->snapshot ? r->snapshot : caplen;
    rec->wire_len = field(r, h + 12);
    r->pos += REC_HDR_LEN + caplen;
}

int pcapfile_next(struct pcap_reader *r, struct pcap_record *rec,
                  char *errbuf)
{
    uint32_t caplen;
    long got;

    if (r->failed)
        return fail(r, errbuf);
    got = fill(r, REC_HDR_LEN);
    if (got < 0)
        return fail(r, errbuf);
    if (got == 0)
        return 0;
    if (got < (long)REC_HDR_LEN) {
        set_err(r, "truncated dump file; tried to read %u header bytes, "
                "only got %ld", REC_HDR_LEN, got);
        return fail(r, errbuf);
    }
    caplen = field(r, r->buf + r->pos + 8);
    if (caplen > MAX_CAPLEN) {
        if (caplen > r->snapshot)
            set_err(r, "invalid packet capture length %u, bigger than "
                    "snaplen of %u", caplen, r->snapshot);
        else
            set_err(r, "invalid packet capture length %u, bigger than "
                    "maximum of %u", caplen, MAX_CAPLEN);
        return fail(r, errbuf);
    }
    got = fill(r, REC_HDR_LEN + caplen);
    if (got < 0)
        return fail(r, errbuf);
    got -= (long)REC_HDR_LEN;
    if (got < (long)caplen) {
        /* libpcap reads the first snapshot bytes of an oversized record,
         * then discards the rest: its message names what failed first. */
        if (caplen > r->snapshot && got < (long)r->snapshot)
            set_err(r, "truncated dump file; tried to read %u captured "
                    "bytes, only got %ld", r->snapshot, got);
        else
            set_err(r, "truncated dump file; tried to read %u captured "
                    "bytes, only got %ld", caplen, got);
        return fail(r, errbuf);
    }
    take(r, caplen, rec);
    return 1;
}

int pcapfile_next_batch(struct pcap_reader *r, struct pcap_record *recs,
                        unsigned max, char *errbuf)
{
    unsigned n;
    uint32_t caplen;
    int rc = pcapfile_next(r, &recs[0], errbuf);

    if (rc <= 0)
        return rc;
    /* More only while they are whole in the buffer: reading more could
     * move the records already handed out. */
    for (n = 1; n < max && r->have - r->pos >= REC_HDR_LEN; n++) {
        caplen = field(r, r->buf + r->pos + 8);
        if (caplen > MAX_CAPLEN || r->have - r->pos < REC_HDR_LEN + caplen)
            break;              /* the next call reads on, or says why */
        take(r, caplen, &recs[n]);
    }
    return (int)n;
}
