/*
 * html.c - the HTML report (html.h): one self-contained page.
 *
 * The page has inline CSS and inline SVG only: no script, no external
 * resource (nothing that a browser would fetch), so it opens offline and
 * prints.  Every text that comes from packets or sessions is escaped
 * (html_escape), and the markup is also well-formed XML, so each SVG can
 * be checked on its own.
 *
 * Sections are rendered when their session ends, while its segments are
 * still stored, into a buffer of HTML_SECTION_MAX bytes, and only the
 * --html-max worst are kept, in a heap whose root is the least bad: a
 * worse session replaces it.  "Worse" is, in this order: flagged by a
 * lookup; more different reasons (the header's words, `truncated' aside);
 * more reported retransmissions; a longer longest silence; then the older
 * session ID.  The page lists the kept sections worst first.
 *
 * The time-sequence graph (after tcptrace and Wireshark's Stevens graph)
 * of one direction: x is the time since the session's first packet, y
 * the sequence number relative to the direction's first one (unwrapped
 * past 2^32).  Each data segment is a vertical bar over its bytes; a
 * reported retransmission is a red dashed bar with a diamond and its
 * class in the hover title; the peer's ACK is a step line, ACK + window
 * (scaled when both SYNs announced a scale) a dashed one, its SACK blocks
 * thick purple ticks; the time the peer advertised a zero window is
 * hatched; SYN, FIN and RST are a triangle, a square and a cross with a
 * text label.  Shapes and dash patterns, not colour alone, tell them
 * apart.
 *
 * Long sessions: the plot is cut into columns of 2^level pixels.  At
 * level 0 only bars that would overlap anyway (same pixel column, touching
 * pixel ranges) are merged into one bar (its title says how many), so
 * nothing visible is lost.  When a direction would need more than
 * HTML_GRAPH_ELEMS elements or HTML_GRAPH_MAX bytes, the level goes up.
 * Retransmissions are merged only with retransmissions and markers only
 * with markers of the same kind, so every retransmission and every
 * SYN/FIN/RST stays visible as red or as its shape.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "html.h"
#include "lookup.h"
#include "json.h"
#include "options.h"
#include "print.h"
#include "report.h"
#include "stats.h"

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

#define TEXT_RAW_MAX    (256 * 1024 + 1)    /* printer_session_text */
#define MIN_RTO_US      200000              /* as diag.c */

/* Graph geometry, in SVG user units (px at 1200 px wide). */
#define G_W     1200
#define G_PL    84          /* left margin: y labels */
#define G_PR    24
#define G_PT    36          /* top: title */
#define G_PH    240
#define G_PB    40          /* bottom: x labels, axis title */
#define G_PW    (G_W - G_PL - G_PR)
#define G_H     (G_PT + G_PH + G_PB)
#define PLAIN_TITLES_MAX 300    /* per-bar titles up to this many bars */
#define TOC_ROW_MAX     448     /* a section's row in the contents */
/* A section and its row in the contents stay within HTML_SECTION_MAX. */
#define SECTION_BODY_MAX (HTML_SECTION_MAX - TOC_ROW_MAX)

/* ---- a bounded output buffer ------------------------------------------ */

struct buf {
    char *p;
    size_t len;
    size_t cap;             /* one byte is kept for the NUL */
    int over;               /* something did not fit */
};

static void b_init(struct buf *b, char *p, size_t cap)
{
    b->p = p;
    b->len = 0;
    b->cap = cap > 0 ? cap - 1 : 0;
    b->over = cap == 0;
    if (cap > 0)
        p[0] = '\0';
}

static void b_mem(struct buf *b, const char *s, size_t n)
{
    if (b->over || n > b->cap - b->len) {
        b->over = 1;
        return;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void b_str(struct buf *b, const char *s)
{
    b_mem(b, s, strlen(s));
}

static void PRINTF_LIKE(2, 3) b_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (b->over)
        return;
    va_start(ap, fmt);
    n = vsnprintf(b->p + b->len, b->cap - b->len + 1, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n > b->cap - b->len) {
        b->over = 1;
        b->p[b->len] = '\0';
        return;
    }
    b->len += (size_t)n;
}

static void b_esc(struct buf *b, const char *s, size_t n)
{
    size_t need;

    if (b->over)
        return;
    need = html_escape(b->p + b->len, b->cap - b->len + 1, s, n);
    if (need > b->cap - b->len) {
        b->over = 1;
        b->p[b->len] = '\0';
        return;
    }
    b->len += need;
}

static void b_escs(struct buf *b, const char *s)
{
    b_esc(b, s, strlen(s));
}

/* A coordinate in tenths of a unit: "123.4", "-5", "7". */
static void b_coord(struct buf *b, int64_t tenths)
{
    char tmp[32];
    int64_t a = tenths < 0 ? -tenths : tenths;

    if (a % 10 == 0)
        snprintf(tmp, sizeof(tmp), "%s%lld", tenths < 0 ? "-" : "",
                 (long long)(a / 10));
    else
        snprintf(tmp, sizeof(tmp), "%s%lld.%lld", tenths < 0 ? "-" : "",
                 (long long)(a / 10), (long long)(a % 10));
    b_str(b, tmp);
}

/* ---- escaping ------------------------------------------------------------ */

/* Length of the valid UTF-8 sequence at s (RFC 3629), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len, i;
    unsigned cp;

    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        cp == 0xFFFE || cp == 0xFFFF)
        return 0;
    /* C1 controls are not allowed in HTML text either. */
    if (len == 2 && cp < 0xA0)
        return 0;
    return len;
}

size_t html_escape(char *dst, size_t size, const char *src, size_t len)
{
    const unsigned char *s = (const unsigned char *)src;
    size_t i = 0, out = 0;
    int full = size == 0;

    if (size > 0)
        dst[0] = '\0';
    while (i < len) {
        const char *rep;
        size_t rlen, k = 1;

        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default:
            if ((s[i] < 0x20 && s[i] != '\t' && s[i] != '\n') ||
                s[i] == 0x7F) {
                rep = "\xEF\xBF\xBD";      /* U+FFFD */
            } else if (s[i] < 0x80 || (k = utf8_len(s + i, len - i)) > 0) {
                rep = (const char *)s + i;  /* as it is, k bytes */
            } else {
                rep = "\xEF\xBF\xBD";
                k = 1;
            }
            break;
        }
        rlen = rep == (const char *)s + i ? k : strlen(rep);
        if (!full && out + rlen < size) {
            memcpy(dst + out, rep, rlen);
            dst[out + rlen] = '\0';
        } else {
            full = 1;       /* never a cut entity or character */
        }
        out += rlen;
        i += k;
    }
    return out;
}

/* ---- ticks and labels ---------------------------------------------------- */

/* The smallest 1, 2, 5 x 10^k step giving at most `max` steps in span. */
static int64_t nice_step(int64_t span, unsigned max)
{
    int64_t p = 1;

    if (max == 0)
        max = 1;
    if (span <= 0)
        return 1;
    for (;;) {
        if (span / p <= (int64_t)max)
            return p;
        if (span / (2 * p) <= (int64_t)max)
            return 2 * p;
        if (span / (5 * p) <= (int64_t)max)
            return 5 * p;
        if (p > INT64_MAX / 100)
            return p * 10;
        p *= 10;
    }
}

unsigned html_ticks(int64_t span, unsigned max, int64_t *ticks,
                    int64_t *step)
{
    int64_t st = nice_step(span, max), v;
    unsigned n = 0;

    if (step != NULL)
        *step = st;
    for (v = 0; v <= span && n <= max; v += st)
        ticks[n++] = v;
    return n;
}

/* Decimals needed to write multiples of `step` in units of `unit`. */
static int decimals(int64_t step, int64_t unit)
{
    int d = 0;

    while (d < 6 && step % unit != 0) {
        unit /= 10;
        d++;
    }
    return d;
}

static void fixed(char *buf, size_t size, int64_t v, int64_t unit, int dec,
                  const char *suffix)
{
    int64_t whole = v / unit, frac = v % unit, div = unit;
    int i;

    if (v < 0) {
        whole = -whole;
        frac = -frac;
    }
    for (i = 0; i < dec; i++)
        div /= 10;
    if (dec == 0 || div == 0)
        snprintf(buf, size, "%s%lld%s", v < 0 ? "-" : "", (long long)whole,
                 suffix);
    else
        snprintf(buf, size, "%s%lld.%0*lld%s", v < 0 ? "-" : "",
                 (long long)whole, dec, (long long)(frac / div), suffix);
}

void html_time_label(char *buf, size_t size, int64_t us, int64_t step)
{
    if (us == 0) {
        snprintf(buf, size, "0");
        return;
    }
    if (step >= 100000)
        fixed(buf, size, us, 1000000, decimals(step, 1000000), " s");
    else
        fixed(buf, size, us, 1000, decimals(step, 1000), " ms");
}

/* A byte count tick: "0", "500 B", "1.5 kB", "20 MB" (powers of 1000). */
static void bytes_label(char *buf, size_t size, int64_t v, int64_t step)
{
    static const char *const suffix[] = { " B", " kB", " MB", " GB",
                                           " TB" };
    int64_t unit = 1;
    unsigned u = 0;

    if (v == 0) {
        snprintf(buf, size, "0");
        return;
    }
    while (u + 1 < sizeof(suffix) / sizeof(suffix[0]) &&
           step >= unit * 1000 / 10 && (v >= unit * 1000 || -v >= unit * 1000)) {
        unit *= 1000;
        u++;
    }
    fixed(buf, size, v, unit, decimals(step, unit), suffix[u]);
}

/* A duration for people: "40 us", "3.000 ms", "1.503 s". */
static void fmt_us(char *buf, size_t size, int64_t us)
{
    if (us < 0)
        us = 0;
    if (us < 1000)
        snprintf(buf, size, "%lld us", (long long)us);
    else if (us < 1000000)
        snprintf(buf, size, "%lld.%03lld ms", (long long)(us / 1000),
                 (long long)(us % 1000));
    else
        snprintf(buf, size, "%lld.%03lld s", (long long)(us / 1000000),
                 (long long)(us / 1000 % 1000));
}

static void fmt_endpoint(char *buf, size_t size, int family,
                         const struct endpoint *e)
{
    char a[64];

    if (inet_ntop(family == 6 ? AF_INET6 : AF_INET, e->addr, a,
                  sizeof(a)) == NULL)
        a[0] = '\0';
    if (family == 6)
        snprintf(buf, size, "[%s]:%u", a, e->port);
    else
        snprintf(buf, size, "%s:%u", a, e->port);
}

static void fmt_reasons(char *buf, size_t size, uint32_t reasons)
{
    size_t n = 0;
    unsigned i;

    buf[0] = '\0';
    for (i = 0; i < REASON_COUNT && n < size; i++)
        if (reasons & (1u << i))
            n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? "," : "",
                                  session_reason_word(i));
}

/* ---- what the segments tell (replay) ----------------------------------- */

static int seq_lt(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) < 0;
}

/* Retransmission classes as drawn: diag.h's, then these two. */
#define RXC_SYN     RX_COUNT            /* SYN or SYN/ACK sent again */
#define RXC_UNKNOWN (RX_COUNT + 1)      /* not derivable */

