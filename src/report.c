/*
 * report.c - the triage report on standard error (report.h).
 *
 * Owns the report's aggregates and its text.  Everything is fixed size:
 * counters, three worst-10 lists, log2 histograms for the first
 * REPORT_PORTS server ports seen (the rest share an "other" row) and a
 * table of REPORT_RST_ADDRS RST senders (the rest counted as "other").
 * The histograms follow the log2 layout of bpftrace's hist() and bcc's
 * tools ([lo, hi) rows of microseconds, 1K = 1024), which Linux
 * performance work already reads.  The capture-health section ends with
 * the verdict, so "no problems found" is printed only when nothing was
 * flagged and no data was lost.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "report.h"

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

/* One entry of a worst list: what is needed to print it later. */
struct top_entry {
    uint64_t id;
    uint64_t value;         /* rank by this, larger first */
    uint64_t value2;        /* then this */
    uint64_t split[2];      /* client / server parts, or the stall's
                             * cause and side, for the text */
    struct endpoint client;
    struct endpoint server;
    uint32_t reasons;
    uint8_t family;
    uint8_t state;          /* enum conn_state */
};

struct top_list {
    struct top_entry e[REPORT_TOP_MAX];
    unsigned n;
};

/* Histogram metrics, in printing order. */
enum metric { M_HANDSHAKE = 0, M_TURN, M_DURATION, M_COUNT };

struct port_hist {
    uint64_t sessions;
    uint64_t samples[M_COUNT];
    uint64_t bucket[M_COUNT][REPORT_BUCKETS];
    uint16_t port;
    uint8_t used;
};

struct rst_sender {
    uint64_t as_client;
    uint64_t as_server;
    uint8_t addr[16];
    uint8_t family;
    uint8_t used;
};

struct report {
    enum report_level level;
    uint64_t sessions;
    uint64_t shown;
    uint64_t flagged;
    uint64_t midstream;
    uint64_t by_reason[REASON_COUNT];
    uint64_t by_state[CS_COUNT];
    uint64_t by_end[4];             /* enum session_end_kind */
    uint64_t one_way;               /* only one side sent packets */
    uint64_t one_way_data;          /* ... and it sent payload */
    uint64_t rst_sessions;
    uint64_t rst_side[2];           /* sessions where client / server
                                     * sent a RST */
    uint64_t rst_other;             /* senders beyond the table */
    struct rst_sender rst[REPORT_RST_ADDRS];
    struct top_list top[TOP_COUNT];
    struct port_hist ports[REPORT_PORTS + 1];   /* the last: "other" */
};

struct report *report_new(enum report_level level)
{
    struct report *r = calloc(1, sizeof(*r));

    if (r != NULL)
        r->level = level;
    return r;
}

void report_free(struct report *r)
{
    free(r);
}

/* ---- what is measured --------------------------------------------------- */

/* SYN to the client's ACK of the SYN/ACK, or -1 if not seen in order. */
static int64_t handshake_us(const struct session *s)
{
    const struct conn_facts *f = &s->facts;

    if (f->syn_us == 0 || f->synack_us < f->syn_us || f->synack_us == 0 ||
        f->ack_us < f->synack_us || f->ack_us == 0)
        return -1;
    return f->ack_us - f->syn_us;
}

/* The longest silence, as the diagnosis judged it (diag.h). */
static int64_t stall_us(const struct session *s)
{
    return s->diag.stall_cause != STALL_NONE ? s->diag.stall_us : 0;
}

/* The longest turn (one side's think time), or -1 without a turn. */
static int64_t turn_us(const struct session *s)
{
    return s->diag.turns > 0 ? s->diag.max_turn_us : -1;
}

static int64_t duration_us(const struct session *s)
{
    return s->last_us > s->first_us ? s->last_us - s->first_us : 0;
}

unsigned report_bucket(int64_t us)
{
    unsigned k = 0;
    uint64_t v;

    if (us <= 0)
        return 0;
    v = (uint64_t)us;
    while (v != 0 && k < REPORT_BUCKETS - 1) {
        v >>= 1;
        k++;
    }
    return k;
}

/* ---- aggregation -------------------------------------------------------- */

