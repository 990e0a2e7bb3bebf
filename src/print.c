/*
 * print.c - the default, quiet and live layouts (spec section 8).
 *
 * Column widths follow the original byte for byte so that `-C0` output of
 * a normal IPv4 session is identical to it; wider values (IPv6 endpoints,
 * IDs past 9999, sizes past 9999) push the rest of the line right.  Lines
 * are built with small appenders into one buffer (printf only for the
 * rarer parts: TCP options, endpoints, --detail) and written in large
 * blocks.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "options.h"
#include "names.h"
#include "print.h"
#include "stats.h"
#include "store.h"

#define OUTBUF_SIZE     (256 * 1024)
#define OUTBUF_FLUSH_AT (OUTBUF_SIZE - 8192)    /* room for one line */
#define LINE_MAX_LEN    1024

struct printer {
    const struct config *cfg;
    struct stats *stats;
    struct names *names;        /* address names, or NULL */
    enum link_kind link;        /* for --detail */
    int fd;
    int broken;                 /* the reader went away */
    int plain;                  /* rendering for printer_session_text */
    int flush_each;             /* write after every session (live, pipes) */
    size_t len;
    int64_t clock_sec;          /* second cached in clock_text */
    char clock_text[16];        /* "HH:MM:SS" */
    char *buf;
    uint8_t *blob;              /* a kept blob, copied out for printing */
};

/* ---- output buffer ------------------------------------------------------- */

int printer_flush(struct printer *pr)
{
    size_t off = 0;

    while (off < pr->len && !pr->broken) {
        ssize_t n = write(pr->fd, pr->buf + off, pr->len - off);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            pr->broken = 1;
            break;
        }
        off += (size_t)n;
    }
    pr->len = 0;
    return pr->broken ? -1 : 0;
}

/* A line under construction (fixed size; every appender checks room). */
struct line {
    char *p;
    size_t len;
    size_t cap;
};

static void put_mem(struct line *l, const char *s, size_t n)
{
    if (n > l->cap - l->len)
        n = l->cap - l->len;
    memcpy(l->p + l->len, s, n);
    l->len += n;
}

static void put_str(struct line *l, const char *s)
{
    put_mem(l, s, strlen(s));
}

static void put_char(struct line *l, char c)
{
    if (l->len < l->cap)
        l->p[l->len++] = c;
}

static void put_spaces(struct line *l, size_t n)
{
    if (n > l->cap - l->len)
        n = l->cap - l->len;
    memset(l->p + l->len, ' ', n);
    l->len += n;
}

/* Right-aligned in `width` columns (wider text is not cut). */
static void put_right(struct line *l, const char *s, size_t width)
{
    size_t n = strlen(s);

    if (n < width)
        put_spaces(l, width - n);
    put_mem(l, s, n);
}

static void put_left(struct line *l, const char *s, size_t width)
{
    size_t n = strlen(s);

    put_mem(l, s, n);
    if (n < width)
        put_spaces(l, width - n);
}

/* Unsigned decimal, zero-padded (pad '0') or space-padded to `width`.
 * Digits are made right to left in a small buffer and copied once. */
static void put_uint(struct line *l, uint64_t v, int width, char pad)
{
    static const char pairs[] =
        "00010203040506070809101112131415161718192021222324"
        "25262728293031323334353637383940414243444546474849"
        "50515253545556575859606162636465666768697071727374"
        "75767778798081828384858687888990919293949596979899";
    char tmp[24];
    char *end = tmp + sizeof(tmp), *p = end;
    uint32_t v32, r;

    while (v > 0xFFFFFFFFu) {
        *--p = (char)('0' + v % 10);
        v /= 10;
    }
    /* Two digits per division. */
    for (v32 = (uint32_t)v; v32 >= 100; v32 /= 100) {
        r = v32 % 100;
        p -= 2;
        memcpy(p, pairs + 2 * r, 2);
    }
    if (v32 >= 10) {
        p -= 2;
        memcpy(p, pairs + 2 * v32, 2);
    } else {
        *--p = (char)('0' + v32);
    }
    while (end - p < width && p > tmp)
        *--p = pad;
    put_mem(l, p, (size_t)(end - p));
}

