/*
 * html.c - the HTML report (html.h): one self-contained page.
 *
 * The page has inline CSS and inline SVG only: no script, no external
 * resource (nothing that a browser would fetch), so it opens offline and
 * prints.  Every text that comes from packets or sessions is escaped
 * (html_escape), and the markup is also well-formed XML, so each SVG can
 * be checked on its own.
 *
 * Sections are rendered when their session ends, while its segments are
 * still stored, into a buffer of HTML_SECTION_MAX bytes, and only the
 * --html-max worst are kept, in a heap whose root is the least bad: a
 * worse session replaces it.  "Worse" is, in this order: flagged by a
 * lookup; more different reasons (the header's words, `truncated' aside);
 * more reported retransmissions; a longer longest silence; then the older
 * session ID.  The page lists the kept sections worst first.
 *
 * The graphs are drawn by html_graph.c, into the buffer of html_text.c.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "html.h"
#include "html_graph.h"
#include "html_text.h"
#include "json.h"
#include "options.h"
#include "print.h"
#include "report.h"
#include "stats.h"

#define TEXT_RAW_MAX    (256 * 1024 + 1)    /* printer_session_text */
#define TOC_ROW_MAX     448     /* a section's row in the contents */
/* A section and its row in the contents stay within HTML_SECTION_MAX. */
#define SECTION_BODY_MAX (HTML_SECTION_MAX - TOC_ROW_MAX)

/* ---- sections and the worst-N heap -------------------------------------- */

struct key {
    uint8_t flagged;
    uint8_t nreasons;
    uint64_t rx;
    int64_t silence;
    uint64_t id;
};

/* Does `a` rank before (is worse than) `b`? */
static int worse(const struct key *a, const struct key *b)
{
    if (a->flagged != b->flagged)
        return a->flagged > b->flagged;
    if (a->nreasons != b->nreasons)
        return a->nreasons > b->nreasons;
    if (a->rx != b->rx)
        return a->rx > b->rx;
    if (a->silence != b->silence)
        return a->silence > b->silence;
    return a->id < b->id;
}

struct section {
    struct key k;
    char *html;
    size_t len;
    char toc[TOC_ROW_MAX];  /* its row in the table of contents */
};

struct html_report {
    const struct config *cfg;
    FILE *fp;
    char *path;
    unsigned max;
    unsigned n;
    struct section *heap;       /* root: the least bad kept */
    char *sbuf;                 /* a section being rendered */
    char *text;                 /* printer_session_text */
    char *gbuf;                 /* one graph */
    const struct segment **segs;
    size_t segs_cap;
    struct graph_scratch sc;
    uint64_t offered;           /* shown sessions seen */
    uint64_t cut;               /* sections cut to fit */
};

static void key_of(struct key *k, const struct session *s)
{
    unsigned i;

    memset(k, 0, sizeof(*k));
    k->flagged = (uint8_t)(session_is_flagged(s) != 0);
    for (i = 0; i < REASON_COUNT; i++)
        if ((s->reasons & (1u << i)) && (1u << i) != REASON_TRUNCATED)
            k->nreasons++;
    k->rx = (uint64_t)s->facts.retransmits[0] + s->facts.retransmits[1];
    k->silence = s->facts.max_gap_us;
    k->id = s->id;
}

static void heap_swap(struct section *a, struct section *b)
{
    struct section t = *a;

    *a = *b;
    *b = t;
}

static void sift_up(struct section *h, unsigned i)
{
    while (i > 0) {
        unsigned p = (i - 1) / 2;
        if (!worse(&h[p].k, &h[i].k))
            break;
        heap_swap(&h[p], &h[i]);
        i = p;
    }
}

static void sift_down(struct section *h, unsigned n, unsigned i)
{
    for (;;) {
        unsigned l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && worse(&h[m].k, &h[l].k))
            m = l;
        if (r < n && worse(&h[m].k, &h[r].k))
            m = r;
        if (m == i)
            return;
        heap_swap(&h[m], &h[i]);
        i = m;
    }
}