/* Does `a` rank before `b`: larger values first, then the older ID. */
static int ranks_before(const struct top_entry *a, const struct top_entry *b)
{
    if (a->value != b->value)
        return a->value > b->value;
    if (a->value2 != b->value2)
        return a->value2 > b->value2;
    return a->id < b->id;
}

static void top_offer(struct top_list *t, const struct session *s,
                      uint64_t value, uint64_t value2, uint64_t c,
                      uint64_t sv, enum conn_state cs)
{
    struct top_entry e;
    unsigned i;

    memset(&e, 0, sizeof(e));
    e.id = s->id;
    e.value = value;
    e.value2 = value2;
    e.split[0] = c;
    e.split[1] = sv;
    e.client = s->client;
    e.server = s->server;
    e.reasons = s->reasons;
    e.family = s->family;
    e.state = (uint8_t)cs;
    if (t->n < REPORT_TOP_MAX)
        i = t->n++;
    else if (ranks_before(&e, &t->e[REPORT_TOP_MAX - 1]))
        i = REPORT_TOP_MAX - 1;
    else
        return;
    for (; i > 0 && ranks_before(&e, &t->e[i - 1]); i--)
        t->e[i] = t->e[i - 1];
    t->e[i] = e;
}

static struct port_hist *port_slot(struct report *r, uint16_t port)
{
    unsigned i;

    for (i = 0; i < REPORT_PORTS; i++) {
        if (!r->ports[i].used) {
            r->ports[i].used = 1;
            r->ports[i].port = port;
            return &r->ports[i];
        }
        if (r->ports[i].port == port)
            return &r->ports[i];
    }
    return &r->ports[REPORT_PORTS];
}

static void hist_add(struct port_hist *p, enum metric m, int64_t us)
{
    if (us < 0)
        return;
    p->samples[m]++;
    p->bucket[m][report_bucket(us)]++;
}

static void rst_add(struct report *r, const struct session *s, int side)
{
    const struct endpoint *e = side ? &s->server : &s->client;
    size_t alen = s->family == 6 ? 16 : 4;
    unsigned i;

    r->rst_side[side]++;
    for (i = 0; i < REPORT_RST_ADDRS; i++) {
        struct rst_sender *x = &r->rst[i];
        if (!x->used) {
            x->used = 1;
            x->family = s->family;
            memcpy(x->addr, e->addr, alen);
        } else if (x->family != s->family ||
                   memcmp(x->addr, e->addr, alen) != 0) {
            continue;
        }
        if (side)
            x->as_server++;
        else
            x->as_client++;
        return;
    }
    r->rst_other++;
}

void report_session(struct report *r, const struct session *s,
                    enum session_end_kind kind, int shown)
{
    const struct conn_facts *f = &s->facts;
    enum conn_state cs = conn_state_of(s);
    struct port_hist *p;
    unsigned i;
    int64_t v;

    r->sessions++;
    if (shown)
        r->shown++;
    if (session_is_flagged(s))
        r->flagged++;
    if (s->flags & SESS_MIDSTREAM)
        r->midstream++;
    for (i = 0; i < REASON_COUNT; i++)
        if (s->reasons & (1u << i))
            r->by_reason[i]++;
    r->by_state[cs]++;
    if ((unsigned)kind < 4)
        r->by_end[kind]++;
    if (f->packets[0] == 0 || f->packets[1] == 0) {
        r->one_way++;
        if (f->payload_bytes[0] + f->payload_bytes[1] > 0)
            r->one_way_data++;
    }
    if (f->saw_rst[0] || f->saw_rst[1]) {
        r->rst_sessions++;
        for (i = 0; i < 2; i++)
            if (f->saw_rst[i])
                rst_add(r, s, (int)i);
    }

    if ((v = stall_us(s)) > 0)
        top_offer(&r->top[TOP_STALL], s, (uint64_t)v, 0,
                  s->diag.stall_cause, s->diag.stall_side, cs);
    if (f->retransmits[0] + f->retransmits[1] + f->copies[0] +
        f->copies[1] > 0)
        top_offer(&r->top[TOP_RETRANSMIT], s,
                  (uint64_t)f->retransmits[0] + f->retransmits[1],
                  (uint64_t)f->copies[0] + f->copies[1],
                  f->retransmits[0], f->retransmits[1], cs);
    if ((v = handshake_us(s)) >= 0)
        top_offer(&r->top[TOP_HANDSHAKE], s, (uint64_t)v, 0, 0, 0, cs);

