/*
 * writer.c - save packets as pcap, pcapng or snoop files.
 *
 * Owns the byte layout of the three output formats:
 *   - classic pcap: 24-byte file header and 16-byte record headers in host
 *     byte order, magic 0xa1b2c3d4 (microseconds), version 2.4
 *     (draft-ietf-opsawg-pcap);
 *   - pcapng: one Section Header Block, one Interface Description Block
 *     (default if_tsresol, i.e. microseconds) and one Enhanced Packet Block
 *     per packet, with an optional opt_comment, all in host byte order
 *     (draft-ietf-opsawg-pcapng);
 *   - snoop version 2: 16-byte header and 24-byte record headers, all
 *     big-endian, records padded to 4 octets (RFC 1761).
 * The same code path serves every format, so libpcap's pcap_dump is not
 * used.  Output goes through stdio; a failed write makes the writer fail
 * from then on, and the first error message is kept.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "errbuf.h"
#include "writer.h"

/* draft-ietf-opsawg-pcap section 4: file header magic, microseconds. */
#define PCAP_MAGIC_US      0xa1b2c3d4u
#define PCAP_VERSION_MAJOR 2
#define PCAP_VERSION_MINOR 4

/* draft-ietf-opsawg-pcapng section 4: block types and constants. */
#define PCAPNG_BT_SHB      0x0A0D0D0Au
#define PCAPNG_BT_IDB      0x00000001u
#define PCAPNG_BT_EPB      0x00000006u
#define PCAPNG_BOM         0x1A2B3C4Du
#define PCAPNG_OPT_ENDOFOPT 0
#define PCAPNG_OPT_COMMENT  1
#define PCAPNG_SHB_USERAPPL 4
#define PCAPNG_MAX_OPTLEN   65535u

/* RFC 1761 section 3. */
#define SNOOP_VERSION      2u
#define SNOOP_DL_ETHERNET  4u

/* LINKTYPE_ values (the registry in draft-ietf-opsawg-pcaplinktype). */
#define LINKTYPE_NULL        0u
#define LINKTYPE_ETHERNET    1u
#define LINKTYPE_RAW         101u
#define LINKTYPE_LOOP        108u
#define LINKTYPE_LINUX_SLL   113u
#define LINKTYPE_IPV4        228u
#define LINKTYPE_IPV6        229u
#define LINKTYPE_LINUX_SLL2  276u

struct writer {
    FILE *f;
    int is_stdout;
    enum writer_format fmt;
    uint32_t linktype;
    uint32_t snaplen;
    uint64_t count;         /* packets written */
    int failed;             /* a write failed: stay failed */
    char err[WRITER_ERRBUF_SIZE];
};

/* ---- helpers ------------------------------------------------------------ */

#define set_err(buf, ...) \
    errbuf_printf((buf), WRITER_ERRBUF_SIZE, __VA_ARGS__)

/* Host byte order stores (pcap and pcapng are written in host order). */
static void put_h16(uint8_t *p, uint16_t v)
{
    memcpy(p, &v, sizeof(v));
}

static void put_h32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, sizeof(v));
}

/* Big-endian store (snoop). */
static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Bytes needed to pad n to a multiple of 4. */
static uint32_t pad4(uint32_t n)
{
    return (4u - (n & 3u)) & 3u;
}

/*
 * LINKTYPE_ value for a DLT_ value, or -1.  libpcap has no public
 * dlt-to-linktype call; these are the link types miruo decodes.  An if
 * chain, not a switch: some DLT_ values coincide on some systems.
 */
static long dlt_to_linktype(int dlt)
{
    if (dlt == DLT_EN10MB)
        return LINKTYPE_ETHERNET;
    if (dlt == DLT_NULL)
        return LINKTYPE_NULL;
    if (dlt == DLT_RAW)
        return LINKTYPE_RAW;
#ifdef DLT_LOOP
    if (dlt == DLT_LOOP)
        return LINKTYPE_LOOP;
#endif
#ifdef DLT_LINUX_SLL
    if (dlt == DLT_LINUX_SLL)
        return LINKTYPE_LINUX_SLL;
#endif
#ifdef DLT_LINUX_SLL2
    if (dlt == DLT_LINUX_SLL2)
        return LINKTYPE_LINUX_SLL2;
#endif
#ifdef DLT_IPV4
    if (dlt == DLT_IPV4)
        return LINKTYPE_IPV4;
#endif
#ifdef DLT_IPV6
    if (dlt == DLT_IPV6)
        return LINKTYPE_IPV6;
#endif
    return -1;
}