static void put_hex8(struct line *l, uint32_t v)
{
    uint64_t x = v, letters;
    char hex[8];

    /* Spread the eight nibbles over eight bytes, most significant in
     * the highest byte, then make each an ASCII digit or letter. */
    x = (x & 0xFFFF0000u) << 16 | (x & 0xFFFFu);
    x = (x & 0x0000FF000000FF00ULL) << 8 | (x & 0x000000FF000000FFULL);
    x = (x & 0x00F000F000F000F0ULL) << 4 | (x & 0x000F000F000F000FULL);
    letters = ((x + 0x0606060606060606ULL) >> 4) & 0x0101010101010101ULL;
    x += 0x3030303030303030ULL + letters * 7;   /* '0'..'9', 'A'..'F' */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    x = __builtin_bswap64(x);
#endif
    memcpy(hex, &x, sizeof(hex));
    if (l->cap - l->len >= sizeof(hex)) {
        memcpy(l->p + l->len, hex, sizeof(hex));   /* a fixed size: inline */
        l->len += sizeof(hex);
    } else {
        put_mem(l, hex, sizeof(hex));
    }
}

/* Start a line in the output buffer, flushing first if it is nearly full. */
static void line_begin(struct printer *pr, struct line *l, int color)
{
    if (pr->len > OUTBUF_FLUSH_AT) {
        if (pr->plain)
            pr->len = OUTBUF_FLUSH_AT;  /* rendering: cut, never write */
        else
            printer_flush(pr);
    }
    l->p = pr->buf + pr->len;
    l->len = 0;
    l->cap = LINE_MAX_LEN;
    if (pr->cfg->color && !pr->plain && color != COLOR_NONE) {
        put_str(l, "\033[");
        put_uint(l, (uint64_t)color, 0, '0');
        put_char(l, 'm');
    }
}

static void line_end(struct printer *pr, struct line *l, int color)
{
    if (pr->cfg->color && !pr->plain && color != COLOR_NONE)
        put_str(l, "\033[39m");
    l->cap += 1;            /* the newline always fits */
    put_char(l, '\n');
    pr->len += l->len;
}

/* ---- fields ---------------------------------------------------------------- */

/* Seconds and milliseconds, in 12 columns like the clock: "    1.503". */
static void put_seconds(struct line *l, int64_t us)
{
    if (us < 0) {
        put_char(l, '-');
        us = -us;
        put_uint(l, (uint64_t)(us / 1000000), 7, ' ');
    } else {
        put_uint(l, (uint64_t)(us / 1000000), 8, ' ');
    }
    put_char(l, '.');
    put_uint(l, (uint64_t)(us % 1000000 / 1000), 3, '0');
}

/* HH:MM:SS.mmm in local time; localtime is called once per second. */
static void put_wall_clock(struct printer *pr, struct line *l, int64_t us)
{
    int64_t sec = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
    int64_t ms = (us - sec * 1000000) / 1000;

    if (sec != pr->clock_sec || pr->clock_text[0] == '\0') {
        time_t t = (time_t)sec;
        struct tm tm;
        if (localtime_r(&t, &tm) == NULL)
            memset(&tm, 0, sizeof(tm));
        snprintf(pr->clock_text, sizeof(pr->clock_text), "%02d:%02d:%02d",
                 tm.tm_hour % 100, tm.tm_min, tm.tm_sec);
        pr->clock_sec = sec;
    }
    put_str(l, pr->clock_text);
    put_char(l, '.');
    put_uint(l, (uint64_t)ms, 3, '0');
}

/*
 * The time column (--time): absolute clock, seconds since the first
 * packet, or seconds since `prev_us` (the session's previous packet).
 */
static void put_time(struct printer *pr, struct line *l, int64_t us,
                     int64_t prev_us)
{
    switch (pr->cfg->time_mode) {
    case TIME_REL:
        put_seconds(l, us - pr->stats->first_us);
        break;
    case TIME_DELTA:
        put_seconds(l, us - prev_us);
        break;
    case TIME_ABS:
        put_wall_clock(pr, l, us);
        break;
    }
}

