/*
 * capture.c - libpcap sources, the BPF filter and the capture loop.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "errbuf.h"
#include "capture.h"
#include "pcapfile.h"
#include "snoopfile.h"
#include "options.h"
#include "stats.h"

#define LIVE_SNAPLEN        1522    /* spec 3.1 */
#define LIVE_TIMEOUT_MS     100     /* packets reach us within this */
#define FILE_BATCH          256     /* frames between checks of *stop */
#define SNOOP_SNAPLEN       262144  /* snoop files have no snap length */

struct capture {
    pcap_t *pcap;               /* live, pcap/pcapng file, or a dead handle
                                 * that compiles the filter for snoop files */
    struct snoop_reader *snoop; /* a snoop file is being read */
    struct pcap_reader *records;/* a classic pcap regular file: its records
                                 * are read here, not by libpcap */
    FILE *fp;                   /* the capture file */
    int live;
    int dlt;
    enum link_kind link;
    char device[200];
    const char *file;
    int regular;                /* the file is a regular file */
    uint64_t file_size;
    struct bpf_program prog;    /* files: filtered here, to number records */
    int have_prog;
    uint32_t cut;               /* files: --snaplen cut, 0 = none */
    uint64_t record;            /* records read so far (file order) */
    uint64_t delivered;         /* frames handed on */
    uint64_t first, last, count;/* -p FIRST,LAST and -c */
    int done;                   /* -c or -p reached */
    /* the consumer, and the frames not handed to it yet */
    capture_frames_fn on_frames;
    void *ctx;
    struct frame pending[CAPTURE_BATCH];
    unsigned npending;
};

#define set_err(buf, ...) \
    errbuf_printf((buf), CAPTURE_ERRBUF_SIZE, __VA_ARGS__)

/* The first device that is up and not a loopback, as libpcap lists them. */
static int default_device(char *out, size_t size, char *errbuf)
{
    char pcap_err[PCAP_ERRBUF_SIZE];
    pcap_if_t *all = NULL, *d;
    int found = 0;

    if (pcap_findalldevs(&all, pcap_err) != 0) {
        set_err(errbuf, "cannot list capture devices: %s", pcap_err);
        return -1;
    }
    for (d = all; d != NULL && !found; d = d->next) {
        if ((d->flags & PCAP_IF_LOOPBACK) || !(d->flags & PCAP_IF_UP))
            continue;
        if (strcmp(d->name, "any") == 0)
            continue;
        snprintf(out, size, "%s", d->name);
        found = 1;
    }
    pcap_freealldevs(all);
    if (!found) {
        set_err(errbuf, "no capture device is up (name one with -i, e.g. "
                "-i any or -i lo; capturing needs root)");
        return -1;
    }
    return 0;
}

static pcap_t *open_live(struct capture *c, const struct config *cfg,
                         char *errbuf)
{
    char pcap_err[PCAP_ERRBUF_SIZE];
    pcap_t *p;
    int rc;

    if (cfg->device != NULL)
        snprintf(c->device, sizeof(c->device), "%s", cfg->device);
    else if (default_device(c->device, sizeof(c->device), errbuf) < 0)
        return NULL;
    p = pcap_create(c->device, pcap_err);
    if (p == NULL) {
        set_err(errbuf, "%s: %s", c->device, pcap_err);
        return NULL;
    }
    pcap_set_snaplen(p, cfg->snaplen ? (int)cfg->snaplen : LIVE_SNAPLEN);
    pcap_set_promisc(p, cfg->promisc);
    pcap_set_timeout(p, LIVE_TIMEOUT_MS);
#ifdef HAVE_PCAP_SET_IMMEDIATE_MODE
    /* --live prints every packet as it arrives: do not wait for the ring
     * block to fill or time out. */
    if (cfg->live)
        pcap_set_immediate_mode(p, 1);
#endif
    if (cfg->buffer_mib > 0)
        pcap_set_buffer_size(p, (int)(cfg->buffer_mib * 1024 * 1024));
    rc = pcap_activate(p);
    if (rc < 0) {
        const char *why = pcap_geterr(p);
        if (rc == PCAP_ERROR_NO_SUCH_DEVICE)
            set_err(errbuf, "%s: no such device (%s)", c->device, why);
        else if (rc == PCAP_ERROR_PERM_DENIED)
            set_err(errbuf, "%s: permission denied: live capture needs the "
                    "CAP_NET_RAW capability (run as root) (%s)", c->device,
                    why);
        else
            set_err(errbuf, "%s: %s", c->device,
                    why[0] ? why : pcap_statustostr(rc));
        pcap_close(p);
        return NULL;
    }
    if (pcap_setnonblock(p, 1, pcap_err) < 0) {
        set_err(errbuf, "%s: %s", c->device, pcap_err);
        pcap_close(p);
        return NULL;
    }
    return p;
}

