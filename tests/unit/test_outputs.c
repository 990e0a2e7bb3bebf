/*
 * test_outputs.c - unit tests for the machine outputs: Community ID and
 * SHA-1 (src/community_id.c), JSON Lines (src/json.c) and the triage
 * report (src/report.c).
 *
 * Prints "ok NAME" or "FAIL NAME: why" per check, then "N passed, N
 * failed"; exits 1 if anything failed.
 *
 * Expected values come from outside miruo: SHA-1 from RFC 3174 section
 * 7.3; Community IDs from the community-id-spec README (TCP
 * 128.232.110.120:34855 -> 66.35.250.204:80) and, for the other flows,
 * from Wireshark 4.0's communityid dissector (tshark --enable-protocol
 * communityid) and Python's hashlib agreeing; conn_state from the
 * definitions in Zeek's conn.log documentation.
 *
 * Build: gcc -std=gnu99 -I. -Isrc -o test_outputs tests/unit/test_outputs.c
 *            src/json.c src/report.c src/community_id.c src/libmiruo.a -lpcap
 */
#include "config.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "community_id.h"
#include "json.h"
#include "options.h"
#include "report.h"
#include "session.h"
#include "stats.h"
#include "check.h"



/* ---- SHA-1 (RFC 3174 section 7.3, TEST1..TEST4) ------------------------- */