    p = port_slot(r, s->server.port);
    p->sessions++;
    hist_add(p, M_HANDSHAKE, handshake_us(s));
    hist_add(p, M_TURN, turn_us(s));
    hist_add(p, M_DURATION, duration_us(s));
}

uint64_t report_flagged(const struct report *r)
{
    return r->flagged;
}

size_t report_top_ids(const struct report *r, enum report_top which,
                      uint64_t *ids, size_t max)
{
    size_t i, n;

    if ((unsigned)which >= TOP_COUNT)
        return 0;
    n = r->top[which].n < max ? r->top[which].n : max;
    for (i = 0; i < n; i++)
        ids[i] = r->top[which].e[i].id;
    return n;
}

int report_data_lost(const struct stats *st, const struct capture_counts *cc)
{
    return cc->drop > 0 || cc->ifdrop > 0 || st->drop_session > 0 ||
           st->drop_segment > 0;
}

/* ---- output ------------------------------------------------------------- */

/* Lines are collected here and written in blocks. */
struct out {
    int fd;
    size_t len;
    char buf[8192];
};

static void out_flush(struct out *o)
{
    size_t done = 0;

    while (done < o->len) {
        ssize_t w = write(o->fd, o->buf + done, o->len - done);
        if (w <= 0)
            break;          /* standard error is gone: nothing to do */
        done += (size_t)w;
    }
    o->len = 0;
}

static void PRINTF_LIKE(2, 3) out_printf(struct out *o, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof(line))
        n = (int)sizeof(line) - 1;
    if (o->len + (size_t)n > sizeof(o->buf))
        out_flush(o);
    memcpy(o->buf + o->len, line, (size_t)n);
    o->len += (size_t)n;
}

/* "1 session" / "2 sessions". */
static const char *plural(uint64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static void format_endpoint(char *buf, size_t size, int family,
                            const uint8_t *addr, uint16_t port)
{
    char a[64];

    if (inet_ntop(family == 6 ? AF_INET6 : AF_INET, addr, a,
                  sizeof(a)) == NULL)
        a[0] = '\0';
    if (family == 6)
        snprintf(buf, size, "[%s]:%u", a, port);
    else
        snprintf(buf, size, "%s:%u", a, port);
}

static void format_reasons(char *buf, size_t size, uint32_t reasons)
{
    size_t n = 0;
    unsigned i;

    buf[0] = '\0';
    for (i = 0; i < REASON_COUNT && n < size; i++) {
        if (!(reasons & (1u << i)))
            continue;
        n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? "," : "[",
                              session_reason_word(i));
    }
    if (n > 0 && n + 1 < size) {
        buf[n] = ']';
        buf[n + 1] = '\0';
    }
}

/* A time for people: "40 us", "5.120 ms", "2.000 s". */
static void format_us(char *buf, size_t size, uint64_t us)
{
    if (us < 1000)
        snprintf(buf, size, "%llu us", (unsigned long long)us);
    else if (us < 1000000)
        snprintf(buf, size, "%llu.%03llu ms",
                 (unsigned long long)(us / 1000),
                 (unsigned long long)(us % 1000));
    else
        snprintf(buf, size, "%llu.%03llu s",
                 (unsigned long long)(us / 1000000),
                 (unsigned long long)(us / 1000 % 1000));
}

static void section(struct out *o, const char *title)
{
    out_printf(o, "----- %s -----\n", title);
}

