/*
 * test_html.c - unit tests of the HTML report (src/html*.c): escaping,
 * axis ticks and labels, the graph's aggregation (every retransmission
 * and every SYN/FIN/RST stays drawn, the element and byte caps hold) and
 * the worst-N section cap.  Prints "ok NAME" / "FAIL NAME: why" lines and
 * "N passed, N failed" at the end; exits 1 if anything failed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "options.h"
#include "session.h"

static int passed, failed;

static void result(const char *name, int ok, const char *why)
{
    if (ok) {
        printf("ok %s\n", name);
        passed++;
    } else {
        printf("FAIL %s: %s\n", name, why);
        failed++;
    }
}

static void check_escape(const char *name, const char *in, size_t len,
                         const char *want)
{
    char out[256], why[600];
    size_t n = html_escape(out, sizeof(out), in, len);

    snprintf(why, sizeof(why), "got '%s' (%zu), want '%s'", out, n, want);
    result(name, strcmp(out, want) == 0 && n == strlen(want), why);
}

static void test_escape(void)
{
    char small[8], why[128];
    size_t n;

    check_escape("escape_markup", "<a href='x'>&\"</a>", 18,
                 "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
    check_escape("escape_plain", "10.0.0.1:40000 == 10.0.0.2:80", 29,
                 "10.0.0.1:40000 == 10.0.0.2:80");
    check_escape("escape_controls", "a\x1b[2Jb\tc\nd\x7f", 11,
                 "a\xEF\xBF\xBD[2Jb\tc\nd\xEF\xBF\xBD");
    check_escape("escape_nul", "a\0b", 3, "a\xEF\xBF\xBD" "b");
    check_escape("escape_utf8_kept", "caf\xC3\xA9 \xE2\x86\x92", 9,
                 "caf\xC3\xA9 \xE2\x86\x92");
    check_escape("escape_utf8_invalid", "\xFF\xC3(\xED\xA0\x80\xC2\x85",
                 8, "\xEF\xBF\xBD\xEF\xBF\xBD(\xEF\xBF\xBD\xEF\xBF\xBD"
                 "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    /* cut short: the length needed, and no half entity */
    n = html_escape(small, sizeof(small), "ab&cd", 5);
    snprintf(why, sizeof(why), "got '%s' (%zu)", small, n);
    result("escape_cut_no_half_entity", n == 9 && strcmp(small, "ab&amp;") == 0,
           why);
    n = html_escape(small, 5, "ab&cd", 5);
    snprintf(why, sizeof(why), "got '%s' (%zu)", small, n);
    result("escape_cut_before_entity", n == 9 && strcmp(small, "ab") == 0,
           why);
}

static void test_ticks(void)
{
    int64_t t[16], step;
    unsigned n;
    char lab[32], why[160];
    struct { int64_t us, step; const char *want; } labels[] = {
        { 0, 200000, "0" }, { 200000, 200000, "0.2 s" },
        { 1400000, 200000, "1.4 s" }, { 3000000, 1000000, "3 s" },
        { 1500000, 500000, "1.5 s" }, { 1000, 1000, "1 ms" },
        { 50000, 10000, "50 ms" }, { 50, 10, "0.05 ms" },
        { 5, 1, "0.005 ms" }, { 120000000, 20000000, "120 s" }
    };
    size_t i;

    n = html_ticks(1516000, 10, t, &step);
    snprintf(why, sizeof(why), "%u ticks, step %lld", n, (long long)step);
    result("ticks_1516ms", n == 8 && step == 200000 && t[0] == 0 &&
           t[7] == 1400000, why);
    n = html_ticks(10000, 10, t, &step);
    snprintf(why, sizeof(why), "%u ticks, step %lld", n, (long long)step);
    result("ticks_10ms", n == 11 && step == 1000 && t[10] == 10000, why);
    n = html_ticks(7, 10, t, &step);
    snprintf(why, sizeof(why), "%u ticks, step %lld", n, (long long)step);
    result("ticks_7us", n == 8 && step == 1, why);
    n = html_ticks(86400000000LL, 10, t, &step);
    snprintf(why, sizeof(why), "%u ticks, step %lld", n, (long long)step);
    result("ticks_one_day", n >= 2 && n <= 11 && step == 10000000000LL, why);
    n = html_ticks(0, 10, t, &step);
    result("ticks_zero_span", n == 1 && t[0] == 0, "expected one tick");
    for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
        char name[64];
        html_time_label(lab, sizeof(lab), labels[i].us, labels[i].step);
        snprintf(name, sizeof(name), "time_label_%lld_%lld",
                 (long long)labels[i].us, (long long)labels[i].step);
        snprintf(why, sizeof(why), "got '%s', want '%s'", lab,
                 labels[i].want);
        result(name, strcmp(lab, labels[i].want) == 0, why);
    }
}

