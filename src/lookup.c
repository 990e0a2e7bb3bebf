/*
 * lookup.c - what makes a session shown and a segment printed.
 *
 * The lookups of spec section 7, amended by decisions.md #3-#9:
 * retransmissions are judged on sequence space per direction, duplicates
 * are kept, a RST never hides a session, and each lookup records the
 * reason it fired so the header can say why the session is shown.
 */
#include "config.h"

#include <string.h>

#include "lookup.h"
#include "options.h"
#include "stats.h"

/* Sequence number comparison modulo 2^32 (RFC 9293 section 3.4). */
static int seq_lt(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) < 0;
}

void lookup_mark(struct segment *seg, enum color c)
{
    seg->bits |= SEG_MARKED;
    if (seg->color == COLOR_NONE)
        seg->color = (uint8_t)c;
}

static void show(struct session *s, uint32_t reason)
{
    s->flags |= SESS_SHOWN;
    s->reasons |= reason;
}

/* The first stored segment of the same direction whose sequence space
 * overlaps [seq, seq + len), oldest first; NULL when none is kept. */
static struct segment *find_original(const struct lookup_ctx *lc,
                                     const struct session *s,
                                     const struct segment *seg)
{
    uint32_t idx, dir = seg->bits & SEG_FROM_SERVER;
    uint32_t end = seg->seq + seg->seq_len;

    for (idx = s->seg_head; idx != SEG_NONE;) {
        struct segment *o = tracker_segment(lc->tr, idx);
        if (o == seg)
            break;
        if ((o->bits & SEG_FROM_SERVER) == dir && o->seq_len > 0 &&
            seq_lt(o->seq, end) && seq_lt(seg->seq, o->seq + o->seq_len))
            return o;
        idx = o->next;
    }
    return NULL;
}

/*
 * The same frame captured twice (a SPAN of both directions, -i any): same
 * sequence, length, ACK and IP ID, within a millisecond.  IPv6 has no IP
 * ID; the TCP options (timestamps) must match instead.
 */
int lookup_same_frame(const struct segment *a, const struct segment *b)
{
    int64_t dt = b->ts_us - a->ts_us;

    if (a->seq != b->seq || a->seq_len != b->seq_len || a->ack != b->ack ||
        a->flags != b->flags || dt < 0 || dt > 1000)
        return 0;
    if (a->ip_id != 0 || b->ip_id != 0)
        return a->ip_id == b->ip_id;
    return a->optlen == b->optlen &&
           memcmp(a->opts, b->opts, a->optlen) == 0 && a->optlen > 0;
}

void lookup_syn_options(const struct segment *seg, uint16_t *mss,
                        int *wscale)
{
    unsigned i = 0, len = seg->optlen, olen;

    *mss = 0;
    *wscale = -1;
    while (i < len && seg->opts[i] != 0) {
        if (seg->opts[i] == 1) {
            i++;
            continue;
        }
        if (i + 1 >= len || (olen = seg->opts[i + 1]) < 2 || i + olen > len)
            return;
        if (seg->opts[i] == 2 && olen == 4)
            *mss = (uint16_t)(seg->opts[i + 2] << 8 | seg->opts[i + 3]);
        else if (seg->opts[i] == 3 && olen == 3)
            *wscale = seg->opts[i + 2] > 14 ? 14 : seg->opts[i + 2];
        i += olen;
    }
}

/* Colour the span from the original to the copy (spec 7.2). */
static void paint_span(const struct lookup_ctx *lc, struct segment *orig,
                       struct segment *copy)
{
    uint32_t idx;

    orig->bits |= SEG_MARKED;
    orig->color = COLOR_GREEN;
    for (idx = orig->next; idx != SEG_NONE;) {
        struct segment *o = tracker_segment(lc->tr, idx);
        if (o == copy)
            break;
        o->bits |= SEG_MARKED;
        if (o->color == COLOR_NONE)
            o->color = COLOR_CYAN;
        idx = o->next;
    }
}