struct html_report *html_new(const struct config *cfg, unsigned max_sessions,
                             const char *path, char errbuf[HTML_ERRBUF_SIZE])
{
    struct html_report *h = calloc(1, sizeof(*h));

    if (max_sessions == 0)
        max_sessions = HTML_MAX_DEFAULT;
    if (max_sessions > HTML_MAX_LIMIT)
        max_sessions = HTML_MAX_LIMIT;
    if (h == NULL)
        goto oom;
    h->cfg = cfg;
    h->max = max_sessions;
    h->heap = calloc(max_sessions, sizeof(*h->heap));
    h->sbuf = malloc(HTML_SECTION_MAX);
    h->text = malloc(TEXT_RAW_MAX);
    h->gbuf = malloc(HTML_GRAPH_MAX);
    if (h->heap == NULL || h->sbuf == NULL || h->text == NULL ||
        h->gbuf == NULL)
        goto oom;
    if (path != NULL) {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0 || (h->fp = fdopen(fd, "w")) == NULL) {
            snprintf(errbuf, HTML_ERRBUF_SIZE, "cannot open %s: %s", path,
                     strerror(errno));
            if (fd >= 0)
                close(fd);
            html_free(h);
            return NULL;
        }
        h->path = strdup(path);
        if (h->path == NULL)
            goto oom;
    }
    return h;
oom:
    snprintf(errbuf, HTML_ERRBUF_SIZE, "out of memory for the HTML report");
    html_free(h);
    return NULL;
}

void html_free(struct html_report *h)
{
    unsigned i;

    if (h == NULL)
        return;
    if (h->fp != NULL)
        fclose(h->fp);
    for (i = 0; i < h->n; i++)
        free(h->heap[i].html);
    free(h->heap);
    free(h->sbuf);
    free(h->text);
    free(h->gbuf);
    free(h->segs);
    graph_scratch_free(&h->sc);
    free(h->path);
    free(h);
}

/* The legend: one sample of each mark, with its name. */
static void legend(struct buf *b, uint64_t id)
{
    unsigned long long n = (unsigned long long)id;

    hb_printf(b, "<svg class=\"lg\" viewBox=\"0 0 1200 26\" width=\"1200\" "
             "height=\"26\" role=\"img\"><title>legend</title><defs>"
             "<pattern id=\"hzlg%llu\" width=\"6\" height=\"6\" "
             "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)"
             "\"><rect width=\"6\" height=\"6\" fill=\"#f4ecd0\"/><path "
             "d=\"M0 0V6\" stroke=\"#8a7a4a\" stroke-width=\"2\"/>"
             "</pattern></defs><g class=\"lgd\">", n);
    hb_str(b, "<path class=\"d\" d=\"M10 20V6\"/><text x=\"18\" y=\"17\">"
          "data segment</text>"
          "<path class=\"rb\" d=\"M120 22V8\"/><path class=\"rm\" "
          "d=\"M120 0l4 4l-4 4l-4-4z\"/><text x=\"130\" y=\"17\">"
          "retransmission (dashed, diamond)</text>"
          "<path class=\"ack\" d=\"M340 16H360V10H380\"/><text x=\"386\" "
          "y=\"17\">ACK</text>"
          "<path class=\"win\" d=\"M430 12H470\"/><text x=\"476\" y=\"17\">"
          "receive window</text>"
          "<path class=\"sack\" d=\"M590 20V8\"/><text x=\"598\" y=\"17\">"
          "SACK block</text>");
    hb_printf(b, "<rect x=\"680\" y=\"5\" width=\"24\" height=\"16\" "
             "fill=\"url(#hzlg%llu)\"/><text x=\"710\" y=\"17\">zero "
             "window</text>", n);
    hb_str(b, "<g class=\"ev syn\"><path d=\"M810 7l6 10h-12z\"/></g>"
          "<text x=\"822\" y=\"17\">SYN</text>"
          "<g class=\"ev fin\"><path d=\"M865.5 8.5h9v9h-9z\"/></g>"
          "<text x=\"880\" y=\"17\">FIN</text>"
          "<g class=\"ev rst\"><path d=\"M925 8l10 10m0-10l-10 10\"/></g>"
          "<text x=\"941\" y=\"17\">RST</text>"
          "</g></svg>");
}

static void section_graphs(struct html_report *h, struct buf *b,
                           const struct session *s, size_t n)
{
    int dir;

    graph_replay(h->cfg, s, h->segs, n, h->sc.rx);
    for (dir = 0; dir < 2; dir++) {
        size_t len = graph_draw(&h->sc, h->gbuf, HTML_GRAPH_MAX, h->cfg, s,
                                h->segs, n, dir, 1, NULL);
        hb_str(b, "<figure>");
        if (len > 0)
            hb_mem(b, h->gbuf, len);
        else
            hb_printf(b, "<p class=\"note\">The %s graph did not fit in "
                     "%u KiB and is left out.</p>",
                     dir ? "server-to-client" : "client-to-server",
                     HTML_GRAPH_MAX / 1024);
        hb_str(b, "</figure>");
    }
}