static void print_counts(struct out *o, const struct report *r,
                         const struct stats *st)
{
    unsigned i;
    int any = 0;

    out_printf(o, "Sessions        : %llu ended, %llu shown, %llu flagged, "
               "%llu mid-stream",
               (unsigned long long)r->sessions,
               (unsigned long long)r->shown,
               (unsigned long long)r->flagged,
               (unsigned long long)r->midstream);
    if (st->active_sessions > 0)
        out_printf(o, " (%llu still open, not counted)",
                   (unsigned long long)st->active_sessions);
    out_printf(o, "\n");
    out_printf(o, "Ended by        : %llu close, %llu timeout, "
               "%llu error-break, %llu end of capture\n",
               (unsigned long long)r->by_end[END_CLOSED],
               (unsigned long long)r->by_end[END_TIMEOUT],
               (unsigned long long)r->by_end[END_ERROR_BREAK],
               (unsigned long long)r->by_end[END_EXIT]);
    section(o, "sessions by reason");
    for (i = 0; i < REASON_COUNT; i++) {
        if (r->by_reason[i] == 0)
            continue;
        out_printf(o, "%-16s: %llu\n", session_reason_word(i),
                   (unsigned long long)r->by_reason[i]);
        any = 1;
    }
    if (!any)
        out_printf(o, "(none)\n");
    section(o, "sessions by final state (Zeek conn_state)");
    any = 0;
    for (i = 0; i < CS_COUNT; i++) {
        if (r->by_state[i] == 0)
            continue;
        out_printf(o, "%-16s: %-8llu %s\n",
                   conn_state_name((enum conn_state)i),
                   (unsigned long long)r->by_state[i], report_state_text(i));
        any = 1;
    }
    if (!any)
        out_printf(o, "(none)\n");
}

/*
 * One line per session: ID, the value ranked, client == server (as the
 * session header prints them), conn_state, then what explains the value
 * and the reasons it was flagged.
 */
static void print_top(struct out *o, const struct report *r,
                      enum report_top which, unsigned limit)
{
    static const char *const title[TOP_COUNT] = {
        "worst sessions by stall (longest silence)",
        "worst sessions by retransmissions",
        "worst sessions by handshake RTT"
    };
    const struct top_list *t = &r->top[which];
    char value[32], client[64], server[64], reasons[128], head[96];
    char detail[96];
    unsigned i, n = t->n < limit ? t->n : limit;

    snprintf(head, sizeof(head), "%s, top %u", title[which], limit);
    section(o, head);
    if (n == 0)
        out_printf(o, "(none)\n");
    for (i = 0; i < n; i++) {
        const struct top_entry *e = &t->e[i];
        detail[0] = '\0';
        switch (which) {
        case TOP_RETRANSMIT:
            snprintf(value, sizeof(value), "%llu",
                     (unsigned long long)e->value);
            snprintf(detail, sizeof(detail),
                     " client %llu, server %llu; %llu %s",
                     (unsigned long long)e->split[0],
                     (unsigned long long)e->split[1],
                     (unsigned long long)e->value2,
                     plural(e->value2, "copy", "copies"));
            break;
        case TOP_STALL:
            format_us(value, sizeof(value), e->value);
            snprintf(detail, sizeof(detail), " %s at %s",
                     stall_cause_name((enum stall_cause)e->split[0]),
                     e->split[1] ? "server" : "client");
            break;
        default:
            format_us(value, sizeof(value), e->value);
            break;
        }
        format_endpoint(client, sizeof(client), e->family, e->client.addr,
                        e->client.port);
        format_endpoint(server, sizeof(server), e->family, e->server.addr,
                        e->server.port);
        format_reasons(reasons, sizeof(reasons), e->reasons);
        out_printf(o, "%04llu %10s %21s == %-21s %-*s%s%s%s\n",
                   (unsigned long long)e->id, value, client, server,
                   detail[0] || reasons[0] ? 6 : 0,
                   conn_state_name((enum conn_state)e->state), detail,
                   reasons[0] ? " " : "", reasons);
    }
}

/* A bucket bound as bpftrace writes it: 512, 1K, 2K, ..., 1M, ... */
static void format_bound(char *buf, size_t size, uint64_t v)
{
    static const char unit[] = " KMGTP";
    unsigned u = 0;

    while (v >= 1024 && v % 1024 == 0 && u + 1 < sizeof(unit) - 1) {
        v /= 1024;
        u++;
    }
    if (u == 0)
        snprintf(buf, size, "%llu", (unsigned long long)v);
    else
        snprintf(buf, size, "%llu%c", (unsigned long long)v, unit[u]);
}