static int64_t prev_time(const struct tracker *tr, const struct segment *seg)
{
    return seg->prev != SEG_NONE ? tracker_segment(tr, seg->prev)->ts_us
                                 : seg->ts_us;
}

/* a.b.c.d:port or [v6addr]:port, or name:port when the address has one */
static void put_endpoint(struct printer *pr, struct line *l, int family,
                         const struct endpoint *e)
{
    char addr[INET6_ADDRSTRLEN];
    const char *name = pr->names ? names_lookup(pr->names, family, e->addr)
                                 : NULL;
    int i;

    if (name != NULL) {
        put_str(l, name);
    } else if (family == 6) {
        if (inet_ntop(AF_INET6, e->addr, addr, sizeof(addr)) == NULL)
            strcpy(addr, "?");
        put_char(l, '[');
        put_str(l, addr);
        put_char(l, ']');
    } else {
        for (i = 0; i < 4; i++) {
            if (i)
                put_char(l, '.');
            put_uint(l, e->addr[i], 0, '0');
        }
    }
    put_char(l, ':');
    put_uint(l, e->port, 0, '0');
}

/* The same into a NUL-terminated buffer (for aligned columns). */
static void format_endpoint(struct printer *pr, char *buf, size_t size,
                            int family, const struct endpoint *e)
{
    struct line l;

    l.p = buf;
    l.len = 0;
    l.cap = size - 1;
    put_endpoint(pr, &l, family, e);
    buf[l.len] = '\0';
}

/* ">-AP--->": direction, URG ACK PSH RST SYN FIN, direction (spec 8.4). */
static void put_flags(struct line *l, uint8_t flags, int from_server)
{
    char d = from_server ? '<' : '>';

    put_char(l, d);
    put_char(l, (flags & TH_URG) ? 'U' : '-');
    put_char(l, (flags & TH_ACK) ? 'A' : '-');
    put_char(l, (flags & TH_PUSH) ? 'P' : '-');
    put_char(l, (flags & TH_RST) ? 'R' : '-');
    put_char(l, (flags & TH_SYN) ? 'S' : '-');
    put_char(l, (flags & TH_FIN) ? 'F' : '-');
    put_char(l, d);
}

/* ---- TCP options (spec 8.6, bounds-checked) ------------------------------ */