/* The section of a session: into h->sbuf; returns its length. */
static size_t render_section(struct html_report *h, struct printer *pr,
                             const struct tracker *tr, struct session *s,
                             enum session_end_kind kind, int64_t now_us,
                             size_t nseg)
{
    struct buf b;
    char client[80], server[80], reasons[160], diag[1024], dur[32];
    size_t tlen = 0, nl;
    const char *eol;
    int64_t d = s->last_us - s->first_us;

    hb_init(&b, h->sbuf, SECTION_BODY_MAX);
    html_fmt_endpoint(client, sizeof(client), s->family, &s->client);
    html_fmt_endpoint(server, sizeof(server), s->family, &s->server);
    html_fmt_reasons(reasons, sizeof(reasons), s->reasons);
    hb_printf(&b, "<section class=\"sess\" id=\"s%llu\"><h3>Session %04llu: "
             "%s == %s", (unsigned long long)s->id,
             (unsigned long long)s->id, client, server);
    if (s->flags & SESS_MIDSTREAM)
        hb_str(&b, " (mid-stream)");
    if (reasons[0])
        hb_printf(&b, " <span class=\"why\">[%s]</span>", reasons);
    hb_str(&b, "</h3>");
    if (pr != NULL && tr != NULL)
        tlen = printer_session_text(pr, tr, s, kind, now_us, h->text,
                                    TEXT_RAW_MAX);
    /* the header line, as printed */
    if (tlen > 0) {
        eol = memchr(h->text, '\n', tlen);
        nl = eol != NULL ? (size_t)(eol - h->text) : tlen;
        hb_str(&b, "<pre class=\"hdr\">");
        hb_esc(&b, h->text, nl);
        hb_str(&b, "</pre>");
    }
    if (diag_summary(s, h->cfg, diag, sizeof(diag)) > 0) {
        hb_printf(&b, "<p class=\"diag\"><b>Diagnosis:</b> %04llu: ",
                 (unsigned long long)s->id);
        hb_escs(&b, diag);
        hb_str(&b, "</p>");
    }
    html_fmt_us(dur, sizeof(dur), d);
    hb_printf(&b, "<p class=\"facts\">Ended: %s; conn_state %s; client %s, "
             "server %s; %llu packets (client %llu, server %llu), %s; "
             "retransmissions reported: client %u, server %u",
             end_kind_name(kind), conn_state_name(conn_state_of(s)),
             tcp_state_name((enum tcp_state)s->client_state),
             tcp_state_name((enum tcp_state)s->server_state),
             (unsigned long long)s->packets,
             (unsigned long long)s->facts.packets[0],
             (unsigned long long)s->facts.packets[1], dur,
             s->facts.retransmits[0], s->facts.retransmits[1]);
    if (s->facts.max_gap_us > 0) {
        html_fmt_us(dur, sizeof(dur), s->facts.max_gap_us);
        hb_printf(&b, "; longest silence %s", dur);
    }
    hb_str(&b, ".</p>");
    if (tlen > 0) {
        size_t lines = 0, i, shown = 0, start = b.len;
        for (i = 0; i < tlen; i++)
            lines += h->text[i] == '\n';
        hb_printf(&b, "<details><summary>miruo text (%llu lines)</summary>"
                 "<pre class=\"txt\">", (unsigned long long)lines);
        /* line by line, within HTML_TEXT_MAX */
        for (i = 0; i < tlen;) {
            size_t len0 = b.len;
            eol = memchr(h->text + i, '\n', tlen - i);
            nl = eol != NULL ? (size_t)(eol - h->text) + 1 - i : tlen - i;
            hb_esc(&b, h->text + i, nl);
            if (b.over || b.len - start > HTML_TEXT_MAX) {
                b.over = 0;
                b.len = len0;
                b.p[b.len] = '\0';
                hb_printf(&b, "[%llu more lines left out: the text is cut "
                         "at %u KiB here; miruo's standard output has it "
                         "all]\n", (unsigned long long)(lines - shown),
                         HTML_TEXT_MAX / 1024);
                h->cut++;
                break;
            }
            shown++;
            i += nl;
        }
        hb_str(&b, "</pre></details>");
    }
    if (nseg > 0)
        section_graphs(h, &b, s, nseg);
    else
        hb_str(&b, "<p class=\"note\">No stored packets to draw.</p>");
    legend(&b, s->id);
    hb_str(&b, "</section>\n");
    if (b.over) {
        /* cannot happen with the budgets above; keep a valid section */
        hb_init(&b, h->sbuf, SECTION_BODY_MAX);
        hb_printf(&b, "<section class=\"sess\" id=\"s%llu\"><h3>Session "
                 "%04llu</h3><p class=\"note\">The section did not fit in "
                 "%u KiB.</p></section>\n", (unsigned long long)s->id,
                 (unsigned long long)s->id, HTML_SECTION_MAX / 1024);
        h->cut++;
    }
    return b.len;
}

