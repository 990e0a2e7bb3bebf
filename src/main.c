/*
 * main.c - wiring: options, capture, decoder, session table, printer.
 *
 * Exit status (decisions.md): 0 success; 1 usage or start-up error (bad
 * option, cannot open device or file, bad filter, unsupported link type);
 * 2 a read error during capture or in the file after packets were read.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "capture.h"
#include "decode.h"
#include "options.h"
#include "print.h"
#include "session.h"
#include "stats.h"

enum exit_status { EXIT_OK = 0, EXIT_USAGE = 1, EXIT_READ_ERROR = 2 };

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

struct miruo {
    const struct config *cfg;
    struct stats stats;
    struct cpu_meter cpu;
    struct capture *capture;
    struct tracker *tracker;
    struct printer *printer;
    enum link_kind link;
    int64_t tick_sec;           /* whole second of the last time tick */
    int64_t last_stat_us;
    int have_tick;
};

static void print_stats(struct miruo *m)
{
    struct capture_counts cc;

    capture_counts(m->capture, &cc);
    printer_flush(m->printer);
    stats_print(STDERR_FILENO, &m->stats, m->cfg, &cc, &m->cpu);
}

/*
 * Time moves to `now_us` (packet time for files, wall clock when live
 * capture is idle): once per whole second expire idle sessions and print
 * periodic statistics.
 */
static void time_passes(struct miruo *m, int64_t now_us)
{
    int64_t sec = now_us / 1000000;

    if (m->have_tick && sec == m->tick_sec)
        return;
    if (!m->have_tick) {
        m->have_tick = 1;
        m->last_stat_us = now_us;
    }
    m->tick_sec = sec;
    tracker_expire(m->tracker, now_us);
    if (m->cfg->stat_interval > 0 &&
        now_us - m->last_stat_us >= (int64_t)m->cfg->stat_interval * 1000000) {
        m->last_stat_us = now_us;
        print_stats(m);
    }
}

static void on_frame(void *ctx, int64_t ts_us, const uint8_t *data,
                     uint32_t caplen, uint32_t wire_len)
{
    struct miruo *m = ctx;
    struct packet pkt;

    m->stats.packets++;
    switch (decode_frame(m->link, data, caplen, wire_len, ts_us, &pkt)) {
    case DECODE_TCP:
        break;
    case DECODE_BAD_L2:
        m->stats.err_l2++;
        return;
    case DECODE_BAD_IP:
        m->stats.err_ip++;
        return;
    case DECODE_BAD_TCP:
        m->stats.err_tcp++;
        return;
    case DECODE_OTHER:
        return;
    }
    m->stats.tcp_packets++;
    if (!m->stats.have_time) {
        m->stats.have_time = 1;
        m->stats.first_us = ts_us;
    }
    if (!capture_is_live(m->capture) || ts_us > m->stats.now_us)
        m->stats.now_us = ts_us;
    time_passes(m, ts_us);
    tracker_packet(m->tracker, &pkt);
}

static void on_tick(void *ctx, int64_t now_us)
{
    struct miruo *m = ctx;

    m->stats.now_us = now_us;
    time_passes(m, now_us);
}

static void install_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    sigaction(SIGALRM, &sa, NULL);
}

int main(int argc, char **argv)
{
    char errbuf[CAPTURE_ERRBUF_SIZE], banner[512];
    struct tracker_hooks hooks;
    struct config cfg;
    struct miruo m;
    int status = EXIT_OK;

    switch (options_parse(argc, argv, &cfg, isatty(STDOUT_FILENO))) {
    case OPTIONS_RUN:
        break;
    case OPTIONS_EXIT_OK:
        return EXIT_OK;
    case OPTIONS_EXIT_USAGE:
        options_free(&cfg);
        return EXIT_USAGE;
    }
    memset(&m, 0, sizeof(m));
    m.cfg = &cfg;
    m.capture = capture_open(&cfg, errbuf);
    if (m.capture == NULL) {
        fprintf(stderr, "miruo: %s\n", errbuf);
        options_free(&cfg);
        return EXIT_USAGE;
    }
    m.link = capture_link(m.capture);
    m.printer = printer_new(&cfg, &m.stats, STDOUT_FILENO);
    hooks.session_end = printer_session_end;
    hooks.segment_stored = printer_segment_stored;
    hooks.ctx = m.printer;
    m.tracker = m.printer ? tracker_new(&cfg, &m.stats, &hooks) : NULL;
    if (m.tracker == NULL) {
        fprintf(stderr, "miruo: out of memory for -L %u / -l %u\n",
                cfg.session_limit, cfg.segment_limit);
        printer_free(m.printer);
        capture_close(m.capture);
        options_free(&cfg);
        return EXIT_USAGE;
    }
    install_signals();
    capture_describe(m.capture, banner, sizeof(banner));
    fprintf(stderr, "%s\n", banner);
    cpu_meter_start(&m.cpu);
    if (capture_is_live(m.capture)) {
        /* Live capture time runs from start-up (spec 10.3). */
        struct timeval tv;
        gettimeofday(&tv, NULL);
        m.stats.have_time = 1;
        m.stats.first_us = m.stats.now_us =
            (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
    }

    if (capture_loop(m.capture, on_frame, on_tick, &m, &stop_requested,
                     errbuf) < 0)
        status = EXIT_READ_ERROR;
    /* Sessions still open are judged and printed, never lost. */
    tracker_finish(m.tracker, m.stats.now_us);
    printer_flush(m.printer);
    if (status == EXIT_READ_ERROR)
        fprintf(stderr, "miruo: read error: %s\n", errbuf);
    print_stats(&m);

    tracker_free(m.tracker);
    printer_free(m.printer);
    capture_close(m.capture);
    options_free(&cfg);
    return status;
}
