/*
 * html_graph.c - the time-sequence graphs of the HTML report (html.h):
 * html_graph(), and graph_draw() for the page (html_graph.h).
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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "html_graph.h"
#include "html_text.h"
#include "lookup.h"
#include "options.h"

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
void graph_replay(const struct config *cfg, const struct session *s,
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
    hb_str(b, "<path class=\"d\"");
    if (gr->n > 1)
        hb_printf(b, " data-n=\"%u\"", gr->n);
    hb_str(b, " d=\"M");
    hb_point(b, gr->x, gr->bot);
    hb_str(b, "V");
    hb_coord(b, gr->top);
    if (gr->n == 1 && !r->titles) {
        hb_str(b, "\"/>");
        return;
    }
    hb_str(b, "\"><title>");
    html_fmt_us(t0, sizeof(t0), gr->t0);
    html_fmt_us(t1, sizeof(t1), gr->t1);
    seq_range_text(sq, sizeof(sq), gr->y0, gr->y1);
    if (gr->n == 1)
        hb_printf(b, "packet %llu at %s: %s", (unsigned long long)gr->num0,
                 t0, sq);
    else
        hb_printf(b, "%u segments, packets %llu-%llu, %s-%s: %s", gr->n,
                 (unsigned long long)gr->num0, (unsigned long long)gr->num1,
                 t0, t1, sq);
    hb_str(b, "</title></path>");
}

/* Why a copy was not reported: -r (or -S) said so. */
static void not_reported(struct buf *b, const struct config *cfg, int syn)
{
    if (cfg == NULL)
        hb_str(b, ", not reported");
    else if (syn)
        hb_str(b, ", not reported (-S 0)");
    else if (cfg->retransmit_ms == 0)
        hb_str(b, ", not reported (-r 0)");
    else
        hb_printf(b, ", not reported (sooner than -r %u ms)",
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
    hb_str(b, "<g class=\"rx\"");
    if (gr->n > 1)
        hb_printf(b, " data-n=\"%u\"", gr->n);
    hb_str(b, "><path class=\"rb\" d=\"M");
    hb_point(b, gr->x, gr->bot);
    hb_str(b, "V");
    hb_coord(b, gr->top);
    /* the diamond above the bar */
    hb_str(b, "\"/><path class=\"rm\" d=\"M");
    hb_point(b, gr->x, gr->top - 90);
    hb_str(b, "l4 4l-4 4l-4-4z\"/><title>");
    html_fmt_us(t0, sizeof(t0), gr->t0);
    html_fmt_us(t1, sizeof(t1), gr->t1);
    seq_range_text(sq, sizeof(sq), gr->y0, gr->y1);
    if (gr->n == 1) {
        for (c = 0; c < RX_COUNT + 2 && gr->cls_n[c] == 0; c++)
            ;
        rx_class_text(cls, sizeof(cls), r->g, c);
        hb_str(b, c == RXC_SYN ? "" : "retransmission (");
        hb_escs(b, cls);
        hb_str(b, c == RXC_SYN ? "" : ")");
        if (!gr->reported)
            not_reported(b, r->g->cfg, c == RXC_SYN);
        hb_printf(b, ": packet %llu at %s: %s",
                 (unsigned long long)gr->num0, t0, sq);
        if (gr->since >= 0) {
            html_fmt_us(since, sizeof(since), gr->since);
            hb_printf(b, ", %s after the original", since);
        }
    } else {
        cls[0] = '\0';
        n = 0;
        for (c = 0; c < RX_COUNT + 2; c++)
            if (gr->cls_n[c] && n < sizeof(cls))
                n += (size_t)snprintf(cls + n, sizeof(cls) - n, "%s%u %s",
                                      n ? ", " : "", gr->cls_n[c],
                                      class_word[c]);
        hb_printf(b, "%u retransmissions (%s; %u reported), packets "
                 "%llu-%llu, %s-%s: %s", gr->n, cls, gr->reported,
                 (unsigned long long)gr->num0,
                 (unsigned long long)gr->num1, t0, t1, sq);
    }
    hb_str(b, "</title></g>");
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
    hb_printf(b, "<g class=\"ev %s\"", cls[kind]);
    if (gr->n > 1)
        hb_printf(b, " data-n=\"%u\"", gr->n);
    hb_str(b, "><path d=\"M");
    switch (kind) {
    case IT_SYN:        /* triangle, pointing up */
        hb_point(b, x, y - 60);
        hb_str(b, "l6 10h-12z");
        break;
    case IT_FIN:        /* square */
        hb_point(b, x - 45, y - 45);
        hb_str(b, "h9v9h-9z");
        break;
    default:            /* cross */
        hb_point(b, x - 50, y - 50);
        hb_str(b, "l10 10m0-10l-10 10");
        break;
    }
    /* the label right of the mark, or left of it at the right edge */
    if (x > (int64_t)(G_PL + G_PW - 40) * 10)
        hb_str(b, "\"/><text text-anchor=\"end\" x=\"");
    else
        hb_str(b, "\"/><text x=\"");
    hb_coord(b, x > (int64_t)(G_PL + G_PW - 40) * 10 ? x - 70 : x + 70);
    hb_str(b, "\" y=\"");
    hb_coord(b, kind == IT_SYN ? y + 10 : y + 35);
    hb_printf(b, "\">%s", label[kind]);
    if (gr->n > 1)
        hb_printf(b, "&#215;%u", gr->n);
    hb_str(b, "</text><title>");
    html_fmt_us(t0, sizeof(t0), gr->t0);
    html_fmt_us(t1, sizeof(t1), gr->t1);
    if (gr->n == 1)
        hb_printf(b, "%s, packet %llu at %s, seq %lld",
                 marker_word(kind, gr->flags), (unsigned long long)gr->num0,
                 t0, (long long)gr->y0);
    else
        hb_printf(b, "%u x %s, packets %llu-%llu, %s-%s", gr->n, label[kind],
                 (unsigned long long)gr->num0, (unsigned long long)gr->num1,
                 t0, t1);
    hb_str(b, "</title></g>");
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
            hb_printf(b, "<path class=\"%s\" d=\"M", cls);
            hb_point(b, x, y);
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
            hb_str(b, "V");
            hb_coord(b, pend_y);
            cur_y = pend_y;
        }
        hb_str(b, "H");
        hb_coord(b, x);
        last_col = x / 10;
        pend_y = y;
    }
    if (!started)
        return;
    if (pend_y != cur_y) {
        hb_str(b, "V");
        hb_coord(b, pend_y);
    }
    hb_str(b, "H");
    hb_coord(b, gx(g, g->t_end));
    hb_printf(b, "\"><title>%s</title></path>", title);
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
                hb_str(b, "<path class=\"sack\" d=\"");
                started = 1;
            }
            hb_str(b, "M");
            hb_point(b, x + 30, hi[k]);
            hb_str(b, "V");
            hb_coord(b, lo[k]);
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
        hb_str(b, "\"><title>SACK blocks the receiver reported</title></path>");
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
            html_fmt_us(d, sizeof(d), total);
            hb_str(b, "<rect class=\"zw\" x=\"");
            hb_coord(b, x0);
            hb_printf(b, "\" y=\"%d\" width=\"", G_PT);
            hb_coord(b, x1 - x0);
            hb_printf(b, "\" height=\"%d\" fill=\"url(#hz%llu-%d)\"><title>"
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

    hb_printf(b, "<rect class=\"fr\" x=\"%d\" y=\"%d\" width=\"%d\" "
             "height=\"%d\"/>", G_PL, G_PT, G_PW, G_PH);
    n = html_ticks(g->span, 10, ticks, &step);
    hb_str(b, "<g class=\"ax\">");
    for (i = 0; i < n; i++) {
        int64_t x = gx(g, ticks[i]);
        hb_str(b, "<path class=\"gl\" d=\"M");
        hb_coord(b, x);
        hb_printf(b, " %dV%d\"/>", G_PT, G_PT + G_PH + 5);
        html_time_label(lab, sizeof(lab), ticks[i], step);
        hb_str(b, "<text x=\"");
        hb_coord(b, x);
        hb_printf(b, "\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                 G_PT + G_PH + 17, lab);
    }
    hb_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">time since "
             "the session's first packet</text>", G_PL + G_PW / 2,
             G_PT + G_PH + 34);
    step = nice_step(g->ymax - g->ymin, 6);
    first = g->ymin >= 0 ? (g->ymin + step - 1) / step * step
                         : -((-g->ymin) / step * step);
    for (v = first, i = 0; v <= g->ymax && i < 12; v += step, i++) {
        int64_t y = gy(g, v);
        hb_printf(b, "<path class=\"gl\" d=\"M%d ", G_PL - 5);
        hb_coord(b, y);
        hb_printf(b, "H%d\"/>", G_PL + G_PW);
        bytes_label(lab, sizeof(lab), v, step);
        hb_printf(b, "<text x=\"%d\" y=\"", G_PL - 8);
        hb_coord(b, y + 35);
        hb_printf(b, "\" text-anchor=\"end\">%s</text>", lab);
    }
    hb_printf(b, "<text x=\"12\" y=\"%d\" transform=\"rotate(-90 12 %d)\" "
             "text-anchor=\"middle\">relative sequence number</text>",
             G_PT + G_PH / 2, G_PT + G_PH / 2);
    hb_str(b, "</g>");
}

