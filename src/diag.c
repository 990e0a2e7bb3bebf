/*
 * diag.c - the diagnosis: why a session was slow or broken.
 *
 * Everything here comes from the packets of the session as they pass, in
 * fixed memory (struct diag in the session).  The rules, documented for
 * users in man/miruo.1 (DIAGNOSIS), follow the usual definitions of
 * Wireshark's TCP analysis, tcptrace and Zeek:
 *
 *  - a retransmission (a copy of data already seen in its direction) is
 *    spurious when the peer had already acknowledged it, fast when the
 *    peer had sent 3 or more duplicate ACKs, a tail-loss probe when it
 *    resends the last segment sooner than an RTO could fire, and an RTO
 *    otherwise.  The tap saw the original, so unless the copy was
 *    spurious it was lost after the tap.  A hole filled more than 10 ms
 *    after it appeared was lost before the tap; sooner, it is reordering.
 *  - the handshake RTT splits at the tap: SYN to SYN/ACK is the server's
 *    side, SYN/ACK to ACK the client's.
 *  - a turn is the time from the last new byte one side sent to the first
 *    new byte of the other side's answer: the answering side's think time.
 *  - the longest silence gets a cause from the state when it ended.
 *  - an RST or FIN whose TTL differs from the rest of its direction was
 *    probably sent by a middlebox.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "lookup.h"
#include "options.h"
#include "session.h"

#define MIN_RTO_US          200000  /* Linux's minimum RTO (RFC 6298: 1 s) */
#define REORDER_MAX_US      10000   /* a hole filled sooner: reordering */

static const char *const side_name[2] = { "client", "server" };

const char *stall_cause_name(enum stall_cause c)
{
    static const char *const names[] = {
        "none", "ZERO_WINDOW", "RWND_LIMITED", "RTO", "PERSIST", "APP_IDLE",
        "HALF_CLOSED", "WAITING_ACK"
    };
    return (unsigned)c < sizeof(names) / sizeof(names[0]) ? names[c] : "?";
}

const char *rexmit_class_name(enum rexmit_class c)
{
    static const char *const names[RX_COUNT] = {
        "RTO", "fast", "spurious", "TLP"
    };
    return (unsigned)c < RX_COUNT ? names[c] : "?";
}

void diag_init(struct diag *dg)
{
    memset(dg, 0, sizeof(*dg));
    dg->last_data_dir = -1;
}

static int seq_lt(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) < 0;
}

/* MSS and window scale from a SYN's options. */
static void read_syn_options(struct diag_dir *dd, const struct segment *seg)
{
    uint16_t mss;
    int ws;

    lookup_syn_options(seg, &mss, &ws);
    if (mss)
        dd->mss = mss;
    if (ws >= 0)
        dd->wscale = (uint8_t)ws;
}

/*
 * Classify a copy of data already seen in direction d.  `since_us` is the
 * time since the original (or since the newest data no longer kept).
 * No retransmission timer fires sooner than the minimum RTO, so a copy
 * that comes sooner was triggered by ACKs (fast retransmit, with 3
 * duplicate ACKs or SACK/RACK) or, for the last segment sent, by a
 * tail-loss probe.
 */
static void classify_copy(struct session *s, const struct segment *seg,
                          int d, int64_t since_us)
{
    struct diag_dir *me = &s->diag.d[d], *peer = &s->diag.d[!d];
    uint32_t end = seg->seq + seg->seq_len;
    enum rexmit_class c;

    if (me->acked_set && !seq_lt(me->acked, end))
        c = RX_SPURIOUS;
    else if (peer->dupacks >= 3)
        c = RX_FAST;
    else if (since_us < MIN_RTO_US)
        c = end == s->dir[d].next_seq && peer->dupacks == 0 ? RX_TLP
                                                            : RX_FAST;
    else
        c = RX_RTO;
    me->rexmit[c]++;
    me->lost_after_tap++;
}

/* Bytes direction d had sent and not yet seen acknowledged, before the
 * current packet (whose new data the sequence tracking already counts). */
static uint32_t in_flight(const struct session *s, int d,
                          const struct segment *cur, int cur_dir, int cls)
{
    const struct diag_dir *dd = &s->diag.d[d];
    uint32_t next = s->dir[d].next_seq;

    if (d == cur_dir && (cls == SEQ_NEW || cls == SEQ_GAP))
        next = cur->seq;
    if (!dd->acked_set || !s->dir[d].seen || !seq_lt(dd->acked, next))
        return 0;
    return next - dd->acked;
}

static int half_closed(int st)
{
    return st == ST_FIN_WAIT1 || st == ST_FIN_WAIT2 ||
           st == ST_CLOSE_WAIT || st == ST_LAST_ACK;
}