/* ---- files: pcap, pcapng or snoop, chosen by the magic ------------------- */

struct prefixed {
    int fd;
    unsigned char pre[16];
    size_t len, pos;
};

/*
 * One read(2) at a time, so packets arriving slowly on a pipe are
 * processed as they come.  EINTR is not retried: only SIGINT and SIGTERM
 * interrupt (the other signals are ignored), and they mean stop.
 */
static ssize_t prefixed_read(void *cookie, char *buf, size_t size)
{
    struct prefixed *p = cookie;
    size_t n = 0;

    while (n < size && p->pos < p->len)
        buf[n++] = (char)p->pre[p->pos++];
    if (n > 0)
        return (ssize_t)n;
    return read(p->fd, buf, size);
}

static int prefixed_close(void *cookie)
{
    free(cookie);
    return 0;
}

/*
 * Give back the bytes already read for format detection: rewind a
 * regular file, or put them in front of a pipe with a cookie stream.
 */
static FILE *unread_prefix(FILE *f, const unsigned char *pre, size_t len)
{
    cookie_io_functions_t io = { prefixed_read, NULL, NULL, prefixed_close };
    struct prefixed *p;
    FILE *g;

    if (fseek(f, 0, SEEK_SET) == 0)
        return f;
    p = calloc(1, sizeof(*p));
    if (p == NULL)
        return NULL;
    p->fd = fileno(f);
    memcpy(p->pre, pre, len);
    p->len = len;
    g = fopencookie(p, "r", io);
    if (g == NULL)
        free(p);
    return g;
}

/*
 * The first bytes, for format detection.  Standard input is read with
 * read(2) so that stdio buffers nothing the pipe reader would miss.
 */
