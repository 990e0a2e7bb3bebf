/*
 * feed.h - frames in, decoded TCP packets into the session tracker.
 *
 * feed.c owns what happens to every frame between the capture and the
 * tracker: the frame and header-error counters, the capture clock (first
 * packet, now), idle expiry once per second of capture time, and the
 * batch pipeline that decodes frames ahead and starts loading their hash
 * buckets and sessions before it feeds them to the tracker one by one, in
 * capture order.  It never prints.
 */
#ifndef MIRUO_FEED_H
#define MIRUO_FEED_H

#include <stdint.h>

#include "capture.h"
#include "decode.h"

struct stats;
struct tracker;

struct feed {
    struct stats *stats;
    struct tracker *tracker;
    enum link_kind link;
    int live;                   /* live capture: the clock never goes back */
    int64_t tick_us;            /* start of the second of the last expiry */
    int have_tick;
    /* Optional: each frame, counted but not yet decoded (-w, progress). */
    void (*on_frame)(void *ctx, const struct frame *f);
    /* Optional: a new second of capture time began; after the expiry. */
    void (*on_second)(void *ctx, int64_t now_us);
    void *ctx;
};

void feed_init(struct feed *fd, struct stats *st, struct tracker *tr,
               enum link_kind link, int live);

/* A capture_frames_fn: `feed` is the struct feed. */
void feed_frames(void *feed, const struct frame *f, unsigned n);

/* Capture time (or, live and idle, wall time) is now_us: expire idle
 * sessions when a new second begins. */
void feed_time(struct feed *fd, int64_t now_us);

#endif /* MIRUO_FEED_H */