struct rxinfo {
    uint8_t is_rx;          /* a retransmission */
    uint8_t reported;       /* ... reported by the lookup (-r, -S) */
    uint8_t cls;            /* RX_*, RXC_SYN or RXC_UNKNOWN */
    int64_t since_us;       /* since the original, -1 unknown */
};

static unsigned payload_of(const struct segment *seg)
{
    unsigned extra = ((seg->flags & TH_SYN) ? 1u : 0u) +
                     ((seg->flags & TH_FIN) ? 1u : 0u);

    return seg->seq_len > extra ? seg->seq_len - extra : 0;
}

/* Window scale from a SYN's options; -1 if it announced none. */
static int syn_wscale(const struct segment *seg)
{
    uint16_t mss;
    int ws;

    lookup_syn_options(seg, &mss, &ws);
    return ws;
}

struct replay_dir {
    uint32_t acked;         /* highest ACK the peer sent for our data */
    uint32_t window;        /* last window we advertised (as diag.c) */
    uint32_t next;          /* end of the highest data sent */
    uint16_t dupacks;
    uint8_t acked_set;
    uint8_t next_set;
    uint8_t wscale;
    uint8_t zero;           /* our last segment advertised a zero window */
};

/*
 * Which stored segments are retransmissions, and their classes, replaying
 * lookup.c and diag.c over the stored packets.  A retransmission is a copy
 * of data its direction had sent, as the diagnosis counts them (not a
 * keep-alive, a zero-window probe, a frame captured twice or data filling
 * a hole); it is `reported' when the retransmission lookup reported it
 * (-r, -S): its `why' says so, or a later lookup (long delay) replaced
 * that `why' but it is red and came late enough.  A copy whose original
 * is no longer stored is known only when it was reported.  The class
 * replays the diagnosis' rules (the peer's duplicate ACKs and cumulative
 * ACK, the time since the original); it is named only when every packet
 * of the session is stored and the counts agree with the diagnosis, else
 * RXC_UNKNOWN.
 */
static void replay(const struct config *cfg, const struct session *s,
                   const struct segment *const *segs, size_t n,
                   struct rxinfo *rx)
{
    struct replay_dir st[2];
    uint32_t count[2][RX_COUNT];
    int complete = s->seg_count >= s->packets && s->missing == 0;
    size_t i, j;
    int d, c;

    memset(st, 0, sizeof(st));
    memset(count, 0, sizeof(count));
    for (i = 0; i < n; i++) {
        const struct segment *seg = segs[i];
        const struct segment *prev = i > 0 ? segs[i - 1] : NULL;
        const struct segment *orig = NULL;
        struct replay_dir *me, *peer;
        uint32_t end = seg->seq + seg->seq_len, win;
        unsigned pay = payload_of(seg);
        int is_syn = (seg->flags & TH_SYN) != 0, copy = 0, small;
        int64_t since = -1;

        d = (seg->bits & SEG_FROM_SERVER) ? 1 : 0;
        me = &st[d];
        peer = &st[!d];
        memset(&rx[i], 0, sizeof(rx[i]));
        rx[i].cls = RXC_UNKNOWN;
        rx[i].since_us = -1;
        if (prev != NULL &&
            (prev->bits & SEG_FROM_SERVER) == (seg->bits & SEG_FROM_SERVER) &&
            prev->window == seg->window && lookup_same_frame(prev, seg))
            continue;               /* captured twice: nothing new */
        /* lookup.c: new data, keep-alive, probe, or a copy */
        small = !is_syn && !(seg->flags & TH_FIN) && seg->seq_len <= 1;
        if (seg->seq_len > 0 && !me->next_set) {
            me->next = end;
            me->next_set = 1;
        } else if (seg->seq_len > 0 && !(small && peer->zero)) {
            if (!seq_lt(seg->seq, me->next)) {
                me->next = end;
            } else if (!(small && seg->seq == me->next - 1)) {
                if (seq_lt(me->next, end))
                    me->next = end;
                for (j = 0; j < i; j++) {
                    const struct segment *o = segs[j];
                    if ((o->bits & SEG_FROM_SERVER) ==
                            (seg->bits & SEG_FROM_SERVER) &&
                        o->seq_len > 0 && seq_lt(o->seq, end) &&
                        seq_lt(seg->seq, o->seq + o->seq_len)) {
                        orig = o;
                        break;
                    }
                }
                copy = orig != NULL && !lookup_same_frame(orig, seg);
                if (orig != NULL && lookup_same_frame(orig, seg))
                    continue;       /* captured twice */
            }
        }
        if (copy)
            since = seg->ts_us - orig->ts_us;
        else if (seg->why & (REASON_RETRANSMIT | REASON_SYN_RETRANSMIT))
            since = (int64_t)seg->why_ms * 1000;
        if (seg->why & (REASON_RETRANSMIT | REASON_SYN_RETRANSMIT))
            rx[i].reported = 1;
        else if (copy && seg->why == REASON_LONG_DELAY &&
                 (seg->color == COLOR_RED || seg->color == COLOR_MAGENTA))
            rx[i].reported = (uint8_t)(cfg != NULL && (is_syn
                ? cfg->syn_lookup
                : cfg->retransmit_ms > 0 &&
                  since / 1000 >= (int64_t)cfg->retransmit_ms));
        rx[i].is_rx = (uint8_t)(copy || rx[i].reported);
        rx[i].since_us = since;
        /* diag.c: window scale, windows, ACKs and duplicate ACKs. */
        if (is_syn) {
            int ws = syn_wscale(seg);
            me->wscale = (uint8_t)(ws > 0 ? ws : 0);
        }
        if ((seg->flags & TH_ACK) && !(seg->flags & (TH_SYN | TH_RST))) {
            win = (uint32_t)seg->window << me->wscale;
            if (!peer->acked_set || seq_lt(peer->acked, seg->ack)) {
                peer->acked = seg->ack;
                peer->acked_set = 1;
                me->dupacks = 0;
            } else if (seg->ack == peer->acked && pay == 0 &&
                       !(seg->flags & TH_FIN) && win == me->window) {
                me->dupacks++;
            }
            me->window = win;
        } else if ((seg->flags & TH_SYN) && (seg->flags & TH_ACK)) {
            peer->acked = seg->ack;
            peer->acked_set = 1;
            me->window = seg->window;
        }
        me->zero = (seg->flags & TH_ACK) && !(seg->flags & (TH_SYN | TH_RST)) &&
                   seg->window == 0;
        if (!rx[i].is_rx)
            continue;
        if (is_syn) {
            rx[i].cls = RXC_SYN;
            continue;
        }
        if (me->acked_set && !seq_lt(me->acked, end))
            c = RX_SPURIOUS;
        else if (peer->dupacks >= 3)
            c = RX_FAST;
        else if (since >= 0 && since < MIN_RTO_US)
            c = end == me->next && peer->dupacks == 0 ? RX_TLP : RX_FAST;
        else
            c = RX_RTO;
        rx[i].cls = (uint8_t)c;
        count[d][c]++;
    }
    /* Name classes only when the replay agrees with the diagnosis. */
    for (d = 0; d < 2; d++) {
        int ok = complete;
        for (c = 0; c < RX_COUNT; c++)
            if (count[d][c] != s->diag.d[d].rexmit[c])
                ok = 0;
        if (ok)
            continue;
        for (i = 0; i < n; i++)
            if (rx[i].is_rx && rx[i].cls < RX_COUNT &&
                ((segs[i]->bits & SEG_FROM_SERVER) ? 1 : 0) == d)
                rx[i].cls = RXC_UNKNOWN;
    }
}

/* ---- one direction's graph ---------------------------------------------- */

enum item_kind { IT_DATA = 0, IT_RX, IT_SYN, IT_FIN, IT_RST };

struct gitem {
    int64_t t;              /* microseconds since the first packet */
    int64_t y0, y1;         /* relative sequence range */
    int64_t since_us;
    uint64_t num;           /* packet number */
    uint8_t kind;
    uint8_t cls;
    uint8_t flags;
    uint8_t reported;       /* IT_RX: reported by the lookup */
};

struct gack {
    int64_t t;
    int64_t ack;
    int64_t win;
    uint8_t zero;
};

struct gsack {
    int64_t t;
    int64_t l, r;
};

/* Sequence numbers relative to a direction's first one, unwrapped: each
 * value is taken within 2^31 of the highest seen. */
struct unwrap {
    uint32_t ref;
    int64_t rel;
};

static int64_t unwrap(struct unwrap *u, uint32_t x)
{
    int32_t d = (int32_t)(x - u->ref);
    int64_t v = u->rel + d;

    if (d > 0) {
        u->ref = x;
        u->rel = v;
    }
    return v;
}

struct graph {
    const struct config *cfg;
    const struct session *s;
    int dir;
    uint64_t id;
    int64_t span;           /* time span, microseconds (>= 1) */
    int64_t ymin, ymax;
    int64_t t_end;
    struct gitem *it;
    size_t nit;
    struct gack *ack;
    size_t nack;
    struct gsack *sack;
    size_t nsack;
    int scaled;             /* window scaling in effect */
    int scale;              /* the peer's shift */
    int win_clipped;
    uint32_t rx_dir[RX_COUNT];  /* the diagnosis' counts, this direction */
    uint64_t data_bytes;
    uint64_t data_segs;
    uint64_t rx_count;
    uint64_t packets;       /* packets sent in this direction (stored) */
};

static int64_t gx(const struct graph *g, int64_t t)
{
    if (t < 0)
        t = 0;
    if (t > g->span)
        t = g->span;
    if (g->span > INT64_MAX / (G_PW * 10))    /* centuries: divide first */
        return (int64_t)G_PL * 10 + t / (g->span / (G_PW * 10) + 1);
    return (int64_t)G_PL * 10 + t * ((int64_t)G_PW * 10) / g->span;
}

static int64_t gy(const struct graph *g, int64_t v)
{
    int64_t r = g->ymax - g->ymin, y;

    if (v < g->ymin)
        v = g->ymin;
    if (v > g->ymax)
        v = g->ymax;
    /* ranges too large to multiply: divide first */
    if (r > INT64_MAX / (G_PH * 10))
        y = (v - g->ymin) / (r / (G_PH * 10) + 1);
    else
        y = (v - g->ymin) * (G_PH * 10) / r;
    return (int64_t)(G_PT + G_PH) * 10 - y;
}

static const char *const class_word[RX_COUNT + 2] = {
    "RTO", "fast", "spurious", "TLP", "SYN sent again", "class unknown"
};

/* The titles' "class" text of one retransmission. */
static void rx_class_text(char *buf, size_t size, const struct graph *g,
                          unsigned cls)
{
    size_t n = 0;
    unsigned c;

    if (cls < RX_COUNT) {
        snprintf(buf, size, "%s", class_word[cls]);
        return;
    }
    if (cls == RXC_SYN) {
        snprintf(buf, size, "SYN sent again");
        return;
    }
    n = (size_t)snprintf(buf, size, "class unknown; this side's copies:");
    for (c = 0; c < RX_COUNT && n < size; c++)
        if (g->rx_dir[c])
            n += (size_t)snprintf(buf + n, size - n, " %u %s",
                                  g->rx_dir[c], class_word[c]);
}