/* Why was the session silent until this packet? */
static void judge_stall(struct session *s, const struct segment *seg,
                        int d, int cls, int64_t gap_us)
{
    struct diag *dg = &s->diag;
    enum stall_cause cause;
    int side = d, k;

    if (gap_us <= dg->stall_us)
        return;
    if (cls == SEQ_OLD) {
        cause = STALL_RTO;                  /* d timed out and resent */
    } else if (cls == SEQ_PROBE && dg->d[!d].zero_since_us) {
        cause = STALL_PERSIST;
        side = !d;                          /* the receiver not reading */
    } else if (dg->d[0].zero_since_us || dg->d[1].zero_since_us) {
        cause = STALL_ZERO_WINDOW;
        side = dg->d[0].zero_since_us ? 0 : 1;
    } else if (half_closed(s->client_state) ||
               half_closed(s->server_state)) {
        cause = STALL_HALF_CLOSED;
        side = half_closed(s->client_state) &&
               s->client_state != ST_CLOSE_WAIT ? 0 : 1;
    } else {
        cause = STALL_APP_IDLE;
        for (k = 0; k < 2; k++) {
            uint32_t f = in_flight(s, k, seg, d, cls);
            uint32_t w = dg->d[!k].window;
            if (f == 0)
                continue;
            cause = w > 0 && f + (dg->d[k].mss ? dg->d[k].mss : 536) > w
                        ? STALL_RWND_LIMITED : STALL_WAITING_ACK;
            side = k;
            break;
        }
        if (cause == STALL_APP_IDLE)
            side = d;                       /* the side that spoke next */
    }
    dg->stall_us = gap_us;
    dg->stall_cause = (uint8_t)cause;
    dg->stall_side = (uint8_t)side;
}

void diag_packet(const struct config *cfg, struct session *s,
                 struct segment *seg, const struct packet *p,
                 int from_server, int cls, int64_t first_us, int64_t prev_us,
                 int snd_state, int rcv_state)
{
    struct diag *dg = &s->diag;
    int d = from_server ? 1 : 0;
    struct diag_dir *me = &dg->d[d], *peer = &dg->d[!d];
    uint8_t fl = seg->flags;
    int first = !me->ttl_set;

    (void)rcv_state;
    if (cls == SEQ_DUP)
        return;             /* a frame captured twice tells nothing new */
    if (first) {
        me->ttl = p->ttl;
        me->ttl_set = 1;
    }
    if (fl & TH_SYN) {
        read_syn_options(me, seg);
        if (cls == SEQ_OLD)
            me->syn_copies++;
        if (!(fl & TH_ACK) && s->facts.synack_us == 0)
            dg->last_syn_us = seg->ts_us;
        if ((fl & TH_ACK) && s->facts.ack_us == 0)
            dg->last_synack_us = seg->ts_us;
    }
    /* RST/FIN forensics: a foreign TTL means someone else sent it. */
    if ((fl & (TH_RST | TH_FIN)) && !first && p->ttl != me->ttl &&
        !dg->injected) {
        dg->injected = 1;
        dg->injected_side = (uint8_t)d;
        dg->injected_flags = fl;
        dg->injected_ttl = p->ttl;
        dg->injected_state = (uint8_t)snd_state;
        dg->injected_idle_us = seg->ts_us - prev_us;
    }
    if ((fl & TH_RST) && !dg->reset_by) {
        dg->reset_by = (uint8_t)(d + 1);
        dg->reset_state = (uint8_t)snd_state;
    }
    /* Stalls: the silence before this packet. */
    if (s->facts.packets[0] + s->facts.packets[1] > 1)
        judge_stall(s, seg, d, cls, seg->ts_us - prev_us);
    /* Windows, zero-window periods, ACKs and duplicate ACKs. */
    if ((fl & TH_ACK) && !(fl & (TH_SYN | TH_RST))) {
        uint32_t win = (uint32_t)seg->window << me->wscale;
        if (win == 0 && me->zero_since_us == 0)
            me->zero_since_us = seg->ts_us;
        else if (win != 0 && me->zero_since_us != 0) {
            me->zero_total_us += seg->ts_us - me->zero_since_us;
            me->zero_since_us = 0;
        }
        if (!peer->acked_set || seq_lt(peer->acked, seg->ack)) {
            peer->acked = seg->ack;
            peer->acked_set = 1;
            me->dupacks = 0;
        } else if (seg->ack == peer->acked && p->payload_len == 0 &&
                   !(fl & TH_FIN) && win == me->window) {
            me->dupacks++;
        }
        me->window = win;
    } else if ((fl & TH_SYN) && (fl & TH_ACK)) {
        peer->acked = seg->ack;
        peer->acked_set = 1;
        me->window = seg->window;   /* not scaled in a SYN (RFC 7323) */
    }
    /* Retransmissions and holes. */
    switch (cls) {
    case SEQ_OLD:
        if (!(fl & TH_SYN))
            classify_copy(s, seg, d, first_us >= 0 ? seg->ts_us - first_us
                                                   : MIN_RTO_US);
        /* The peer got this data only now: a turn starts from here. */
        if (p->payload_len > 0 && dg->last_data_dir == d)
            me->last_data_us = seg->ts_us;
        break;
    case SEQ_GAP:
        me->gap_us = seg->ts_us;
        break;
    case SEQ_FILL:
        if (seg->ts_us - me->gap_us > REORDER_MAX_US)
            me->lost_before_tap++;
        else
            me->reordered++;
        break;
    case SEQ_PROBE:
        if (peer->zero_since_us)
            me->probes++;
        break;
    default:
        break;
    }
    /* Segments longer than the receiver's MSS: TSO/GRO at the tap. */
    if (peer->mss && p->payload_len > peer->mss)
        me->tso++;
    /* Turns: new data from the other side than the last new data. */
    if ((cls == SEQ_NEW || cls == SEQ_GAP) && p->payload_len > 0) {
        if (dg->last_data_dir == !d) {
            int64_t turn = seg->ts_us - peer->last_data_us;
            dg->turns++;
            if (turn > dg->max_turn_us) {
                dg->max_turn_us = turn;
                dg->turn_side = (uint8_t)d;
            }
            if (cfg->slow_turn_ms && turn / 1000 > (int64_t)cfg->slow_turn_ms) {
                s->flags |= SESS_SHOWN;
                s->reasons |= REASON_SLOW_TURN;
                seg->bits |= SEG_MARKED;
                if (!seg->why) {
                    seg->why = REASON_SLOW_TURN;
                    seg->why_ms = (uint32_t)(turn / 1000);
                }
            }
            dg->burst_start_us = seg->ts_us;
        } else if (dg->last_data_dir < 0) {
            dg->burst_start_us = seg->ts_us;
        }
        if (seg->ts_us - dg->burst_start_us > dg->max_transfer_us)
            dg->max_transfer_us = seg->ts_us - dg->burst_start_us;
        dg->last_data_dir = (int8_t)d;
        me->last_data_us = seg->ts_us;
    }
    me->last_pkt_us = seg->ts_us;
}

