/*
 * stats.c - the statistics block (spec section 10, true values).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

#include "options.h"
#include "session.h"
#include "stats.h"

static double cpu_seconds(void)
{
    struct rusage ru;

    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0;
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static double wall_seconds(void)
{
    struct timeval tv;

    gettimeofday(&tv, NULL);
    return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

void cpu_meter_start(struct cpu_meter *m)
{
    m->last_cpu_s = cpu_seconds();
    m->last_wall_s = wall_seconds();
}

/* CPU use since the previous call, in percent, capped at 100. */
static double cpu_percent(struct cpu_meter *m)
{
    double cpu = cpu_seconds(), wall = wall_seconds();
    double dc = cpu - m->last_cpu_s, dw = wall - m->last_wall_s, pct;

    m->last_cpu_s = cpu;
    m->last_wall_s = wall;
    if (dw <= 0)
        return dc > 0 ? 100.0 : 0.0;
    pct = 100.0 * dc / dw;
    return pct > 100.0 ? 100.0 : pct;
}

/* Virtual and resident size in KiB, from /proc/self/statm. */
static void memory_kb(unsigned long *vsz, unsigned long *rss)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long pages_v = 0, pages_r = 0;
    long page = sysconf(_SC_PAGESIZE);

    *vsz = *rss = 0;
    if (f == NULL)
        return;
    if (fscanf(f, "%lu %lu", &pages_v, &pages_r) == 2 && page > 0) {
        *vsz = pages_v * (unsigned long)page / 1024;
        *rss = pages_r * (unsigned long)page / 1024;
    }
    fclose(f);
}

static void put_limit(char *buf, size_t size, uint32_t limit)
{
    if (limit == 0)
        snprintf(buf, size, "0 (unlimited)");
    else
        snprintf(buf, size, "%u", limit);
}

void stats_print(int fd, const struct stats *st, const struct config *cfg,
                 const struct capture_counts *cc, struct cpu_meter *m)
{
    char out[4096], slim[32], glim[32], bound[32];
    unsigned long vsz, rss;
    int64_t span = st->have_time ? (st->now_us - st->first_us) / 1000000 : 0;
    int n;

    if (span < 0)
        span = 0;
    memory_kb(&vsz, &rss);
    put_limit(slim, sizeof(slim), cfg->session_limit);
    put_limit(glim, sizeof(glim), cfg->segment_limit);
    if (st->memory_bound)
        snprintf(bound, sizeof(bound), "%lluKB",
                 (unsigned long long)((st->memory_bound + 1023) / 1024));
    else
        snprintf(bound, sizeof(bound), "unlimited");
    n = snprintf(out, sizeof(out),
        "\n"
        "===== Session Statistics =====\n"
        "Capture Time    : %02lld:%02lld:%02lld\n"
        "Total Sessions  : %llu\n"
        "  Lookup        : %llu\n"
        "    LongConnect : %llu\n"
        "    LongDelay   : %llu\n"
        "    Retransmit  : %llu\n"
        "    Timeout     : %llu\n"
        "    Error       : %llu\n"
        "    RST         : %llu\n"
        "    fragment    : %llu\n"
        "------------------------------\n"
        "LongConnectTime : %u [ms]\n"
        "LongDelayTime   : %u [ms]\n"
        "RetransmitTime  : %u [ms]\n"
        "------------------------------\n"
        "ActiveSession   : %llu\n"
        "ActiveSessionMax: %llu\n"
        "ActiveSessionLim: %s\n"
        "ActiveSegment   : %llu\n"
        "ActiveSegmentMax: %llu\n"
        "ActiveSegmentLim: %s\n"
        "DropSession     : %llu\n"
        "DropSegment     : %llu\n"
        "------------------------------\n"
        "CPU   : %.1f%%\n"
        "VSZ   : %luKB\n"
        "RSS   : %luKB\n"
        "Bound : %s\n"
        "===== libpcap Statistics =====\n"
        "recv  : %llu\n"
        "drop  : %llu\n"
        "ifdrop: %llu\n"
        "===== Header Error Count =====\n"
        "L2    : %llu\n"
        "IP    : %llu\n"
        "TCP   : %llu\n"
        "==============================\n",
        (long long)(span / 3600), (long long)(span / 60 % 60),
        (long long)(span % 60),
        (unsigned long long)st->sessions_total,
        (unsigned long long)st->sessions_shown,
        (unsigned long long)st->long_connect,
        (unsigned long long)st->long_delay,
        (unsigned long long)st->retransmit,
        (unsigned long long)st->timeout,
        (unsigned long long)st->error_break,
        (unsigned long long)st->rst,
        (unsigned long long)st->fragment,
        cfg->long_connect_ms, cfg->long_delay_ms, cfg->retransmit_ms,
        (unsigned long long)st->active_sessions,
        (unsigned long long)st->active_sessions_max, slim,
        (unsigned long long)st->active_segments,
        (unsigned long long)st->active_segments_max, glim,
        (unsigned long long)st->drop_session,
        (unsigned long long)st->drop_segment,
        cpu_percent(m), vsz, rss, bound,
        (unsigned long long)cc->recv, (unsigned long long)cc->drop,
        (unsigned long long)cc->ifdrop,
        (unsigned long long)st->err_l2, (unsigned long long)st->err_ip,
        (unsigned long long)st->err_tcp);
    if (n > 0 && write(fd, out, (size_t)n < sizeof(out) ? (size_t)n
                                                        : sizeof(out) - 1) < 0)
        return;
}