void html_session(struct html_report *h, struct printer *pr,
                  const struct tracker *tr, struct session *s,
                  enum session_end_kind kind, int64_t now_us)
{
    struct key k;
    struct section *slot;
    size_t n = 0, len;
    uint32_t idx;
    char *copy, client[80], server[80], reasons[160];
    int replaced;

    if (h == NULL)
        return;
    h->offered++;
    key_of(&k, s);
    if (h->n == h->max && !worse(&k, &h->heap[0].k))
        return;                 /* not among the worst N: not rendered */
    if (tr != NULL) {
        if (s->seg_count > h->segs_cap) {
            size_t cap = s->seg_count + 64;
            const struct segment **p = realloc(h->segs, cap * sizeof(*p));
            if (p == NULL)
                return;
            h->segs = p;
            h->segs_cap = cap;
        }
        if (graph_scratch_fit(&h->sc, s->seg_count) < 0)
            return;
        for (idx = s->seg_head; idx != SEG_NONE && n < h->segs_cap;) {
            const struct segment *seg = tracker_segment(tr, idx);
            h->segs[n++] = seg;
            idx = seg->next;
        }
    }
    len = render_section(h, pr, tr, s, kind, now_us, n);
    copy = malloc(len + 1);
    if (copy == NULL)
        return;
    memcpy(copy, h->sbuf, len + 1);
    replaced = h->n == h->max;
    if (!replaced) {
        slot = &h->heap[h->n++];
    } else {
        slot = &h->heap[0];
        free(slot->html);
    }
    slot->k = k;
    slot->html = copy;
    slot->len = len;
    html_fmt_endpoint(client, sizeof(client), s->family, &s->client);
    html_fmt_endpoint(server, sizeof(server), s->family, &s->server);
    html_fmt_reasons(reasons, sizeof(reasons), s->reasons);
    snprintf(slot->toc, sizeof(slot->toc), "<tr><td><a href=\"#s%llu\">"
             "%04llu</a></td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
             (unsigned long long)s->id, (unsigned long long)s->id, client,
             server, reasons);
    if (replaced)
        sift_down(h->heap, h->n, 0);
    else
        sift_up(h->heap, (unsigned)(slot - h->heap));
}

static int by_worst(const void *a, const void *b)
{
    const struct section *x = *(const struct section *const *)a;
    const struct section *y = *(const struct section *const *)b;

    if (worse(&x->k, &y->k))
        return -1;
    return worse(&y->k, &x->k) ? 1 : 0;
}

/* The kept sections, worst first (an array of h->n pointers). */
static const struct section **sorted_sections(const struct html_report *h)
{
    const struct section **v = malloc((h->n + 1) * sizeof(*v));
    unsigned i;

    if (v == NULL)
        return NULL;
    for (i = 0; i < h->n; i++)
        v[i] = &h->heap[i];
    qsort(v, h->n, sizeof(*v), by_worst);
    return v;
}

size_t html_section_ids(const struct html_report *h, uint64_t *ids,
                        size_t max)
{
    const struct section **v = sorted_sections(h);
    size_t i, n = h->n < max ? h->n : max;

    if (v == NULL)
        return 0;
    for (i = 0; i < n; i++)
        ids[i] = v[i]->k.id;
    free(v);
    return n;
}

/* ---- the page ------------------------------------------------------------- */