/* Name of a DLT_ for messages: libpcap's, or the number. */
static const char *dlt_label(int dlt, char *buf, size_t size)
{
    const char *name = pcap_datalink_val_to_name(dlt);

    if (name != NULL)
        return name;
    snprintf(buf, size, "%d", dlt);
    return buf;
}

/*
 * Make the writer fail with "write error: <errno text>".  The caller's
 * messages name the file, so ours do not.
 */
static int io_fail(struct writer *w, int err, char *errbuf)
{
    if (!w->failed) {
        snprintf(w->err, sizeof(w->err), "write error: %s",
                 strerror(err ? err : EIO));
        w->failed = 1;
    }
    set_err(errbuf, "%s", w->err);
    return -1;
}

/* Write n bytes; on failure the writer fails. */
static int out(struct writer *w, const void *p, size_t n, char *errbuf)
{
    if (n == 0)
        return 0;
    errno = 0;
    if (fwrite(p, 1, n, w->f) != n)
        return io_fail(w, errno, errbuf);
    return 0;
}

static int write_pcap_header(struct writer *w, char *errbuf)
{
    uint8_t h[24];

    /* draft-ietf-opsawg-pcap section 4: the File Header. */
    put_h32(h, PCAP_MAGIC_US);
    put_h16(h + 4, PCAP_VERSION_MAJOR);
    put_h16(h + 6, PCAP_VERSION_MINOR);
    put_h32(h + 8, 0);              /* reserved (thiszone) */
    put_h32(h + 12, 0);             /* reserved (sigfigs) */
    put_h32(h + 16, w->snaplen);
    put_h32(h + 20, w->linktype);   /* FCS bits 0 */
    return out(w, h, sizeof(h), errbuf);
}

static int write_pcapng_header(struct writer *w, char *errbuf)
{
    static const char appl[] = PACKAGE_STRING;
    static const uint8_t zero[4] = { 0, 0, 0, 0 };
    uint8_t h[28];
    uint32_t alen = (uint32_t)(sizeof(appl) - 1);
    uint32_t len;

    /*
     * Section Header Block (section 4.1): type, length, byte-order magic,
     * version 1.0, section length -1 (not specified), options, length.
     */
    len = 28 + 4 + alen + pad4(alen) + 4;
    put_h32(h, PCAPNG_BT_SHB);
    put_h32(h + 4, len);
    put_h32(h + 8, PCAPNG_BOM);
    put_h16(h + 12, 1);
    put_h16(h + 14, 0);
    put_h32(h + 16, 0xffffffffu);
    put_h32(h + 20, 0xffffffffu);
    if (out(w, h, 24, errbuf) < 0)
        return -1;
    /* shb_userappl (section 4.1), then opt_endofopt (section 3.5). */
    put_h16(h, PCAPNG_SHB_USERAPPL);
    put_h16(h + 2, (uint16_t)alen);
    if (out(w, h, 4, errbuf) < 0 || out(w, appl, alen, errbuf) < 0 ||
        out(w, zero, pad4(alen), errbuf) < 0)
        return -1;
    put_h16(h, PCAPNG_OPT_ENDOFOPT);
    put_h16(h + 2, 0);
    put_h32(h + 4, len);
    if (out(w, h, 8, errbuf) < 0)
        return -1;

    /*
     * Interface Description Block (section 4.2) without options: the
     * default if_tsresol is 10^-6, so time stamps are microseconds.
     */
    put_h32(h, PCAPNG_BT_IDB);
    put_h32(h + 4, 20);
    put_h16(h + 8, (uint16_t)w->linktype);
    put_h16(h + 10, 0);
    put_h32(h + 12, w->snaplen);
    put_h32(h + 16, 20);
    return out(w, h, 20, errbuf);
}

static int write_snoop_header(struct writer *w, char *errbuf)
{
    uint8_t h[16];

    /* RFC 1761 section 3: magic, version 2, datalink type. */
    memcpy(h, "snoop\0\0\0", 8);
    put_be32(h + 8, SNOOP_VERSION);
    put_be32(h + 12, SNOOP_DL_ETHERNET);
    return out(w, h, sizeof(h), errbuf);
}