/* An open group of merged items. */
struct group {
    int open;
    int64_t col;
    int64_t x;              /* tenths */
    int64_t top, bot;       /* tenths, top < bot */
    int64_t y0, y1;         /* sequence range */
    int64_t t0, t1;
    uint64_t num0, num1;
    unsigned n;
    unsigned cls_n[RX_COUNT + 2];
    int64_t since;          /* of a single item */
    unsigned reported;      /* IT_RX: how many were reported */
    uint8_t flags;          /* of the first item */
};

struct render {
    struct graph *g;
    struct buf *b;
    unsigned level;
    int titles;             /* titles on single data bars */
    struct html_graph_info info;
};

static int64_t col_of(const struct render *r, int64_t x)
{
    return (x - G_PL * 10) / (10 << r->level);
}

static void seq_range_text(char *buf, size_t size, int64_t y0, int64_t y1)
{
    snprintf(buf, size, "seq %lld-%lld (%lld B)", (long long)y0,
             (long long)y1, (long long)(y1 - y0));
}

static void flush_data(struct render *r, struct group *gr)
{
    struct buf *b = r->b;
    char t0[32], t1[32], sq[96];

    if (!gr->open)
        return;
    gr->open = 0;
    r->info.elements++;
    r->info.bars++;
    r->info.bar_segments += gr->n;
    b_str(b, "<path class=\"d\"");
    if (gr->n > 1)
        b_printf(b, " data-n=\"%u\"", gr->n);
    b_str(b, " d=\"M");
    b_coord(b, gr->x);
    b_str(b, " ");
    b_coord(b, gr->bot);
    b_str(b, "V");
    b_coord(b, gr->top);
    if (gr->n == 1 && !r->titles) {
        b_str(b, "\"/>");
        return;
    }
    b_str(b, "\"><title>");
    fmt_us(t0, sizeof(t0), gr->t0);
    fmt_us(t1, sizeof(t1), gr->t1);
    seq_range_text(sq, sizeof(sq), gr->y0, gr->y1);
    if (gr->n == 1)
        b_printf(b, "packet %llu at %s: %s", (unsigned long long)gr->num0,
                 t0, sq);
    else
        b_printf(b, "%u segments, packets %llu-%llu, %s-%s: %s", gr->n,
                 (unsigned long long)gr->num0, (unsigned long long)gr->num1,
                 t0, t1, sq);
    b_str(b, "</title></path>");
}

/* Why a copy was not reported: -r (or -S) said so. */
static void not_reported(struct buf *b, const struct config *cfg, int syn)
{
    if (cfg == NULL)
        b_str(b, ", not reported");
    else if (syn)
        b_str(b, ", not reported (-S 0)");
    else if (cfg->retransmit_ms == 0)
        b_str(b, ", not reported (-r 0)");
    else
        b_printf(b, ", not reported (sooner than -r %u ms)",
                 cfg->retransmit_ms);
}

static void flush_rx(struct render *r, struct group *gr)
{
    struct buf *b = r->b;
    char t0[32], t1[32], sq[96], cls[160], since[32];
    unsigned c;
    size_t n;

    if (!gr->open)
        return;
    gr->open = 0;
    r->info.elements++;
    r->info.rx_bars++;
    r->info.rx_segments += gr->n;
    b_str(b, "<g class=\"rx\"");
    if (gr->n > 1)
        b_printf(b, " data-n=\"%u\"", gr->n);
    b_str(b, "><path class=\"rb\" d=\"M");
    b_coord(b, gr->x);
    b_str(b, " ");
    b_coord(b, gr->bot);
    b_str(b, "V");
    b_coord(b, gr->top);
    /* the diamond above the bar */
    b_str(b, "\"/><path class=\"rm\" d=\"M");
    b_coord(b, gr->x);
    b_str(b, " ");
    b_coord(b, gr->top - 90);
    b_str(b, "l4 4l-4 4l-4-4z\"/><title>");
    fmt_us(t0, sizeof(t0), gr->t0);
    fmt_us(t1, sizeof(t1), gr->t1);
    seq_range_text(sq, sizeof(sq), gr->y0, gr->y1);
    if (gr->n == 1) {
        for (c = 0; c < RX_COUNT + 2 && gr->cls_n[c] == 0; c++)
            ;
        rx_class_text(cls, sizeof(cls), r->g, c);
        b_str(b, c == RXC_SYN ? "" : "retransmission (");
        b_escs(b, cls);
        b_str(b, c == RXC_SYN ? "" : ")");
        if (!gr->reported)
            not_reported(b, r->g->cfg, c == RXC_SYN);
        b_printf(b, ": packet %llu at %s: %s",
                 (unsigned long long)gr->num0, t0, sq);
        if (gr->since >= 0) {
            fmt_us(since, sizeof(since), gr->since);
            b_printf(b, ", %s after the original", since);
        }
    } else {
        cls[0] = '\0';
        n = 0;
        for (c = 0; c < RX_COUNT + 2; c++)
            if (gr->cls_n[c] && n < sizeof(cls))
                n += (size_t)snprintf(cls + n, sizeof(cls) - n, "%s%u %s",
                                      n ? ", " : "", gr->cls_n[c],
                                      class_word[c]);
        b_printf(b, "%u retransmissions (%s; %u reported), packets "
                 "%llu-%llu, %s-%s: %s", gr->n, cls, gr->reported,
                 (unsigned long long)gr->num0,
                 (unsigned long long)gr->num1, t0, t1, sq);
    }
    b_str(b, "</title></g>");
}

static const char *marker_word(unsigned kind, uint8_t flags)
{
    switch (kind) {
    case IT_SYN:
        return (flags & TH_ACK) ? "SYN/ACK" : "SYN";
    case IT_FIN:
        return "FIN";
    default:
        return "RST";
    }
}

static void flush_marker(struct render *r, struct group *gr, unsigned kind)
{
    static const char *const cls[] = { "", "", "syn", "fin", "rst" };
    static const char *const label[] = { "", "", "SYN", "FIN", "RST" };
    struct buf *b = r->b;
    int64_t x, y;
    char t0[32], t1[32];

    if (!gr->open)
        return;
    gr->open = 0;
    r->info.elements++;
    r->info.markers++;
    r->info.marker_events += gr->n;
    x = gr->x;
    y = (gr->top + gr->bot) / 2;
    b_printf(b, "<g class=\"ev %s\"", cls[kind]);
    if (gr->n > 1)
        b_printf(b, " data-n=\"%u\"", gr->n);
    b_str(b, "><path d=\"M");
    switch (kind) {
    case IT_SYN:        /* triangle, pointing up */
        b_coord(b, x);
        b_str(b, " ");
        b_coord(b, y - 60);
        b_str(b, "l6 10h-12z");
        break;
    case IT_FIN:        /* square */
        b_coord(b, x - 45);
        b_str(b, " ");
        b_coord(b, y - 45);
        b_str(b, "h9v9h-9z");
        break;
    default:            /* cross */
        b_coord(b, x - 50);
        b_str(b, " ");
        b_coord(b, y - 50);
        b_str(b, "l10 10m0-10l-10 10");
        break;
    }
    /* the label right of the mark, or left of it at the right edge */
    if (x > (int64_t)(G_PL + G_PW - 40) * 10)
        b_str(b, "\"/><text text-anchor=\"end\" x=\"");
    else
        b_str(b, "\"/><text x=\"");
    b_coord(b, x > (int64_t)(G_PL + G_PW - 40) * 10 ? x - 70 : x + 70);
    b_str(b, "\" y=\"");
    b_coord(b, kind == IT_SYN ? y + 10 : y + 35);
    b_printf(b, "\">%s", label[kind]);
    if (gr->n > 1)
        b_printf(b, "&#215;%u", gr->n);
    b_str(b, "</text><title>");
    fmt_us(t0, sizeof(t0), gr->t0);
    fmt_us(t1, sizeof(t1), gr->t1);
    if (gr->n == 1)
        b_printf(b, "%s, packet %llu at %s, seq %lld",
                 marker_word(kind, gr->flags), (unsigned long long)gr->num0,
                 t0, (long long)gr->y0);
    else
        b_printf(b, "%u x %s, packets %llu-%llu, %s-%s", gr->n, label[kind],
                 (unsigned long long)gr->num0, (unsigned long long)gr->num1,
                 t0, t1);
    b_str(b, "</title></g>");
}

static void group_start(struct group *gr, const struct render *r,
                        const struct gitem *it, int64_t x, int64_t top,
                        int64_t bot)
{
    memset(gr, 0, sizeof(*gr));
    gr->open = 1;
    gr->col = col_of(r, x);
    gr->x = x;
    gr->top = top;
    gr->bot = bot;
    gr->y0 = it->y0;
    gr->y1 = it->y1;
    gr->t0 = gr->t1 = it->t;
    gr->num0 = gr->num1 = it->num;
    gr->n = 1;
    gr->cls_n[it->cls < RX_COUNT + 2 ? it->cls : RXC_UNKNOWN]++;
    gr->since = it->since_us;
    gr->reported = it->reported;
    gr->flags = it->flags;
}

static void group_add(struct group *gr, const struct gitem *it, int64_t top,
                      int64_t bot)
{
    if (top < gr->top)
        gr->top = top;
    if (bot > gr->bot)
        gr->bot = bot;
    if (it->y0 < gr->y0)
        gr->y0 = it->y0;
    if (it->y1 > gr->y1)
        gr->y1 = it->y1;
    if (it->t < gr->t0)
        gr->t0 = it->t;
    if (it->t > gr->t1)
        gr->t1 = it->t;
    if (it->num < gr->num0)
        gr->num0 = it->num;
    if (it->num > gr->num1)
        gr->num1 = it->num;
    gr->n++;
    gr->cls_n[it->cls < RX_COUNT + 2 ? it->cls : RXC_UNKNOWN]++;
    gr->reported += it->reported;
}

/* The bar of an item, in tenths: at least 2 px tall. */
static void bar_of(const struct graph *g, const struct gitem *it,
                   int64_t *top, int64_t *bot)
{
    *bot = gy(g, it->y0);
    *top = gy(g, it->y1);
    if (*bot - *top < 20)
        *top = *bot - 20;
}

