/*
 * capture.c - libpcap sources, the BPF filter and the capture loop.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <pcap/pcap.h>

#include "capture.h"
#include "options.h"
#include "stats.h"

#define LIVE_SNAPLEN        1522    /* spec 3.1 */
#define LIVE_TIMEOUT_MS     100     /* packets reach us within this */
#define FILE_BATCH          256     /* frames between checks of *stop */

struct capture {
    pcap_t *pcap;
    int live;
    enum link_kind link;
    char device[200];
    const char *file;
    /* callback state for the libpcap trampoline */
    capture_frame_fn on_frame;
    void *ctx;
};

static void set_err(char *errbuf, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void set_err(char *errbuf, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(errbuf, CAPTURE_ERRBUF_SIZE, fmt, ap);
    va_end(ap);
}

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
    pcap_set_snaplen(p, LIVE_SNAPLEN);
    pcap_set_promisc(p, 1);
    pcap_set_timeout(p, LIVE_TIMEOUT_MS);
    rc = pcap_activate(p);
    if (rc < 0) {
        const char *why = pcap_geterr(p);
        if (rc == PCAP_ERROR_NO_SUCH_DEVICE)
            set_err(errbuf, "%s: no such device (%s)", c->device, why);
        else if (rc == PCAP_ERROR_PERM_DENIED)
            set_err(errbuf, "%s: permission denied; capturing needs root "
                    "(%s)", c->device, why);
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

static pcap_t *open_file(const struct config *cfg, char *errbuf)
{
    char pcap_err[PCAP_ERRBUF_SIZE];
    pcap_t *p;

#ifdef HAVE_PCAP_OPEN_OFFLINE_WITH_TSTAMP_PRECISION
    p = pcap_open_offline_with_tstamp_precision(cfg->file,
            PCAP_TSTAMP_PRECISION_MICRO, pcap_err);
#else
    p = pcap_open_offline(cfg->file, pcap_err);
#endif
    if (p == NULL)
        set_err(errbuf, "%s: %s", cfg->file, pcap_err);
    return p;
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

struct capture *capture_open(const struct config *cfg, char *errbuf)
{
    struct capture *c = calloc(1, sizeof(*c));
    struct bpf_program prog;
    int dlt;

    if (c == NULL) {
        set_err(errbuf, "out of memory");
        return NULL;
    }
    c->live = cfg->file == NULL;
    c->file = cfg->file;
    if (cfg->device != NULL)
        snprintf(c->device, sizeof(c->device), "%s", cfg->device);
    c->pcap = c->live ? open_live(c, cfg, errbuf) : open_file(cfg, errbuf);
    if (c->pcap == NULL) {
        free(c);
        return NULL;
    }
    dlt = pcap_datalink(c->pcap);
    c->link = decode_link_kind(dlt);
    if (c->link == LINK_UNSUPPORTED) {
        char what[128];
        snprintf(what, sizeof(what), "%s (%s)", dlt_name(dlt),
                 dlt_desc(dlt));
        set_err(errbuf, "unsupported link type %s; miruo reads Ethernet, "
                "Linux cooked (SLL, SLL2), BSD loopback and raw IP", what);
        capture_close(c);
        return NULL;
    }
    if (cfg->filter != NULL) {
        if (pcap_compile(c->pcap, &prog, cfg->filter, 1,
                         PCAP_NETMASK_UNKNOWN) < 0) {
            set_err(errbuf, "bad filter expression '%s': %s", cfg->filter,
                    pcap_geterr(c->pcap));
            capture_close(c);
            return NULL;
        }
        if (pcap_setfilter(c->pcap, &prog) < 0) {
            set_err(errbuf, "cannot install filter: %s",
                    pcap_geterr(c->pcap));
            pcap_freecode(&prog);
            capture_close(c);
            return NULL;
        }
        pcap_freecode(&prog);
    }
    return c;
}

void capture_close(struct capture *c)
{
    if (c == NULL)
        return;
    if (c->pcap != NULL)
        pcap_close(c->pcap);
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

void capture_describe(const struct capture *c, char *buf, size_t size)
{
    int dlt = pcap_datalink(c->pcap);

    if (c->live)
        snprintf(buf, size, "listening on %s, link-type %s (%s), "
                 "capture size %d bytes", c->device, dlt_name(dlt),
                 dlt_desc(dlt), pcap_snapshot(c->pcap));
    else
        snprintf(buf, size, "reading from file %s, link-type %s (%s), "
                 "capture size %d bytes",
                 strcmp(c->file, "-") == 0 ? "-" : c->file, dlt_name(dlt),
                 dlt_desc(dlt), pcap_snapshot(c->pcap));
}

static void trampoline(u_char *user, const struct pcap_pkthdr *h,
                       const u_char *data)
{
    struct capture *c = (struct capture *)user;
    int64_t ts = (int64_t)h->ts.tv_sec * 1000000 + h->ts.tv_usec;

    c->on_frame(c->ctx, ts, data, h->caplen, h->len);
}

static int64_t wall_us(void)
{
    struct timeval tv;

    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

int capture_loop(struct capture *c, capture_frame_fn on_frame,
                 capture_tick_fn on_tick, void *ctx,
                 volatile sig_atomic_t *stop, char *errbuf)
{
    struct pollfd pfd;
    int n;

    c->on_frame = on_frame;
    c->ctx = ctx;
    if (!c->live) {
        while (!*stop) {
            n = pcap_dispatch(c->pcap, FILE_BATCH, trampoline, (u_char *)c);
            if (n == 0)
                return 0;           /* end of file */
            if (n == PCAP_ERROR) {
                set_err(errbuf, "%s: %s", c->file, pcap_geterr(c->pcap));
                return -1;
            }
        }
        return 0;
    }
    pfd.fd = pcap_get_selectable_fd(c->pcap);
    pfd.events = POLLIN;
    while (!*stop) {
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
            on_tick(ctx, wall_us());
    }
    return 0;
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