/*
 * Length of a comment kept in an opt_comment: at most 65535 bytes, cut
 * back so that no UTF-8 sequence is split.
 */
static uint32_t comment_len(const char *comment)
{
    size_t n = strlen(comment);

    if (n <= PCAPNG_MAX_OPTLEN)
        return (uint32_t)n;
    n = PCAPNG_MAX_OPTLEN;
    while (n > 0 && ((unsigned char)comment[n] & 0xC0) == 0x80)
        n--;
    return (uint32_t)n;
}

/* ---- public API --------------------------------------------------------- */

int writer_format_parse(const char *name, enum writer_format *fmt)
{
    if (name == NULL)
        return -1;
    if (strcmp(name, "pcap") == 0)
        *fmt = WRITER_PCAP;
    else if (strcmp(name, "pcapng") == 0)
        *fmt = WRITER_PCAPNG;
    else if (strcmp(name, "snoop") == 0)
        *fmt = WRITER_SNOOP;
    else
        return -1;
    return 0;
}

const char *writer_format_name(enum writer_format fmt)
{
    switch (fmt) {
    case WRITER_PCAP:
        return "pcap";
    case WRITER_PCAPNG:
        return "pcapng";
    case WRITER_SNOOP:
        return "snoop";
    }
    return "?";
}

struct writer *writer_open(const char *path, enum writer_format fmt, int dlt,
                           uint32_t snaplen, char *errbuf)
{
    struct writer *w;
    char num[32];
    long lt;
    int rc;

    if (path == NULL || (fmt != WRITER_PCAP && fmt != WRITER_PCAPNG &&
                         fmt != WRITER_SNOOP)) {
        set_err(errbuf, "writer_open: invalid arguments");
        return NULL;
    }
    /* Check the link type before the file is created or truncated. */
    lt = dlt_to_linktype(dlt);
    if (fmt == WRITER_SNOOP && dlt != DLT_EN10MB) {
        set_err(errbuf, "cannot write snoop: link type %s has no snoop "
                "datalink", dlt_label(dlt, num, sizeof(num)));
        return NULL;
    }
    if (lt < 0) {
        set_err(errbuf, "cannot write %s: link type %s is not supported",
                writer_format_name(fmt), dlt_label(dlt, num, sizeof(num)));
        return NULL;
    }

    w = calloc(1, sizeof(*w));
    if (w == NULL) {
        set_err(errbuf, "out of memory");
        return NULL;
    }
    w->fmt = fmt;
    w->linktype = (uint32_t)lt;
    w->snaplen = snaplen == 0 || snaplen > WRITER_MAX_SNAPLEN ?
                 WRITER_MAX_SNAPLEN : snaplen;
    if (strcmp(path, "-") == 0) {
        w->f = stdout;
        w->is_stdout = 1;
    } else {
        w->f = fopen(path, "wb");
        if (w->f == NULL) {
            set_err(errbuf, "cannot create file: %s", strerror(errno));
            free(w);
            return NULL;
        }
    }

    switch (fmt) {
    case WRITER_PCAP:
        rc = write_pcap_header(w, errbuf);
        break;
    case WRITER_PCAPNG:
        rc = write_pcapng_header(w, errbuf);
        break;
    default:
        rc = write_snoop_header(w, errbuf);
        break;
    }
    /* Flush now: an empty capture is valid, and errors show up early. */
    if (rc == 0)
        rc = writer_flush(w, errbuf);
    if (rc < 0) {
        if (!w->is_stdout)
            fclose(w->f);
        free(w);
        return NULL;
    }
    return w;
}