/* Step line through (t, value) points, one vertical move per column. */
static void step_path(struct render *r, const char *cls, const char *title,
                      int use_win)
{
    const struct graph *g = r->g;
    struct buf *b = r->b;
    int64_t last_col = -1, pend_y = 0, cur_y = 0, x, y;
    size_t i;
    int started = 0;

    for (i = 0; i < g->nack; i++) {
        const struct gack *a = &g->ack[i];
        int64_t v = use_win ? a->win : a->ack;
        if (use_win && a->win < 0)
            continue;               /* no window known (RST) */
        x = gx(g, a->t);
        y = gy(g, v);
        if (!started) {
            b_printf(b, "<path class=\"%s\" d=\"M", cls);
            b_coord(b, x);
            b_str(b, " ");
            b_coord(b, y);
            started = 1;
            last_col = x / 10;
            cur_y = pend_y = y;
            continue;
        }
        if (x / 10 == last_col) {
            pend_y = y;
            continue;
        }
        if (pend_y != cur_y) {
            b_str(b, "V");
            b_coord(b, pend_y);
            cur_y = pend_y;
        }
        b_str(b, "H");
        b_coord(b, x);
        last_col = x / 10;
        pend_y = y;
    }
    if (!started)
        return;
    if (pend_y != cur_y) {
        b_str(b, "V");
        b_coord(b, pend_y);
    }
    b_str(b, "H");
    b_coord(b, gx(g, g->t_end));
    b_printf(b, "\"><title>%s</title></path>", title);
    r->info.elements++;
}

/* SACK blocks: thick ticks beside the ACK line, merged per column. */
static void sack_path(struct render *r)
{
    const struct graph *g = r->g;
    struct buf *b = r->b;
    int64_t col = -1, x = 0, lo[4], hi[4];
    unsigned nr = 0, k;
    size_t i;
    int started = 0;

    for (i = 0; i <= g->nsack; i++) {
        int64_t c = 0, top = 0, bot = 0;
        if (i < g->nsack) {
            const struct gsack *sk = &g->sack[i];
            int64_t xx = gx(g, sk->t);
            c = col_of(r, xx);
            bot = gy(g, sk->l);
            top = gy(g, sk->r);
            if (bot - top < 20)
                top = bot - 20;
            if (c == col) {
                for (k = 0; k < nr; k++)
                    if (top <= hi[k] + 10 && bot >= lo[k] - 10)
                        break;
                if (k < nr) {
                    if (top < lo[k])
                        lo[k] = top;
                    if (bot > hi[k])
                        hi[k] = bot;
                    continue;
                }
                if (nr < 4) {
                    lo[nr] = top;
                    hi[nr++] = bot;
                    continue;
                }
                if (top < lo[3])    /* full: widen the last range */
                    lo[3] = top;
                if (bot > hi[3])
                    hi[3] = bot;
                continue;
            }
        }
        for (k = 0; k < nr; k++) {
            if (!started) {
                b_str(b, "<path class=\"sack\" d=\"");
                started = 1;
            }
            b_str(b, "M");
            b_coord(b, x + 30);
            b_str(b, " ");
            b_coord(b, hi[k]);
            b_str(b, "V");
            b_coord(b, lo[k]);
        }
        if (i == g->nsack)
            break;
        col = c;
        x = gx(g, g->sack[i].t);
        lo[0] = top;
        hi[0] = bot;
        nr = 1;
    }
    if (started) {
        b_str(b, "\"><title>SACK blocks the receiver reported</title></path>");
        r->info.elements++;
    }
}

/* Zero-window periods of the peer, hatched, merged when closer than a
 * column. */
static void zero_windows(struct render *r)
{
    const struct graph *g = r->g;
    struct buf *b = r->b;
    int64_t start = -1, a0 = -1, a1 = -1;
    int64_t total = 0;
    size_t i;
    int64_t gap = (int64_t)10 << r->level;

    for (i = 0; i <= g->nack; i++) {
        int64_t p0 = -1, p1 = -1;
        if (i < g->nack) {
            const struct gack *a = &g->ack[i];
            if (a->win < 0)
                continue;
            if (a->zero && start < 0)
                start = a->t;
            else if (!a->zero && start >= 0) {
                p0 = start;
                p1 = a->t;
                start = -1;
            }
            if (p0 < 0)
                continue;
        } else if (start >= 0) {
            p0 = start;
            p1 = g->t_end;
        }
        if (p0 >= 0 && a0 >= 0 && gx(g, p0) - gx(g, a1) <= gap) {
            a1 = p1;
            total += p1 - p0;
            continue;
        }
        if (a0 >= 0) {
            int64_t x0 = gx(g, a0), x1 = gx(g, a1);
            char d[32];
            if (x1 - x0 < 10)
                x1 = x0 + 10;
            fmt_us(d, sizeof(d), total);
            b_str(b, "<rect class=\"zw\" x=\"");
            b_coord(b, x0);
            b_printf(b, "\" y=\"%d\" width=\"", G_PT);
            b_coord(b, x1 - x0);
            b_printf(b, "\" height=\"%d\" fill=\"url(#hz%llu-%d)\"><title>"
                     "zero window advertised by the %s: %s</title></rect>",
                     G_PH, (unsigned long long)g->id, g->dir,
                     g->dir ? "client" : "server", d);
            r->info.elements++;
        }
        if (p0 < 0)
            break;
        a0 = p0;
        a1 = p1;
        total = p1 - p0;
    }
}

/* Axes, grid, ticks and labels. */
static void axes(struct render *r)
{
    const struct graph *g = r->g;
    struct buf *b = r->b;
    int64_t ticks[16], step, v, first;
    char lab[48];
    unsigned n, i;

    b_printf(b, "<rect class=\"fr\" x=\"%d\" y=\"%d\" width=\"%d\" "
             "height=\"%d\"/>", G_PL, G_PT, G_PW, G_PH);
    n = html_ticks(g->span, 10, ticks, &step);
    b_str(b, "<g class=\"ax\">");
    for (i = 0; i < n; i++) {
        int64_t x = gx(g, ticks[i]);
        b_str(b, "<path class=\"gl\" d=\"M");
        b_coord(b, x);
        b_printf(b, " %dV%d\"/>", G_PT, G_PT + G_PH + 5);
        html_time_label(lab, sizeof(lab), ticks[i], step);
        b_str(b, "<text x=\"");
        b_coord(b, x);
        b_printf(b, "\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                 G_PT + G_PH + 17, lab);
    }
    b_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">time since "
             "the session's first packet</text>", G_PL + G_PW / 2,
             G_PT + G_PH + 34);
    step = nice_step(g->ymax - g->ymin, 6);
    first = g->ymin >= 0 ? (g->ymin + step - 1) / step * step
                         : -((-g->ymin) / step * step);
    for (v = first, i = 0; v <= g->ymax && i < 12; v += step, i++) {
        int64_t y = gy(g, v);
        b_printf(b, "<path class=\"gl\" d=\"M%d ", G_PL - 5);
        b_coord(b, y);
        b_printf(b, "H%d\"/>", G_PL + G_PW);
        bytes_label(lab, sizeof(lab), v, step);
        b_printf(b, "<text x=\"%d\" y=\"", G_PL - 8);
        b_coord(b, y + 35);
        b_printf(b, "\" text-anchor=\"end\">%s</text>", lab);
    }
    b_printf(b, "<text x=\"12\" y=\"%d\" transform=\"rotate(-90 12 %d)\" "
             "text-anchor=\"middle\">relative sequence number</text>",
             G_PT + G_PH / 2, G_PT + G_PH / 2);
    b_str(b, "</g>");
}

static void graph_title(struct render *r)
{
    const struct graph *g = r->g;
    const struct session *s = g->s;
    struct buf *b = r->b;
    char from[80], to[80];

    fmt_endpoint(from, sizeof(from), s->family,
                 g->dir ? &s->server : &s->client);
    fmt_endpoint(to, sizeof(to), s->family, g->dir ? &s->client : &s->server);
    b_printf(b, "<text class=\"gt\" x=\"%d\" y=\"14\">", G_PL);
    b_printf(b, "%s %s &#8594; %s %s: %llu data segment%s (%llu B)",
             g->dir ? "server" : "client", from, g->dir ? "client" : "server",
             to, (unsigned long long)g->data_segs,
             g->data_segs == 1 ? "" : "s",
             (unsigned long long)g->data_bytes);
    if (g->rx_count > 0)
        b_printf(b, ", %llu retransmission%s (red)",
                 (unsigned long long)g->rx_count, g->rx_count == 1 ? "" : "s");
    if (g->packets == 0)
        b_str(b, "; no packet seen in this direction");
    b_str(b, "</text>");
    b_printf(b, "<text class=\"gs\" x=\"%d\" y=\"29\">", G_PL);
    if (g->scaled)
        b_printf(b, "receive window = ACK + window &#215; 2^%d", g->scale);
    else
        b_str(b, "receive window = ACK + window, not scaled (the SYNs did "
              "not both announce a window scale)");
    if (g->win_clipped)
        b_str(b, "; the window line leaves the plot at the top");
    if (r->level > 0)
        b_printf(b, "; bars merged in columns of %u px", 1u << r->level);
    if (s->seg_count < s->packets)
        b_printf(b, "; %llu packets not kept (LIMITS) not drawn",
                 (unsigned long long)(s->packets - s->seg_count));
    b_str(b, "</text>");
}

/* Render at one aggregation level; 0 if it fits both budgets. */
static int render_level(struct render *r)
{
    const struct graph *g = r->g;
    struct buf *b = r->b;
    struct group gd, grx, gm[5];
    size_t i;
    unsigned k;

    memset(&r->info, 0, sizeof(r->info));
    r->info.level = r->level;
    memset(&gd, 0, sizeof(gd));
    memset(&grx, 0, sizeof(grx));
    memset(gm, 0, sizeof(gm));
    b_printf(b, "<svg class=\"tsg\" viewBox=\"0 0 %d %d\" width=\"%d\" "
             "height=\"%d\" role=\"img\"><title>time-sequence graph, %s "
             "to %s</title>", G_W, G_H, G_W, G_H,
             g->dir ? "server" : "client", g->dir ? "client" : "server");
    b_printf(b, "<defs><pattern id=\"hz%llu-%d\" width=\"6\" height=\"6\" "
             "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)"
             "\"><rect width=\"6\" height=\"6\" fill=\"#f4ecd0\"/><path "
             "d=\"M0 0V6\" stroke=\"#8a7a4a\" stroke-width=\"2\"/></pattern>"
             "</defs>", (unsigned long long)g->id, g->dir);
    graph_title(r);
    axes(r);
    zero_windows(r);
    step_path(r, "win", "receive window: ACK + window", 1);
    step_path(r, "ack", "ACK", 0);
    sack_path(r);

    b_str(b, "<g class=\"bars\">");
    for (i = 0; i < g->nit && r->info.elements <= HTML_GRAPH_ELEMS; i++) {
        const struct gitem *it = &g->it[i];
        int64_t x, top, bot;
        if (it->kind != IT_DATA)
            continue;
        x = gx(g, it->t);
        bar_of(g, it, &top, &bot);
        if (gd.open && col_of(r, x) == gd.col && top <= gd.bot + 10 &&
            bot >= gd.top - 10) {
            group_add(&gd, it, top, bot);
            continue;
        }
        flush_data(r, &gd);
        group_start(&gd, r, it, x, top, bot);
    }
    flush_data(r, &gd);
    b_str(b, "</g><g class=\"rxs\">");
    for (i = 0; i < g->nit && r->info.elements <= HTML_GRAPH_ELEMS; i++) {
        const struct gitem *it = &g->it[i];
        int64_t x, top, bot;
        if (it->kind != IT_RX)
            continue;
        x = gx(g, it->t);
        bar_of(g, it, &top, &bot);
        if (grx.open && col_of(r, x) == grx.col &&
            (r->level >= 4 || (top <= grx.bot + 10 && bot >= grx.top - 10))) {
            group_add(&grx, it, top, bot);
            continue;
        }
        flush_rx(r, &grx);
        group_start(&grx, r, it, x, top, bot);
    }
    flush_rx(r, &grx);
    b_str(b, "</g><g class=\"evs\">");
    for (i = 0; i < g->nit && r->info.elements <= HTML_GRAPH_ELEMS; i++) {
        const struct gitem *it = &g->it[i];
        struct group *gr;
        int64_t x, y;
        if (it->kind < IT_SYN)
            continue;
        gr = &gm[it->kind];
        x = gx(g, it->t);
        y = gy(g, it->y0);
        if (gr->open && col_of(r, x) == gr->col &&
            (r->level >= 4 || (y >= gr->top - 40 && y <= gr->bot + 40))) {
            group_add(gr, it, y, y);
            continue;
        }
        flush_marker(r, gr, it->kind);
        group_start(gr, r, it, x, y, y);
    }
    for (k = IT_SYN; k <= IT_RST; k++)
        flush_marker(r, &gm[k], k);
    b_str(b, "</g></svg>");
    r->info.bytes = b->len;
    return b->over || r->info.elements > HTML_GRAPH_ELEMS;
}