static size_t read_magic(FILE *f, unsigned char *buf, size_t size)
{
    size_t got = 0;
    ssize_t r;

    if (f != stdin)
        return fread(buf, 1, size, f);
    while (got < size) {
        r = read(STDIN_FILENO, buf + got, size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    return got;
}

static int open_file(struct capture *c, const struct config *cfg,
                     char *errbuf)
{
    char pcap_err[PCAP_ERRBUF_SIZE], serr[SNOOP_ERRBUF_SIZE];
    unsigned char magic[8];
    size_t got;
    int nsec;
    FILE *f, *g;

    if (strcmp(cfg->file, "-") == 0) {
        f = stdin;
    } else {
        f = fopen(cfg->file, "rb");
        if (f == NULL) {
            set_err(errbuf, "%s: %s", cfg->file, strerror(errno));
            return -1;
        }
    }
    c->fp = f;
    {
        struct stat sb;
        c->regular = fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode);
        c->file_size = c->regular ? (uint64_t)sb.st_size : 0;
    }
    got = read_magic(f, magic, sizeof(magic));
    if (snoop_magic_matches(magic, got)) {
        c->snoop = snoop_open(f, magic, got, serr);
        if (c->snoop == NULL) {
            set_err(errbuf, "%s: %s", cfg->file, serr);
            return -1;
        }
        c->dlt = snoop_dlt(c->snoop);
        if (c->dlt < 0) {
            set_err(errbuf, "%s: unsupported snoop datalink %u; miruo reads "
                    "Ethernet snoop files", cfg->file,
                    snoop_datalink(c->snoop));
            return -1;
        }
        c->pcap = pcap_open_dead(c->dlt, SNOOP_SNAPLEN);
        if (c->pcap == NULL) {
            set_err(errbuf, "%s: out of memory", cfg->file);
            return -1;
        }
        return 0;
    }
    g = unread_prefix(f, magic, got);
    if (g == NULL) {
        set_err(errbuf, "%s: %s", cfg->file, strerror(errno));
        return -1;
    }
    c->fp = g;                      /* libpcap closes it from now on */
#ifdef HAVE_PCAP_OPEN_OFFLINE_WITH_TSTAMP_PRECISION
    c->pcap = pcap_fopen_offline_with_tstamp_precision(g,
                  PCAP_TSTAMP_PRECISION_MICRO, pcap_err);
#else
    c->pcap = pcap_fopen_offline(g, pcap_err);
#endif
    if (c->pcap == NULL) {
        set_err(errbuf, "%s: %s", cfg->file, pcap_err);
        return -1;
    }
    c->fp = NULL;
    c->dlt = pcap_datalink(c->pcap);
    if (c->regular && pcapfile_magic(magic, got, &nsec)) {
        c->records = pcapfile_open(fileno(pcap_file(c->pcap)),
                                   pcap_is_swapped(c->pcap), nsec,
                                   (uint32_t)pcap_snapshot(c->pcap));
        if (c->records == NULL) {
            set_err(errbuf, "%s: out of memory", cfg->file);
            return -1;
        }
    }
    return 0;
}

static const char *dlt_name(int dlt)
{
    const char *n = pcap_datalink_val_to_name(dlt);
    return n ? n : "unknown";
}

static const char *dlt_desc(int dlt)
{
    const char *d = pcap_datalink_val_to_description(dlt);
    return d ? d : "unknown";
}

/* Compile the filter; live captures install it in the kernel, files keep
 * it to run on each record (so records keep their numbers for -p). */
static int setup_filter(struct capture *c, const struct config *cfg,
                        char *errbuf)
{
    const char *expr = cfg->filter ? cfg->filter : "";

    if (cfg->filter == NULL && !cfg->dump_filter)
        return 0;
    if (pcap_compile(c->pcap, &c->prog, expr, 1,
                     PCAP_NETMASK_UNKNOWN) < 0) {
        set_err(errbuf, "bad filter expression '%s': %s", expr,
                pcap_geterr(c->pcap));
        return -1;
    }
    c->have_prog = 1;
    if (c->live && pcap_setfilter(c->pcap, &c->prog) < 0) {
        set_err(errbuf, "cannot install filter: %s", pcap_geterr(c->pcap));
        return -1;
    }
    return 0;
}

struct capture *capture_open(const struct config *cfg, char *errbuf)
{
    struct capture *c = calloc(1, sizeof(*c));

    if (c == NULL) {
        set_err(errbuf, "out of memory");
        return NULL;
    }
    c->live = cfg->file == NULL;
    c->file = cfg->file;
    c->first = cfg->first_packet;
    c->last = cfg->last_packet;
    c->count = cfg->count;
    if (cfg->device != NULL)
        snprintf(c->device, sizeof(c->device), "%s", cfg->device);
    if (c->live) {
        c->pcap = open_live(c, cfg, errbuf);
        if (c->pcap == NULL)
            goto fail;
        c->dlt = pcap_datalink(c->pcap);
    } else {
        if (open_file(c, cfg, errbuf) < 0)
            goto fail;
        c->cut = cfg->snaplen;
    }
    c->link = decode_link_kind(c->dlt);
    if (c->link == LINK_UNSUPPORTED) {
        char what[128];
        snprintf(what, sizeof(what), "%s (%s)", dlt_name(c->dlt),
                 dlt_desc(c->dlt));
        set_err(errbuf, "unsupported link type %s; miruo reads Ethernet, "
                "Linux cooked (SLL, SLL2), BSD loopback and raw IP", what);
        goto fail;
    }
    if (setup_filter(c, cfg, errbuf) < 0)
        goto fail;
    return c;
fail:
    capture_close(c);
    return NULL;
}

void capture_dump_filter(const struct capture *c)
{
    if (c->have_prog)
        bpf_dump(&c->prog, 1);
}

int capture_dlt(const struct capture *c)
{
    return c->dlt;
}

uint32_t capture_snaplen(const struct capture *c)
{
    if (c->snoop != NULL)
        return c->cut ? c->cut : SNOOP_SNAPLEN;
    if (!c->live && c->cut)
        return c->cut;
    return (uint32_t)pcap_snapshot(c->pcap);
}

void capture_close(struct capture *c)
{
    if (c == NULL)
        return;
    if (c->have_prog)
        pcap_freecode(&c->prog);
    if (c->snoop != NULL)
        snoop_close(c->snoop);
    pcapfile_close(c->records);
    if (c->pcap != NULL)
        pcap_close(c->pcap);
    if (c->fp != NULL && c->fp != stdin)
        fclose(c->fp);
    free(c);
}

enum link_kind capture_link(const struct capture *c)
{
    return c->link;
}

int capture_is_live(const struct capture *c)
{
    return c->live;
}

void capture_progress(const struct capture *c, uint64_t *done,
                      uint64_t *total)
{
    FILE *f = NULL;
    long pos;

    *done = *total = 0;
    if (c->live || !c->regular)
        return;
    if (c->records != NULL) {
        *done = pcapfile_offset(c->records);
        *total = c->file_size;
        return;
    }
    if (c->snoop != NULL)
        f = c->fp;
    else if (c->pcap != NULL)
        f = pcap_file(c->pcap);
    if (f == NULL || (pos = ftell(f)) < 0)
        return;
    *done = (uint64_t)pos;
    *total = c->file_size;
}

int capture_is_regular_file(const struct capture *c)
{
    return !c->live && c->regular;
}

void capture_describe(const struct capture *c, char *buf, size_t size)
{
    if (c->live)
        snprintf(buf, size, "listening on %s, link-type %s (%s), "
                 "capture size %u bytes", c->device, dlt_name(c->dlt),
                 dlt_desc(c->dlt), capture_snaplen(c));
    else
        snprintf(buf, size, "reading from %sfile %s, link-type %s (%s), "
                 "capture size %u bytes", c->snoop ? "snoop " : "",
                 c->file, dlt_name(c->dlt), dlt_desc(c->dlt),
                 capture_snaplen(c));
}

/* Queue a frame for the consumer (flush_frames() hands the queue on). */
static void queue_frame(struct capture *c, int64_t ts_us, const uint8_t *data,
                        uint32_t caplen, uint32_t wire_len)
{
    struct frame *f = &c->pending[c->npending++];

    f->ts_us = ts_us;
    f->data = data;
    f->caplen = caplen;
    f->wire_len = wire_len;
}

/*
 * One record of a file, or one packet of a live capture: number it, apply
 * the filter (files), -p and -c, the --snaplen cut, and queue it.
 */
static void deliver(struct capture *c, int64_t ts_us, const uint8_t *data,
                    uint32_t caplen, uint32_t wire_len)
{
    c->record++;
    if (c->first && c->record < c->first)
        return;
    if (c->last && c->record > c->last) {
        c->done = 1;
        return;
    }
    if (!c->live && c->cut && caplen > c->cut)
        caplen = c->cut;
    if (!c->live && c->have_prog) {
        struct pcap_pkthdr h;
        h.ts.tv_sec = (time_t)(ts_us / 1000000);
        h.ts.tv_usec = (suseconds_t)(ts_us % 1000000);
        h.caplen = caplen;
        h.len = wire_len;
        if (pcap_offline_filter(&c->prog, &h, data) == 0)
            return;
    }
    queue_frame(c, ts_us, data, caplen, wire_len);
    c->delivered++;
    if ((c->count && c->delivered >= c->count) ||
        (c->last && c->record >= c->last))
        c->done = 1;
}

static void flush_frames(struct capture *c)
{
    if (c->npending > 0) {
        c->on_frames(c->ctx, c->pending, c->npending);
        c->npending = 0;
    }
}

/*
 * A capture timestamp in microseconds.  pcapng stores 64-bit times, so a
 * hostile file can carry seconds that overflow the conversion: such times
 * are clamped to what pcap and snoop files can hold (32-bit seconds, up to
 * 2106), which microsecond arithmetic in doubles also keeps exact.
 */
#define MAX_TS_SECONDS ((int64_t)0xFFFFFFFF)

static int64_t timeval_us(int64_t sec, int64_t usec)
{
    if (sec < 0)
        sec = 0;
    if (sec > MAX_TS_SECONDS)
        sec = MAX_TS_SECONDS;
    if (usec < 0 || usec > 999999999)
        usec = 0;
    return sec * 1000000 + usec;
}

static void trampoline(u_char *user, const struct pcap_pkthdr *h,
                       const u_char *data)
{
    struct capture *c = (struct capture *)user;

    if (c->done)
        return;
    deliver(c, timeval_us(h->ts.tv_sec, h->ts.tv_usec), data, h->caplen,
            h->len);
    flush_frames(c);            /* libpcap's data is valid until we return */
    if (c->done)
        pcap_breakloop(c->pcap);
}

static int64_t wall_us(void)
{
    struct timeval tv;

    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

/* No filter, -p, -c or --snaplen: deliver() would pass every record. */
static int pass_all(const struct capture *c)
{
    return !c->have_prog && !c->first && !c->last && !c->count && !c->cut;
}

/* Files whose records miruo reads itself: snoop, and classic pcap. */
static int loop_records(struct capture *c, volatile sig_atomic_t *stop,
                        char *errbuf)
{
    char rerr[SNOOP_ERRBUF_SIZE > PCAPFILE_ERRBUF_SIZE ?
              SNOOP_ERRBUF_SIZE : PCAPFILE_ERRBUF_SIZE];
    struct pcap_record rec[CAPTURE_BATCH];
    int64_t ts;
    int i, n;

    while (!*stop && !c->done) {
        if (c->records != NULL)
            n = pcapfile_next_batch(c->records, rec, CAPTURE_BATCH, rerr);
        else
            n = snoop_next(c->snoop, &ts, &rec[0].data, &rec[0].caplen,
                           &rec[0].wire_len, rerr);
        if (n == 0)
            return 0;
        if (n < 0) {
            set_err(errbuf, "%s: %s", c->file, rerr);
            return -1;
        }
        if (c->records != NULL && pass_all(c)) {
            /* Nothing to select or cut: every record goes on as it is. */
            for (i = 0; i < n; i++)
                queue_frame(c, timeval_us(rec[i].sec, rec[i].usec),
                            rec[i].data, rec[i].caplen, rec[i].wire_len);
            c->record += (unsigned)n;
            c->delivered += (unsigned)n;
        } else {
            for (i = 0; i < n && !c->done; i++) {
                if (c->records != NULL)
                    ts = timeval_us(rec[i].sec, rec[i].usec);
                deliver(c, ts, rec[i].data, rec[i].caplen, rec[i].wire_len);
            }
        }
        flush_frames(c);
    }
    return 0;
}

static int loop_file(struct capture *c, volatile sig_atomic_t *stop,
                     char *errbuf)
{
    int n;

    while (!*stop && !c->done) {
        n = pcap_dispatch(c->pcap, FILE_BATCH, trampoline, (u_char *)c);
        if (n == 0 && !c->done)
            return 0;           /* end of file */
        if (n == PCAP_ERROR) {
            set_err(errbuf, "%s: %s", c->file, pcap_geterr(c->pcap));
            return -1;
        }
    }
    return 0;
}

static int loop_live(struct capture *c, capture_tick_fn on_tick,
                     volatile sig_atomic_t *stop, char *errbuf)
{
    struct pollfd pfd;
    int n;

    pfd.fd = pcap_get_selectable_fd(c->pcap);
    pfd.events = POLLIN;
    while (!*stop && !c->done) {
        if (pfd.fd >= 0) {
            n = poll(&pfd, 1, LIVE_TIMEOUT_MS);
            if (n < 0 && errno != EINTR) {
                set_err(errbuf, "%s: poll: %s", c->device, strerror(errno));
                return -1;
            }
        }
        n = pcap_dispatch(c->pcap, -1, trampoline, (u_char *)c);
        if (n == PCAP_ERROR) {
            set_err(errbuf, "%s: %s", c->device, pcap_geterr(c->pcap));
            return -1;
        }
        if (on_tick != NULL)
            on_tick(c->ctx, wall_us());
    }
    return 0;
}

int capture_loop(struct capture *c, capture_frames_fn on_frames,
                 capture_tick_fn on_tick, void *ctx,
                 volatile sig_atomic_t *stop, char *errbuf)
{
    c->on_frames = on_frames;
    c->ctx = ctx;
    if (c->snoop != NULL || c->records != NULL)
        return loop_records(c, stop, errbuf);
    if (!c->live)
        return loop_file(c, stop, errbuf);
    return loop_live(c, on_tick, stop, errbuf);
}

void capture_counts(struct capture *c, struct capture_counts *cc)
{
    struct pcap_stat ps;

    memset(cc, 0, sizeof(*cc));
    if (!c->live || pcap_stats(c->pcap, &ps) != 0)
        return;
    cc->recv = ps.ps_recv;
    cc->drop = ps.ps_drop;
    cc->ifdrop = ps.ps_ifdrop;
}