static void print_hist_rows(struct out *o, const uint64_t *b)
{
    char lo[24], hi[24], label[64], bar[41];
    unsigned first = REPORT_BUCKETS, last = 0, k;
    uint64_t max = 0;

    for (k = 0; k < REPORT_BUCKETS; k++) {
        if (b[k] == 0)
            continue;
        if (first == REPORT_BUCKETS)
            first = k;
        last = k;
        if (b[k] > max)
            max = b[k];
    }
    for (k = first; k <= last && first < REPORT_BUCKETS; k++) {
        size_t w = (size_t)(b[k] * 40 / max);
        if (k < 2) {
            snprintf(label, sizeof(label), "[%u]", k);
        } else {
            format_bound(lo, sizeof(lo), (uint64_t)1 << (k - 1));
            if (k == REPORT_BUCKETS - 1)
                snprintf(hi, sizeof(hi), "...");
            else
                format_bound(hi, sizeof(hi), (uint64_t)1 << k);
            snprintf(label, sizeof(label), "[%s, %s)", lo, hi);
        }
        memset(bar, '@', w);
        memset(bar + w, ' ', 40 - w);
        bar[40] = '\0';
        out_printf(o, "  %-14s %8llu |%s|\n", label,
                   (unsigned long long)b[k], bar);
    }
}

/* Ports in ascending order, "other" last. */
static int port_order(const void *a, const void *b)
{
    const struct port_hist *x = *(const struct port_hist *const *)a;
    const struct port_hist *y = *(const struct port_hist *const *)b;

    return (x->port > y->port) - (x->port < y->port);
}

static void print_histograms(struct out *o, const struct report *r)
{
    static const char *const title[M_COUNT] = {
        "handshake RTT", "turn time", "duration"
    };
    const struct port_hist *sorted[REPORT_PORTS + 1];
    char head[128];
    unsigned m, i, n = 0;

    for (i = 0; i < REPORT_PORTS; i++)
        if (r->ports[i].used)
            sorted[n++] = &r->ports[i];
    qsort(sorted, n, sizeof(sorted[0]), port_order);
    if (r->ports[REPORT_PORTS].sessions > 0)
        sorted[n++] = &r->ports[REPORT_PORTS];
    for (m = 0; m < M_COUNT; m++) {
        int any = 0;
        snprintf(head, sizeof(head),
                 "%s by server port (microseconds, log2)", title[m]);
        section(o, head);
        for (i = 0; i < n; i++) {
            const struct port_hist *p = sorted[i];
            if (p->samples[m] == 0)
                continue;
            if (p == &r->ports[REPORT_PORTS])
                out_printf(o, "other ports: %llu %s\n",
                           (unsigned long long)p->samples[m],
                           plural(p->samples[m], "session", "sessions"));
            else
                out_printf(o, "port %u: %llu %s\n", p->port,
                           (unsigned long long)p->samples[m],
                           plural(p->samples[m], "session", "sessions"));
            print_hist_rows(o, p->bucket[m]);
            any = 1;
        }
        if (!any)
            out_printf(o, "(no samples)\n");
    }
}

/* RST senders by count, then family and address. */
static int rst_order(const void *a, const void *b)
{
    const struct rst_sender *x = *(const struct rst_sender *const *)a;
    const struct rst_sender *y = *(const struct rst_sender *const *)b;
    uint64_t nx = x->as_client + x->as_server;
    uint64_t ny = y->as_client + y->as_server;

    if (nx != ny)
        return nx > ny ? -1 : 1;
    if (x->family != y->family)
        return x->family < y->family ? -1 : 1;
    return memcmp(x->addr, y->addr, 16);
}

static void print_rsts(struct out *o, const struct report *r)
{
    const struct rst_sender *sorted[REPORT_RST_ADDRS];
    char addr[64];
    unsigned i, n = 0;

    section(o, "RSTs by sender");
    out_printf(o, "Sessions with RST: %llu (client sent in %llu, server "
               "in %llu)\n", (unsigned long long)r->rst_sessions,
               (unsigned long long)r->rst_side[0],
               (unsigned long long)r->rst_side[1]);
    for (i = 0; i < REPORT_RST_ADDRS; i++)
        if (r->rst[i].used)
            sorted[n++] = &r->rst[i];
    qsort(sorted, n, sizeof(sorted[0]), rst_order);
    for (i = 0; i < n; i++) {
        const struct rst_sender *x = sorted[i];
        if (inet_ntop(x->family == 6 ? AF_INET6 : AF_INET, x->addr, addr,
                      sizeof(addr)) == NULL)
            addr[0] = '\0';
        out_printf(o, "%-39s %8llu (as client %llu, as server %llu)\n",
                   addr,
                   (unsigned long long)(x->as_client + x->as_server),
                   (unsigned long long)x->as_client,
                   (unsigned long long)x->as_server);
    }
    if (r->rst_other > 0)
        out_printf(o, "%-39s %8llu\n", "other senders",
                   (unsigned long long)r->rst_other);
}