static uint32_t be32_at(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

/* The option's value as the original reads it: by its length. */
static uint32_t option_value(const uint8_t *o, unsigned len)
{
    switch (len) {
    case 3: return o[2];
    case 4: return (uint32_t)o[2] << 8 | o[3];
    case 6:
    case 10: return be32_at(o + 2);
    default: return 0;
    }
}

/* Render TCP options as the original does, with bounds checks: the walk
 * stops at EOL or at the first option whose length is impossible. */
static void put_tcp_options(struct line *l, const uint8_t *opt, unsigned len)
{
    unsigned i = 0, kind, olen, n = 0;

    while (i < len) {
        kind = opt[i];
        if (kind == 0)                          /* end of option list */
            break;
        if (kind == 1) {                        /* no-operation */
            i++;
            continue;
        }
        if (n++)
            put_str(l, ", ");
        olen = i + 1 < len ? opt[i + 1] : 0;
        if (olen < 2 || i + olen > len) {
            put_str(l, "bad opt[");
            put_uint(l, kind, 0, '0');
            put_char(l, ']');
            if (i + 1 < len) {
                put_str(l, " len=");
                put_uint(l, olen, 0, '0');
            }
            break;
        }
        switch (kind) {
        case 2:
            put_str(l, "mss=");
            put_uint(l, option_value(opt + i, olen), 0, '0');
            break;
        case 3:
            put_str(l, "wscale=");
            put_uint(l, option_value(opt + i, olen), 0, '0');
            break;
        case 4:
            put_str(l, "sackOK");
            break;
        case 5:
            put_str(l, "sack ");
            put_uint(l, (olen - 2) / 8, 0, '0');
            break;
        case 8:
            put_str(l, "timestamp ");
            put_uint(l, option_value(opt + i, olen), 0, '0');
            put_char(l, ' ');
            put_uint(l, olen == 10 ? be32_at(opt + i + 6) : 0, 0, '0');
            break;
        default:
            put_str(l, "len=");
            put_uint(l, olen, 0, '0');
            put_str(l, " opt[");
            put_uint(l, kind, 0, '0');
            put_char(l, ']');
            break;
        }
        i += olen;
    }
}

/* ---- lines under a packet: DPI, --detail, -x ------------------------------ */

static void put_mac(struct line *l, const uint8_t *m)
{
    static const char digits[] = "0123456789abcdef";
    int i;

    for (i = 0; i < 6; i++) {
        if (i)
            put_char(l, ':');
        put_char(l, digits[m[i] >> 4]);
        put_char(l, digits[m[i] & 15]);
    }
}

static void put_hex_value(struct line *l, uint32_t v, int digits)
{
    char buf[16];

    snprintf(buf, sizeof(buf), "0x%0*x", digits, v);
    put_str(l, buf);
}

static void put_addr(struct line *l, int family, const uint8_t *a)
{
    char buf[INET6_ADDRSTRLEN];

    if (inet_ntop(family == 6 ? AF_INET6 : AF_INET, a, buf, sizeof(buf)))
        put_str(l, buf);
}

static void put_tcp_flag_names(struct line *l, uint8_t f)
{
    static const char names[] = "FSRPAUEC";
    int i, any = 0;

    for (i = 0; i < 8; i++) {
        if (f & (1u << i)) {
            put_char(l, names[i]);
            any = 1;
        }
    }
    if (!any)
        put_str(l, "none");
}

/* --detail: the link, IP and TCP header fields, one line per layer. */
static void print_detail(struct printer *pr, const uint8_t *frame,
                         uint32_t len)
{
    struct frame_detail d;
    struct line l;
    int i;

    decode_detail(pr->link, frame, len, &d);
    if (d.has_eth || d.ethertype) {
        line_begin(pr, &l, COLOR_NONE);
        put_str(&l, "        ETHER: ");
        if (d.has_eth) {
            put_mac(&l, d.eth_src);
            put_str(&l, " > ");
            put_mac(&l, d.eth_dst);
            put_str(&l, ", ");
        }
        put_str(&l, "type ");
        put_hex_value(&l, d.ethertype, 4);
        for (i = 0; i < d.nvlan; i++) {
            put_str(&l, ", vlan ");
            put_uint(&l, d.vlan[i], 0, '0');
        }
        line_end(pr, &l, COLOR_NONE);
    }
    if (d.has_ip) {
        line_begin(pr, &l, COLOR_NONE);
        put_str(&l, d.has_ip == 4 ? "        IPv4: " : "        IPv6: ");
        put_addr(&l, d.has_ip, d.src);
        put_str(&l, " > ");
        put_addr(&l, d.has_ip, d.dst);
        if (d.has_ip == 4) {
            put_str(&l, ", hlen ");
            put_uint(&l, d.ip_hlen, 0, '0');
            put_str(&l, ", tos ");
            put_hex_value(&l, d.tos, 2);
            put_str(&l, ", len ");
            put_uint(&l, d.ip_len, 0, '0');
            put_str(&l, ", id ");
            put_uint(&l, d.ip_id, 0, '0');
            put_str(&l, d.df ? ", DF" : "");
            put_str(&l, d.mf ? ", MF" : "");
            put_str(&l, ", frag ");
            put_uint(&l, d.frag_offset, 0, '0');
            put_str(&l, ", ttl ");
        } else {
            put_str(&l, ", class ");
            put_hex_value(&l, d.tos, 2);
            put_str(&l, ", flow ");
            put_hex_value(&l, d.flow_label, 5);
            put_str(&l, ", plen ");
            put_uint(&l, d.ip_len, 0, '0');
            put_str(&l, ", hlim ");
        }
        put_uint(&l, d.ttl, 0, '0');
        put_str(&l, ", proto ");
        put_uint(&l, d.proto, 0, '0');
        if (d.has_ip == 4) {
            put_str(&l, ", cksum ");
            put_hex_value(&l, d.ip_checksum, 4);
        }
        line_end(pr, &l, COLOR_NONE);
    }
    if (d.has_tcp) {
        line_begin(pr, &l, COLOR_NONE);
        put_str(&l, "        TCP: ");
        put_uint(&l, d.sport, 0, '0');
        put_str(&l, " > ");
        put_uint(&l, d.dport, 0, '0');
        put_str(&l, ", seq ");
        put_uint(&l, d.seq, 0, '0');
        put_str(&l, ", ack ");
        put_uint(&l, d.ack, 0, '0');
        put_str(&l, ", hlen ");
        put_uint(&l, d.tcp_hlen, 0, '0');
        put_str(&l, ", flags ");
        put_tcp_flag_names(&l, d.flags);
        put_str(&l, ", win ");
        put_uint(&l, d.window, 0, '0');
        put_str(&l, ", cksum ");
        put_hex_value(&l, d.tcp_checksum, 4);
        put_str(&l, ", urg ");
        put_uint(&l, d.urgent, 0, '0');
        line_end(pr, &l, COLOR_NONE);
    }
}

/* -x OFF[,LEN]: hex and ASCII, 16 bytes a line, offsets in the frame. */
static void print_hex(struct printer *pr, const uint8_t *frame, uint32_t len)
{
    static const char digits[] = "0123456789abcdef";
    uint32_t off = pr->cfg->hex_offset, end = len, i, j;
    struct line l;

    if (pr->cfg->hex_length && off + pr->cfg->hex_length < end)
        end = off + pr->cfg->hex_length;
    for (i = off; i < end; i += 16) {
        line_begin(pr, &l, COLOR_NONE);
        put_str(&l, "        0x");
        /* At least four digits, more past 64 KiB (as tcpdump's %04x). */
        for (j = 32; j > 16 && (i >> (j - 4)) == 0; j -= 4)
            ;
        for (; j > 0; j -= 4)
            put_char(&l, digits[(i >> (j - 4)) & 15]);
        put_str(&l, ": ");
        for (j = 0; j < 16; j++) {
            if (j % 2 == 0)
                put_char(&l, ' ');
            if (i + j < end) {
                put_char(&l, digits[frame[i + j] >> 4]);
                put_char(&l, digits[frame[i + j] & 15]);
            } else {
                put_str(&l, "  ");
            }
        }
        put_str(&l, "  ");
        for (j = 0; j < 16 && i + j < end; j++) {
            uint8_t b = frame[i + j];
            put_char(&l, b >= 0x20 && b < 0x7f ? (char)b : '.');
        }
        line_end(pr, &l, COLOR_NONE);
    }
}

/* DPI lines (already escaped when stored), one per '\n'. */
static void print_dpi_lines(struct printer *pr, const char *text,
                            uint32_t len)
{
    struct line l;
    uint32_t start = 0, i;

    for (i = 0; i <= len; i++) {
        if (i < len && text[i] != '\n')
            continue;
        if (i > start) {
            line_begin(pr, &l, COLOR_GREEN);
            put_mem(&l, text + start, i - start);
            line_end(pr, &l, COLOR_GREEN);
        }
        start = i + 1;
    }
}

static void print_attachments(struct printer *pr, const struct tracker *tr,
                              const struct segment *seg)
{
    const struct store *st = tracker_store(tr);
    uint8_t *buf = pr->blob;
    uint32_t n;
    struct line l;

    if (st == NULL)
        return;
    if (seg->dpi_blob != STORE_NONE) {
        n = store_get(st, seg->dpi_blob, buf, STORE_MAX_BLOB);
        print_dpi_lines(pr, (const char *)buf, n);
    }
    if (!pr->cfg->detail && !pr->cfg->hex)
        return;
    if (seg->frame_blob == STORE_NONE) {
        line_begin(pr, &l, COLOR_NONE);
        put_str(&l, "        (packet bytes not kept: storage full)");
        line_end(pr, &l, COLOR_NONE);
        return;
    }
    n = store_get(st, seg->frame_blob, buf, STORE_MAX_BLOB);
    if (pr->cfg->detail)
        print_detail(pr, buf, n);
    if (pr->cfg->hex)
        print_hex(pr, buf, n);
}

/* ---- lines ------------------------------------------------------------------ */

static void put_tail(struct printer *pr, struct line *l,
                     const struct segment *seg)
{
    put_hex8(l, seg->seq);
    put_char(l, '/');
    put_hex8(l, seg->ack);
    put_char(l, ' ');
    put_uint(l, seg->wire_len, 4, ' ');
    put_char(l, ' ');
    if (pr->cfg->fragment_lookup) {
        put_char(l, (seg->bits & SEG_FRAGMENT) ? 'F' : '-');
        put_char(l, ' ');
    } else {
        put_char(l, ' ');
    }
    put_char(l, '<');
    put_tcp_options(l, seg->opts, seg->optlen);
    put_char(l, '>');
}

static void put_ids(struct line *l, uint64_t id, uint64_t num)
{
    put_uint(l, id, 4, '0');
    put_char(l, ':');
    put_uint(l, num, 4, '0');
}

static void print_segment(struct printer *pr, const struct tracker *tr,
                          const struct session *s, const struct segment *seg)
{
    struct line l;
    int from_server = (seg->bits & SEG_FROM_SERVER) != 0;

    line_begin(pr, &l, seg->color);
    if (!pr->cfg->quiet) {
        put_ids(&l, s->id, seg->num);
        put_char(&l, ' ');
        put_time(pr, &l, seg->ts_us, prev_time(tr, seg));
        put_str(&l, " |");
    } else {
        put_time(pr, &l, seg->ts_us, prev_time(tr, seg));
        put_char(&l, '|');
    }
    put_right(&l, tcp_state_name(seg->client_state), 18);
    put_char(&l, ' ');
    put_flags(&l, seg->flags, from_server);
    put_char(&l, ' ');
    put_left(&l, tcp_state_name(seg->server_state), 18);
    if (!pr->cfg->quiet) {
        put_str(&l, "| ");
        put_tail(pr, &l, seg);
    } else {
        put_char(&l, '|');
        put_hex8(&l, seg->seq);
        put_char(&l, '/');
        put_hex8(&l, seg->ack);
    }
    line_end(pr, &l, seg->color);
    print_attachments(pr, tr, seg);
}

static void print_live_segment(struct printer *pr, const struct tracker *tr,
                               const struct session *s,
                               const struct segment *seg)
{
    struct line l;
    size_t states_at;

    line_begin(pr, &l, seg->color);
    put_ids(&l, s->id, seg->num);
    put_char(&l, ' ');
    put_time(pr, &l, seg->ts_us, prev_time(tr, seg));
    put_char(&l, ' ');
    put_endpoint(pr, &l, s->family, &s->client);
    put_char(&l, ' ');
    put_flags(&l, seg->flags, (seg->bits & SEG_FROM_SERVER) != 0);
    put_char(&l, ' ');
    put_endpoint(pr, &l, s->family, &s->server);
    put_char(&l, ' ');
    /* CLIENT/SERVER states, left-aligned in 23 columns */
    states_at = l.len;
    put_str(&l, tcp_state_name(seg->client_state));
    put_char(&l, '/');
    put_str(&l, tcp_state_name(seg->server_state));
    if (l.len - states_at < 23)
        put_spaces(&l, 23 - (l.len - states_at));
    put_char(&l, ' ');
    put_tail(pr, &l, seg);
    line_end(pr, &l, seg->color);
    print_attachments(pr, tr, seg);
}

static void print_elision(struct printer *pr, const struct session *s)
{
    struct line l;

    line_begin(pr, &l, COLOR_NONE);
    if (!pr->cfg->quiet) {
        put_uint(&l, s->id, 4, '0');
        put_str(&l, ":****");
        put_spaces(&l, 14);
    } else {
        put_spaces(&l, 12);
    }
    put_char(&l, '|');
    put_spaces(&l, 46);
    put_char(&l, '|');
    line_end(pr, &l, COLOR_NONE);
}

static void put_reasons(struct line *l, const struct session *s)
{
    unsigned i, n = 0;

    if (s->flags & SESS_MIDSTREAM)
        put_str(l, " (mid-stream)");
    for (i = 0; i < REASON_COUNT; i++) {
        if (!(s->reasons & (1u << i)))
            continue;
        put_str(l, n++ ? "," : " [");
        put_str(l, session_reason_word(i));
    }
    if (n)
        put_char(l, ']');
}

static void print_header(struct printer *pr, const struct session *s)
{
    struct line l;
    char client[64], server[64];
    int64_t dur = s->last_us - s->first_us;

    if (dur < 0)
        dur = 0;
    dur /= 1000;
    format_endpoint(pr, client, sizeof(client), s->family, &s->client);
    format_endpoint(pr, server, sizeof(server), s->family, &s->server);
    line_begin(pr, &l, COLOR_YELLOW);
    if (!pr->cfg->quiet) {
        put_uint(&l, s->id, 4, '0');
        put_char(&l, ' ');
        put_uint(&l, (uint64_t)(dur / 1000), 13, ' ');
    } else {
        put_uint(&l, (uint64_t)(dur / 1000), 8, ' ');
    }
    put_char(&l, '.');
    put_uint(&l, (uint64_t)(dur % 1000), 3, '0');
    put_str(&l, pr->cfg->quiet ? "|" : " |");
    put_right(&l, client, 21);
    put_str(&l, " == ");
    put_left(&l, server, 21);
    put_char(&l, '|');
    if (!pr->cfg->quiet) {
        put_str(&l, " Total ");
        put_uint(&l, s->packets, 0, '0');
        put_str(&l, " segments, ");
        put_uint(&l, s->bytes, 0, '0');
        put_str(&l, " bytes");
    } else {
        put_uint(&l, s->packets, 0, '0');
        put_str(&l, "seg(");
        put_uint(&l, s->bytes, 0, '0');
        put_char(&l, ')');
    }
    put_reasons(&l, s);
    line_end(pr, &l, COLOR_YELLOW);
}

/* "error break" etc. centred in 46 columns, the larger half on the left. */
static void put_centered(struct line *l, const char *msg)
{
    size_t n = strlen(msg), pad = n < 46 ? 46 - n : 0;

    put_spaces(l, pad - pad / 2);
    put_str(l, msg);
    put_spaces(l, pad / 2);
}

static void print_event(struct printer *pr, const struct session *s,
                        enum session_end_kind kind, int64_t now_us)
{
    static const char *const what[][2] = {
        { "", "" },
        { "error break", "Duplicate connection(packet loss?)" },
        { "destroy session", "time out" },
        { "end of capture", "session still open" },
    };
    struct line l;

    line_begin(pr, &l, COLOR_RED);
    if (pr->cfg->live) {
        put_ids(&l, s->id, s->packets);
        put_char(&l, ' ');
        put_time(pr, &l, now_us, s->last_us);
        put_char(&l, ' ');
        put_str(&l, what[kind][0]);
        put_str(&l, " (");
        put_str(&l, what[kind][1]);
        put_char(&l, ')');
    } else {
        if (!pr->cfg->quiet) {
            put_ids(&l, s->id, s->packets);
            put_char(&l, ' ');
            put_time(pr, &l, now_us, s->last_us);
            put_str(&l, " |");
        } else {
            put_time(pr, &l, now_us, s->last_us);
            put_char(&l, '|');
        }
        put_centered(&l, what[kind][0]);
        put_str(&l, pr->cfg->quiet ? "|" : "| ");
        put_str(&l, what[kind][1]);
    }
    line_end(pr, &l, COLOR_RED);
}

/*
 * The diagnosis in one line, for sessions a lookup flagged (so --all
 * output of clean sessions keeps the original's layout byte for byte).
 * -q keeps it within 80 columns.
 */
static void print_summary(struct printer *pr, const struct session *s)
{
    char text[768];
    struct line l;
    size_t n, start;

    if (!session_is_flagged(s))
        return;
    n = diag_summary(s, pr->cfg, text, sizeof(text));
    if (n == 0)
        return;
    line_begin(pr, &l, COLOR_YELLOW);
    start = l.len;                      /* after any colour sequence */
    put_uint(&l, s->id, 4, '0');
    put_str(&l, ": ");
    if (pr->cfg->quiet && l.len - start + n > 80)
        n = 80 > l.len - start ? 80 - (l.len - start) : 0;
    put_mem(&l, text, n);
    line_end(pr, &l, COLOR_YELLOW);
}

/* ---- sessions -------------------------------------------------------------- */

/* The session block: header, marked packets, elisions, event, summary. */
static void print_block(struct printer *pr, const struct tracker *tr,
                        struct session *s, enum session_end_kind kind,
                        int64_t now_us)
{
    uint32_t idx;
    uint64_t next_num = 0;
    int printed_any = 0;

    print_header(pr, s);
    for (idx = s->seg_head; idx != SEG_NONE;) {
        struct segment *seg = tracker_segment(tr, idx);
        if (seg->bits & SEG_MARKED) {
            if (seg->num != next_num)
                print_elision(pr, s);
            print_segment(pr, tr, s, seg);
            seg->bits |= SEG_PRINTED;
            next_num = seg->num + 1;
            printed_any = 1;
        }
        idx = seg->next;
    }
    if (printed_any && next_num != s->packets)
        print_elision(pr, s);
    if (kind != END_CLOSED)
        print_event(pr, s, kind, now_us);
    print_summary(pr, s);
}

void printer_session_end(void *ctx, const struct tracker *tr,
                         struct session *s, enum session_end_kind kind,
                         int64_t now_us)
{
    struct printer *pr = ctx;

    if (!(s->flags & SESS_SHOWN))
        return;
    pr->stats->sessions_shown++;
    if (pr->cfg->live) {
        if (kind != END_CLOSED)
            print_event(pr, s, kind, now_us);
        print_summary(pr, s);
    } else {
        print_block(pr, tr, s, kind, now_us);
    }
    if (pr->flush_each)
        printer_flush(pr);
}

size_t printer_session_text(struct printer *pr, const struct tracker *tr,
                            struct session *s, enum session_end_kind kind,
                            int64_t now_us, char *out, size_t size)
{
    size_t n;

    size_t start;

    if (size == 0)
        return 0;
    if (pr->len > OUTBUF_SIZE / 2)
        printer_flush(pr);          /* leave room to render into */
    start = pr->len;
    pr->plain = 1;
    print_block(pr, tr, s, kind, now_us);
    pr->plain = 0;
    n = pr->len - start < size - 1 ? pr->len - start : size - 1;
    memcpy(out, pr->buf + start, n);
    out[n] = '\0';
    pr->len = start;                /* rendered, not written */
    return n;
}

void printer_segment_stored(void *ctx, const struct tracker *tr,
                            struct session *s, struct segment *seg)
{
    struct printer *pr = ctx;

    if (!pr->cfg->live)
        return;
    print_live_segment(pr, tr, s, seg);
    seg->bits |= SEG_PRINTED;
    printer_flush(pr);
}

void printer_set_flush_each(struct printer *pr, int on)
{
    pr->flush_each = on;
}

void printer_set_names(struct printer *pr, struct names *names)
{
    pr->names = names;
}

void printer_set_link(struct printer *pr, enum link_kind link)
{
    pr->link = link;
}

struct printer *printer_new(const struct config *cfg, struct stats *st,
                            int fd)
{
    struct printer *pr = calloc(1, sizeof(*pr));

    if (pr == NULL)
        return NULL;
    pr->buf = malloc(OUTBUF_SIZE);
    pr->blob = malloc(STORE_MAX_BLOB);
    if (pr->buf == NULL || pr->blob == NULL) {
        printer_free(pr);
        return NULL;
    }
    pr->cfg = cfg;
    pr->stats = st;
    pr->fd = fd;
    pr->flush_each = 1;
    return pr;
}

void printer_free(struct printer *pr)
{
    if (pr == NULL)
        return;
    free(pr->buf);
    free(pr->blob);
    free(pr);
}