/* ---- graphs ---------------------------------------------------------- */

static void fill(struct segment *g, uint64_t num, int64_t ts, int server,
                 uint32_t seq, uint32_t ack, uint32_t len, uint8_t flags)
{
    memset(g, 0, sizeof(*g));
    g->num = num;
    g->ts_us = ts;
    g->seq = seq;
    g->ack = ack;
    g->seq_len = len + ((flags & TH_SYN) ? 1 : 0) + ((flags & TH_FIN) ? 1 : 0);
    g->window = 512;
    g->flags = flags;
    g->bits = server ? SEG_FROM_SERVER : 0;
    g->ip_id = (uint16_t)(num + 1);
}

/* Count occurrences of a substring. */
static unsigned count(const char *s, const char *what)
{
    unsigned n = 0;
    size_t k = strlen(what);

    while ((s = strstr(s, what)) != NULL) {
        n++;
        s += k;
    }
    return n;
}

/*
 * A long session: 40,000 client data segments of 1000 B, 10 us apart,
 * starting near the top of the sequence space (it wraps); every 80th
 * resent 1.5 s later (500 retransmissions); server ACKs with SACK blocks
 * every 4 segments; a RST in the middle, FINs at the end.
 */
static void test_aggregation(void)
{
    enum { DATA = 40000, EVERY = 80 };
    size_t cap = DATA + DATA / EVERY + DATA / 4 + 8, n = 0, i;
    struct segment *segs = calloc(cap, sizeof(*segs));
    const struct segment **v = calloc(cap, sizeof(*v));
    char *out = malloc(HTML_GRAPH_MAX);
    struct config cfg;
    struct session s;
    struct html_graph_info info, info1;
    uint32_t isn = 0xFFFF0000u, sisn = 0x8000;
    uint64_t num = 0;
    int64_t t = 0;
    size_t len, len1;
    char why[256];
    unsigned rx = 0;

    if (segs == NULL || v == NULL || out == NULL) {
        result("aggregation_memory", 0, "out of memory");
        return;
    }
    memset(&cfg, 0, sizeof(cfg));
    cfg.retransmit_ms = 1000;
    cfg.syn_lookup = 1;
    memset(&s, 0, sizeof(s));
    s.id = 7;
    s.family = 4;
    fill(&segs[n++], num++, t, 0, isn, 0, 0, TH_SYN);
    fill(&segs[n++], num++, t += 100, 1, sisn, isn + 1, 0, TH_SYN | TH_ACK);
    for (i = 0; i < DATA; i++) {
        uint32_t seq = isn + 1 + (uint32_t)i * 1000;
        fill(&segs[n++], num++, t += 10, 0, seq, sisn + 1, 1000,
             TH_ACK | TH_PUSH);
        if (i % 4 == 3) {
            struct segment *a = &segs[n++];
            uint32_t l = seq + 2000, r = seq + 3000;
            fill(a, num++, t += 1, 1, sisn + 1, seq + 1000, 0, TH_ACK);
            a->optlen = 12;
            a->opts[0] = 1;
            a->opts[1] = 1;
            a->opts[2] = 5;
            a->opts[3] = 10;
            a->opts[4] = (uint8_t)(l >> 24);
            a->opts[5] = (uint8_t)(l >> 16);
            a->opts[6] = (uint8_t)(l >> 8);
            a->opts[7] = (uint8_t)l;
            a->opts[8] = (uint8_t)(r >> 24);
            a->opts[9] = (uint8_t)(r >> 16);
            a->opts[10] = (uint8_t)(r >> 8);
            a->opts[11] = (uint8_t)r;
        }
        if (i == DATA / 2)
            fill(&segs[n++], num++, t += 1, 1, sisn + 1, 0, 0, TH_RST);
        if (i >= 150000 / 10 && (i - 150000 / 10) % EVERY == 0 &&
            rx < DATA / EVERY) {
            /* the segment sent 1.5 s (150,000 x 10 us) earlier, again */
            uint32_t old = isn + 1 + (uint32_t)(i - 150000 / 10) * 1000;
            struct segment *c = &segs[n++];
            fill(c, num++, t += 1, 0, old, sisn + 1, 1000, TH_ACK);
            c->why = REASON_RETRANSMIT;
            c->why_ms = 1500;
            c->color = COLOR_RED;
            rx++;
        }
    }
    fill(&segs[n++], num++, t += 10, 0, isn + 1 + DATA * 1000u, sisn + 1, 0,
         TH_FIN | TH_ACK);
    fill(&segs[n++], num++, t += 10, 1, sisn + 1, isn + 2 + DATA * 1000u, 0,
         TH_FIN | TH_ACK);
    for (i = 0; i < n; i++)
        v[i] = &segs[i];
    s.first_us = 0;
    s.last_us = t;
    s.packets = num;
    s.seg_count = (uint32_t)n;
    s.flags = SESS_SHOWN;
    s.reasons = REASON_RETRANSMIT;

    len = html_graph(out, HTML_GRAPH_MAX, &cfg, &s, v, n, 0, &info);
    if (getenv("TEST_HTML_DUMP0"))      /* to look at it */
        fputs(out, stderr);
    snprintf(why, sizeof(why), "len %zu, %u elements, level %u, bytes %zu",
             len, info.elements, info.level, info.bytes);
    result("aggregation_fits", len > 0 && len < HTML_GRAPH_MAX &&
           info.elements <= HTML_GRAPH_ELEMS, why);
    result("aggregation_merged", info.level > 0 && info.bars < DATA, why);
    snprintf(why, sizeof(why), "%u retransmissions drawn, %u sent",
             info.rx_segments, rx);
    result("aggregation_keeps_every_retransmission",
           rx == (DATA - 15000 + EVERY - 1) / EVERY && info.rx_segments == rx &&
           info.rx_bars > 0 && info.rx_bars < rx,
           why);
    snprintf(why, sizeof(why), "%u data segments drawn, %u sent",
             info.bar_segments, (unsigned)DATA);
    result("aggregation_keeps_every_data_segment",
           info.bar_segments == DATA, why);
    snprintf(why, sizeof(why), "%u events in %u marks", info.marker_events,
             info.markers);
    result("aggregation_keeps_markers", info.marker_events == 2 &&
           count(out, "class=\"ev syn\"") == 1 &&
           count(out, "class=\"ev fin\"") == 1, why);
    result("aggregation_sack_drawn", count(out, "<path class=\"sack\"") == 1,
           "no SACK path");
    result("aggregation_red_elements",
           count(out, "<g class=\"rx\"") == info.rx_bars, "rx count");
    result("aggregation_balanced_tags",
           count(out, "<g") == count(out, "</g>") &&
           count(out, "<svg") == 1 && count(out, "</svg>") == 1 &&
           count(out, "<title>") == count(out, "</title>"), "tags");
    result("aggregation_no_urls", strstr(out, "http:") == NULL &&
           strstr(out, "https:") == NULL && strstr(out, "src=") == NULL,
           "found a URL");
    /* the server's graph: its SYN/ACK, RST and FIN; no SACK from the client */
    len1 = html_graph(out, HTML_GRAPH_MAX, &cfg, &s, v, n, 1, &info1);
    snprintf(why, sizeof(why), "len %zu, %u events, %u elements", len1,
             info1.marker_events, info1.elements);
    if (getenv("TEST_HTML_DUMP"))
        fputs(out, stderr);
    result("aggregation_server_graph", len1 > 0 &&
           info1.marker_events == 3 && count(out, "class=\"ev rst\"") == 1 &&
           count(out, "class=\"sack\"") == 0 &&
           info1.elements <= HTML_GRAPH_ELEMS, why);
    /* a short session is drawn bar by bar, with titles */
    s.packets = 12;
    s.seg_count = 12;
    s.last_us = segs[11].ts_us;
    len = html_graph(out, HTML_GRAPH_MAX, &cfg, &s, v, 12, 0, &info);
    snprintf(why, sizeof(why), "level %u, %u bars for %u segments",
             info.level, info.bars, info.bar_segments);
    result("aggregation_none_when_short", len > 0 && info.level == 0 &&
           info.bar_segments == 8, why);
    free(segs);
    free(v);
    free(out);
}

