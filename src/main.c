/*
 * main.c - wiring: options, capture, decoder, session table, printer.
 *
 * Exit status (decisions.md): 0 success; 1 usage or start-up error (bad
 * option, cannot open device or file, bad filter, unsupported link type);
 * 2 a read error during capture or in the file after packets were read.
 * With --exit-status: 3 sessions were flagged, 4 the capture lost data.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "capture.h"
#include "decode.h"
#include "feed.h"
#include "html.h"
#include "json.h"
#include "names.h"
#include "options.h"
#include "print.h"
#include "report.h"
#include "session.h"
#include "stats.h"
#include "store.h"
#include "writer.h"

enum exit_status {
    EXIT_OK = 0, EXIT_USAGE = 1, EXIT_READ_ERROR = 2,
    EXIT_FLAGGED = 3, EXIT_UNHEALTHY = 4        /* --exit-status only */
};

/*
 * Memory outside the session table (tracker_memory_bound): the program
 * and its libraries, the record buffers (libpcap's, up to 256 KiB, and
 * pcapfile.c's 512 KiB), the output buffers and the report's lists.  A
 * run over an empty capture takes about 3.5 MB; --html adds what it keeps
 * of up to --html-max sessions.
 */
#define BASE_MEMORY_BYTES (6u << 20)

static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t report_requested;     /* SIGUSR1 */

static void on_report_signal(int sig)
{
    (void)sig;
    report_requested = 1;
}

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
    struct feed feed;           /* frames into the tracker */
    struct printer *printer;
    struct names *names;
    struct writer *writer;
    struct writer *flagged;     /* -W */
    struct json_writer *json;   /* --json */
    struct report *report;      /* --report (kept even when off) */
    struct html_report *html;   /* --html */
    int json_stdout;            /* --json alone: JSON replaces the text */
    uint64_t flagged_sessions;  /* sessions a lookup flagged */
    enum link_kind link;
    int64_t last_stat_us;       /* -S: last periodic statistics */
    int have_stat_time;
    int show_counter;           /* -w on a terminal without -q */
    int show_progress;          /* a large file, stderr a terminal, no -q */
    int64_t progress_wall_us;   /* wall clock of the last progress line */
    uint64_t progress_packets;
    int write_failed;
    uint8_t *frame_buf;         /* a held frame, copied out for -W */
    char errbuf[CAPTURE_ERRBUF_SIZE];
};

static void print_stats(struct miruo *m)
{
    struct capture_counts cc;

    capture_counts(m->capture, &cc);
    printer_flush(m->printer);
    stats_print(STDERR_FILENO, &m->stats, m->cfg, &cc, &m->cpu);
}

static void print_report(struct miruo *m)
{
    struct capture_counts cc;

    capture_counts(m->capture, &cc);
    printer_flush(m->printer);
    report_print(m->report, STDERR_FILENO, &m->stats, &cc, m->cfg);
}

static void show_counter(struct miruo *m)
{
    if (m->show_counter)
        fprintf(stderr, "\rGot %llu packets",
                (unsigned long long)writer_count(m->writer));
}

static void check_report_request(struct miruo *m)
{
    if (report_requested) {
        report_requested = 0;
        print_report(m);
    }
}

/*
 * A new whole second of capture time (packet time for files, wall clock
 * when live capture is idle), after idle sessions expired: print periodic
 * statistics and make the -w file complete on disk.
 */
static void on_second(void *ctx, int64_t now_us)
{
    struct miruo *m = ctx;

    if (!m->have_stat_time) {
        m->have_stat_time = 1;
        m->last_stat_us = now_us;
    }
    if (m->cfg->stat_interval > 0 &&
        now_us - m->last_stat_us >= (int64_t)m->cfg->stat_interval * 1000000) {
        m->last_stat_us = now_us;
        print_stats(m);
    }
    if (m->writer != NULL) {
        if (capture_is_live(m->capture))
            writer_flush(m->writer, m->errbuf);
        show_counter(m);
    }
    if (m->flagged != NULL && capture_is_live(m->capture))
        writer_flush(m->flagged, m->errbuf);
}

