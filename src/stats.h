/*
 * stats.h - the counters behind the statistics block.
 *
 * Every stage increments its own counters here.  stats.c formats the
 * statistics block (spec section 10) from them, with the process's CPU
 * and memory use read from /proc.
 */
#ifndef MIRUO_STATS_H
#define MIRUO_STATS_H

#include <stdint.h>

struct stats {
    /* Sessions (spec section 10.3, with the original's quirks fixed). */
    uint64_t sessions_total;
    uint64_t sessions_shown;        /* "Lookup": sessions printed */
    uint64_t long_connect;          /* sessions shown because of -T */
    uint64_t long_delay;            /* segments flagged by -t */
    uint64_t retransmit;            /* retransmitted segments reported */
    uint64_t timeout;               /* sessions ended by idle timeout */
    uint64_t error_break;           /* duplicate-SYN replacements */
    uint64_t rst;                   /* RSTs processed */
    uint64_t fragment;              /* fragment segments flagged */
    uint64_t drop_session;          /* sessions refused: -L reached */
    uint64_t drop_segment;          /* segments not stored: -l reached */

    uint64_t active_sessions;
    uint64_t active_sessions_max;
    uint64_t active_segments;
    uint64_t active_segments_max;

    /* Header errors per layer (spec 4.1). */
    uint64_t err_l2;
    uint64_t err_ip;
    uint64_t err_tcp;

    /* Packets seen by the capture loop. */
    uint64_t packets;
    uint64_t tcp_packets;

    /* The most memory the run can take (-L, -l, the stores and a fixed
     * base), in bytes; 0 when -L 0 or -l 0 leave it unbounded. */
    uint64_t memory_bound;

    /* Capture time span (first and last TCP packet, or live start/now). */
    int64_t first_us;
    int64_t now_us;
    int have_time;
};

/* libpcap's own counters (zero for files). */
struct capture_counts {
    uint64_t recv;
    uint64_t drop;
    uint64_t ifdrop;
};

/* CPU accounting between two reports. */
struct cpu_meter {
    double last_cpu_s;
    double last_wall_s;
};

struct config;

void cpu_meter_start(struct cpu_meter *m);

/* Write the statistics block (spec 10.2) to `fd`. */
void stats_print(int fd, const struct stats *st, const struct config *cfg,
                 const struct capture_counts *cc, struct cpu_meter *m);

#endif /* MIRUO_STATS_H */