/* Append "N what" to a comma-separated list when N > 0. */
static void list_item(char *buf, size_t size, uint64_t n, const char *one,
                      const char *many)
{
    size_t len = strlen(buf);

    if (n == 0 || len >= size)
        return;
    snprintf(buf + len, size - len, "%s%llu %s", len ? ", " : "",
             (unsigned long long)n, plural(n, one, many));
}

static void print_health(struct out *o, const struct report *r,
                         const struct stats *st,
                         const struct capture_counts *cc,
                         const struct config *cfg)
{
    char lost[256] = "", warn[256] = "";
    uint64_t hdr = st->err_l2 + st->err_ip + st->err_tcp;
    int data_lost = report_data_lost(st, cc);

    section(o, "capture health");
    out_printf(o, "Kernel drops    : %llu\n", (unsigned long long)cc->drop);
    out_printf(o, "Interface drops : %llu\n",
               (unsigned long long)cc->ifdrop);
    out_printf(o, "Header errors   : %llu (L2 %llu, IP %llu, TCP %llu)\n",
               (unsigned long long)hdr, (unsigned long long)st->err_l2,
               (unsigned long long)st->err_ip,
               (unsigned long long)st->err_tcp);
    out_printf(o, "DropSession     : %llu (-L %u%s)\n",
               (unsigned long long)st->drop_session, cfg->session_limit,
               cfg->session_limit ? "" : ", unlimited");
    out_printf(o, "DropSegment     : %llu (-l %u%s)\n",
               (unsigned long long)st->drop_segment, cfg->segment_limit,
               cfg->segment_limit ? "" : ", unlimited");
    out_printf(o, "One-way sessions: %llu (%llu carrying data)\n",
               (unsigned long long)r->one_way,
               (unsigned long long)r->one_way_data);

    list_item(lost, sizeof(lost), cc->drop, "kernel drop", "kernel drops");
    list_item(lost, sizeof(lost), cc->ifdrop, "interface drop",
              "interface drops");
    list_item(lost, sizeof(lost), st->drop_session, "session over -L",
              "sessions over -L");
    list_item(lost, sizeof(lost), st->drop_segment, "segment over -l",
              "segments over -l");
    list_item(warn, sizeof(warn), hdr, "malformed header",
              "malformed headers");
    list_item(warn, sizeof(warn), r->one_way_data,
              "one-way session with data", "one-way sessions with data");
    if (data_lost)
        out_printf(o, "capture health: DATA LOST (%s%s%s)\n", lost,
                   warn[0] ? "; also " : "", warn);
    else if (warn[0])
        out_printf(o, "capture health: OK with warnings (%s)\n", warn);
    else
        out_printf(o, "capture health: OK\n");

    if (data_lost && r->flagged == 0)
        out_printf(o, "verdict: nothing flagged, but the capture lost data: "
                   "not conclusive\n");
    else if (data_lost)
        out_printf(o, "verdict: %llu %s flagged; the capture lost data, "
                   "more may be missing\n", (unsigned long long)r->flagged,
                   plural(r->flagged, "session", "sessions"));
    else if (r->flagged > 0)
        out_printf(o, "verdict: %llu %s flagged\n",
                   (unsigned long long)r->flagged,
                   plural(r->flagged, "session", "sessions"));
    else if (st->active_sessions > 0)
        out_printf(o, "verdict: no problems found so far (%llu %s still "
                   "open)\n", (unsigned long long)st->active_sessions,
                   plural(st->active_sessions, "session", "sessions"));
    else if (warn[0])
        out_printf(o, "verdict: no problems found (see the warnings "
                   "above)\n");
    else
        out_printf(o, "verdict: no problems found\n");
}