/* A frame into -w's or -W's file; the first error is reported, and
 * stops all writing. */
static void write_frame(struct miruo *m, struct writer *w, const char *path,
                        int64_t ts_us, const uint8_t *data, uint32_t caplen,
                        uint32_t wire_len, const char *comment)
{
    char err[WRITER_ERRBUF_SIZE];

    if (m->write_failed)
        return;
    if (writer_write(w, ts_us, data, caplen, wire_len, comment, err) < 0) {
        fprintf(stderr, "miruo: %s: %s\n", path, err);
        m->write_failed = 1;
    }
}

static int64_t wall_clock_us(void)
{
    struct timeval tv;

    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

/*
 * Progress of a long file run, once a second on a terminal: percent of
 * the file read, packets per second, sessions open and shown.
 */
static void show_progress(struct miruo *m, int final)
{
    uint64_t done, total;
    int64_t now = wall_clock_us(), dt = now - m->progress_wall_us;

    if (!final && dt < 1000000)
        return;
    capture_progress(m->capture, &done, &total);
    if (final)
        fprintf(stderr, "\r%*s\r", 72, "");
    else if (total > 0)
        fprintf(stderr, "\r%3u%% read, %llu packets/s, %llu sessions open, "
                "%llu shown ", (unsigned)(done * 100 / total),
                (unsigned long long)((m->stats.packets -
                                      m->progress_packets) * 1000000 /
                                     (uint64_t)(dt > 0 ? dt : 1)),
                (unsigned long long)m->stats.active_sessions,
                (unsigned long long)m->stats.sessions_shown);
    m->progress_wall_us = now;
    m->progress_packets = m->stats.packets;
}

/* Every frame, counted but not yet decoded: progress, -w, SIGUSR1. */
static void on_frame(void *ctx, const struct frame *f)
{
    struct miruo *m = ctx;

    if (m->show_progress && (m->stats.packets & 0xFFFF) == 0)
        show_progress(m, 0);
    if (m->writer != NULL)
        write_frame(m, m->writer, m->cfg->write_file, f->ts_us, f->data,
                    f->caplen, f->wire_len, NULL);
    check_report_request(m);
}

static void on_frames(void *ctx, const struct frame *f, unsigned n)
{
    struct miruo *m = ctx;

    feed_frames(&m->feed, f, n);
}

static void on_tick(void *ctx, int64_t now_us)
{
    struct miruo *m = ctx;

    m->stats.now_us = now_us;
    check_report_request(m);
    feed_time(&m->feed, now_us);
}

/* --write-names: note every TCP endpoint address. */
static void on_frames_names(void *ctx, const struct frame *f, unsigned n)
{
    struct miruo *m = ctx;
    struct packet pkt;
    unsigned i;

    for (i = 0; i < n; i++) {
        if (decode_frame(m->link, f[i].data, f[i].caplen, f[i].wire_len,
                         f[i].ts_us, &pkt) == DECODE_TCP) {
            names_note(m->names, pkt.family, pkt.src);
            names_note(m->names, pkt.family, pkt.dst);
        }
    }
}

/* ---- tracker hooks: printer, -W ------------------------------------------ */

static void on_session_end(void *ctx, const struct tracker *tr,
                           struct session *s, enum session_end_kind kind,
                           int64_t now_us)
{
    struct miruo *m = ctx;

    if (session_is_flagged(s))
        m->flagged_sessions++;
    report_session(m->report, s, kind, (s->flags & SESS_SHOWN) != 0);
    if (m->json != NULL && (s->flags & SESS_SHOWN)) {
        json_session(m->json, s, kind);
        if (capture_is_live(m->capture) || m->json_stdout)
            json_flush(m->json);
    }
    /* Before the printer: the section needs the session's segments. */
    if (m->html != NULL && (s->flags & SESS_SHOWN))
        html_session(m->html, m->printer, tr, s, kind, now_us);
    if (!m->json_stdout)
        printer_session_end(m->printer, tr, s, kind, now_us);
    else if (s->flags & SESS_SHOWN)
        m->stats.sessions_shown++;      /* the printer counts otherwise */
}

static void on_segment_stored(void *ctx, const struct tracker *tr,
                              struct session *s, struct segment *seg)
{
    struct miruo *m = ctx;

    if (!m->json_stdout)
        printer_segment_stored(m->printer, tr, s, seg);
}

/* The EPB comment of a packet written by -W. */
static void flagged_comment(char *buf, size_t size, const struct session *s,
                            const struct segment *seg)
{
    size_t n = 0;
    unsigned i;

    if (seg->why != 0) {
        for (i = 0; i < REASON_COUNT && !(seg->why & (1u << i)); i++)
            ;
        n = (size_t)snprintf(buf, size, "miruo: %s", session_reason_word(i));
        if (seg->why_ms && n < size)
            n += (size_t)snprintf(buf + n, size - n, " +%u.%03u s",
                                  seg->why_ms / 1000, seg->why_ms % 1000);
        if (n < size)
            snprintf(buf + n, size - n, " (session %llu)",
                     (unsigned long long)s->id);
        return;
    }
    n = (size_t)snprintf(buf, size, "miruo: session %llu:",
                         (unsigned long long)s->id);
    for (i = 0; i < REASON_COUNT && n < size; i++)
        if (s->reasons & (1u << i))
            n += (size_t)snprintf(buf + n, size - n, "%s%s",
                                  buf[n - 1] == ':' ? " " : ",",
                                  session_reason_word(i));
}

static void write_flagged(struct miruo *m, int64_t ts_us,
                          const uint8_t *data, uint32_t caplen,
                          uint32_t wire_len, const char *comment)
{
    write_frame(m, m->flagged, m->cfg->flagged_file, ts_us, data, caplen,
                wire_len, comment);
}

/*
 * -W: once a lookup flags a session, write the packets it holds, then
 * every further packet as it arrives.
 */
static void on_packet_done(void *ctx, const struct tracker *tr,
                           struct session *s, const struct segment *seg,
                           const struct packet *p)
{
    struct miruo *m = ctx;
    const struct store *st = tracker_store(tr);
    char comment[160];
    uint32_t idx;

    if (m->flagged == NULL || !session_is_flagged(s))
        return;
    if (!(s->flags & SESS_SAVED)) {
        s->flags |= SESS_SAVED;
        for (idx = s->seg_head; idx != NO_INDEX;) {
            const struct segment *o = tracker_segment(tr, idx);
            uint32_t n = store_get(st, o->frame_blob, m->frame_buf,
                                   STORE_MAX_BLOB);
            if (o != seg && n > 0) {
                flagged_comment(comment, sizeof(comment), s, o);
                write_flagged(m, o->ts_us, m->frame_buf, n,
                              o->wire_len < n ? n : o->wire_len, comment);
            }
            idx = o->next;
        }
    }
    flagged_comment(comment, sizeof(comment), s, seg);
    write_flagged(m, p->ts_us, p->frame, p->frame_caplen, p->wire_len,
                  comment);
}

static void install_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* miruo | head ends quietly when head exits, even if SIGPIPE was
     * inherited as ignored (decisions.md #13). */
    sa.sa_handler = SIG_DFL;
    sigaction(SIGPIPE, &sa, NULL);
    /* SIGUSR1: the report, at the next packet or tick.  SA_RESTART, so a
     * read from a pipe (-f -) is not cut short by it. */
    sa.sa_handler = on_report_signal;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_flags = 0;
    sa.sa_handler = SIG_IGN;
    sigaction(SIGUSR2, &sa, NULL);
    sigaction(SIGALRM, &sa, NULL);
}

/*
 * The address names: --names FILE, else FILE.names beside a -f capture
 * (snoop's convention), if present.  Returns -1 on a bad names file.
 */
static int load_names(struct miruo *m)
{
    const struct config *cfg = m->cfg;
    char err[NAMES_ERRBUF_SIZE], *auto_path = NULL;
    const char *path = cfg->names_file;
    int r = 0;

    if (path == NULL && cfg->file != NULL && strcmp(cfg->file, "-") != 0 &&
        !cfg->write_names) {
        size_t n = strlen(cfg->file) + sizeof(".names");
        auto_path = malloc(n);
        if (auto_path != NULL) {
            snprintf(auto_path, n, "%s.names", cfg->file);
            if (access(auto_path, R_OK) == 0)
                path = auto_path;
        }
    }
    if (path == NULL && !cfg->resolve && !cfg->write_names) {
        free(auto_path);
        return 0;
    }
    m->names = names_new(cfg->resolve);
    if (m->names == NULL) {
        fprintf(stderr, "miruo: out of memory for the names table\n");
        r = -1;
    } else if (path != NULL && names_load(m->names, path, err) < 0) {
        fprintf(stderr, "miruo: %s\n", err);
        r = -1;
    }
    free(auto_path);
    return r;
}

/* --write-names: FILE.names for the addresses of the capture, then exit. */
static int write_names(struct miruo *m)
{
    const struct config *cfg = m->cfg;
    size_t n = strlen(cfg->file) + sizeof(".names");
    char *path = malloc(n);
    FILE *out;
    int count, status = EXIT_OK;

    if (path == NULL)
        return EXIT_USAGE;
    snprintf(path, n, "%s.names", strcmp(cfg->file, "-") ? cfg->file
                                                          : "stdin");
    if (capture_loop(m->capture, on_frames_names, NULL, m, &stop_requested,
                     m->errbuf) < 0) {
        fprintf(stderr, "miruo: read error: %s\n", m->errbuf);
        status = EXIT_READ_ERROR;
    }
    out = fopen(path, "w");
    if (out == NULL || (count = names_write(m->names, out)) < 0 ||
        fclose(out) != 0) {
        fprintf(stderr, "miruo: cannot write %s\n", path);
        free(path);
        return EXIT_USAGE;
    }
    fprintf(stderr, "miruo: wrote %d names to %s\n", count, path);
    free(path);
    return status;
}

/* -w FILE (pcap unless --write-format) or -W FILE (pcapng unless ...) */
static struct writer *open_one_writer(struct miruo *m, const char *path,
                                      enum writer_format dflt)
{
    char err[WRITER_ERRBUF_SIZE];
    enum writer_format fmt = dflt;
    struct writer *w;

    if (m->cfg->write_format != NULL)
        writer_format_parse(m->cfg->write_format, &fmt);
    w = writer_open(path, fmt, capture_dlt(m->capture),
                    capture_snaplen(m->capture), err);
    if (w == NULL)
        fprintf(stderr, "miruo: %s: %s\n", path, err);
    return w;
}

static int open_writer(struct miruo *m)
{
    if (m->cfg->write_file != NULL) {
        m->writer = open_one_writer(m, m->cfg->write_file, WRITER_PCAP);
        if (m->writer == NULL)
            return -1;
        m->show_counter = !m->cfg->quiet && isatty(STDERR_FILENO);
    }
    if (m->cfg->flagged_file != NULL) {
        m->flagged = open_one_writer(m, m->cfg->flagged_file,
                                     WRITER_PCAPNG);
        m->frame_buf = malloc(STORE_MAX_BLOB);
        if (m->flagged == NULL || m->frame_buf == NULL)
            return -1;
    }
    return 0;
}

static int close_writer(struct miruo *m)
{
    char err[WRITER_ERRBUF_SIZE];

    if (m->flagged != NULL && writer_close(m->flagged, err) < 0) {
        fprintf(stderr, "miruo: %s: %s\n", m->cfg->flagged_file, err);
        m->flagged = NULL;
        return -1;
    }
    m->flagged = NULL;
    if (m->writer == NULL)
        return 0;
    show_counter(m);
    if (m->show_counter)
        fputc('\n', stderr);
    if (writer_close(m->writer, err) < 0 || m->write_failed) {
        if (!m->write_failed)
            fprintf(stderr, "miruo: %s: %s\n", m->cfg->write_file, err);
        return -1;
    }
    return 0;
}

static void report_drops(struct miruo *m)
{
    struct capture_counts cc;

    capture_counts(m->capture, &cc);
    if (cc.drop > 0 || cc.ifdrop > 0)
        fprintf(stderr, "miruo: %llu packets dropped by the kernel, %llu by "
                "the interface\n", (unsigned long long)cc.drop,
                (unsigned long long)cc.ifdrop);
}

/*
 * -Z USER: give up root once the capture is open and the filter set, as
 * tcpdump does.  Every step is checked, and so is the result: the ids are
 * USER's and root cannot be regained.
 */
static int drop_privileges(const char *user)
{
    struct passwd *pw;
    gid_t gid;

    errno = 0;
    pw = getpwnam(user);
    if (pw == NULL) {
        fprintf(stderr, "miruo: -Z: unknown user '%s'\n", user);
        return -1;
    }
    gid = pw->pw_gid;
    if (setgroups(1, &gid) != 0 || setgid(pw->pw_gid) != 0 ||
        setuid(pw->pw_uid) != 0) {
        fprintf(stderr, "miruo: -Z: cannot become user '%s': %s\n", user,
                strerror(errno));
        return -1;
    }
    if (getuid() != pw->pw_uid || geteuid() != pw->pw_uid ||
        getgid() != pw->pw_gid || getegid() != pw->pw_gid ||
        setuid(0) == 0) {
        fprintf(stderr, "miruo: -Z: still able to act as root after "
                "switching to '%s'; refusing to run\n", user);
        return -1;
    }
    return 0;
}

/* --exit-status: 4 if the capture lost data (kernel or interface drops,
 * sessions or segments dropped for full pools), else 3 if a session was
 * flagged, else 0. */
static int contract_status(struct miruo *m)
{
    struct capture_counts cc;

    capture_counts(m->capture, &cc);
    if (report_data_lost(&m->stats, &cc))
        return EXIT_UNHEALTHY;
    return m->flagged_sessions > 0 ? EXIT_FLAGGED : EXIT_OK;
}

static int run(struct miruo *m)
{
    const struct config *cfg = m->cfg;
    struct tracker_hooks hooks;
    char banner[512];
    int status = EXIT_OK;

    m->printer = printer_new(cfg, &m->stats, STDOUT_FILENO);
    hooks.session_end = on_session_end;
    hooks.segment_stored = cfg->live ? on_segment_stored : NULL;
    hooks.packet_done = cfg->flagged_file ? on_packet_done : NULL;
    hooks.ctx = m;
    m->tracker = m->printer ? tracker_new(cfg, &m->stats, &hooks) : NULL;
    if (m->tracker == NULL) {
        fprintf(stderr, "miruo: out of memory for -L %u / -l %u\n",
                cfg->session_limit, cfg->segment_limit);
        return EXIT_USAGE;
    }
    m->stats.memory_bound = tracker_memory_bound(m->tracker);
    if (m->stats.memory_bound) {
        m->stats.memory_bound += BASE_MEMORY_BYTES;
        if (capture_is_live(m->capture)) {  /* the kernel ring we map */
            uint64_t ring_mib = cfg->buffer_mib ? cfg->buffer_mib : 2;
            m->stats.memory_bound += ring_mib << 20;
        }
    }
    feed_init(&m->feed, &m->stats, m->tracker, m->link,
              capture_is_live(m->capture));
    m->feed.on_frame = on_frame;
    m->feed.on_second = on_second;
    m->feed.ctx = m;
    printer_set_link(m->printer, m->link);
    printer_set_flush_each(m->printer, !capture_is_regular_file(m->capture));
    printer_set_names(m->printer, m->names);
    if (open_writer(m) < 0)
        return EXIT_USAGE;
    m->report = report_new(cfg->report);
    if (m->report == NULL) {
        fprintf(stderr, "miruo: out of memory for the report\n");
        return EXIT_USAGE;
    }
    if (cfg->json_file != NULL) {
        char jerr[JSON_ERRBUF_SIZE];
        m->json = json_open(cfg->json_file, jerr);
        if (m->json == NULL) {
            fprintf(stderr, "miruo: --json: %s\n", jerr);
            return EXIT_USAGE;
        }
        m->json_stdout = strcmp(cfg->json_file, "-") == 0;
    }
    if (cfg->html_file != NULL) {
        char herr[HTML_ERRBUF_SIZE];
        m->html = html_new(cfg, cfg->html_max, cfg->html_file, herr);
        if (m->html == NULL) {
            fprintf(stderr, "miruo: --html: %s\n", herr);
            return EXIT_USAGE;
        }
    }
    if (cfg->drop_user != NULL && drop_privileges(cfg->drop_user) < 0)
        return EXIT_USAGE;
    /* Progress for large files (32 MiB and more) on a terminal. */
    {
        uint64_t done, total;
        capture_progress(m->capture, &done, &total);
        /* Not when sessions print on the same terminal: they would
         * interleave. */
        m->show_progress = total >= ((uint64_t)32 << 20) && !cfg->quiet &&
                           isatty(STDERR_FILENO) && !isatty(STDOUT_FILENO);
        m->progress_wall_us = wall_clock_us();
    }
    capture_describe(m->capture, banner, sizeof(banner));
    fprintf(stderr, "%s\n", banner);
    cpu_meter_start(&m->cpu);
    if (capture_is_live(m->capture)) {
        /* Live capture time runs from start-up (spec 10.3). */
        struct timeval tv;
        gettimeofday(&tv, NULL);
        m->stats.have_time = 1;
        m->stats.first_us = m->stats.now_us =
            (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
    }

    /* A read interrupted by SIGINT/SIGTERM is a requested stop. */
    if (capture_loop(m->capture, on_frames, on_tick, m, &stop_requested,
                     m->errbuf) < 0 && !stop_requested)
        status = EXIT_READ_ERROR;
    if (m->show_progress)
        show_progress(m, 1);
    /* Sessions still open are judged and printed, never lost. */
    tracker_finish(m->tracker, m->stats.now_us);
    printer_flush(m->printer);
    if (m->json != NULL) {
        char jerr[JSON_ERRBUF_SIZE];
        if (json_close(m->json, jerr) < 0) {
            fprintf(stderr, "miruo: --json: %s\n", jerr);
            if (status == EXIT_OK)
                status = EXIT_READ_ERROR;
        }
        m->json = NULL;
    }
    if (close_writer(m) < 0 && status == EXIT_OK)
        status = EXIT_READ_ERROR;
    if (status == EXIT_READ_ERROR && m->errbuf[0])
        fprintf(stderr, "miruo: read error: %s\n", m->errbuf);
    print_stats(m);
    print_report(m);
    report_drops(m);
    if (m->html != NULL) {
        struct capture_counts cc;
        char herr[HTML_ERRBUF_SIZE];
        capture_counts(m->capture, &cc);
        if (html_write(m->html, m->report, &m->stats, &cc, herr) < 0) {
            fprintf(stderr, "miruo: --html: %s\n", herr);
            if (status == EXIT_OK)
                status = EXIT_READ_ERROR;
        }
    }
    if (status == EXIT_OK && cfg->exit_status)
        status = contract_status(m);
    return status;
}

int main(int argc, char **argv)
{
    struct config cfg;
    struct miruo m;
    int status;

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
    install_signals();
    m.capture = capture_open(&cfg, m.errbuf);
    if (m.capture == NULL) {
        fprintf(stderr, "miruo: %s\n", m.errbuf);
        options_free(&cfg);
        return EXIT_USAGE;
    }
    m.link = capture_link(m.capture);
    if (cfg.dump_filter) {
        capture_dump_filter(m.capture);
        status = EXIT_OK;
    } else if (load_names(&m) < 0) {
        status = EXIT_USAGE;
    } else if (cfg.write_names) {
        status = write_names(&m);
    } else {
        status = run(&m);
    }
    if (m.json != NULL) {               /* a start-up error after --json */
        char jerr[JSON_ERRBUF_SIZE];
        json_close(m.json, jerr);
    }
    tracker_free(m.tracker);
    printer_free(m.printer);
    report_free(m.report);
    html_free(m.html);
    free(m.frame_buf);
    names_free(m.names);
    capture_close(m.capture);
    options_free(&cfg);
    return status;
}