/* Collect one direction's items from the session's segments. */
static void collect(struct graph *g, const struct segment *const *segs,
                   size_t n, const struct rxinfo *rx)
{
    const struct session *s = g->s;
    struct unwrap u;
    int64_t t0 = s->first_us, t1 = s->last_us, dmax, dmin, wmax;
    int ws[2] = { -1, -1 };
    size_t i;
    int have_base = 0, k;
    unsigned o;

    for (i = 0; i < n; i++) {
        if (segs[i]->ts_us < t0)
            t0 = segs[i]->ts_us;
        if (segs[i]->ts_us > t1)
            t1 = segs[i]->ts_us;
        if (segs[i]->flags & TH_SYN)
            ws[(segs[i]->bits & SEG_FROM_SERVER) ? 1 : 0] =
                syn_wscale(segs[i]);
    }
    g->span = t1 - t0 > 0 ? t1 - t0 : 1000;
    g->t_end = t1 - t0;
    g->scaled = ws[0] >= 0 && ws[1] >= 0;
    g->scale = g->scaled ? ws[!g->dir] : 0;
    for (k = 0; k < RX_COUNT; k++)
        g->rx_dir[k] = s->diag.d[g->dir].rexmit[k];

    /* The base: the direction's first sequence number, else the first
     * ACK the peer sent. */
    memset(&u, 0, sizeof(u));
    for (i = 0; i < n && !have_base; i++)
        if (((segs[i]->bits & SEG_FROM_SERVER) ? 1 : 0) == g->dir) {
            u.ref = segs[i]->seq;
            have_base = 1;
        }
    for (i = 0; i < n && !have_base; i++)
        if (segs[i]->flags & TH_ACK) {
            u.ref = segs[i]->ack;
            have_base = 1;
        }
    dmin = 0;
    dmax = 1;
    wmax = 0;
    for (i = 0; i < n; i++) {
        const struct segment *seg = segs[i];
        int d = (seg->bits & SEG_FROM_SERVER) ? 1 : 0;
        int64_t t = seg->ts_us - t0;
        if (d == g->dir) {
            unsigned pay = payload_of(seg);
            g->packets++;
            int64_t y = unwrap(&u, seg->seq);
            int syn = (seg->flags & TH_SYN) != 0;
            struct gitem *it;
            if (rx[i].is_rx || pay > 0) {
                it = &g->it[g->nit++];
                memset(it, 0, sizeof(*it));
                it->t = t;
                it->num = seg->num;
                it->flags = seg->flags;
                if (rx[i].is_rx) {
                    it->kind = IT_RX;
                    it->y0 = y;
                    it->y1 = y + seg->seq_len;
                    it->cls = rx[i].cls;
                    it->since_us = rx[i].since_us;
                    it->reported = rx[i].reported;
                    g->rx_count++;
                } else {
                    it->kind = IT_DATA;
                    it->y0 = y + syn;
                    it->y1 = it->y0 + pay;
                }
                if (pay > 0 && !rx[i].is_rx) {
                    g->data_bytes += pay;
                    g->data_segs++;
                }
                if (it->y0 < dmin)
                    dmin = it->y0;
                if (it->y1 > dmax)
                    dmax = it->y1;
            }
            if (seg->flags & (TH_SYN | TH_FIN | TH_RST)) {
                static const uint8_t fl[3] = { TH_SYN, TH_FIN, TH_RST };
                static const uint8_t kd[3] = { IT_SYN, IT_FIN, IT_RST };
                for (k = 0; k < 3; k++) {
                    if (!(seg->flags & fl[k]))
                        continue;
                    it = &g->it[g->nit++];
                    memset(it, 0, sizeof(*it));
                    it->t = t;
                    it->num = seg->num;
                    it->kind = kd[k];
                    it->flags = seg->flags;
                    it->y0 = it->y1 = kd[k] == IT_FIN ? y + syn + pay : y;
                    if (it->y0 < dmin)
                        dmin = it->y0;
                    if (it->y0 > dmax)
                        dmax = it->y0;
                }
            }
        } else if ((seg->flags & TH_ACK) && !(seg->flags & TH_RST)) {
            struct gack *a = &g->ack[g->nack++];
            uint32_t w = seg->window;
            a->t = t;
            a->ack = unwrap(&u, seg->ack);
            if (!(seg->flags & TH_SYN) && g->scaled)
                w = (uint32_t)seg->window << g->scale;
            a->win = a->ack + w;
            a->zero = !(seg->flags & TH_SYN) && seg->window == 0;
            if (a->ack < dmin)
                dmin = a->ack;
            if (a->ack > dmax)
                dmax = a->ack;
            if (a->win > wmax)
                wmax = a->win;
            /* SACK blocks (kind 5) */
            for (o = 0; o < seg->optlen && seg->opts[o] != 0;) {
                unsigned olen, blk;
                if (seg->opts[o] == 1) {
                    o++;
                    continue;
                }
                if (o + 1 >= seg->optlen || (olen = seg->opts[o + 1]) < 2 ||
                    o + olen > seg->optlen)
                    break;
                if (seg->opts[o] == 5)
                    for (blk = o + 2; blk + 8 <= o + olen; blk += 8) {
                        const uint8_t *p = seg->opts + blk;
                        uint32_t l = (uint32_t)p[0] << 24 |
                                     (uint32_t)p[1] << 16 |
                                     (uint32_t)p[2] << 8 | p[3];
                        uint32_t rr = (uint32_t)p[4] << 24 |
                                      (uint32_t)p[5] << 16 |
                                      (uint32_t)p[6] << 8 | p[7];
                        struct gsack *sk = &g->sack[g->nsack++];
                        sk->t = t;
                        sk->l = unwrap(&u, l);
                        sk->r = sk->l + (int32_t)(rr - l);
                        if (sk->r < sk->l) {
                            int64_t tmp = sk->l;
                            sk->l = sk->r;
                            sk->r = tmp;
                        }
                        if (sk->l < dmin)
                            dmin = sk->l;
                        if (sk->r > dmax)
                            dmax = sk->r;
                    }
                o += olen;
            }
        }
    }
    g->ymin = dmin;
    g->ymax = dmax + (dmax - dmin) / 20 + 1;
    if (wmax > g->ymax) {
        if (wmax - dmin <= 2 * (dmax - dmin) + 2)
            g->ymax = wmax + 1;
        else
            g->win_clipped = 1;
    }
    if (g->ymax <= g->ymin)
        g->ymax = g->ymin + 1;
}

/* Scratch memory for a graph: grows to the largest session seen. */
struct scratch {
    struct gitem *it;
    struct gack *ack;
    struct gsack *sack;
    struct rxinfo *rx;
    size_t cap;             /* segments */
};

static int scratch_fit(struct scratch *sc, size_t n)
{
    void *a, *b, *c, *d;

    if (n <= sc->cap)
        return 0;
    if (n < 64)
        n = 64;
    /* each segment: a bar or copy, up to 3 markers; an ACK; 4 SACKs */
    a = realloc(sc->it, n * 4 * sizeof(*sc->it));
    if (a != NULL)
        sc->it = a;
    b = realloc(sc->ack, n * sizeof(*sc->ack));
    if (b != NULL)
        sc->ack = b;
    c = realloc(sc->sack, n * 4 * sizeof(*sc->sack));
    if (c != NULL)
        sc->sack = c;
    d = realloc(sc->rx, n * sizeof(*sc->rx));
    if (d != NULL)
        sc->rx = d;
    if (a == NULL || b == NULL || c == NULL || d == NULL)
        return -1;
    sc->cap = n;
    return 0;
}

static size_t graph_with(struct scratch *sc, char *out, size_t size,
                         const struct config *cfg, const struct session *s,
                         const struct segment *const *segs, size_t n,
                         int dir, int replayed, struct html_graph_info *info)
{
    struct graph g;
    struct render r;
    struct buf b;

    if (info != NULL)
        memset(info, 0, sizeof(*info));
    if (scratch_fit(sc, n) < 0)
        return 0;
    if (!replayed)
        replay(cfg, s, segs, n, sc->rx);
    memset(&g, 0, sizeof(g));
    g.cfg = cfg;
    g.s = s;
    g.dir = dir;
    g.id = s->id;
    g.it = sc->it;
    g.ack = sc->ack;
    g.sack = sc->sack;
    collect(&g, segs, n, sc->rx);
    memset(&r, 0, sizeof(r));
    r.g = &g;
    r.b = &b;
    for (r.level = 0; r.level <= 12; r.level++) {
        b_init(&b, out, size);
        r.titles = g.nit <= PLAIN_TITLES_MAX;
        if (render_level(&r) == 0)
            break;
        if (r.titles && !b.over && r.info.elements <= HTML_GRAPH_ELEMS)
            break;
    }
    if (b.over || r.level > 12) {
        if (size > 0)
            out[0] = '\0';
        return 0;
    }
    if (info != NULL)
        *info = r.info;
    return b.len;
}

size_t html_graph(char *out, size_t size, const struct config *cfg,
                  const struct session *s, const struct segment *const *segs,
                  size_t n, int dir, struct html_graph_info *info)
{
    struct scratch sc;
    size_t len;

    memset(&sc, 0, sizeof(sc));
    len = graph_with(&sc, out, size, cfg, s, segs, n, dir, 0, info);
    free(sc.it);
    free(sc.ack);
    free(sc.sack);
    free(sc.rx);
    return len;
}

/* ---- sections and the worst-N heap -------------------------------------- */

struct key {
    uint8_t flagged;
    uint8_t nreasons;
    uint64_t rx;
    int64_t silence;
    uint64_t id;
};