void diag_end(struct session *s, int64_t now_us)
{
    int d;

    for (d = 0; d < 2; d++) {
        struct diag_dir *dd = &s->diag.d[d];
        if (dd->zero_since_us) {
            dd->zero_total_us += now_us - dd->zero_since_us;
            dd->zero_since_us = 0;
        }
    }
}

/* ---- the summary line -------------------------------------------------- */

struct text {
    char *p;
    size_t len, size;
    int items;
};

static void add(struct text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void add(struct text *t, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (t->len >= t->size)
        return;
    if (t->items++ > 0 && t->len + 2 < t->size) {
        memcpy(t->p + t->len, "; ", 2);
        t->len += 2;
    }
    va_start(ap, fmt);
    n = vsnprintf(t->p + t->len, t->size - t->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        t->len += (size_t)n < t->size - t->len ? (size_t)n
                                                : t->size - t->len - 1;
}

/* "40 us", "0.4 ms", "30 ms", "2.1 s" */
static const char *duration(char *buf, size_t size, int64_t us)
{
    if (us < 0)
        us = 0;
    if (us < 1000)
        snprintf(buf, size, "%lld us", (long long)us);
    else if (us < 10000)
        snprintf(buf, size, "%lld.%lld ms", (long long)(us / 1000),
                 (long long)(us % 1000 / 100));
    else if (us < 1000000)
        snprintf(buf, size, "%lld ms", (long long)(us / 1000));
    else
        snprintf(buf, size, "%lld.%lld s", (long long)(us / 1000000),
                 (long long)(us % 1000000 / 100000));
    return buf;
}

static void add_retransmissions(struct text *t, const struct session *s)
{
    char list[96];
    int d, c;

    for (d = 0; d < 2; d++) {
        const struct diag_dir *dd = &s->diag.d[d];
        uint32_t total = 0;
        size_t n = 0;
        for (c = 0; c < RX_COUNT; c++)
            total += dd->rexmit[c];
        if (total == 0)
            continue;
        list[0] = '\0';
        for (c = 0; c < RX_COUNT; c++) {
            if (dd->rexmit[c] == 0 || n >= sizeof(list))
                continue;
            n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%u %s",
                                  n ? ", " : "", dd->rexmit[c],
                                  rexmit_class_name((enum rexmit_class)c));
        }
        /* A spurious copy resent data that had arrived: nothing was lost. */
        if (total > dd->rexmit[RX_SPURIOUS])
            add(t, "%s resent %u (%s), lost after the tap", side_name[d],
                total, list);
        else
            add(t, "%s resent %u (%s), the data had arrived", side_name[d],
                total,
                list);
    }
    for (d = 0; d < 2; d++)
        if (s->diag.d[d].lost_before_tap)
            add(t, "%u %s segment%s lost before the tap",
                s->diag.d[d].lost_before_tap, side_name[d],
                s->diag.d[d].lost_before_tap > 1 ? "s" : "");
}

size_t diag_summary(const struct session *s, const struct config *cfg,
                    char *buf, size_t size)
{
    const struct diag *dg = &s->diag;
    const struct conn_facts *f = &s->facts;
    struct text t = { buf, 0, size, 0 };
    char a[32], b[32];
    int d;

    if (size == 0)
        return 0;
    buf[0] = '\0';
    if (dg->d[0].syn_copies)
        add(&t, "SYN lost %u time%s (+%s)", dg->d[0].syn_copies,
            dg->d[0].syn_copies > 1 ? "s" : "",
            duration(a, sizeof(a), (f->synack_us ? f->synack_us
                                                 : s->last_us) - f->syn_us));
    if (dg->d[1].syn_copies)
        add(&t, "SYN/ACK lost %u time%s", dg->d[1].syn_copies,
            dg->d[1].syn_copies > 1 ? "s" : "");
    if (dg->last_syn_us && f->synack_us && f->ack_us)
        add(&t, "handshake %s srv / %s cli",
            duration(a, sizeof(a), f->synack_us - dg->last_syn_us),
            duration(b, sizeof(b), f->ack_us - dg->last_synack_us));
    add_retransmissions(&t, s);
    if (dg->turns > 0)
        add(&t, "turn %s (%s think)", duration(a, sizeof(a), dg->max_turn_us),
            side_name[dg->turn_side]);
    if (dg->turns > 0 && dg->max_transfer_us >= 1000)
        add(&t, "transfer %s", duration(a, sizeof(a), dg->max_transfer_us));
    if (dg->stall_cause != STALL_NONE && cfg->long_delay_ms > 0 &&
        dg->stall_us / 1000 > (int64_t)cfg->long_delay_ms) {
        if (dg->stall_cause == STALL_APP_IDLE)
            add(&t, "stall %s: APP_IDLE (nothing outstanding; %s spoke "
                "next)", duration(a, sizeof(a), dg->stall_us),
                side_name[dg->stall_side]);
        else
            add(&t, "stall %s: %s at %s", duration(a, sizeof(a), dg->stall_us),
                stall_cause_name((enum stall_cause)dg->stall_cause),
                side_name[dg->stall_side]);
    }
    for (d = 0; d < 2; d++)
        if (dg->d[d].zero_total_us > 0)
            add(&t, "zero window %s at %s",
                duration(a, sizeof(a), dg->d[d].zero_total_us), side_name[d]);
    if (dg->injected)
        add(&t, "%s from %s side likely injected by a middlebox (TTL %u, "
            "expected %u; in %s after %s idle)",
            (dg->injected_flags & TH_RST) ? "RST" : "FIN",
            side_name[dg->injected_side], dg->injected_ttl,
            dg->d[dg->injected_side].ttl,
            tcp_state_name((enum tcp_state)dg->injected_state),
            duration(a, sizeof(a), dg->injected_idle_us));
    else if (dg->reset_by)
        add(&t, "aborted by %s RST in %s", side_name[dg->reset_by - 1],
            tcp_state_name((enum tcp_state)dg->reset_state));
    for (d = 0; d < 2; d++) {
        if (dg->d[d].dup_frames)
            add(&t, "%u %s frame%s captured twice (not loss)",
                dg->d[d].dup_frames, side_name[d],
                dg->d[d].dup_frames > 1 ? "s" : "");
        if (dg->d[d].tso)
            add(&t, "%u %s segment%s over the MSS (TSO/GRO at the tap)",
                dg->d[d].tso, side_name[d], dg->d[d].tso > 1 ? "s" : "");
    }
    if (f->packets[0] == 0 || f->packets[1] == 0)
        add(&t, "one direction only (%s side unseen)",
            f->packets[0] == 0 ? "client" : "server");
    if (s->flags & SESS_MIDSTREAM)
        add(&t, "picked up mid-stream");
    return t.len;
}