static const char page_css[] =
"body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
"color:#1a1a1a;background:#fff;margin:0 auto;padding:8px 16px;"
"max-width:1232px}\n"
"h1{font-size:22px;margin:8px 0}h2{font-size:18px;margin:24px 0 8px;"
"border-bottom:2px solid #333}h3{font-size:15px;margin:8px 0;"
"font-family:ui-monospace,Menlo,Consolas,monospace}\n"
"table{border-collapse:collapse;margin:6px 0 12px}"
"th,td{border:1px solid #bbb;padding:2px 8px;text-align:left;"
"vertical-align:top}th{background:#eee}td.n{text-align:right;"
"font-variant-numeric:tabular-nums}\n"
"caption{text-align:left;font-weight:bold;padding:4px 0}\n"
".grid{display:flex;flex-wrap:wrap;gap:0 28px;align-items:flex-start}\n"
"pre{font:12px/1.3 ui-monospace,Menlo,Consolas,monospace;margin:4px 0;"
"overflow-x:auto}pre.hdr{background:#f6f6f6;padding:4px}\n"
".why{color:#b00000}.note{color:#555;font-style:italic}"
".verdict{font-weight:bold}\n"
"section.sess{border-top:1px solid #999;margin-top:18px;padding-top:4px}"
"\nfigure{margin:6px 0}details summary{cursor:pointer;color:#234}\n"
"svg.tsg,svg.lg{display:block;width:100%;height:auto;max-width:1200px}\n"
"svg.tsg text,svg.lg text{font:11px sans-serif;fill:#222}"
"svg.tsg text.gt{font-size:13px;font-weight:bold}"
"svg.tsg text.gs{fill:#444}\n"
".fr{fill:#fff;stroke:#444}.gl{stroke:#ddd;stroke-width:1}\n"
".d{stroke:#1f5fa8;stroke-width:2;fill:none}\n"
".rb{stroke:#d62728;stroke-width:3;stroke-dasharray:4 2;fill:none}"
".rm{fill:#d62728;stroke:#000;stroke-width:.6}\n"
".ack{fill:none;stroke:#2a8a2a;stroke-width:1.5}"
".win{fill:none;stroke:#8c6d00;stroke-width:1.2;stroke-dasharray:7 3}\n"
".sack{stroke:#8050c0;stroke-width:4;fill:none;opacity:.85}\n"
".ev path{fill:#222;stroke:#222;stroke-width:1}"
".ev.fin path{fill:#fff;stroke-width:1.5}"
".ev.rst path{fill:none;stroke-width:2.2}\n"
"@media print{body{max-width:none;padding:0;font-size:10pt}"
"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
"section.sess,figure,table{break-inside:avoid}"
"pre{white-space:pre-wrap;font-size:7pt}nav{display:none}}\n";

struct page {
    FILE *fp;
    int err;
};

static void p_str(struct page *p, const char *s)
{
    if (fputs(s, p->fp) == EOF)
        p->err = 1;
}

static void PRINTF_LIKE(2, 3) p_printf(struct page *p, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (vfprintf(p->fp, fmt, ap) < 0)
        p->err = 1;
    va_end(ap);
}

static void p_esc(struct page *p, const char *s)
{
    char tmp[1024];
    size_t n = strlen(s), need;

    need = html_escape(tmp, sizeof(tmp), s, n);
    if (need < sizeof(tmp)) {
        p_str(p, tmp);
        return;
    }
    /* long text: escape in pieces at character boundaries */
    while (n > 0) {
        size_t k = n < 128 ? n : 128;
        while (k < n && ((unsigned char)s[k] & 0xC0) == 0x80)
            k++;
        html_escape(tmp, sizeof(tmp), s, k);
        p_str(p, tmp);
        s += k;
        n -= k;
    }
}

static void fmt_time(char *buf, size_t size, int64_t us)
{
    time_t t = (time_t)(us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000));
    struct tm tm;
    int64_t frac = us - (int64_t)t * 1000000;

    if (gmtime_r(&t, &tm) == NULL) {
        snprintf(buf, size, "?");
        return;
    }
    snprintf(buf, size, "%04d-%02d-%02d %02d:%02d:%02d.%06lld UTC",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec, (long long)frac);
}

static void row_u(struct page *p, const char *label, uint64_t v)
{
    p_printf(p, "<tr><th>%s</th><td class=\"n\">%llu</td></tr>\n", label,
             (unsigned long long)v);
}

static void row_s(struct page *p, const char *label, const char *v)
{
    p_printf(p, "<tr><th>%s</th><td>", label);
    p_esc(p, v);
    p_str(p, "</td></tr>\n");
}