/* Does `a` rank before (is worse than) `b`? */
static int worse(const struct key *a, const struct key *b)
{
    if (a->flagged != b->flagged)
        return a->flagged > b->flagged;
    if (a->nreasons != b->nreasons)
        return a->nreasons > b->nreasons;
    if (a->rx != b->rx)
        return a->rx > b->rx;
    if (a->silence != b->silence)
        return a->silence > b->silence;
    return a->id < b->id;
}

struct section {
    struct key k;
    char *html;
    size_t len;
    char toc[TOC_ROW_MAX];  /* its row in the table of contents */
};

struct html_report {
    const struct config *cfg;
    FILE *fp;
    char *path;
    unsigned max;
    unsigned n;
    struct section *heap;       /* root: the least bad kept */
    char *sbuf;                 /* a section being rendered */
    char *text;                 /* printer_session_text */
    char *gbuf;                 /* one graph */
    const struct segment **segs;
    size_t segs_cap;
    struct scratch sc;
    uint64_t offered;           /* shown sessions seen */
    uint64_t cut;               /* sections cut to fit */
};

static void key_of(struct key *k, const struct session *s)
{
    unsigned i;

    memset(k, 0, sizeof(*k));
    k->flagged = (uint8_t)(session_is_flagged(s) != 0);
    for (i = 0; i < REASON_COUNT; i++)
        if ((s->reasons & (1u << i)) && (1u << i) != REASON_TRUNCATED)
            k->nreasons++;
    k->rx = (uint64_t)s->facts.retransmits[0] + s->facts.retransmits[1];
    k->silence = s->facts.max_gap_us;
    k->id = s->id;
}

static void heap_swap(struct section *a, struct section *b)
{
    struct section t = *a;

    *a = *b;
    *b = t;
}

static void sift_up(struct section *h, unsigned i)
{
    while (i > 0) {
        unsigned p = (i - 1) / 2;
        if (!worse(&h[p].k, &h[i].k))
            break;
        heap_swap(&h[p], &h[i]);
        i = p;
    }
}

static void sift_down(struct section *h, unsigned n, unsigned i)
{
    for (;;) {
        unsigned l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && worse(&h[m].k, &h[l].k))
            m = l;
        if (r < n && worse(&h[m].k, &h[r].k))
            m = r;
        if (m == i)
            return;
        heap_swap(&h[m], &h[i]);
        i = m;
    }
}

struct html_report *html_new(const struct config *cfg, unsigned max_sessions,
                             const char *path, char errbuf[HTML_ERRBUF_SIZE])
{
    struct html_report *h = calloc(1, sizeof(*h));

    if (max_sessions == 0)
        max_sessions = HTML_MAX_DEFAULT;
    if (max_sessions > HTML_MAX_LIMIT)
        max_sessions = HTML_MAX_LIMIT;
    if (h == NULL)
        goto oom;
    h->cfg = cfg;
    h->max = max_sessions;
    h->heap = calloc(max_sessions, sizeof(*h->heap));
    h->sbuf = malloc(HTML_SECTION_MAX);
    h->text = malloc(TEXT_RAW_MAX);
    h->gbuf = malloc(HTML_GRAPH_MAX);
    if (h->heap == NULL || h->sbuf == NULL || h->text == NULL ||
        h->gbuf == NULL)
        goto oom;
    if (path != NULL) {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0 || (h->fp = fdopen(fd, "w")) == NULL) {
            snprintf(errbuf, HTML_ERRBUF_SIZE, "cannot open %s: %s", path,
                     strerror(errno));
            if (fd >= 0)
                close(fd);
            html_free(h);
            return NULL;
        }
        h->path = strdup(path);
        if (h->path == NULL)
            goto oom;
    }
    return h;
oom:
    snprintf(errbuf, HTML_ERRBUF_SIZE, "out of memory for the HTML report");
    html_free(h);
    return NULL;
}

void html_free(struct html_report *h)
{
    unsigned i;

    if (h == NULL)
        return;
    if (h->fp != NULL)
        fclose(h->fp);
    for (i = 0; i < h->n; i++)
        free(h->heap[i].html);
    free(h->heap);
    free(h->sbuf);
    free(h->text);
    free(h->gbuf);
    free(h->segs);
    free(h->sc.it);
    free(h->sc.ack);
    free(h->sc.sack);
    free(h->sc.rx);
    free(h->path);
    free(h);
}

/* The legend: one sample of each mark, with its name. */
static void legend(struct buf *b, uint64_t id)
{
    unsigned long long n = (unsigned long long)id;

    b_printf(b, "<svg class=\"lg\" viewBox=\"0 0 1200 26\" width=\"1200\" "
             "height=\"26\" role=\"img\"><title>legend</title><defs>"
             "<pattern id=\"hzlg%llu\" width=\"6\" height=\"6\" "
             "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)"
             "\"><rect width=\"6\" height=\"6\" fill=\"#f4ecd0\"/><path "
             "d=\"M0 0V6\" stroke=\"#8a7a4a\" stroke-width=\"2\"/>"
             "</pattern></defs><g class=\"lgd\">", n);
    b_str(b, "<path class=\"d\" d=\"M10 20V6\"/><text x=\"18\" y=\"17\">"
          "data segment</text>"
          "<path class=\"rb\" d=\"M120 22V8\"/><path class=\"rm\" "
          "d=\"M120 0l4 4l-4 4l-4-4z\"/><text x=\"130\" y=\"17\">"
          "retransmission (dashed, diamond)</text>"
          "<path class=\"ack\" d=\"M340 16H360V10H380\"/><text x=\"386\" "
          "y=\"17\">ACK</text>"
          "<path class=\"win\" d=\"M430 12H470\"/><text x=\"476\" y=\"17\">"
          "receive window</text>"
          "<path class=\"sack\" d=\"M590 20V8\"/><text x=\"598\" y=\"17\">"
          "SACK block</text>");
    b_printf(b, "<rect x=\"680\" y=\"5\" width=\"24\" height=\"16\" "
             "fill=\"url(#hzlg%llu)\"/><text x=\"710\" y=\"17\">zero "
             "window</text>", n);
    b_str(b, "<g class=\"ev syn\"><path d=\"M810 7l6 10h-12z\"/></g>"
          "<text x=\"822\" y=\"17\">SYN</text>"
          "<g class=\"ev fin\"><path d=\"M865.5 8.5h9v9h-9z\"/></g>"
          "<text x=\"880\" y=\"17\">FIN</text>"
          "<g class=\"ev rst\"><path d=\"M925 8l10 10m0-10l-10 10\"/></g>"
          "<text x=\"941\" y=\"17\">RST</text>"
          "</g></svg>");
}

static void section_graphs(struct html_report *h, struct buf *b,
                           const struct session *s, size_t n)
{
    int dir;

    replay(h->cfg, s, h->segs, n, h->sc.rx);
    for (dir = 0; dir < 2; dir++) {
        size_t len = graph_with(&h->sc, h->gbuf, HTML_GRAPH_MAX, h->cfg, s,
                                h->segs, n, dir, 1, NULL);
        b_str(b, "<figure>");
        if (len > 0)
            b_mem(b, h->gbuf, len);
        else
            b_printf(b, "<p class=\"note\">The %s graph did not fit in "
                     "%u KiB and is left out.</p>",
                     dir ? "server-to-client" : "client-to-server",
                     HTML_GRAPH_MAX / 1024);
        b_str(b, "</figure>");
    }
}

/* The section of a session: into h->sbuf; returns its length. */
static size_t render_section(struct html_report *h, struct printer *pr,
                             const struct tracker *tr, struct session *s,
                             enum session_end_kind kind, int64_t now_us,
                             size_t nseg)
{
    struct buf b;
    char client[80], server[80], reasons[160], diag[1024], dur[32];
    size_t tlen = 0, nl;
    const char *eol;
    int64_t d = s->last_us - s->first_us;

    b_init(&b, h->sbuf, SECTION_BODY_MAX);
    fmt_endpoint(client, sizeof(client), s->family, &s->client);
    fmt_endpoint(server, sizeof(server), s->family, &s->server);
    fmt_reasons(reasons, sizeof(reasons), s->reasons);
    b_printf(&b, "<section class=\"sess\" id=\"s%llu\"><h3>Session %04llu: "
             "%s == %s", (unsigned long long)s->id,
             (unsigned long long)s->id, client, server);
    if (s->flags & SESS_MIDSTREAM)
        b_str(&b, " (mid-stream)");
    if (reasons[0])
        b_printf(&b, " <span class=\"why\">[%s]</span>", reasons);
    b_str(&b, "</h3>");
    if (pr != NULL && tr != NULL)
        tlen = printer_session_text(pr, tr, s, kind, now_us, h->text,
                                    TEXT_RAW_MAX);
    /* the header line, as printed */
    if (tlen > 0) {
        eol = memchr(h->text, '\n', tlen);
        nl = eol != NULL ? (size_t)(eol - h->text) : tlen;
        b_str(&b, "<pre class=\"hdr\">");
        b_esc(&b, h->text, nl);
        b_str(&b, "</pre>");
    }
    if (diag_summary(s, h->cfg, diag, sizeof(diag)) > 0) {
        b_printf(&b, "<p class=\"diag\"><b>Diagnosis:</b> %04llu: ",
                 (unsigned long long)s->id);
        b_escs(&b, diag);
        b_str(&b, "</p>");
    }
    fmt_us(dur, sizeof(dur), d);
    b_printf(&b, "<p class=\"facts\">Ended: %s; conn_state %s; client %s, "
             "server %s; %llu packets (client %llu, server %llu), %s; "
             "retransmissions reported: client %u, server %u",
             end_kind_name(kind), conn_state_name(conn_state_of(s)),
             tcp_state_name((enum tcp_state)s->client_state),
             tcp_state_name((enum tcp_state)s->server_state),
             (unsigned long long)s->packets,
             (unsigned long long)s->facts.packets[0],
             (unsigned long long)s->facts.packets[1], dur,
             s->facts.retransmits[0], s->facts.retransmits[1]);
    if (s->facts.max_gap_us > 0) {
        fmt_us(dur, sizeof(dur), s->facts.max_gap_us);
        b_printf(&b, "; longest silence %s", dur);
    }
    b_str(&b, ".</p>");
    if (tlen > 0) {
        size_t lines = 0, i, shown = 0, start = b.len;
        for (i = 0; i < tlen; i++)
            lines += h->text[i] == '\n';
        b_printf(&b, "<details><summary>miruo text (%llu lines)</summary>"
                 "<pre class=\"txt\">", (unsigned long long)lines);
        /* line by line, within HTML_TEXT_MAX */
        for (i = 0; i < tlen;) {
            size_t len0 = b.len;
            eol = memchr(h->text + i, '\n', tlen - i);
            nl = eol != NULL ? (size_t)(eol - h->text) + 1 - i : tlen - i;
            b_esc(&b, h->text + i, nl);
            if (b.over || b.len - start > HTML_TEXT_MAX) {
                b.over = 0;
                b.len = len0;
                b.p[b.len] = '\0';
                b_printf(&b, "[%llu more lines left out: the text is cut "
                         "at %u KiB here; miruo's standard output has it "
                         "all]\n", (unsigned long long)(lines - shown),
                         HTML_TEXT_MAX / 1024);
                h->cut++;
                break;
            }
            shown++;
            i += nl;
        }
        b_str(&b, "</pre></details>");
    }
    if (nseg > 0)
        section_graphs(h, &b, s, nseg);
    else
        b_str(&b, "<p class=\"note\">No stored packets to draw.</p>");
    legend(&b, s->id);
    b_str(&b, "</section>\n");
    if (b.over) {
        /* cannot happen with the budgets above; keep a valid section */
        b_init(&b, h->sbuf, SECTION_BODY_MAX);
        b_printf(&b, "<section class=\"sess\" id=\"s%llu\"><h3>Session "
                 "%04llu</h3><p class=\"note\">The section did not fit in "
                 "%u KiB.</p></section>\n", (unsigned long long)s->id,
                 (unsigned long long)s->id, HTML_SECTION_MAX / 1024);
        h->cut++;
    }
    return b.len;
}

