/*
 * feed.c - frames in, decoded TCP packets into the session tracker.
 *
 * A batch of frames goes through three steps, each a few frames behind
 * the one before: decode the frame, hash it and start loading its hash
 * bucket; read the bucket and start loading the session; feed the packet
 * to the tracker.  With many sessions open those two loads are cache
 * misses, and this way they overlap the work on the frames before instead
 * of stalling it.  Frames are counted and fed strictly in order; the
 * first two steps change nothing.
 */
#include "config.h"

#include "feed.h"
#include "session.h"
#include "stats.h"

#define FEED_AHEAD    8         /* frames between decoding and feeding; the
                                 * session is loaded halfway between */

void feed_init(struct feed *fd, struct stats *st, struct tracker *tr,
               enum link_kind link, int live)
{
    fd->stats = st;
    fd->tracker = tr;
    fd->link = link;
    fd->live = live;
    fd->tick_us = 0;
    fd->have_tick = 0;
    fd->on_frame = NULL;
    fd->on_second = NULL;
    fd->ctx = NULL;
}

void feed_time(struct feed *fd, int64_t now_us)
{
    if (fd->have_tick && now_us >= fd->tick_us &&
        now_us - fd->tick_us < 1000000)
        return;                 /* the same second: no division needed */
    fd->have_tick = 1;
    fd->tick_us = now_us - now_us % 1000000;
    tracker_expire(fd->tracker, now_us);
    if (fd->on_second != NULL)
        fd->on_second(fd->ctx, now_us);
}

/* Count one decoded frame and feed it if it is TCP. */
static void feed_one(struct feed *fd, const struct frame *f,
                     enum decode_result r, const struct packet *pkt,
                     uint32_t hash)
{
    struct stats *st = fd->stats;

    st->packets++;
    if (fd->on_frame != NULL)
        fd->on_frame(fd->ctx, f);
    switch (r) {
    case DECODE_TCP:
        break;
    case DECODE_BAD_L2:
        st->err_l2++;
        return;
    case DECODE_BAD_IP:
        st->err_ip++;
        return;
    case DECODE_BAD_TCP:
        st->err_tcp++;
        return;
    case DECODE_OTHER:
        return;
    }
    st->tcp_packets++;
    if (!st->have_time) {
        st->have_time = 1;
        st->first_us = f->ts_us;
    }
    if (!fd->live || f->ts_us > st->now_us)
        st->now_us = f->ts_us;
    feed_time(fd, f->ts_us);
    tracker_packet_hashed(fd->tracker, pkt, hash);
}

void feed_frames(void *feed, const struct frame *f, unsigned n)
{
    struct feed *fd = feed;
    struct packet pkt[CAPTURE_BATCH];
    enum decode_result res[CAPTURE_BATCH];
    uint32_t hash[CAPTURE_BATCH];
    unsigned i, j, ahead, session_ahead;

    if (n == 0)
        return;
    if (n > CAPTURE_BATCH)
        n = CAPTURE_BATCH;
    /* Look ahead no further than the batch reaches: a lone frame (live
     * capture) is decoded and fed at once, with nothing to prefetch. */
    ahead = n - 1 < FEED_AHEAD ? n - 1 : FEED_AHEAD;
    session_ahead = ahead / 2;
    for (i = 0; i < n + ahead; i++) {
        if (i < n) {
            res[i] = decode_frame(fd->link, f[i].data, f[i].caplen,
                                  f[i].wire_len, f[i].ts_us, &pkt[i]);
            hash[i] = 0;
            if (res[i] == DECODE_TCP) {
                hash[i] = tracker_hash(fd->tracker, &pkt[i]);
                if (ahead > 0)
                    tracker_prefetch_bucket(fd->tracker, hash[i]);
            }
        }
        j = i - session_ahead;
        if (session_ahead > 0 && i >= session_ahead && j < n &&
            res[j] == DECODE_TCP)
            tracker_prefetch_session(fd->tracker, hash[j]);
        j = i - ahead;
        if (i >= ahead)
            feed_one(fd, &f[j], res[j], &pkt[j], hash[j]);
    }
}