static void capture_summary(struct page *p, const struct html_report *h,
                            const struct stats *st,
                            const struct capture_counts *cc)
{
    const struct config *cfg = h->cfg;
    char a[96], b[96];

    p_str(p, "<h2 id=\"summary\">Capture summary</h2>\n<div class=\"grid\">"
          "<table class=\"kv\"><caption>Capture</caption>\n");
    if (cfg != NULL) {
        if (cfg->file != NULL)
            row_s(p, "Source", cfg->file);
        else
            row_s(p, "Source (live)", cfg->device ? cfg->device
                                                  : "first usable device");
        row_s(p, "Filter", cfg->filter ? cfg->filter : "(none)");
    }
    if (st != NULL && st->have_time) {
        fmt_time(a, sizeof(a), st->first_us);
        row_s(p, "First packet", a);
        fmt_time(a, sizeof(a), st->now_us);
        row_s(p, "Last packet", a);
        html_fmt_us(a, sizeof(a), st->now_us - st->first_us);
        row_s(p, "Capture time", a);
    }
    if (st != NULL) {
        row_u(p, "Packets read", st->packets);
        row_u(p, "TCP packets", st->tcp_packets);
        p_str(p, "</table>\n<table class=\"kv\"><caption>Sessions and "
              "lookups</caption>\n");
        row_u(p, "Sessions", st->sessions_total);
        row_u(p, "Sessions shown (Lookup)", st->sessions_shown);
        row_u(p, "Long connections (-T)", st->long_connect);
        row_u(p, "Long-delay packets (-t)", st->long_delay);
        row_u(p, "Retransmissions reported", st->retransmit);
        row_u(p, "Timeouts", st->timeout);
        row_u(p, "Error breaks (duplicate connection)", st->error_break);
        row_u(p, "RSTs", st->rst);
        row_u(p, "Fragment packets", st->fragment);
        p_str(p, "</table>\n<table class=\"kv\"><caption>Limits and "
              "losses</caption>\n");
        row_u(p, "Peak active sessions", st->active_sessions_max);
        row_u(p, "Peak stored segments", st->active_segments_max);
        row_u(p, "DropSession (-L full)", st->drop_session);
        row_u(p, "DropSegment (-l full)", st->drop_segment);
        snprintf(a, sizeof(a), "%llu (L2 %llu, IP %llu, TCP %llu)",
                 (unsigned long long)(st->err_l2 + st->err_ip + st->err_tcp),
                 (unsigned long long)st->err_l2,
                 (unsigned long long)st->err_ip,
                 (unsigned long long)st->err_tcp);
        row_s(p, "Malformed headers", a);
    }
    if (cc != NULL) {
        row_u(p, "Received by the capture (live)", cc->recv);
        row_u(p, "Kernel drops", cc->drop);
        row_u(p, "Interface drops", cc->ifdrop);
    }
    if (cfg != NULL) {
        snprintf(a, sizeof(a), "-t %u ms, -T %u ms, -r %u ms",
                 cfg->long_delay_ms, cfg->long_connect_ms,
                 cfg->retransmit_ms);
        row_s(p, "Thresholds", a);
        snprintf(b, sizeof(b), "-L %u, -l %u (0 = unlimited)",
                 cfg->session_limit, cfg->segment_limit);
        row_s(p, "Limits", b);
    }
    snprintf(a, sizeof(a), "%u of %llu shown sessions (--html-max=%u), "
             "worst first", h->n, (unsigned long long)h->offered, h->max);
    row_s(p, "Sessions drawn below", a);
    p_str(p, "</table></div>\n");
}

static int have_section(const struct html_report *h, uint64_t id)
{
    unsigned i;

    for (i = 0; i < h->n; i++)
        if (h->heap[i].k.id == id)
            return 1;
    return 0;
}