/* ---- the worst-N cap ------------------------------------------------- */

static void test_section_cap(void)
{
    struct config cfg;
    char err[HTML_ERRBUF_SIZE], why[256];
    struct html_report *h;
    struct session s;
    uint64_t ids[16];
    size_t n;
    int i;
    FILE *fp;

    memset(&cfg, 0, sizeof(cfg));
    cfg.retransmit_ms = 1000;
    h = html_new(&cfg, 3, NULL, err);
    if (h == NULL) {
        result("cap_new", 0, err);
        return;
    }
    /* ten sessions; session k has k retransmissions, 4 and 9 also a RST,
     * 2 is shown only by --all */
    for (i = 1; i <= 10; i++) {
        memset(&s, 0, sizeof(s));
        s.id = (uint64_t)i;
        s.family = 4;
        s.flags = SESS_SHOWN;
        s.reasons = i == 2 ? 0 : REASON_RETRANSMIT;
        if (i == 4 || i == 9)
            s.reasons |= REASON_RST;
        s.facts.retransmits[1] = (uint32_t)(i == 2 ? 0 : i);
        s.first_us = 1000000;
        s.last_us = 2000000;
        s.seg_head = s.seg_tail = SEG_NONE;
        html_session(h, NULL, NULL, &s, END_CLOSED, s.last_us);
    }
    n = html_section_ids(h, ids, 16);
    snprintf(why, sizeof(why), "%zu kept: %llu %llu %llu", n,
             (unsigned long long)(n > 0 ? ids[0] : 0),
             (unsigned long long)(n > 1 ? ids[1] : 0),
             (unsigned long long)(n > 2 ? ids[2] : 0));
    result("cap_keeps_worst_three", n == 3 && ids[0] == 9 && ids[1] == 4 &&
           ids[2] == 10, why);
    /* equal sessions: the older ones stay */
    for (i = 11; i <= 20; i++) {
        memset(&s, 0, sizeof(s));
        s.id = (uint64_t)i;
        s.flags = SESS_SHOWN;
        s.reasons = REASON_RETRANSMIT | REASON_RST;
        s.facts.retransmits[0] = 9;
        s.seg_head = s.seg_tail = SEG_NONE;
        html_session(h, NULL, NULL, &s, END_CLOSED, 0);
    }
    n = html_section_ids(h, ids, 16);
    snprintf(why, sizeof(why), "%zu kept: %llu %llu %llu", n,
             (unsigned long long)ids[0], (unsigned long long)ids[1],
             (unsigned long long)ids[2]);
    result("cap_ties_keep_older", n == 3 && ids[0] == 9 && ids[1] == 11 &&
           ids[2] == 12, why);
    fp = tmpfile();
    if (fp == NULL) {
        result("cap_page", 0, "no tmpfile");
    } else {
        char *page = malloc(1 << 20);
        size_t len;
        int r = html_write_fp(h, fp, NULL, NULL, NULL);
        rewind(fp);
        len = page ? fread(page, 1, (1 << 20) - 1, fp) : 0;
        if (page)
            page[len] = '\0';
        snprintf(why, sizeof(why), "write %d, %zu bytes, %u sections", r,
                 len, page ? count(page, "<section") : 0);
        result("cap_page_has_three_sections", r == 0 && page &&
               count(page, "<section") == 3 &&
               count(page, "</section>") == 3 &&
               strstr(page, "</html>") != NULL, why);
        result("cap_page_no_network", page && strstr(page, "http:") == NULL
               && strstr(page, "https:") == NULL &&
               strstr(page, "src=") == NULL && strstr(page, "<script") ==
               NULL && strstr(page, "url(http") == NULL, "found a URL");
        result("cap_page_bounded", len <= HTML_PAGE_FIXED +
               3 * (size_t)HTML_SECTION_MAX, why);
        free(page);
        fclose(fp);
    }
    html_free(h);
    h = html_new(&cfg, 1, "/nonexistent-dir/x.html", err);
    result("cap_bad_path", h == NULL && strstr(err, "cannot open") != NULL,
           err);
    html_free(h);
}

int main(void)
{
    test_escape();
    test_ticks();
    test_aggregation();
    test_section_cap();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