void report_print(const struct report *r, int fd, const struct stats *st,
                  const struct capture_counts *cc, const struct config *cfg)
{
    struct out *o;
    unsigned limit, i;

    if (r == NULL || r->level == REPORT_OFF)
        return;
    o = malloc(sizeof(*o));
    if (o == NULL)
        return;
    o->fd = fd;
    o->len = 0;
    limit = r->level == REPORT_FULL ? REPORT_TOP_MAX : REPORT_TOP_SHORT;
    out_printf(o, "\n===== Triage Report (%s) =====\n",
               r->level == REPORT_FULL ? "full" : "short");
    print_counts(o, r, st);
    for (i = 0; i < TOP_COUNT; i++)
        print_top(o, r, (enum report_top)i, limit);
    if (r->level == REPORT_FULL) {
        print_histograms(o, r);
        print_rsts(o, r);
    }
    print_health(o, r, st, cc, cfg);
    out_printf(o, "==============================\n");
    out_flush(o);
    free(o);
}

/* ---- read-only access (report.h), for the HTML report ------------------- */

/* REPORT_STATES must equal CS_COUNT: a negative array size otherwise. */
typedef char report_states_check[REPORT_STATES == CS_COUNT ? 1 : -1];

void report_get_counts(const struct report *r, struct report_counts *c)
{
    memset(c, 0, sizeof(*c));
    c->sessions = r->sessions;
    c->shown = r->shown;
    c->flagged = r->flagged;
    c->midstream = r->midstream;
    memcpy(c->by_reason, r->by_reason, sizeof(c->by_reason));
    memcpy(c->by_state, r->by_state, sizeof(c->by_state));
    memcpy(c->by_end, r->by_end, sizeof(c->by_end));
    c->one_way = r->one_way;
    c->one_way_data = r->one_way_data;
    c->rst_sessions = r->rst_sessions;
    c->rst_side[0] = r->rst_side[0];
    c->rst_side[1] = r->rst_side[1];
}

size_t report_top_rows(const struct report *r, enum report_top which,
                       struct report_row *rows, size_t max)
{
    size_t i, n;

    if ((unsigned)which >= TOP_COUNT)
        return 0;
    n = r->top[which].n < max ? r->top[which].n : max;
    for (i = 0; i < n; i++) {
        const struct top_entry *e = &r->top[which].e[i];
        memset(&rows[i], 0, sizeof(rows[i]));
        rows[i].id = e->id;
        rows[i].value = e->value;
        rows[i].value2 = e->value2;
        rows[i].split[0] = e->split[0];
        rows[i].split[1] = e->split[1];
        rows[i].client = e->client;
        rows[i].server = e->server;
        rows[i].reasons = e->reasons;
        rows[i].family = e->family;
        rows[i].state = e->state;
    }
    return n;
}

/* The same words as the table in print_counts. */
const char *report_state_text(unsigned conn_state)
{
    static const char *const text[CS_COUNT] = {
        "attempt, no reply",
        "established, not closed",
        "normal establishment and termination",
        "attempt rejected",
        "established, only the client closed",
        "established, only the server closed",
        "established, client aborted (RST)",
        "established, server aborted (RST)",
        "client sent SYN then RST, no SYN/ACK",
        "server sent SYN/ACK then RST, no SYN",
        "client sent SYN then FIN, no SYN/ACK",
        "server sent SYN/ACK then FIN, no SYN",
        "no SYN seen: mid-stream traffic"
    };
    return conn_state < CS_COUNT ? text[conn_state] : "?";
}

size_t report_health_text(const struct report *r, const struct stats *st,
                          const struct capture_counts *cc,
                          const struct config *cfg, char *buf, size_t size)
{
    struct out *o;
    const char *p;
    size_t n = 0;

    if (size == 0)
        return 0;
    buf[0] = '\0';
    o = malloc(sizeof(*o));
    if (o == NULL)
        return 0;
    o->fd = -1;             /* collected, never written: it fits */
    o->len = 0;
    print_health(o, r, st, cc, cfg);
    p = memchr(o->buf, '\n', o->len);     /* skip the title line */
    if (p != NULL) {
        size_t start = (size_t)(p + 1 - o->buf);
        n = o->len - start < size - 1 ? o->len - start : size - 1;
        memcpy(buf, o->buf + start, n);
        buf[n] = '\0';
    }
    free(o);
    return n;
}