static void hex(const uint8_t *d, size_t n, char *out)
{
    size_t i;

    for (i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", d[i]);
}

static void sha1_case(const char *name, const char *text, size_t repeat,
                      const char *want)
{
    size_t len = strlen(text), i;
    char *buf = malloc(len * repeat + 1), got[41];
    uint8_t d[20];

    if (buf == NULL) {
        check(0, name, "out of memory");
        return;
    }
    for (i = 0; i < repeat; i++)
        memcpy(buf + i * len, text, len);
    community_id_sha1(buf, len * repeat, d);
    hex(d, sizeof(d), got);
    check(strcmp(got, want) == 0, name, "got %s, want %s", got, want);
    free(buf);
}

static void test_sha1(void)
{
    sha1_case("sha1_abc", "abc", 1,
              "a9993e364706816aba3e25717850c26c9cd0d89d");
    sha1_case("sha1_two_blocks",
              "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
              "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    sha1_case("sha1_million_a", "a", 1000000,
              "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    sha1_case("sha1_640_bytes",
              "01234567012345670123456701234567"
              "01234567012345670123456701234567",
              10, "dea356a2cddd90c7a7ecedc5ebb563934f460452");
    sha1_case("sha1_empty", "", 1,
              "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    /* 55 and 56 bytes: the padding fits the block, or needs another. */
    sha1_case("sha1_55_bytes", "a", 55,
              "c1c8bbdc22796e28c0e15163d20899b65621d65a");
    sha1_case("sha1_56_bytes", "a", 56,
              "c2db330f6083854c99d4b5bfb6e8f29f201be699");
}

/* ---- Community ID ------------------------------------------------------- */

static void cid_case(const char *name, int family, const char *sa,
                     uint16_t sp, const char *da, uint16_t dp, uint16_t seed,
                     const char *want)
{
    uint8_t a[16], b[16];
    char got[COMMUNITY_ID_SIZE];
    int af = family == 6 ? AF_INET6 : AF_INET;

    if (inet_pton(af, sa, a) != 1 || inet_pton(af, da, b) != 1) {
        check(0, name, "bad address in the test");
        return;
    }
    if (seed == 0)
        community_id(family, a, sp, b, dp, got);
    else
        community_id_seeded(seed, family, a, sp, b, dp, got);
    check(strcmp(got, want) == 0, name, "got %s, want %s", got, want);
}

static void test_community_id(void)
{
    /* The spec's README example, both directions. */
    cid_case("cid_v4_spec", 4, "128.232.110.120", 34855, "66.35.250.204",
             80, 0, "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
    cid_case("cid_v4_spec_reverse", 4, "66.35.250.204", 80,
             "128.232.110.120", 34855, 0, "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
    cid_case("cid_v4_seed1", 4, "128.232.110.120", 34855, "66.35.250.204",
             80, 1, "1:3V71V58M3Ksw/yuFALMcW0LAHvc=");
    /* tests/gen ipv6.pcap and ref_retrans.pcap, as tshark computes. */
    cid_case("cid_v6", 6, "2001:db8::1", 40000, "2001:db8::2", 80, 0,
             "1:62cu0uxFAvnY7Tg3u3uFj0zrwAU=");
    cid_case("cid_v6_reverse", 6, "2001:db8::2", 80, "2001:db8::1", 40000,
             0, "1:62cu0uxFAvnY7Tg3u3uFj0zrwAU=");
    cid_case("cid_v6_seed1", 6, "2001:db8::1", 40000, "2001:db8::2", 80, 1,
             "1:3BY3edJfICuM+cej59vDtrRvEdA=");
    cid_case("cid_v4_retrans", 4, "10.0.0.1", 40002, "10.0.0.2", 80, 0,
             "1:KVD55Au3oOCKBTbtHyM1FaoYSrw=");
    /* Equal addresses: ordered by port. */
    cid_case("cid_same_addr", 4, "127.0.0.1", 40000, "127.0.0.1", 8080, 0,
             "1:KtokAHyz+LpmkWAFBK/+HjzP3tE=");
    cid_case("cid_same_addr_reverse", 4, "127.0.0.1", 8080, "127.0.0.1",
             40000, 0, "1:KtokAHyz+LpmkWAFBK/+HjzP3tE=");
}

/* ---- JSON escaping ------------------------------------------------------ */

static void esc_case(const char *name, const char *in, size_t len,
                     const char *want)
{
    char got[128];
    size_t n = json_escape(got, sizeof(got), in, len);

    check(strcmp(got, want) == 0 && n == strlen(want), name,
          "got \"%s\" (%zu), want \"%s\"", got, n, want);
}

static void test_escape(void)
{
    char small[8];
    size_t n;

    esc_case("escape_plain", "abc", 3, "abc");
    esc_case("escape_quote", "a\"b", 3, "a\\\"b");
    esc_case("escape_backslash", "a\\b", 3, "a\\\\b");
    esc_case("escape_named_controls", "\b\f\n\r\t", 5, "\\b\\f\\n\\r\\t");
    esc_case("escape_other_controls", "\x01\x1f", 2, "\\u0001\\u001f");
    esc_case("escape_nul", "a\0b", 3, "a\\u0000b");
    esc_case("escape_del", "\x7f", 1, "\\u007f");
    esc_case("escape_slash_kept", "a/b", 3, "a/b");
    esc_case("escape_utf8_kept", "caf\xc3\xa9 \xe2\x82\xac", 9,
             "caf\xc3\xa9 \xe2\x82\xac");
    esc_case("escape_utf8_4byte_kept", "\xf0\x9f\x98\x80", 4,
             "\xf0\x9f\x98\x80");
    esc_case("escape_bad_utf8", "a\xff" "b\xc3", 4, "a\\ufffdb\\ufffd");
    esc_case("escape_overlong", "\xc0\xaf", 2, "\\ufffd\\ufffd");
    esc_case("escape_surrogate", "\xed\xa0\x80", 3,
             "\\ufffd\\ufffd\\ufffd");
    n = json_escape(small, sizeof(small), "\"\"\"\"\"", 5);
    check(n == 10 && strcmp(small, "\\\"\\\"\\\"\\") == 0, "escape_truncates",
          "got %zu \"%s\"", n, small);
}

/* ---- crafted sessions --------------------------------------------------- */

/*
 * A session from a Zeek history string: upper case letters are client
 * packets, lower case server packets; the facts follow from the letters.
 */
static void craft(struct session *s, const char *history)
{
    const char *h;

    memset(s, 0, sizeof(*s));
    s->family = 4;
    s->id = 1;
    s->client.addr[0] = 10;
    s->client.addr[3] = 1;
    s->client.port = 40000;
    s->server.addr[0] = 10;
    s->server.addr[3] = 2;
    s->server.port = 80;
    s->first_us = 1700000000123456LL;
    s->last_us = s->first_us + 18000;
    snprintf(s->facts.history, sizeof(s->facts.history), "%s", history);
    s->facts.history_len = (uint8_t)strlen(s->facts.history);
    for (h = history; *h; h++) {
        int d = *h >= 'a' && *h <= 'z';
        char c = (char)(d ? *h - 'a' + 'A' : *h);
        s->facts.packets[d]++;
        s->facts.wire_bytes[d] += 66;
        if (c == 'R')
            s->facts.saw_rst[d] = 1;
        if (c == 'F')
            s->facts.saw_fin[d] = 1;
        if (c == 'D')
            s->facts.payload_bytes[d] += 100;
    }
    s->packets = s->facts.packets[0] + s->facts.packets[1];
}

static void state_case(const char *history, const char *want)
{
    struct session *s = calloc(1, sizeof(*s));
    char name[64];
    const char *got;

    if (s == NULL)
        return;
    craft(s, history);
    got = conn_state_name(conn_state_of(s));
    snprintf(name, sizeof(name), "conn_state_%s_%s", want,
             *history ? history : "empty");
    check(strcmp(got, want) == 0, name, "history %s: got %s, want %s",
          history, got, want);
    free(s);
}

static void test_conn_state(void)
{
    state_case("S", "S0");                 /* attempt, no reply */
    state_case("Sr", "REJ");               /* refused: RST/ACK */
    state_case("ShADadFf", "SF");          /* normal */
    state_case("ShAFf", "SF");
    state_case("ShADad", "S1");            /* established, open */
    state_case("ShADadR", "RSTO");         /* client aborted */
    state_case("ShADadFR", "RSTO");        /* FIN, then RST */
    state_case("ShADadr", "RSTR");         /* server aborted */
    state_case("ShADadFfr", "RSTR");       /* RST after the FINs */
    state_case("SR", "RSTOS0");            /* SYN, RST, no SYN/ACK */
    state_case("Sh", "OTH");               /* no ACK of the SYN/ACK */
    state_case("ShADadF", "S2");           /* only the client closed */
    state_case("ShADadf", "S3");           /* only the server closed */
    state_case("SF", "SH");                /* SYN, FIN, no reply */
    state_case("hf", "SHR");               /* SYN/ACK, FIN, no SYN */
    state_case("hr", "RSTRH");             /* SYN/ACK, RST, no SYN */
    state_case("Dd", "OTH");               /* mid-stream */
    state_case("DdFf", "SF");              /* mid-stream, closed */
    state_case("Dr", "RSTRH");             /* mid-stream, server RST */
    state_case("DR", "OTH");               /* mid-stream, client RST */
}

static int contains(const char *hay, const char *needle)
{
    return strstr(hay, needle) != NULL;
}

static void test_json_line(void)
{
    struct session *s = calloc(1, sizeof(*s));
    char line[8192];
    size_t n;

    if (s == NULL)
        return;
    craft(s, "ShADadFf");
    s->id = 42;
    s->facts.syn_us = s->first_us;
    s->facts.synack_us = s->first_us + 1500;
    s->facts.ack_us = s->first_us + 1750;
    s->facts.max_gap_us = 2000001;
    s->facts.retransmits[1] = 3;
    s->reasons = REASON_RETRANSMIT | REASON_RST;
    s->client_state = ST_TIME_WAIT;
    s->server_state = ST_CLOSED;
    n = json_format_session(line, sizeof(line), s, END_CLOSED);
    check(n > 0 && line[n - 1] == '\n' && memchr(line, '\n', n - 1) == NULL,
          "json_one_line", "length %zu", n);
    line[n] = '\0';
    check(strncmp(line, "{\"ts\":1700000000.123456,\"ts_iso\":"
                  "\"2023-11-14T22:13:20.123456Z\",\"end\":"
                  "1700000000.141456,\"end_iso\":\"2023-11-14T22:13:20."
                  "141456Z\",\"duration\":0.018000,\"session_id\":42,", 160)
          == 0, "json_times_first", "%.160s", line);
    check(contains(line, "\"client\":{\"addr\":\"10.0.0.1\",\"port\":40000},"
                   "\"server\":{\"addr\":\"10.0.0.2\",\"port\":80},"
                   "\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":40000,"
                   "\"id.resp_h\":\"10.0.0.2\",\"id.resp_p\":80,"),
          "json_endpoints", "%s", line);
    check(contains(line, "\"orig_pkts\":4,\"resp_pkts\":4,\"orig_bytes\":100,"
                   "\"resp_bytes\":100,\"orig_ip_bytes\":264,"
                   "\"resp_ip_bytes\":264,\"conn_state\":\"SF\","
                   "\"history\":\"ShADadFf\",\"community_id\":\"1:"),
          "json_zeek_fields", "%s", line);
    check(contains(line, "\"reasons\":[\"retransmit\",\"rst\"],"
                   "\"midstream\":false,\"end_reason\":\"closed\","
                   "\"client_state\":\"TIME_WAIT\",\"server_state\":"
                   "\"CLOSED\",\"retransmits\":{\"client\":0,\"server\":3},"),
          "json_miruo_fields", "%s", line);
    check(contains(line, "\"handshake\":{\"syn_to_synack_ms\":1.500,"
                   "\"synack_to_ack_ms\":0.250,\"rtt_ms\":1.750,"
                   "\"syn_resent\":0,\"synack_resent\":0},"
                   "\"max_silence_ms\":2000.001,\"missing_packets\":0}\n"),
          "json_handshake_tail", "%s", line);

    /* No SYN/ACK: handshake null; IPv6 addresses; mid-stream; no reasons */
    craft(s, "Dd");
    s->family = 6;
    memset(s->client.addr, 0, 16);
    memset(s->server.addr, 0, 16);
    s->client.addr[0] = 0x20;
    s->client.addr[1] = 0x01;
    s->client.addr[2] = 0x0d;
    s->client.addr[3] = 0xb8;
    memcpy(s->server.addr, s->client.addr, 16);
    s->client.addr[15] = 1;
    s->server.addr[15] = 2;
    s->flags = SESS_MIDSTREAM;
    n = json_format_session(line, sizeof(line), s, END_EXIT);
    line[n] = '\0';
    check(contains(line, "\"ip_version\":6,\"client\":{\"addr\":"
                   "\"2001:db8::1\",\"port\":40000}"),
          "json_ipv6", "%s", line);
    check(contains(line, "\"community_id\":"
                   "\"1:62cu0uxFAvnY7Tg3u3uFj0zrwAU=\""),
          "json_ipv6_community_id", "%s", line);
    check(contains(line, "\"reasons\":[],\"midstream\":true,"
                   "\"end_reason\":\"end-of-capture\",\"client_state\":"
                   "\"NONE\""), "json_midstream", "%s", line);
    check(contains(line, "\"handshake\":null,"), "json_handshake_null",
          "%s", line);
    /* SYN and SYN/ACK, no ACK: the ACK half is null. */
    craft(s, "Sh");
    s->facts.syn_us = s->first_us;
    s->facts.synack_us = s->first_us + 1000;
    n = json_format_session(line, sizeof(line), s, END_TIMEOUT);
    line[n] = '\0';
    check(contains(line, "\"handshake\":{\"syn_to_synack_ms\":1.000,"
                   "\"synack_to_ack_ms\":null,\"rtt_ms\":null,") &&
          contains(line, "\"end_reason\":\"timeout\""),
          "json_handshake_half", "%s", line);
    /* The diagnosis keys, present only when there is something. */
    check(!contains(line, "\"turn\"") && !contains(line, "\"stall\"") &&
          !contains(line, "\"retransmit_classes\"") &&
          !contains(line, "\"loss\""), "json_diagnosis_omitted", "%s", line);
    s->diag.turns = 3;
    s->diag.max_turn_us = 250000;
    s->diag.turn_side = 1;
    s->diag.stall_us = 1500000;
    s->diag.stall_cause = STALL_RTO;
    s->diag.stall_side = 0;
    s->diag.d[1].rexmit[RX_FAST] = 2;
    s->diag.d[1].lost_after_tap = 2;
    s->diag.d[0].lost_before_tap = 1;
    s->diag.last_syn_us = s->facts.syn_us;
    s->diag.d[0].syn_copies = 0;
    n = json_format_session(line, sizeof(line), s, END_CLOSED);
    line[n] = '\0';
    check(contains(line, "\"missing_packets\":0,\"turn\":{\"count\":3,"
                   "\"max_ms\":250.000,\"side\":\"server\"},\"stall\":"
                   "{\"ms\":1500.000,\"cause\":\"RTO\",\"side\":"
                   "\"client\"},\"retransmit_classes\":{\"client\":"
                   "{\"rto\":0,\"fast\":0,\"spurious\":0,\"tlp\":0},"
                   "\"server\":{\"rto\":0,\"fast\":2,\"spurious\":0,"
                   "\"tlp\":0}},\"loss\":{\"client\":{\"after_tap\":0,"
                   "\"before_tap\":1},\"server\":{\"after_tap\":2,"
                   "\"before_tap\":0}}}\n"), "json_diagnosis", "%s", line);
    check(contains(line, "\"rtt_ms\":null,\"server_side_ms\":1.000,"
                   "\"syn_resent\":0,\"synack_resent\":0}"),
          "json_handshake_server_side", "%s", line);
    check(json_format_session(line, 100, s, END_CLOSED) == 0,
          "json_too_small_buffer", "a 100-byte buffer was enough?");
    free(s);
}

/* json_open / json_session / json_close through a real file. */
static void test_json_file(void)
{
    char path[] = "/tmp/miruo-test-json-XXXXXX", err[JSON_ERRBUF_SIZE];
    struct session *s = calloc(1, sizeof(*s));
    struct json_writer *jw;
    char buf[16384];
    ssize_t n;
    int fd = mkstemp(path), i, lines = 0;

    if (fd < 0 || s == NULL) {
        check(0, "json_file", "cannot create a temporary file");
        free(s);
        return;
    }
    close(fd);
    craft(s, "ShADadFf");
    for (i = 0; i < 2; i++) {       /* twice: the file is appended to */
        jw = json_open(path, err);
        if (jw == NULL) {
            check(0, "json_file", "json_open: %s", err);
            break;
        }
        json_session(jw, s, END_CLOSED);
        json_session(jw, s, END_CLOSED);
        check(json_flush(jw) == 0, i ? "json_flush_again" : "json_flush",
              "failed");
        check(json_close(jw, err) == 0, i ? "json_close_again" : "json_close",
              "%s", err);
    }
    fd = open(path, O_RDONLY);
    n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
    if (fd >= 0)
        close(fd);
    if (n > 0) {
        buf[n] = '\0';
        for (i = 0; i < n; i++)
            lines += buf[i] == '\n';
    }
    check(lines == 4, "json_file_appends", "%d lines", lines);
    unlink(path);
    check(json_open("/nonexistent-dir/x.json", err) == NULL &&
          contains(err, "/nonexistent-dir/x.json: "), "json_open_error",
          "%s", err);
    free(s);
}

/* ---- the report --------------------------------------------------------- */

static void test_buckets(void)
{
    static const struct {
        int64_t us;
        unsigned want;
    } cases[] = {
        { -5, 0 }, { 0, 0 }, { 1, 1 }, { 2, 2 }, { 3, 2 }, { 4, 3 },
        { 7, 3 }, { 8, 4 }, { 1023, 10 }, { 1024, 11 }, { 1000000, 20 },
        { (int64_t)1 << 38, 39 }, { ((int64_t)1 << 39) - 1, 39 },
        { (int64_t)1 << 39, 40 }, { INT64_MAX, 40 }
    };
    unsigned i, bad = 0;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (report_bucket(cases[i].us) != cases[i].want) {
            printf("# bucket(%lld) = %u, want %u\n",
                   (long long)cases[i].us, report_bucket(cases[i].us),
                   cases[i].want);
            bad++;
        }
    }
    check(bad == 0, "report_buckets", "%u wrong", bad);
}

/* Read what report_print writes to a temporary file. */
static int print_to_string(const struct report *r, const struct stats *st,
                           const struct capture_counts *cc,
                           const struct config *cfg, char *out, size_t size)
{
    char path[] = "/tmp/miruo-test-report-XXXXXX";
    int fd = mkstemp(path);
    ssize_t n;

    out[0] = '\0';
    if (fd < 0)
        return -1;
    unlink(path);
    report_print(r, fd, st, cc, cfg);
    n = pread(fd, out, size - 1, 0);
    close(fd);
    if (n < 0)
        return -1;
    out[n] = '\0';
    return 0;
}

static void test_report(void)
{
    struct report *r = report_new(REPORT_FULL);
    struct session *s = calloc(1, sizeof(*s));
    struct stats st;
    struct capture_counts cc;
    struct config cfg;
    uint64_t ids[REPORT_TOP_MAX + 5];
    size_t n, i;
    char *text = malloc(1 << 20);
    int ok;

    if (r == NULL || s == NULL || text == NULL) {
        check(0, "report", "out of memory");
        free(text);
        free(s);
        report_free(r);
        return;
    }
    memset(&st, 0, sizeof(st));
    memset(&cc, 0, sizeof(cc));
    memset(&cfg, 0, sizeof(cfg));
    cfg.session_limit = 1024;
    cfg.segment_limit = 65536;

    /* 1000 sessions: silences id % 100 ms, so ten tie at 99 ms and are
     * ordered by ID; retransmissions on every 7th; handshakes grow. */
    for (i = 1; i <= 1000; i++) {
        craft(s, "ShADadFf");
        s->id = i;
        s->server.port = (uint16_t)(1000 + i % 100);
        s->diag.stall_us = (int64_t)(i % 100) * 1000;
        s->diag.stall_cause = STALL_APP_IDLE;
        s->facts.syn_us = s->first_us;
        s->facts.synack_us = s->first_us + (int64_t)i;
        s->facts.ack_us = s->first_us + 2 * (int64_t)i;
        if (i % 7 == 0)
            s->facts.retransmits[1] = (uint32_t)(i % 13);
        report_session(r, s, END_CLOSED, 0);
    }
    n = report_top_ids(r, TOP_STALL, ids, REPORT_TOP_MAX + 5);
    ok = n == REPORT_TOP_MAX;
    for (i = 0; ok && i < n; i++)
        ok = ids[i] == 99 + 100 * i;
    check(ok, "report_top10_bounded_ties_by_id", "n=%zu first=%llu last=%llu",
          n, n ? (unsigned long long)ids[0] : 0ULL,
          n ? (unsigned long long)ids[n - 1] : 0ULL);
    n = report_top_ids(r, TOP_HANDSHAKE, ids, REPORT_TOP_MAX);
    ok = n == REPORT_TOP_MAX;
    for (i = 0; ok && i < n; i++)
        ok = ids[i] == 1000 - i;
    check(ok, "report_top10_handshake", "n=%zu first=%llu", n,
          n ? (unsigned long long)ids[0] : 0ULL);
    /* Retransmits i % 13 for i % 7 == 0: the 12s are i = 77, 168, ... */
    n = report_top_ids(r, TOP_RETRANSMIT, ids, REPORT_TOP_MAX);
    ok = n == REPORT_TOP_MAX;
    for (i = 0; ok && i < n; i++)
        ok = ids[i] % 7 == 0 && ids[i] % 13 == 12 &&
             (i == 0 || ids[i] > ids[i - 1]);
    check(ok && ids[0] == 77, "report_top10_retransmits", "n=%zu first=%llu",
          n, n ? (unsigned long long)ids[0] : 0ULL);
    check(report_flagged(r) == 0, "report_nothing_flagged", "%llu",
          (unsigned long long)report_flagged(r));

    print_to_string(r, &st, &cc, &cfg, text, 1 << 20);
    check(contains(text, "Sessions        : 1000 ended, 0 shown, 0 flagged"),
          "report_counts", "%.200s", text);
    check(contains(text, "SF              : 1000     normal establishment"),
          "report_states", "%.400s", text);
    check(contains(text, "\nverdict: no problems found\n") &&
          contains(text, "\ncapture health: OK\n"), "report_verdict_clean",
          "no clean verdict");
    /* Ports 1001..1064 come first and get rows; 1065..1099 and 1000
     * (36 ports, 360 sessions) share "other". */
    check(contains(text, "port 1064: 10 sessions\n") &&
          !contains(text, "port 1065:") && !contains(text, "port 1000:") &&
          contains(text, "other ports: 360 sessions\n"), "report_ports",
          "port rows differ");
    /* Port 1001 holds ids 1, 101, ... 901: handshakes 2, 202, ... 1802. */
    check(contains(text, "port 1001: 10 sessions\n"
                   "  [2, 4)                1 |@@@@@@@@@@"
                   "                              |\n"
                   "  [4, 8)                0 |          "
                   "                              |\n"),
          "report_histogram_rows", "rows differ");
    check(contains(text, "  [512, 1K)             3 |@@@@@@@@@@@@@@@@@@@@"
                   "@@@@@@@@@@          |\n"
                   "  [1K, 2K)              4 |@@@@@@@@@@@@@@@@@@@@"
                   "@@@@@@@@@@@@@@@@@@@@|\n"),
          "report_histogram_bpftrace_labels",
          "no [512, 1K) / [1K, 2K) rows");
    check(contains(text, "----- turn time by server port (microseconds, "
                   "log2) -----\n(no samples)\n"), "report_turn_no_samples",
          "turn section");

    /* Flagged sessions, a lost segment, RSTs by sender. */
    craft(s, "ShADadr");
    s->id = 1001;
    s->reasons = REASON_RST;
    s->flags = SESS_SHOWN;
    report_session(r, s, END_CLOSED, 1);
    st.drop_segment = 2;
    print_to_string(r, &st, &cc, &cfg, text, 1 << 20);
    check(contains(text, "\ncapture health: DATA LOST (2 segments over -l)\n"
                   "verdict: 1 session flagged; the capture lost data, more "
                   "may be missing\n"), "report_verdict_lost",
          "%s", strstr(text, "capture health:") ? strstr(text,
          "capture health:") : text);
    check(contains(text, "Sessions with RST: 1 (client sent in 0, server in "
                   "1)\n10.0.0.2"), "report_rst_sender", "no RST sender");
    check(contains(text, "rst             : 1\n"), "report_reason_rst",
          "no rst count");
    report_free(r);

    /* Short: top 3, no histograms; off: nothing. */
    r = report_new(REPORT_SHORT);
    craft(s, "S");
    s->diag.stall_us = 5;
    s->diag.stall_cause = STALL_WAITING_ACK;
    for (i = 1; i <= 5; i++) {
        s->id = i;
        report_session(r, s, END_TIMEOUT, 0);
    }
    st.drop_segment = 0;
    st.err_ip = 1;
    print_to_string(r, &st, &cc, &cfg, text, 1 << 20);
    check(contains(text, "top 3 -----\n0001 ") && !contains(text, "\n0004 ")
          && !contains(text, "by server port"), "report_short",
          "%s", text);
    check(contains(text, "capture health: OK with warnings (1 malformed "
                   "header)\nverdict: no problems found (see the warnings "
                   "above)\n"), "report_warnings", "%s", text);
    check(contains(text, "One-way sessions: 5 (0 carrying data)"),
          "report_one_way", "%s", text);
    report_free(r);
    r = report_new(REPORT_OFF);
    report_session(r, s, END_CLOSED, 0);
    print_to_string(r, &st, &cc, &cfg, text, 1 << 20);
    check(text[0] == '\0', "report_off_prints_nothing", "%s", text);
    report_free(r);

    /* RST senders beyond the table are counted as "other senders";
     * sessions still open make the verdict provisional. */
    r = report_new(REPORT_FULL);
    for (i = 0; i < REPORT_RST_ADDRS + 6; i++) {
        craft(s, "ShADadr");
        s->id = i + 1;
        s->server.addr[3] = (uint8_t)i;
        report_session(r, s, END_CLOSED, 0);
    }
    st.err_ip = 0;
    st.active_sessions = 2;
    print_to_string(r, &st, &cc, &cfg, text, 1 << 20);
    {
        char want[128];
        snprintf(want, sizeof(want), "%-39s %8d\n", "other senders", 6);
        check(contains(text, "Sessions with RST: 70 (client sent in 0, "
                       "server in 70)\n10.0.0.0 ") && contains(text, want),
              "report_rst_senders_bounded", "%s", text);
    }
    check(contains(text, "\nverdict: no problems found so far (2 sessions "
                   "still open)\n"), "report_verdict_so_far", "%s", text);
    check(contains(text, "(2 still open, not counted)"),
          "report_counts_still_open", "%s", text);
    report_free(r);
    st.active_sessions = 0;

    cc.drop = 1;
    check(report_data_lost(&st, &cc), "report_data_lost_kernel", "no");
    cc.drop = 0;
    check(!report_data_lost(&st, &cc), "report_data_lost_none", "yes");
    free(text);
    free(s);
}

int main(void)
{
    test_sha1();
    test_community_id();
    test_escape();
    test_conn_state();
    test_json_line();
    test_json_file();
    test_buckets();
    test_report();
    return check_summary();
}