enum seq_class lookup_retransmit(const struct lookup_ctx *lc,
                                 struct session *s, struct segment *seg,
                                 int from_server, uint32_t payload_len)
{
    struct flow_dir *d = &s->dir[from_server ? 1 : 0];
    const struct flow_dir *peer = &s->dir[from_server ? 0 : 1];
    struct segment *orig, *prev;
    uint32_t end = seg->seq + seg->seq_len;
    int is_syn = (seg->flags & TH_SYN) != 0;
    int64_t elapsed_ms, first_us;
    /* Payload starts after the SYN's sequence number. */
    uint32_t data_seq = seg->seq + (is_syn ? 1 : 0);
    enum seq_class cls;

    if (!d->seen) {
        d->seen = 1;
        d->next_seq = end;
        return payload_len ? SEQ_NEW : SEQ_NONE;
    }
    /* The same frame captured twice comes right after itself (pure ACKs
     * included): an artefact, neither a copy nor a duplicate ACK. */
    prev = seg->prev != SEG_NONE ? tracker_segment(lc->tr, seg->prev) : NULL;
    if (prev != NULL && prev != seg &&
        (prev->bits & SEG_FROM_SERVER) == (seg->bits & SEG_FROM_SERVER) &&
        prev->window == seg->window && lookup_same_frame(prev, seg)) {
        s->diag.d[from_server ? 1 : 0].dup_frames++;
        return SEQ_DUP;
    }
    if (seg->seq_len == 0)
        return SEQ_NONE;                /* pure ACK: never a retransmission */
    /*
     * Zero-window probe: at most one byte while the peer advertises a zero
     * window (RFC 9293 3.8.6.1).  The receiver drops the byte, so it does
     * not count as seen and its later real transmission is new data.
     */
    if (!is_syn && !(seg->flags & TH_FIN) && seg->seq_len <= 1 &&
        peer->zero_window)
        return SEQ_PROBE;
    if (!seq_lt(seg->seq, d->next_seq)) {
        /* New data, right after the last, or after a hole. */
        cls = data_seq == d->next_seq ? SEQ_NEW : SEQ_GAP;
        d->next_seq = end;
        return payload_len ? cls : SEQ_NONE;
    }
    /* Keep-alive: 0 or 1 byte at next_seq - 1 (RFC 9293 3.8.4). */
    if (!is_syn && !(seg->flags & TH_FIN) && seg->seq_len <= 1 &&
        seg->seq == d->next_seq - 1)
        return SEQ_PROBE;
    if (seq_lt(d->next_seq, end))
        d->next_seq = end;

    orig = find_original(lc, s, seg);
    if (orig != NULL && lookup_same_frame(orig, seg)) {
        s->diag.d[from_server ? 1 : 0].dup_frames++;
        return SEQ_DUP;     /* captured twice (-i any, SPAN): not a loss */
    }
    if (orig != NULL) {
        first_us = orig->ts_us;
    } else if (d->forgot && seq_lt(seg->seq, d->forgot_seq)) {
        /* The original is no longer kept; it is at least as old as the
         * newest data that was dropped. */
        first_us = d->forgot_us;
    } else {
        return SEQ_FILL; /* fills a gap: not a retransmission */
    }
    d->copy_of_us = first_us;
    if (is_syn) {
        if (!lc->cfg->syn_lookup)
            return SEQ_OLD;
        show(s, REASON_SYN_RETRANSMIT);
    } else {
        if (lc->cfg->retransmit_ms == 0)
            return SEQ_OLD;
        elapsed_ms = (seg->ts_us - first_us) / 1000;
        if (elapsed_ms < (int64_t)lc->cfg->retransmit_ms)
            return SEQ_OLD;
        show(s, REASON_RETRANSMIT);
    }
    lc->stats->retransmit++;
    s->facts.retransmits[from_server ? 1 : 0]++;
    seg->why = (uint16_t)(is_syn ? REASON_SYN_RETRANSMIT : REASON_RETRANSMIT);
    seg->why_ms = (uint32_t)((seg->ts_us - first_us) / 1000);
    seg->bits |= SEG_MARKED;
    seg->color = COLOR_RED;
    if (orig != NULL) {
        if (orig->optlen != seg->optlen ||
            memcmp(orig->opts, seg->opts, seg->optlen) != 0)
            seg->color = COLOR_MAGENTA;
        if (!lc->cfg->live)
            paint_span(lc, orig, seg);
    }
    return SEQ_OLD;
}

/*
 * Zeek's history letters (conn.log "history"): upper case for the
 * originator (our client), lower case for the responder; each letter is
 * recorded once per direction, in order of first appearance.
 */
enum history_letter {
    H_SYN, H_SYNACK, H_ACK, H_DATA, H_FIN, H_RST, H_RETRANS, H_ZEROWIN,
    H_INCONSISTENT, H_MULTIFLAG
};

static void history_add(struct conn_facts *f, int from_server,
                        enum history_letter h)
{
    static const char upper[] = "SHADFRTWIQ";
    char c;

    if (f->letters[from_server] & (1u << h))
        return;
    f->letters[from_server] |= (uint16_t)(1u << h);
    if ((size_t)f->history_len + 1 >= sizeof(f->history))
        return;
    c = upper[h];
    if (from_server)
        c = (char)(c - 'A' + 'a');
    f->history[f->history_len++] = c;
    f->history[f->history_len] = '\0';
}