static void graph_title(struct render *r)
{
    const struct graph *g = r->g;
    const struct session *s = g->s;
    struct buf *b = r->b;
    char from[80], to[80];

    html_fmt_endpoint(from, sizeof(from), s->family,
                 g->dir ? &s->server : &s->client);
    html_fmt_endpoint(to, sizeof(to), s->family, g->dir ? &s->client : &s->server);
    hb_printf(b, "<text class=\"gt\" x=\"%d\" y=\"14\">", G_PL);
    hb_printf(b, "%s %s &#8594; %s %s: %llu data segment%s (%llu B)",
             g->dir ? "server" : "client", from, g->dir ? "client" : "server",
             to, (unsigned long long)g->data_segs,
             g->data_segs == 1 ? "" : "s",
             (unsigned long long)g->data_bytes);
    if (g->rx_count > 0)
        hb_printf(b, ", %llu retransmission%s (red)",
                 (unsigned long long)g->rx_count, g->rx_count == 1 ? "" : "s");
    if (g->packets == 0)
        hb_str(b, "; no packet seen in this direction");
    hb_str(b, "</text>");
    hb_printf(b, "<text class=\"gs\" x=\"%d\" y=\"29\">", G_PL);
    if (g->scaled)
        hb_printf(b, "receive window = ACK + window &#215; 2^%d", g->scale);
    else
        hb_str(b, "receive window = ACK + window, not scaled (the SYNs did "
              "not both announce a window scale)");
    if (g->win_clipped)
        hb_str(b, "; the window line leaves the plot at the top");
    if (r->level > 0)
        hb_printf(b, "; bars merged in columns of %u px", 1u << r->level);
    if (s->seg_count < s->packets)
        hb_printf(b, "; %llu packets not kept (LIMITS) not drawn",
                 (unsigned long long)(s->packets - s->seg_count));
    hb_str(b, "</text>");
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
    hb_printf(b, "<svg class=\"tsg\" viewBox=\"0 0 %d %d\" width=\"%d\" "
             "height=\"%d\" role=\"img\"><title>time-sequence graph, %s "
             "to %s</title>", G_W, G_H, G_W, G_H,
             g->dir ? "server" : "client", g->dir ? "client" : "server");
    hb_printf(b, "<defs><pattern id=\"hz%llu-%d\" width=\"6\" height=\"6\" "
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

    hb_str(b, "<g class=\"bars\">");
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
    hb_str(b, "</g><g class=\"rxs\">");
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
    hb_str(b, "</g><g class=\"evs\">");
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
    hb_str(b, "</g></svg>");
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

int graph_scratch_fit(struct graph_scratch *sc, size_t n)
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

void graph_scratch_free(struct graph_scratch *sc)
{
    free(sc->it);
    free(sc->ack);
    free(sc->sack);
    free(sc->rx);
    memset(sc, 0, sizeof(*sc));
}

size_t graph_draw(struct graph_scratch *sc, char *out, size_t size,
                  const struct config *cfg, const struct session *s,
                  const struct segment *const *segs, size_t n,
                  int dir, int replayed, struct html_graph_info *info)
{
    struct graph g;
    struct render r;
    struct buf b;

    if (info != NULL)
        memset(info, 0, sizeof(*info));
    if (graph_scratch_fit(sc, n) < 0)
        return 0;
    if (!replayed)
        graph_replay(cfg, s, segs, n, sc->rx);
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
        hb_init(&b, out, size);
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
    struct graph_scratch sc;
    size_t len;

    memset(&sc, 0, sizeof(sc));
    len = graph_draw(&sc, out, size, cfg, s, segs, n, dir, 0, info);
    graph_scratch_free(&sc);
    return len;
}