void html_session(struct html_report *h, struct printer *pr,
                  const struct tracker *tr, struct session *s,
                  enum session_end_kind kind, int64_t now_us)
{
    struct key k;
    struct section *slot;
    size_t n = 0, len;
    uint32_t idx;
    char *copy, client[80], server[80], reasons[160];
    int replaced;

    if (h == NULL)
        return;
    h->offered++;
    key_of(&k, s);
    if (h->n == h->max && !worse(&k, &h->heap[0].k))
        return;                 /* not among the worst N: not rendered */
    if (tr != NULL) {
        if (s->seg_count > h->segs_cap) {
            size_t cap = s->seg_count + 64;
            const struct segment **p = realloc(h->segs, cap * sizeof(*p));
            if (p == NULL)
                return;
            h->segs = p;
            h->segs_cap = cap;
        }
        if (scratch_fit(&h->sc, s->seg_count) < 0)
            return;
        for (idx = s->seg_head; idx != SEG_NONE && n < h->segs_cap;) {
            const struct segment *seg = tracker_segment(tr, idx);
            h->segs[n++] = seg;
            idx = seg->next;
        }
    }
    len = render_section(h, pr, tr, s, kind, now_us, n);
    copy = malloc(len + 1);
    if (copy == NULL)
        return;
    memcpy(copy, h->sbuf, len + 1);
    replaced = h->n == h->max;
    if (!replaced) {
        slot = &h->heap[h->n++];
    } else {
        slot = &h->heap[0];
        free(slot->html);
    }
    slot->k = k;
    slot->html = copy;
    slot->len = len;
    fmt_endpoint(client, sizeof(client), s->family, &s->client);
    fmt_endpoint(server, sizeof(server), s->family, &s->server);
    fmt_reasons(reasons, sizeof(reasons), s->reasons);
    snprintf(slot->toc, sizeof(slot->toc), "<tr><td><a href=\"#s%llu\">"
             "%04llu</a></td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
             (unsigned long long)s->id, (unsigned long long)s->id, client,
             server, reasons);
    if (replaced)
        sift_down(h->heap, h->n, 0);
    else
        sift_up(h->heap, (unsigned)(slot - h->heap));
}

static int by_worst(const void *a, const void *b)
{
    const struct section *x = *(const struct section *const *)a;
    const struct section *y = *(const struct section *const *)b;

    if (worse(&x->k, &y->k))
        return -1;
    return worse(&y->k, &x->k) ? 1 : 0;
}

/* The kept sections, worst first (an array of h->n pointers). */
static const struct section **sorted_sections(const struct html_report *h)
{
    const struct section **v = malloc((h->n + 1) * sizeof(*v));
    unsigned i;

    if (v == NULL)
        return NULL;
    for (i = 0; i < h->n; i++)
        v[i] = &h->heap[i];
    qsort(v, h->n, sizeof(*v), by_worst);
    return v;
}

size_t html_section_ids(const struct html_report *h, uint64_t *ids,
                        size_t max)
{
    const struct section **v = sorted_sections(h);
    size_t i, n = h->n < max ? h->n : max;

    if (v == NULL)
        return 0;
    for (i = 0; i < n; i++)
        ids[i] = v[i]->k.id;
    free(v);
    return n;
}

/* ---- the page ------------------------------------------------------------- */

static const char page_css[] =
"body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
"color:#1a1a1a;background:#fff;margin:0 auto;padding:8px 16px;"
"max-width:1232px}\n"
"h1{font-size:22px;margin:8px 0}h2{font-size:18px;margin:24px 0 8px;"
"border-bottom:2px solid #333}h3{font-size:15px;margin:8px 0;"
"font-family:ui-monospace,Menlo,Consolas,monospace}\n"
"table{border-collapse:collapse;margin:6px 0 12px}"
"th,td{border:1px solid #bbb;padding:2px 8px;text-align:left;"
"vertical-align:top}th{background:#eee}td.n{text-align:right;"
"font-variant-numeric:tabular-nums}\n"
"caption{text-align:left;font-weight:bold;padding:4px 0}\n"
".grid{display:flex;flex-wrap:wrap;gap:0 28px;align-items:flex-start}\n"
"pre{font:12px/1.3 ui-monospace,Menlo,Consolas,monospace;margin:4px 0;"
"overflow-x:auto}pre.hdr{background:#f6f6f6;padding:4px}\n"
".why{color:#b00000}.note{color:#555;font-style:italic}"
".verdict{font-weight:bold}\n"
"section.sess{border-top:1px solid #999;margin-top:18px;padding-top:4px}"
"\nfigure{margin:6px 0}details summary{cursor:pointer;color:#234}\n"
"svg.tsg,svg.lg{display:block;width:100%;height:auto;max-width:1200px}\n"
"svg.tsg text,svg.lg text{font:11px sans-serif;fill:#222}"
"svg.tsg text.gt{font-size:13px;font-weight:bold}"
"svg.tsg text.gs{fill:#444}\n"
".fr{fill:#fff;stroke:#444}.gl{stroke:#ddd;stroke-width:1}\n"
".d{stroke:#1f5fa8;stroke-width:2;fill:none}\n"
".rb{stroke:#d62728;stroke-width:3;stroke-dasharray:4 2;fill:none}"
".rm{fill:#d62728;stroke:#000;stroke-width:.6}\n"
".ack{fill:none;stroke:#2a8a2a;stroke-width:1.5}"
".win{fill:none;stroke:#8c6d00;stroke-width:1.2;stroke-dasharray:7 3}\n"
".sack{stroke:#8050c0;stroke-width:4;fill:none;opacity:.85}\n"
".ev path{fill:#222;stroke:#222;stroke-width:1}"
".ev.fin path{fill:#fff;stroke-width:1.5}"
".ev.rst path{fill:none;stroke-width:2.2}\n"
"@media print{body{max-width:none;padding:0;font-size:10pt}"
"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
"section.sess,figure,table{break-inside:avoid}"
"pre{white-space:pre-wrap;font-size:7pt}nav{display:none}}\n";

struct page {
    FILE *fp;
    int err;
};

static void p_str(struct page *p, const char *s)
{
    if (fputs(s, p->fp) == EOF)
        p->err = 1;
}

static void PRINTF_LIKE(2, 3) p_printf(struct page *p, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (vfprintf(p->fp, fmt, ap) < 0)
        p->err = 1;
    va_end(ap);
}

static void p_esc(struct page *p, const char *s)
{
    char tmp[1024];
    size_t n = strlen(s), need;

    need = html_escape(tmp, sizeof(tmp), s, n);
    if (need < sizeof(tmp)) {
        p_str(p, tmp);
        return;
    }
    /* long text: escape in pieces at character boundaries */
    while (n > 0) {
        size_t k = n < 128 ? n : 128;
        while (k < n && ((unsigned char)s[k] & 0xC0) == 0x80)
            k++;
        html_escape(tmp, sizeof(tmp), s, k);
        p_str(p, tmp);
        s += k;
        n -= k;
    }
}

static void fmt_time(char *buf, size_t size, int64_t us)
{
    time_t t = (time_t)(us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000));
    struct tm tm;
    int64_t frac = us - (int64_t)t * 1000000;

    if (gmtime_r(&t, &tm) == NULL) {
        snprintf(buf, size, "?");
        return;
    }
    snprintf(buf, size, "%04d-%02d-%02d %02d:%02d:%02d.%06lld UTC",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec, (long long)frac);
}

static void row_u(struct page *p, const char *label, uint64_t v)
{
    p_printf(p, "<tr><th>%s</th><td class=\"n\">%llu</td></tr>\n", label,
             (unsigned long long)v);
}

static void row_s(struct page *p, const char *label, const char *v)
{
    p_printf(p, "<tr><th>%s</th><td>", label);
    p_esc(p, v);
    p_str(p, "</td></tr>\n");
}

static void capture_summary(struct page *p, const struct html_report *h,
                            const struct stats *st,
                            const struct capture_counts *cc)
{
    const struct config *cfg = h->cfg;
    char a[96], b[96];

    p_str(p, "<h2 id=\"summary\">Capture summary</h2>\n<div class=\"grid\">"
          "<table class=\"kv\"><caption>Capture</caption>\n");
    if (cfg != NULL) {
        if (cfg->file != NULL)
            row_s(p, "Source", cfg->file);
        else
            row_s(p, "Source (live)", cfg->device ? cfg->device
                                                  : "first usable device");
        row_s(p, "Filter", cfg->filter ? cfg->filter : "(none)");
    }
    if (st != NULL && st->have_time) {
        fmt_time(a, sizeof(a), st->first_us);
        row_s(p, "First packet", a);
        fmt_time(a, sizeof(a), st->now_us);
        row_s(p, "Last packet", a);
        fmt_us(a, sizeof(a), st->now_us - st->first_us);
        row_s(p, "Capture time", a);
    }
    if (st != NULL) {
        row_u(p, "Packets read", st->packets);
        row_u(p, "TCP packets", st->tcp_packets);
        p_str(p, "</table>\n<table class=\"kv\"><caption>Sessions and "
              "lookups</caption>\n");
        row_u(p, "Sessions", st->sessions_total);
        row_u(p, "Sessions shown (Lookup)", st->sessions_shown);
        row_u(p, "Long connections (-T)", st->long_connect);
        row_u(p, "Long-delay packets (-t)", st->long_delay);
        row_u(p, "Retransmissions reported", st->retransmit);
        row_u(p, "Timeouts", st->timeout);
        row_u(p, "Error breaks (duplicate connection)", st->error_break);
        row_u(p, "RSTs", st->rst);
        row_u(p, "Fragment packets", st->fragment);
        p_str(p, "</table>\n<table class=\"kv\"><caption>Limits and "
              "losses</caption>\n");
        row_u(p, "Peak active sessions", st->active_sessions_max);
        row_u(p, "Peak stored segments", st->active_segments_max);
        row_u(p, "DropSession (-L full)", st->drop_session);
        row_u(p, "DropSegment (-l full)", st->drop_segment);
        snprintf(a, sizeof(a), "%llu (L2 %llu, IP %llu, TCP %llu)",
                 (unsigned long long)(st->err_l2 + st->err_ip + st->err_tcp),
                 (unsigned long long)st->err_l2,
                 (unsigned long long)st->err_ip,
                 (unsigned long long)st->err_tcp);
        row_s(p, "Malformed headers", a);
    }
    if (cc != NULL) {
        row_u(p, "Received by the capture (live)", cc->recv);
        row_u(p, "Kernel drops", cc->drop);
        row_u(p, "Interface drops", cc->ifdrop);
    }
    if (cfg != NULL) {
        snprintf(a, sizeof(a), "-t %u ms, -T %u ms, -r %u ms",
                 cfg->long_delay_ms, cfg->long_connect_ms,
                 cfg->retransmit_ms);
        row_s(p, "Thresholds", a);
        snprintf(b, sizeof(b), "-L %u, -l %u (0 = unlimited)",
                 cfg->session_limit, cfg->segment_limit);
        row_s(p, "Limits", b);
    }
    snprintf(a, sizeof(a), "%u of %llu shown sessions (--html-max=%u), "
             "worst first", h->n, (unsigned long long)h->offered, h->max);
    row_s(p, "Sessions drawn below", a);
    p_str(p, "</table></div>\n");
}