void lookup_facts(struct session *s, const struct segment *seg,
                  int from_server, uint32_t payload_len, enum seq_class cls,
                  int64_t prev_us)
{
    struct conn_facts *f = &s->facts;
    int d = from_server ? 1 : 0;
    uint8_t fl = seg->flags;

    f->packets[d]++;
    f->payload_bytes[d] += payload_len;
    f->wire_bytes[d] += seg->wire_len;
    if (f->packets[0] + f->packets[1] > 1 && seg->ts_us - prev_us >
        f->max_gap_us) {
        f->max_gap_us = seg->ts_us - prev_us;
        f->max_gap_end_us = seg->ts_us;
    }
    if (cls == SEQ_OLD && payload_len > 0)
        f->copies[d]++;
    if ((fl & TH_SYN) && (fl & (TH_RST | TH_FIN))) {
        history_add(f, d, (fl & TH_RST) ? H_INCONSISTENT : H_MULTIFLAG);
    } else if (fl & TH_SYN) {
        if (fl & TH_ACK) {
            history_add(f, d, H_SYNACK);
            if (f->synack_us == 0)
                f->synack_us = seg->ts_us;
        } else {
            history_add(f, d, H_SYN);
            if (f->syn_us == 0)
                f->syn_us = seg->ts_us;
        }
    } else if (fl & TH_RST) {
        history_add(f, d, H_RST);
        f->saw_rst[d] = 1;
    } else {
        if (fl & TH_FIN) {
            history_add(f, d, H_FIN);
            f->saw_fin[d] = 1;
        }
        if (payload_len > 0)
            history_add(f, d, H_DATA);
        else if ((fl & TH_ACK) && !(fl & TH_FIN)) {
            history_add(f, d, H_ACK);
            if (!d && f->ack_us == 0 && f->synack_us != 0)
                f->ack_us = seg->ts_us;
        }
    }
    if (cls == SEQ_OLD && payload_len > 0)
        history_add(f, d, H_RETRANS);
    if ((fl & TH_ACK) && !(fl & (TH_SYN | TH_RST)) && seg->window == 0) {
        history_add(f, d, H_ZEROWIN);
        f->zero_window[d] = 1;
    }
}

void lookup_window(struct session *s, const struct segment *seg,
                   int from_server)
{
    s->dir[from_server ? 1 : 0].zero_window =
        (seg->flags & TH_ACK) && !(seg->flags & (TH_SYN | TH_RST)) &&
        seg->window == 0;
}

void lookup_delay_fragment(const struct lookup_ctx *lc, struct session *s,
                           struct segment *seg, struct segment *prev,
                           int64_t prev_us, int more_fragments)
{
    int64_t gap_ms;

    if (lc->cfg->long_delay_ms > 0 && seg->ts_us > prev_us) {
        gap_ms = (seg->ts_us - prev_us) / 1000;
        if (gap_ms > (int64_t)lc->cfg->long_delay_ms) {
            show(s, REASON_LONG_DELAY);
            lc->stats->long_delay++;
            if (!seg->why) {            /* a retransmission says more */
                seg->why = REASON_LONG_DELAY;
                seg->why_ms = (uint32_t)gap_ms;
            }
            if (prev != NULL)
                prev->bits |= SEG_MARKED;
            seg->bits |= SEG_MARKED;
            if (seg->color == COLOR_NONE)
                seg->color = COLOR_RED;
        }
    }
    if (more_fragments && lc->cfg->fragment_lookup) {
        show(s, REASON_FRAGMENT);
        lc->stats->fragment++;
        if (!seg->why)
            seg->why = REASON_FRAGMENT;
        seg->bits |= SEG_MARKED;
        if (seg->color == COLOR_NONE)
            seg->color = COLOR_RED;
    }
}

void lookup_rst(const struct lookup_ctx *lc, struct session *s,
                struct segment *seg, enum rst_class cls)
{
    lc->stats->rst++;
    if ((cls == RST_CLASS_ABORT && lc->cfg->rst_mode >= RST_ABORT) ||
        (cls == RST_CLASS_AFTER_FIN && lc->cfg->rst_mode >= RST_ALL)) {
        show(s, REASON_RST);
        seg->why = REASON_RST;
    }
}

void lookup_at_end(const struct lookup_ctx *lc, struct session *s,
                   enum session_end_kind kind)
{
    int64_t dur_ms = (s->last_us - s->first_us) / 1000;

    if (kind == END_TIMEOUT)
        show(s, REASON_TIMEOUT);
    if (kind == END_ERROR_BREAK) {
        /* -qq: no error break reports (the session may still be shown
         * for another reason). */
        if (lc->cfg->quiet < 2)
            show(s, REASON_ERROR_BREAK);
        return;
    }
    if (kind != END_TIMEOUT && lc->cfg->long_connect_ms > 0 &&
        dur_ms > (int64_t)lc->cfg->long_connect_ms) {
        show(s, REASON_LONG_CONNECT);
        lc->stats->long_connect++;
    }
    if (lc->cfg->all)
        s->flags |= SESS_SHOWN;
}