static void top_table(struct page *p, const struct html_report *h,
                      const struct report *rep, enum report_top which)
{
    static const char *const title[TOP_COUNT] = {
        "Worst sessions by stall (longest silence)",
        "Worst sessions by retransmissions",
        "Worst sessions by handshake RTT"
    };
    static const char *const head[TOP_COUNT] = {
        "stall", "retransmissions", "handshake RTT"
    };
    struct report_row rows[REPORT_TOP_MAX];
    char v[48], c[80], s[80], reasons[160], detail[128];
    size_t n = report_top_rows(rep, which, rows, REPORT_TOP_MAX), i;

    p_printf(p, "<table class=\"top\"><caption>%s</caption>\n<tr><th>"
             "session</th><th>%s</th><th>client</th><th>server</th><th>"
             "conn_state</th><th>detail</th><th>reasons</th></tr>\n",
             title[which], head[which]);
    if (n == 0)
        p_str(p, "<tr><td colspan=\"7\">(none)</td></tr>\n");
    for (i = 0; i < n; i++) {
        const struct report_row *e = &rows[i];
        detail[0] = '\0';
        switch (which) {
        case TOP_RETRANSMIT:
            snprintf(v, sizeof(v), "%llu", (unsigned long long)e->value);
            snprintf(detail, sizeof(detail),
                     "client %llu, server %llu; %llu %s",
                     (unsigned long long)e->split[0],
                     (unsigned long long)e->split[1],
                     (unsigned long long)e->value2,
                     e->value2 == 1 ? "copy" : "copies");
            break;
        case TOP_STALL:
            html_fmt_us(v, sizeof(v), (int64_t)e->value);
            snprintf(detail, sizeof(detail), "%s at %s",
                     stall_cause_name((enum stall_cause)e->split[0]),
                     e->split[1] ? "server" : "client");
            break;
        default:
            html_fmt_us(v, sizeof(v), (int64_t)e->value);
            break;
        }
        html_fmt_endpoint(c, sizeof(c), e->family, &e->client);
        html_fmt_endpoint(s, sizeof(s), e->family, &e->server);
        html_fmt_reasons(reasons, sizeof(reasons), e->reasons);
        if (have_section(h, e->id))
            p_printf(p, "<tr><td><a href=\"#s%llu\">%04llu</a></td>",
                     (unsigned long long)e->id, (unsigned long long)e->id);
        else
            p_printf(p, "<tr><td>%04llu</td>", (unsigned long long)e->id);
        p_printf(p, "<td class=\"n\">%s</td><td>%s</td><td>%s</td><td>%s"
                 "</td><td>%s</td><td>%s</td></tr>\n", v, c, s,
                 conn_state_name((enum conn_state)e->state), detail,
                 reasons);
    }
    p_str(p, "</table>\n");
}

static void triage(struct page *p, const struct html_report *h,
                   const struct report *rep, const struct stats *st,
                   const struct capture_counts *cc)
{
    struct report_counts c;
    char *health, *line, *next;
    unsigned i;
    int any = 0;

    report_get_counts(rep, &c);
    p_str(p, "<h2 id=\"triage\">Triage report</h2>\n<div class=\"grid\">"
          "<table class=\"kv\"><caption>Sessions</caption>\n");
    row_u(p, "Ended", c.sessions);
    row_u(p, "Shown", c.shown);
    row_u(p, "Flagged", c.flagged);
    row_u(p, "Mid-stream", c.midstream);
    if (st != NULL && st->active_sessions > 0)
        row_u(p, "Still open (not counted)", st->active_sessions);
    row_u(p, "Ended by close", c.by_end[END_CLOSED]);
    row_u(p, "Ended by timeout", c.by_end[END_TIMEOUT]);
    row_u(p, "Ended by error-break", c.by_end[END_ERROR_BREAK]);
    row_u(p, "Ended by end of capture", c.by_end[END_EXIT]);
    p_str(p, "</table>\n<table><caption>Sessions by reason</caption>\n"
          "<tr><th>reason</th><th>sessions</th></tr>\n");
    for (i = 0; i < REASON_COUNT; i++) {
        if (c.by_reason[i] == 0)
            continue;
        p_printf(p, "<tr><td>%s</td><td class=\"n\">%llu</td></tr>\n",
                 session_reason_word(i), (unsigned long long)c.by_reason[i]);
        any = 1;
    }
    if (!any)
        p_str(p, "<tr><td colspan=\"2\">(none)</td></tr>\n");
    p_str(p, "</table>\n<table><caption>Sessions by final state (Zeek "
          "conn_state)</caption>\n<tr><th>conn_state</th><th>sessions</th>"
          "<th>meaning</th></tr>\n");
    any = 0;
    for (i = 0; i < REPORT_STATES; i++) {
        if (c.by_state[i] == 0)
            continue;
        p_printf(p, "<tr><td>%s</td><td class=\"n\">%llu</td><td>%s</td>"
                 "</tr>\n", conn_state_name((enum conn_state)i),
                 (unsigned long long)c.by_state[i], report_state_text(i));
        any = 1;
    }
    if (!any)
        p_str(p, "<tr><td colspan=\"3\">(none)</td></tr>\n");
    p_str(p, "</table></div>\n");
    for (i = 0; i < TOP_COUNT; i++)
        top_table(p, h, rep, (enum report_top)i);
    health = malloc(8192);
    if (health == NULL || st == NULL || cc == NULL || h->cfg == NULL) {
        free(health);
        return;
    }
    report_health_text(rep, st, cc, h->cfg, health, 8192);
    p_str(p, "<table class=\"kv\"><caption>Capture health</caption>\n");
    for (line = health; *line; line = next) {
        char *colon, *val;
        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        else
            next = line + strlen(line);
        colon = strchr(line, ':');
        if (colon == NULL)
            continue;
        *colon = '\0';
        val = colon + 1;
        while (*val == ' ')
            val++;
        while (colon > line && colon[-1] == ' ')
            *--colon = '\0';
        p_printf(p, "<tr%s><th>", strcmp(line, "verdict") == 0
                                      ? " class=\"verdict\"" : "");
        p_esc(p, line);
        p_str(p, "</th><td>");
        p_esc(p, val);
        p_str(p, "</td></tr>\n");
    }
    p_str(p, "</table>\n");
    free(health);
}

