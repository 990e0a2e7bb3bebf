/*
 * capture.h - packet sources: live devices and capture files.
 *
 * capture.c owns the packet sources (live devices through libpcap;
 * pcap, pcapng and snoop files, told apart by their magic), the BPF
 * filter, record selection (-p, -c, --snaplen), the capture loop and
 * libpcap's statistics.  It hands raw frames to a callback and never
 * decodes or prints them.
 */
#ifndef MIRUO_CAPTURE_H
#define MIRUO_CAPTURE_H

#include <signal.h>
#include <stdint.h>

#include "decode.h"

struct config;
struct capture_counts;
struct capture;

#define CAPTURE_ERRBUF_SIZE 512

/* One frame: capture time in microseconds, its bytes and lengths. */
struct frame {
    int64_t ts_us;
    const uint8_t *data;
    uint32_t caplen;
    uint32_t wire_len;
};

/*
 * Frames in capture order, up to CAPTURE_BATCH at a time.  Every frame of
 * a batch stays valid until the callback returns, so the consumer can
 * decode ahead and prefetch what the next frames will touch.  Files read
 * by miruo itself come in batches; libpcap hands over one frame at a time.
 */
#define CAPTURE_BATCH 32
typedef void (*capture_frames_fn)(void *ctx, const struct frame *f,
                                  unsigned n);
/* Live capture: time passes without packets (wall clock, microseconds). */
typedef void (*capture_tick_fn)(void *ctx, int64_t now_us);

/* Open the source the configuration names.  NULL: errbuf says why. */
struct capture *capture_open(const struct config *cfg, char *errbuf);
void capture_close(struct capture *c);

enum link_kind capture_link(const struct capture *c);
int capture_is_live(const struct capture *c);

/* "listening on ..." / "reading from file ..." for stderr. */
void capture_describe(const struct capture *c, char *buf, size_t size);

/*
 * Run until end of file, *stop, or an error.  Returns 0, or -1 with
 * errbuf set (a read error after some packets were processed).
 */
int capture_loop(struct capture *c, capture_frames_fn on_frames,
                 capture_tick_fn on_tick, void *ctx,
                 volatile sig_atomic_t *stop, char *errbuf);

void capture_counts(struct capture *c, struct capture_counts *cc);

/* For a regular file: bytes read so far and its size (0 if unknown). */
void capture_progress(const struct capture *c, uint64_t *done,
                      uint64_t *total);

/* Reading a regular file (not a device, a pipe or standard input). */
int capture_is_regular_file(const struct capture *c);

/* libpcap DLT_ value and snapshot length of the packets delivered. */
int capture_dlt(const struct capture *c);
uint32_t capture_snaplen(const struct capture *c);

/* -d: print the compiled filter program on stdout (tcpdump -d style). */
void capture_dump_filter(const struct capture *c);

#endif /* MIRUO_CAPTURE_H */