static int have_section(const struct html_report *h, uint64_t id)
{
    unsigned i;

    for (i = 0; i < h->n; i++)
        if (h->heap[i].k.id == id)
            return 1;
    return 0;
}

static void top_table(struct page *p, const struct html_report *h,
                      const struct report *rep, enum report_top which)
{
    static const char *const title[TOP_COUNT] = {
        "Worst sessions by stall (longest silence)",
        "Worst sessions by retransmissions",
        "Worst sessions by handshake RTT"
    };
    static const char *const head[TOP_COUNT] = {
        "stall", "retransmissions", "handshake RTT"
    };
    struct report_row rows[REPORT_TOP_MAX];
    char v[48], c[80], s[80], reasons[160], detail[128];
    size_t n = report_top_rows(rep, which, rows, REPORT_TOP_MAX), i;

    p_printf(p, "<table class=\"top\"><caption>%s</caption>\n<tr><th>"
             "session</th><th>%s</th><th>client</th><th>server</th><th>"
             "conn_state</th><th>detail</th><th>reasons</th></tr>\n",
             title[which], head[which]);
    if (n == 0)
        p_str(p, "<tr><td colspan=\"7\">(none)</td></tr>\n");
    for (i = 0; i < n; i++) {
        const struct report_row *e = &rows[i];
        detail[0] = '\0';
        switch (which) {
        case TOP_RETRANSMIT:
            snprintf(v, sizeof(v), "%llu", (unsigned long long)e->value);
            snprintf(detail, sizeof(detail),
                     "client %llu, server %llu; %llu %s",
                     (unsigned long long)e->split[0],
                     (unsigned long long)e->split[1],
                     (unsigned long long)e->value2,
                     e->value2 == 1 ? "copy" : "copies");
            break;
        case TOP_STALL:
            fmt_us(v, sizeof(v), (int64_t)e->value);
            snprintf(detail, sizeof(detail), "%s at %s",
                     stall_cause_name((enum stall_cause)e->split[0]),
                     e->split[1] ? "server" : "client");
            break;
        default:
            fmt_us(v, sizeof(v), (int64_t)e->value);
            break;
        }
        fmt_endpoint(c, sizeof(c), e->family, &e->client);
        fmt_endpoint(s, sizeof(s), e->family, &e->server);
        fmt_reasons(reasons, sizeof(reasons), e->reasons);
        if (have_section(h, e->id))
            p_printf(p, "<tr><td><a href=\"#s%llu\">%04llu</a></td>",
                     (unsigned long long)e->id, (unsigned long long)e->id);
        else
            p_printf(p, "<tr><td>%04llu</td>", (unsigned long long)e->id);
        p_printf(p, "<td class=\"n\">%s</td><td>%s</td><td>%s</td><td>%s"
                 "</td><td>%s</td><td>%s</td></tr>\n", v, c, s,
                 conn_state_name((enum conn_state)e->state), detail,
                 reasons);
    }
    p_str(p, "</table>\n");
}

static void triage(struct page *p, const struct html_report *h,
                   const struct report *rep, const struct stats *st,
                   const struct capture_counts *cc)
{
    struct report_counts c;
    char *health, *line, *next;
    unsigned i;
    int any = 0;

    report_get_counts(rep, &c);
    p_str(p, "<h2 id=\"triage\">Triage report</h2>\n<div class=\"grid\">"
          "<table class=\"kv\"><caption>Sessions</caption>\n");
    row_u(p, "Ended", c.sessions);
    row_u(p, "Shown", c.shown);
    row_u(p, "Flagged", c.flagged);
    row_u(p, "Mid-stream", c.midstream);
    if (st != NULL && st->active_sessions > 0)
        row_u(p, "Still open (not counted)", st->active_sessions);
    row_u(p, "Ended by close", c.by_end[END_CLOSED]);
    row_u(p, "Ended by timeout", c.by_end[END_TIMEOUT]);
    row_u(p, "Ended by error-break", c.by_end[END_ERROR_BREAK]);
    row_u(p, "Ended by end of capture", c.by_end[END_EXIT]);
    p_str(p, "</table>\n<table><caption>Sessions by reason</caption>\n"
          "<tr><th>reason</th><th>sessions</th></tr>\n");
    for (i = 0; i < REASON_COUNT; i++) {
        if (c.by_reason[i] == 0)
            continue;
        p_printf(p, "<tr><td>%s</td><td class=\"n\">%llu</td></tr>\n",
                 session_reason_word(i), (unsigned long long)c.by_reason[i]);
        any = 1;
    }
    if (!any)
        p_str(p, "<tr><td colspan=\"2\">(none)</td></tr>\n");
    p_str(p, "</table>\n<table><caption>Sessions by final state (Zeek "
          "conn_state)</caption>\n<tr><th>conn_state</th><th>sessions</th>"
          "<th>meaning</th></tr>\n");
    any = 0;
    for (i = 0; i < REPORT_STATES; i++) {
        if (c.by_state[i] == 0)
            continue;
        p_printf(p, "<tr><td>%s</td><td class=\"n\">%llu</td><td>%s</td>"
                 "</tr>\n", conn_state_name((enum conn_state)i),
                 (unsigned long long)c.by_state[i], report_state_text(i));
        any = 1;
    }
    if (!any)
        p_str(p, "<tr><td colspan=\"3\">(none)</td></tr>\n");
    p_str(p, "</table></div>\n");
    for (i = 0; i < TOP_COUNT; i++)
        top_table(p, h, rep, (enum report_top)i);
    health = malloc(8192);
    if (health == NULL || st == NULL || cc == NULL || h->cfg == NULL) {
        free(health);
        return;
    }
    report_health_text(rep, st, cc, h->cfg, health, 8192);
    p_str(p, "<table class=\"kv\"><caption>Capture health</caption>\n");
    for (line = health; *line; line = next) {
        char *colon, *val;
        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        else
            next = line + strlen(line);
        colon = strchr(line, ':');
        if (colon == NULL)
            continue;
        *colon = '\0';
        val = colon + 1;
        while (*val == ' ')
            val++;
        while (colon > line && colon[-1] == ' ')
            *--colon = '\0';
        p_printf(p, "<tr%s><th>", strcmp(line, "verdict") == 0
                                      ? " class=\"verdict\"" : "");
        p_esc(p, line);
        p_str(p, "</th><td>");
        p_esc(p, val);
        p_str(p, "</td></tr>\n");
    }
    p_str(p, "</table>\n");
    free(health);
}

int html_write_fp(struct html_report *h, FILE *fp, const struct report *rep,
                  const struct stats *st, const struct capture_counts *cc)
{
    struct page p;
    const struct section **v = sorted_sections(h);
    const struct config *cfg = h->cfg;
    unsigned i;

    p.fp = fp;
    p.err = v == NULL;
    p_str(&p, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
          "<meta charset=\"utf-8\"/>\n"
          "<meta name=\"viewport\" content=\"width=device-width, "
          "initial-scale=1\"/>\n<meta name=\"generator\" content=\"");
    p_esc(&p, PACKAGE_STRING);
    p_str(&p, "\"/>\n<title>miruo report");
    if (cfg != NULL && cfg->file != NULL) {
        p_str(&p, ": ");
        p_esc(&p, cfg->file);
    }
    p_printf(&p, "</title>\n<style>\n%s</style>\n</head>\n<body>\n"
             "<h1>miruo: TCP sessions that matter</h1>\n", page_css);
    p_str(&p, "<p class=\"note\">Self-contained page: no script, nothing "
          "loaded from elsewhere. Times in the graphs are since each "
          "session's first packet.</p>\n");
    p_str(&p, "<nav><a href=\"#summary\">capture summary</a> | <a "
          "href=\"#triage\">triage report</a> | <a href=\"#sessions\">"
          "sessions</a></nav>\n");
    capture_summary(&p, h, st, cc);
    if (rep != NULL)
        triage(&p, h, rep, st, cc);
    p_printf(&p, "<h2 id=\"sessions\">Sessions, worst first (%u of %llu "
             "shown)</h2>\n", h->n, (unsigned long long)h->offered);
    p_str(&p, "<p class=\"note\">Order: flagged by a lookup first, then "
          "more different reasons, more reported retransmissions, a longer "
          "longest silence, the older session. Graphs: one per direction; "
          "x is time, y the sequence number relative to the direction's "
          "first; hover a mark for its packet.</p>\n");
    if (h->n > 0 && v != NULL) {
        p_str(&p, "<table class=\"toc\"><tr><th>session</th><th>client</th>"
              "<th>server</th><th>reasons</th></tr>\n");
        for (i = 0; i < h->n; i++)
            p_str(&p, v[i]->toc);
        p_str(&p, "</table>\n");
        for (i = 0; i < h->n; i++)
            if (fwrite(v[i]->html, 1, v[i]->len, fp) != v[i]->len)
                p.err = 1;
    } else {
        p_str(&p, "<p>No session was shown.</p>\n");
    }
    if (h->cut > 0)
        p_printf(&p, "<p class=\"note\">%llu section%s cut to stay within "
                 "%u KiB each.</p>\n", (unsigned long long)h->cut,
                 h->cut == 1 ? " was" : "s were", HTML_SECTION_MAX / 1024);
    p_str(&p, "</body>\n</html>\n");
    free(v);
    if (fflush(fp) != 0 || ferror(fp))
        p.err = 1;
    return p.err ? -1 : 0;
}

int html_write(struct html_report *h, const struct report *rep,
               const struct stats *st, const struct capture_counts *cc,
               char errbuf[HTML_ERRBUF_SIZE])
{
    int r;

    if (h->fp == NULL) {
        snprintf(errbuf, HTML_ERRBUF_SIZE, "no output file");
        return -1;
    }
    r = html_write_fp(h, h->fp, rep, st, cc);
    if (fclose(h->fp) != 0)
        r = -1;
    h->fp = NULL;
    if (r < 0)
        snprintf(errbuf, HTML_ERRBUF_SIZE, "cannot write %s: %s",
                 h->path ? h->path : "the report", strerror(errno));
    return r;
}