int writer_write(struct writer *w, int64_t ts_us, const uint8_t *data,
                 uint32_t caplen, uint32_t wire_len, const char *comment,
                 char *errbuf)
{
    static const uint8_t zero[4] = { 0, 0, 0, 0 };
    uint8_t h[28];
    uint64_t secs;
    uint32_t usecs, clen, len;

    if (w->failed) {
        set_err(errbuf, "%s", w->err);
        return -1;
    }
    if (ts_us < 0) {
        set_err(errbuf, "packet %llu: negative time stamp",
                (unsigned long long)(w->count + 1));
        return -1;
    }
    if (caplen > w->snaplen) {
        set_err(errbuf, "packet %llu: captured length %lu exceeds the "
                "snaplen %lu", (unsigned long long)(w->count + 1),
                (unsigned long)caplen, (unsigned long)w->snaplen);
        return -1;
    }
    if (caplen > 0 && data == NULL) {
        set_err(errbuf, "writer_write: no packet data");
        return -1;
    }
    if (wire_len < caplen)
        wire_len = caplen;
    secs = (uint64_t)ts_us / 1000000u;
    usecs = (uint32_t)((uint64_t)ts_us % 1000000u);
    if (w->fmt != WRITER_PCAPNG && secs > 0xffffffffu) {
        set_err(errbuf, "packet %llu: time stamp out of range for %s",
                (unsigned long long)(w->count + 1),
                writer_format_name(w->fmt));
        return -1;
    }

    switch (w->fmt) {
    case WRITER_PCAP:
        /* draft-ietf-opsawg-pcap section 5: the Packet Record. */
        put_h32(h, (uint32_t)secs);
        put_h32(h + 4, usecs);
        put_h32(h + 8, caplen);
        put_h32(h + 12, wire_len);
        if (out(w, h, 16, errbuf) < 0 || out(w, data, caplen, errbuf) < 0)
            return -1;
        break;

    case WRITER_PCAPNG:
        /*
         * Enhanced Packet Block (section 4.3): interface 0, 64-bit time
         * stamp in if_tsresol units (microseconds) split high/low,
         * captured and original length, data padded to 32 bits, then
         * options: opt_comment (section 3.5) and opt_endofopt.
         */
        clen = comment != NULL ? comment_len(comment) : 0;
        len = 32 + caplen + pad4(caplen);
        if (clen > 0)
            len += 4 + clen + pad4(clen) + 4;
        put_h32(h, PCAPNG_BT_EPB);
        put_h32(h + 4, len);
        put_h32(h + 8, 0);
        put_h32(h + 12, (uint32_t)((uint64_t)ts_us >> 32));
        put_h32(h + 16, (uint32_t)(uint64_t)ts_us);
        put_h32(h + 20, caplen);
        put_h32(h + 24, wire_len);
        if (out(w, h, 28, errbuf) < 0 || out(w, data, caplen, errbuf) < 0 ||
            out(w, zero, pad4(caplen), errbuf) < 0)
            return -1;
        if (clen > 0) {
            put_h16(h, PCAPNG_OPT_COMMENT);
            put_h16(h + 2, (uint16_t)clen);
            if (out(w, h, 4, errbuf) < 0 ||
                out(w, comment, clen, errbuf) < 0 ||
                out(w, zero, pad4(clen), errbuf) < 0)
                return -1;
            put_h16(h, PCAPNG_OPT_ENDOFOPT);
            put_h16(h + 2, 0);
            if (out(w, h, 4, errbuf) < 0)
                return -1;
        }
        put_h32(h, len);
        if (out(w, h, 4, errbuf) < 0)
            return -1;
        break;

    case WRITER_SNOOP:
        /*
         * RFC 1761 section 4: original length, included length, record
         * length (header + data + padding to 4 octets), cumulative drops,
         * seconds, microseconds; then the data and the padding.
         */
        put_be32(h, wire_len);
        put_be32(h + 4, caplen);
        put_be32(h + 8, 24 + caplen + pad4(caplen));
        put_be32(h + 12, 0);
        put_be32(h + 16, (uint32_t)secs);
        put_be32(h + 20, usecs);
        if (out(w, h, 24, errbuf) < 0 || out(w, data, caplen, errbuf) < 0 ||
            out(w, zero, pad4(caplen), errbuf) < 0)
            return -1;
        break;
    }
    w->count++;
    return 0;
}

int writer_flush(struct writer *w, char *errbuf)
{
    if (w->failed) {
        set_err(errbuf, "%s", w->err);
        return -1;
    }
    errno = 0;
    if (fflush(w->f) != 0 || ferror(w->f))
        return io_fail(w, errno, errbuf);
    return 0;
}

int writer_close(struct writer *w, char *errbuf)
{
    int rc;

    if (w == NULL)
        return 0;
    rc = writer_flush(w, errbuf);
    if (!w->is_stdout) {
        errno = 0;
        if (fclose(w->f) != 0 && rc == 0)
            rc = io_fail(w, errno, errbuf);
    }
    free(w);
    return rc;
}

uint64_t writer_count(const struct writer *w)
{
    return w->count;
}