int html_write_fp(struct html_report *h, FILE *fp, const struct report *rep,
                  const struct stats *st, const struct capture_counts *cc)
{
    struct page p;
    const struct section **v = sorted_sections(h);
    const struct config *cfg = h->cfg;
    unsigned i;

    p.fp = fp;
    p.err = v == NULL;
    p_str(&p, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
          "<meta charset=\"utf-8\"/>\n"
          "<meta name=\"viewport\" content=\"width=device-width, "
          "initial-scale=1\"/>\n<meta name=\"generator\" content=\"");
    p_esc(&p, PACKAGE_STRING);
    p_str(&p, "\"/>\n<title>miruo report");
    if (cfg != NULL && cfg->file != NULL) {
        p_str(&p, ": ");
        p_esc(&p, cfg->file);
    }
    p_printf(&p, "</title>\n<style>\n%s</style>\n</head>\n<body>\n"
             "<h1>miruo: TCP sessions that matter</h1>\n", page_css);
    p_str(&p, "<p class=\"note\">Self-contained page: no script, nothing "
          "loaded from elsewhere. Times in the graphs are since each "
          "session's first packet.</p>\n");
    p_str(&p, "<nav><a href=\"#summary\">capture summary</a> | <a "
          "href=\"#triage\">triage report</a> | <a href=\"#sessions\">"
          "sessions</a></nav>\n");
    capture_summary(&p, h, st, cc);
    if (rep != NULL)
        triage(&p, h, rep, st, cc);
    p_printf(&p, "<h2 id=\"sessions\">Sessions, worst first (%u of %llu "
             "shown)</h2>\n", h->n, (unsigned long long)h->offered);
    p_str(&p, "<p class=\"note\">Order: flagged by a lookup first, then "
          "more different reasons, more reported retransmissions, a longer "
          "longest silence, the older session. Graphs: one per direction; "
          "x is time, y the sequence number relative to the direction's "
          "first; hover a mark for its packet.</p>\n");
    if (h->n > 0 && v != NULL) {
        p_str(&p, "<table class=\"toc\"><tr><th>session</th><th>client</th>"
              "<th>server</th><th>reasons</th></tr>\n");
        for (i = 0; i < h->n; i++)
            p_str(&p, v[i]->toc);
        p_str(&p, "</table>\n");
        for (i = 0; i < h->n; i++)
            if (fwrite(v[i]->html, 1, v[i]->len, fp) != v[i]->len)
                p.err = 1;
    } else {
        p_str(&p, "<p>No session was shown.</p>\n");
    }
    if (h->cut > 0)
        p_printf(&p, "<p class=\"note\">%llu section%s cut to stay within "
                 "%u KiB each.</p>\n", (unsigned long long)h->cut,
                 h->cut == 1 ? " was" : "s were", HTML_SECTION_MAX / 1024);
    p_str(&p, "</body>\n</html>\n");
    free(v);
    if (fflush(fp) != 0 || ferror(fp))
        p.err = 1;
    return p.err ? -1 : 0;
}

int html_write(struct html_report *h, const struct report *rep,
               const struct stats *st, const struct capture_counts *cc,
               char errbuf[HTML_ERRBUF_SIZE])
{
    int r;

    if (h->fp == NULL) {
        snprintf(errbuf, HTML_ERRBUF_SIZE, "no output file");
        return -1;
    }
    r = html_write_fp(h, h->fp, rep, st, cc);
    if (fclose(h->fp) != 0)
        r = -1;
    h->fp = NULL;
    if (r < 0)
        snprintf(errbuf, HTML_ERRBUF_SIZE, "cannot write %s: %s",
                 h->path ? h->path : "the report", strerror(errno));
    return r;
}
