/*
 * test_http.c - unit tests for the HTTP DPI module (src/dpi_http.c).
 *
 *   test_http                 run the built-in checks (and a short fuzz)
 *   test_http --fuzz SECONDS  also fuzz for that long (random payloads and
 *                             split points; use under ASan/UBSan)
 *   test_http --seed N        seed for the fuzz loops (default 1)
 *
 * Prints "ok NAME" or "FAIL NAME: why" per check, then "N passed, N
 * failed"; exits 1 if anything failed.  Every line the module emits is
 * also checked to be printable ASCII of the announced length.
 *
 * Build: gcc -std=gnu99 -I. -Isrc -o test_http tests/unit/test_http.c \
 *            src/dpi_http.c
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dpi_http.h"
#include "check.h"

#define CAP_MAX (256 * 1024)



/* ---- a session under test and what it emitted --------------------------- */

struct t {
    struct http_config cfg;
    struct http_session hs;
    char out[CAP_MAX];          /* emitted lines, each followed by '\n' */
    size_t len;
    unsigned lines;
    int bad_line;               /* a line was not printable ASCII */
    size_t longest;
};

static struct t T;

static void collect(void *ctx, const char *line, size_t len)
{
    struct t *t = ctx;
    size_t i;

    if (strlen(line) != len)
        t->bad_line = 1;
    for (i = 0; i < len; i++)
        if ((unsigned char)line[i] < 0x20 || (unsigned char)line[i] > 0x7e)
            t->bad_line = 1;
    if (len > t->longest)
        t->longest = len;
    t->lines++;
    if (t->len + len + 2 < CAP_MAX) {
        memcpy(t->out + t->len, line, len);
        t->len += len;
        t->out[t->len++] = '\n';
        t->out[t->len] = '\0';
    }
}

static void reset_out(void)
{
    T.len = 0;
    T.out[0] = '\0';
    T.lines = 0;
}

static void setup(const char *mode)
{
    char err[HTTP_ERRBUF_SIZE];
    int enabled;

    if (http_config_parse(mode, &T.cfg, &enabled, err) < 0 || !enabled) {
        fprintf(stderr, "test_http: bad mode %s: %s\n", mode, err);
        exit(2);
    }
    http_session_init(&T.hs);
    reset_out();
    T.bad_line = 0;
}

/* Feed len bytes at time `us` (microseconds); caplen == wire_len. */
static void feedn(int srv, int64_t us, const void *p, size_t len)
{
    http_session_feed(&T.hs, &T.cfg, srv, us, p, (uint32_t)len,
                      (uint32_t)len, collect, &T);
}

static void feed(int srv, int64_t us, const char *s)
{
    feedn(srv, us, s, strlen(s));
}

/* Feed a segment the snap length cut: `cap` of `wire` bytes captured. */
static void feed_cut(int srv, int64_t us, const char *s, size_t cap,
                     size_t wire)
{
    http_session_feed(&T.hs, &T.cfg, srv, us, (const uint8_t *)s,
                      (uint32_t)cap, (uint32_t)wire, collect, &T);
}

/* Compare what was emitted since the last expect() with `want`. */
static void expect(const char *name, const char *want)
{
    check(strcmp(T.out, want) == 0 && !T.bad_line, name,
          "%s\n--- got:\n%s--- want:\n%s---",
          T.bad_line ? "unprintable line" : "output differs", T.out, want);
    reset_out();
}

#define REQ "DPI:HTTP:RequestLine >>>> "
#define HDR "DPI:HTTP:Header >>>>>>>>> "
#define RES "DPI:HTTP:ResponseLine >>> "
#define RT  "DPI:HTTP:ResponseTime >>> "

/* ---- basic requests and responses --------------------------------------- */

static void t_get_query(void)
{
    setup("http");
    feed(0, 1000000, "GET /index.html?user=bob&x=1 HTTP/1.1\r\n"
         "Host: www.example.com:8080\r\nUser-Agent: curl/7.88.1\r\n"
         "Accept: */*\r\n\r\n");
    expect("get_query_cut_host_always",
           REQ "GET /index.html HTTP/1.1\n"
           HDR "Host: www.example.com:8080\n");
    feed(1, 1012345, "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n"
         "Content-Length: 5\r\nServer: demo/1.0\r\n\r\nhello");
    expect("response_line_and_time",
           RES "HTTP/1.1 404 Not Found\n"
           RT "12.345 ms (GET /index.html)\n");
}

static void t_config_case(void)
{
    setup("http:user-agent,REFERER,cookie:content-type,SERVER");
    feed(0, 0, "GET / HTTP/1.1\r\nhost: h\r\nUser-Agent: curl\r\n"
         "Referer: http://ref.example.com/page?secret=1\r\n"
         "X-Odd:Host\r\nCookie:   a=b   \r\n\r\n");
    expect("config_case_insensitive_referer_cut",
           REQ "GET / HTTP/1.1\n"
           HDR "host: h\n"
           HDR "User-Agent: curl\n"
           HDR "Referer: http://ref.example.com/page\n"
           HDR "Cookie: a=b\n");
    feed(1, 2000, "HTTP/1.1 200 OK\r\ncontent-TYPE: text/plain\r\n"
         "Server: x\r\nContent-Length: 0\r\n\r\n");
    expect("config_response_list",
           RES "HTTP/1.1 200 OK\n"
           RT "2.000 ms (GET /)\n"
           HDR "content-TYPE: text/plain\n"
           HDR "Server: x\n");
}

static void t_xodd(void)
{
    const char *req = "GET /x HTTP/1.1\r\nX-Odd:Host\r\nCookie:   a=b\r\n"
                      "Host: real\r\n\r\n";

    setup("http");
    feed(0, 0, req);
    expect("xodd_value_never_a_name",
           REQ "GET /x HTTP/1.1\n" HDR "Host: real\n");
    setup("http:%:%");
    feed(0, 0, req);
    expect("xodd_all_fields",
           REQ "GET /x HTTP/1.1\n" HDR "X-Odd: Host\n" HDR "Cookie: a=b\n"
           HDR "Host: real\n");
    feed(1, 0, "HTTP/1.0 200 OK\r\nContent-Length: 5\r\nServer: s\r\n\r\n"
         "hello");
    expect("percent_response_list",
           RES "HTTP/1.0 200 OK\n" RT "0.000 ms (GET /x)\n"
           HDR "Content-Length: 5\n" HDR "Server: s\n");
    setup("http:%");
    feed(0, 0, "GET / HTTP/1.1\r\nHost : spaced\r\nBad Name: x\r\n"
         "\x1b[1m: y\r\n: empty\r\n folded: z\r\nnocolon\r\n\r\n");
    expect("field_name_must_be_token", REQ "GET / HTTP/1.1\n");
    setup("http:%");
    feed(0, 0, "GET / HTTP/1.1\r\nA: 1\r\n\r\n");
    feed(1, 0, "HTTP/1.1 200 OK\r\nB: 2\r\nContent-Length: 0\r\n\r\n");
    expect("percent_request_only",
           REQ "GET / HTTP/1.1\n" HDR "A: 1\n" RES "HTTP/1.1 200 OK\n"
           RT "0.000 ms (GET /)\n");
}

static void t_methods(void)
{
    setup("http");
    feed(0, 1000, "POST /form HTTP/1.0\r\nHost: h2\r\nContent-Length: 3\r\n"
         "\r\nabc");
    feed(0, 2000, "HEAD / HTTP/1.1\r\nHost: h3\r\n\r\n");
    feed(0, 3000, "PURGE /cache/item HTTP/1.1\r\nHost: h4\r\n\r\n");
    /* Methods are case-sensitive tokens (RFC 9110 section 9.1), so "get"
     * is a valid, if unknown, method: it is shown (the original ignored
     * it). */
    feed(0, 4000, "get /lower HTTP/1.1\r\nHost: lower\r\n\r\n");
    feed(0, 5000, "M-SEARCH * HTTP/1.1\r\n\r\n");
    expect("post_head_custom_lowercase",
           REQ "POST /form HTTP/1.0\n" HDR "Host: h2\n"
           REQ "HEAD / HTTP/1.1\n" HDR "Host: h3\n"
           REQ "PURGE /cache/item HTTP/1.1\n" HDR "Host: h4\n"
           REQ "get /lower HTTP/1.1\n" HDR "Host: lower\n"
           REQ "M-SEARCH * HTTP/1.1\n");
    /* The HEAD response has a Content-Length but no body (RFC 9110
     * 9.3.2): the next response must be parsed right after it. */
    feed(1, 11000, "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok"
         "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n"
         "HTTP/1.1 204 No Content\r\n\r\n"
         "HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n"
         "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    expect("head_204_304_no_body",
           RES "HTTP/1.0 200 OK\n" RT "10.000 ms (POST /form)\n"
           RES "HTTP/1.1 200 OK\n" RT "9.000 ms (HEAD /)\n"
           RES "HTTP/1.1 204 No Content\n" RT "8.000 ms (PURGE /cache/item)\n"
           RES "HTTP/1.1 304 Not Modified\n" RT "7.000 ms (get /lower)\n"
           RES "HTTP/1.1 200 OK\n" RT "6.000 ms (M-SEARCH *)\n");
}

static void t_nover_and_empty_reason(void)
{
    setup("http");
    feed(0, 0, "GET /nover\r\n");
    feed(0, 0, "GET /ok HTTP/1.1\r\n\r\n");
    expect("no_version_ignored", REQ "GET /ok HTTP/1.1\n");
    feed(1, 0, "HTTP/1.1 204 \r\n\r\nHTTP/1.1 204\r\n\r\n");
    expect("empty_reason_trailing_space",
           RES "HTTP/1.1 204 \n" RT "0.000 ms (GET /ok)\n"
           RES "HTTP/1.1 204 \n");
}

/* ---- segmentation ------------------------------------------------------- */

static void t_split(void)
{
    const char *req = "GET /split/path?q=1 HTTP/1.1\r\nHost: split.example"
                      "\r\nAccept: */*\r\n\r\n";
    const char *want = REQ "GET /split/path HTTP/1.1\n"
                       HDR "Host: split.example\n";
    size_t n = strlen(req), i;
    int ok = 1;

    setup("http");
    feedn(0, 100, req, 10);
    feedn(0, 200, req + 10, 25);
    feedn(0, 300, req + 35, n - 35);
    expect("request_split_3_segments", want);

    setup("http");
    for (i = 0; i < n; i++)
        feedn(0, (int64_t)i, req + i, 1);
    expect("request_byte_by_byte", want);

    /* Every split point of a request + response pair. */
    for (i = 1; i < n && ok; i++) {
        setup("http");
        feedn(0, 1000, req, i);
        feedn(0, 2000, req + i, n - i);
        feed(1, 5000, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        ok = strcmp(T.out, REQ "GET /split/path HTTP/1.1\n"
                    HDR "Host: split.example\n" RES "HTTP/1.1 200 OK\n"
                    RT "4.000 ms (GET /split/path)\n") == 0;
    }
    check(ok, "request_every_split_point", "split at %zu:\n%s", i, T.out);

    /* A status line split: the time goes on the first segment. */
    setup("http");
    feed(0, 1000, "GET /a HTTP/1.1\r\n\r\n");
    reset_out();
    feed(1, 3000, "HTTP/1.1 2");
    check(strcmp(T.out, RT "2.000 ms (GET /a)\n") == 0,
          "response_time_on_first_byte_segment", "got %s", T.out);
    reset_out();
    feed(1, 9000, "00 OK\r\nContent-Length: 0\r\n\r\n");
    expect("status_line_split", RES "HTTP/1.1 200 OK\n");
}

static void t_pipeline(void)
{
    setup("http");
    feed(0, 1000, "GET /one HTTP/1.1\r\nHost: a\r\n\r\n"
         "GET /two?x HTTP/1.1\r\nHost: a\r\n\r\n");
    feed(1, 5500, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none"
         "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    expect("pipelined_two_pairs",
           REQ "GET /one HTTP/1.1\n" HDR "Host: a\n"
           REQ "GET /two HTTP/1.1\n" HDR "Host: a\n"
           RES "HTTP/1.1 200 OK\n" RT "4.500 ms (GET /one)\n"
           RES "HTTP/1.1 404 Not Found\n" RT "4.500 ms (GET /two)\n");
}

static void t_keepalive(void)
{
    int i;
    char buf[128];
    char want[1024];
    size_t wl = 0;

    setup("http:User-Agent");
    want[0] = '\0';
    for (i = 0; i < 3; i++) {
        snprintf(buf, sizeof(buf), "GET /r%d HTTP/1.1\r\nHost: k\r\n"
                 "User-Agent: t\r\n\r\n", i);
        feed(0, 1000000 * i, buf);
        feed(1, 1000000 * i + 1000 * (i + 1), "HTTP/1.1 200 OK\r\n"
             "Content-Length: 10\r\n\r\n0123456789");
        wl += (size_t)snprintf(want + wl, sizeof(want) - wl,
                               REQ "GET /r%d HTTP/1.1\n" HDR "Host: k\n"
                               HDR "User-Agent: t\n" RES "HTTP/1.1 200 OK\n"
                               RT "%d.000 ms (GET /r%d)\n", i, i + 1, i);
    }
    expect("keepalive_three_pairs", want);
}

static void t_chunked(void)
{
    setup("http::Transfer-Encoding");
    feed(0, 0, "GET /c HTTP/1.1\r\n\r\nGET /d HTTP/1.1\r\n\r\n");
    reset_out();
    feed(1, 1000, "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n"
         "\r\n1b;ext=1\r\nHTTP/1.1 999 NotAResp\r\n1234\r\n5\r\n");
    feed(1, 2000, "HTTP/");
    feed(1, 3000, "\r\n0\r\nX-Trailer: t\r\n\r\n"
         "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
    expect("chunked_then_second_response",
           RES "HTTP/1.1 200 OK\n" RT "1.000 ms (GET /c)\n"
           HDR "Transfer-Encoding: gzip, chunked\n"
           RES "HTTP/1.1 201 Created\n" RT "3.000 ms (GET /d)\n");

    /* Chunked request body, chunk sizes split across segments. */
    setup("http");
    feed(0, 0, "POST /up HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
         "16\r\nGET ");
    feed(0, 0, "/fake HTTP/1.1\r\n\r\n");
    feed(0, 0, "\r\nA");
    feed(0, 0, "\r\n0123456789\r\n0\r\n\r\nGET /real HTTP/1.1\r\n\r\n");
    expect("chunked_request", REQ "POST /up HTTP/1.1\n"
           REQ "GET /real HTTP/1.1\n");
}

static void t_body_spanning(void)
{
    setup("http");
    feed(0, 0, "PUT /big HTTP/1.1\r\nContent-Length: 40\r\n\r\n");
    feed(0, 0, "GET /not-a-request HTTP/1.1\r\n\r\n");   /* 31 bytes */
    feed(0, 0, "123456789");
    feed(0, 0, "GET /next HTTP/1.1\r\n\r\n");
    expect("content_length_body_spanning",
           REQ "PUT /big HTTP/1.1\n" REQ "GET /next HTTP/1.1\n");
}

static void t_continue(void)
{
    setup("http");
    feed(0, 1000, "PUT /u HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
         "Content-Length: 5\r\n\r\n");
    feed(1, 2000, "HTTP/1.1 100 Continue\r\n\r\n");
    feed(0, 3000, "hello");
    feed(1, 4000, "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
    feed(0, 5000, "GET /after HTTP/1.1\r\n\r\n");
    feed(1, 7000, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    expect("100_continue",
           REQ "PUT /u HTTP/1.1\n" HDR "Host: h\n"
           RES "HTTP/1.1 100 Continue\n" RT "1.000 ms (PUT /u)\n"
           RES "HTTP/1.1 201 Created\n"
           REQ "GET /after HTTP/1.1\n"
           RES "HTTP/1.1 200 OK\n" RT "2.000 ms (GET /after)\n");
}

/* Lines around the HTTP_LINE_MAX boundary, whole and byte by byte. */
static void t_line_boundary(void)
{
    static char buf[2048], want[2048];
    size_t pad, n, i, k;
    int ok = 1, bytewise;

    for (bytewise = 0; bytewise < 2 && ok; bytewise++) {
        for (pad = HTTP_LINE_MAX - 24; pad < HTTP_LINE_MAX + 24 && ok;
             pad++) {
            /* Request line: the version straddles the kept head. */
            setup("http");
            n = (size_t)snprintf(buf, sizeof(buf), "GET /");
            memset(buf + n, 'a', pad);
            n += pad;
            /* Content-Length with leading zeros: must still parse. */
            n += (size_t)snprintf(buf + n, sizeof(buf) - n,
                                  " HTTP/1.1\r\nContent-Length: ");
            memset(buf + n, '0', pad);
            n += pad;
            /* Body and next request: only right if the 5 is found. */
            n += (size_t)snprintf(buf + n, sizeof(buf) - n, "5\r\n\r\n"
                                  "helloGET /next HTTP/1.1\r\n\r\n");
            if (bytewise)
                for (i = 0; i < n; i++)
                    feedn(0, 0, buf + i, 1);
            else
                feedn(0, 0, buf, n);
            /* A Content-Length line longer than the kept head cannot be
             * trusted: the direction resynchronises and, all of this
             * being one segment, the next request is not seen. */
            k = pad + 1 > HTTP_FIELD_MAX ? HTTP_FIELD_MAX : pad + 1;
            snprintf(want, sizeof(want), REQ "GET %.*s%s HTTP/1.1\n%s",
                     (int)k, buf + 4, pad + 1 > HTTP_FIELD_MAX ? "..." : "",
                     pad + 17 <= HTTP_LINE_MAX ?
                     REQ "GET /next HTTP/1.1\n" : "");
            ok = strcmp(T.out, want) == 0;
        }
    }
    check(ok, "line_max_boundary", "pad %zu bytewise %d:\n%s", pad - 1,
          bytewise - 1, T.out);
    reset_out();
}

static void t_response_bytewise(void)
{
    const char *res = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                      "Server: b\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                      "HTTP/1.1 404 Nope\r\nContent-Length: 2\r\n\r\nxy"
                      "HTTP/1.1 304 Not Modified\r\n\r\n";
    size_t i, n = strlen(res);

    setup("http::server");
    feed(0, 0, "GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n"
         "GET /3 HTTP/1.1\r\n\r\n");
    reset_out();
    for (i = 0; i < n; i++)
        feedn(1, 1000 * (int64_t)(i + 1), res + i, 1);
    expect("response_byte_by_byte",
           RT "1.000 ms (GET /1)\n"
           RES "HTTP/1.1 200 OK\n" HDR "Server: b\n"
           RT "72.000 ms (GET /2)\n"
           RES "HTTP/1.1 404 Nope\n"
           RT "114.000 ms (GET /3)\n"
           RES "HTTP/1.1 304 Not Modified\n");
}

/* ---- hostile input ------------------------------------------------------ */

static void t_long_line(void)
{
    static char big[70000];
    static char want[2048];
    size_t n, i;

    setup("http:%");
    n = (size_t)snprintf(big, sizeof(big), "GET / HTTP/1.1\r\nX-Big: ");
    memset(big + n, 'v', 65536);
    n += 65536;
    n += (size_t)snprintf(big + n, sizeof(big) - n,
                          "\r\nHost: after\r\n\r\n");
    /* In 1000-byte segments: the line is longer than any segment. */
    for (i = 0; i < n; i += 1000)
        feedn(0, 0, big + i, n - i < 1000 ? n - i : 1000);
    snprintf(want, sizeof(want), REQ "GET / HTTP/1.1\n" HDR "X-Big: %.*s..."
             "\n" HDR "Host: after\n", HTTP_FIELD_MAX,
             big + 25);
    expect("header_line_64k", want);

    /* A 64 KiB request target: cut for printing, version still found. */
    setup("http");
    n = (size_t)snprintf(big, sizeof(big), "GET /");
    memset(big + n, 'p', 65536);
    n += 65536;
    n += (size_t)snprintf(big + n, sizeof(big) - n,
                          " HTTP/1.1\r\nHost: h\r\n\r\n");
    feedn(0, 0, big, n);
    snprintf(want, sizeof(want), REQ "GET /%.*s... HTTP/1.1\n"
             HDR "Host: h\n", HTTP_FIELD_MAX - 1, big + 5);
    expect("request_target_64k", want);
    feed(1, 0, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    snprintf(want, sizeof(want), RES "HTTP/1.1 200 OK\n"
             RT "0.000 ms (GET /%.*s...)\n", HTTP_PENDING_TEXT - 5,
             big + 5);
    expect("response_time_long_target", want);

    /* A 64 KiB Content-Length line cannot be trusted: resync. */
    setup("http");
    n = (size_t)snprintf(big, sizeof(big), "POST / HTTP/1.1\r\n"
                         "Content-Length: ");
    memset(big + n, '1', 1000);
    n += 1000;
    n += (size_t)snprintf(big + n, sizeof(big) - n, "\r\n\r\nbody");
    feedn(0, 0, big, n);
    feed(0, 0, "GET /resync HTTP/1.1\r\n\r\n");
    expect("long_content_length_resync",
           REQ "POST / HTTP/1.1\n" REQ "GET /resync HTTP/1.1\n");
}

static void t_escape(void)
{
    static const char req[] =
        "GET /a\x1b[31mred\x00z\xc3\xa9 HTTP/1.1\r\n"
        "Host: h\x1b]0;title\x07\r\n"
        "User-Agent: \x00\x01\r\r\n\r\n";

    setup("http:User-Agent");
    feedn(0, 0, req, sizeof(req) - 1);
    expect("escape_nul_esc_utf8",
           REQ "GET /a\\x1b[31mred\\x00z\\xc3\\xa9 HTTP/1.1\n"
           HDR "Host: h\\x1b]0;title\\x07\n"
           HDR "User-Agent: \\x00\\x01\\x0d\n");
    feed(1, 0, "HTTP/1.1 200 \x1b[2J\xff\r\nContent-Length: 0\r\n\r\n");
    expect("escape_reason",
           RES "HTTP/1.1 200 \\x1b[2J\\xff\n"
           RT "0.000 ms (GET /a\\x1b[31mred\\x00z\\xc3\\xa9)\n");
}

static void t_garbage(void)
{
    uint8_t g[4096];
    unsigned i, s = 12345;

    for (i = 0; i < sizeof(g); i++) {
        s = s * 1103515245u + 12345u;
        g[i] = (uint8_t)(s >> 16);
    }
    g[0] = 0x16;                        /* a TLS record, say */
    setup("http:%:%");
    feedn(0, 0, g, sizeof(g));
    feedn(1, 0, g + 100, 2000);
    feed(0, 0, "GET /late HTTP/1.1\r\n\r\n");
    expect("binary_garbage_nothing", "");

    setup("http");
    feed(0, 0, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    feedn(0, 0, "\x00\x00\x12\x04\x00\x00\x00\x00\x00", 9);
    feed(1, 0, "HTTP/2 200\r\n\r\n");
    feed(0, 0, "GET /x HTTP/1.1\r\n\r\n");
    expect("http2_preface_nothing", "");

    /* Non-HTTP text on the port: no output either. */
    setup("http:%:%");
    feed(1, 0, "220 mail.example ESMTP\r\n");
    feed(0, 0, "EHLO client\r\nMAIL FROM:<a@b>\r\n");
    feed(1, 0, "250 ok\r\n");
    expect("smtp_nothing", "");
}

static void t_snap(void)
{
    const char *req = "GET /cut?x=1 HTTP/1.1\r\nHost: cut.example\r\n"
                      "Cookie: abcdefghijklmnopqrstuvwxyz\r\n\r\n";

    /* Cut inside the Cookie line: what was captured is shown, then the
     * direction waits for the next segment start. */
    setup("http:Cookie");
    feed_cut(0, 1000, req, 55, strlen(req));
    expect("snaplen_cut_in_headers",
           REQ "GET /cut HTTP/1.1\n" HDR "Host: cut.example\n"
           HDR "Cookie: abcde...\n");
    feed(0, 2000, "GET /next HTTP/1.1\r\nHost: n\r\n\r\n");
    feed(1, 4000, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    feed(1, 5000, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    expect("snaplen_resync_pairing",
           REQ "GET /next HTTP/1.1\n" HDR "Host: n\n"
           RES "HTTP/1.1 200 OK\n" RT "3.000 ms (GET /cut)\n"
           RES "HTTP/1.1 200 OK\n");

    /* Cut inside the request line itself. */
    setup("http");
    feed_cut(0, 0, req, 9, strlen(req));
    expect("snaplen_cut_request_line", REQ "GET /cut...\n");
    setup("http");
    feed_cut(0, 0, req, 3, strlen(req));
    feed_cut(0, 0, "\x01\x02", 0, 2);
    feed_cut(0, 0, "", 0, 0);
    expect("snaplen_cut_in_method", "");

    /* Inside a body of known length the cut costs nothing. */
    setup("http");
    feed(0, 0, "GET / HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n");
    reset_out();
    feed_cut(1, 1000, "HTTP/1.1 200 OK\r\nContent-Length: 3000\r\n\r\n"
             "xxxx", 45, 1445);
    feed_cut(1, 2000, "yyyy", 4, 1448);
    feed_cut(1, 3000, "zzzz", 4, 148);
    feed(1, 4000, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    expect("snaplen_cut_in_body",
           RES "HTTP/1.1 200 OK\n" RT "1.000 ms (GET /)\n"
           RES "HTTP/1.1 200 OK\n" RT "4.000 ms (GET /2)\n");
}

static void t_gap(void)
{
    setup("http");
    feed(0, 1000, "GET /a HTTP/1.1\r\nHost: h\r\n\r\n");
    feed(1, 2000, "HTTP/1.1 200 OK\r\nContent-Length: 10000\r\n\r\nabc");
    http_session_gap(&T.hs, 1);
    feed(1, 3000, "middle of the body HTTP/1.1 200 OK\r\n");
    feed(0, 4000, "GET /b HTTP/1.1\r\nHost: h\r\n\r\n");
    feed(1, 5000, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    expect("gap_then_resync",
           REQ "GET /a HTTP/1.1\n" HDR "Host: h\n"
           RES "HTTP/1.1 200 OK\n" RT "1.000 ms (GET /a)\n"
           REQ "GET /b HTTP/1.1\n" HDR "Host: h\n"
           RES "HTTP/1.1 200 OK\n");

    /* Picked up mid-stream: both directions start resynchronising. */
    setup("http");
    http_session_gap(&T.hs, 0);
    http_session_gap(&T.hs, 1);
    feed(0, 0, "dy of a previous POST\r\nGET /x HTTP/1.1\r\n\r\n");
    feed(0, 0, "GET /y HTTP/1.1\r\n\r\n");
    feed(1, 0, "tail of a body");
    feed(1, 0, "HTTP/1.1 304 Not Modified\r\n\r\n");
    expect("midstream_resync",
           REQ "GET /y HTTP/1.1\n" RES "HTTP/1.1 304 Not Modified\n");

    /* While resynchronising only registered methods are trusted: a
     * segment may start inside a request line. */
    setup("http");
    http_session_gap(&T.hs, 0);
    feed(0, 0, "ET /mid HTTP/1.1\r\n\r\n");
    feed(0, 0, "PURGE /custom HTTP/1.1\r\n\r\n");
    feed(0, 0, "DELETE /known HTTP/1.1\r\n\r\n");
    feed(0, 0, "PURGE /custom HTTP/1.1\r\n\r\n");
    expect("resync_known_methods",
           REQ "DELETE /known HTTP/1.1\n" REQ "PURGE /custom HTTP/1.1\n");

    /* A request-direction gap: queued requests keep their pairing. */
    setup("http");
    feed(0, 1000, "GET /q HTTP/1.1\r\n\r\n");
    http_session_gap(&T.hs, 0);
    feed(0, 2000, "GET /r HTTP/1.1\r\n\r\n");
    feed(1, 3000, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    feed(1, 4000, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    expect("request_gap_keeps_queued",
           REQ "GET /q HTTP/1.1\n" REQ "GET /r HTTP/1.1\n"
           RES "HTTP/1.1 200 OK\n" RT "2.000 ms (GET /q)\n"
           RES "HTTP/1.1 200 OK\n");
}

static void t_until_close_and_upgrade(void)
{
    /* The original's http.pcap payloads, in order. */
    setup("http:User-Agent,Referer,Cookie:Content-Type,Server");
    feed(0, 3000, "GET /index.html?user=bob&x=1 HTTP/1.1\r\n"
         "Host: www.example.com:8080\r\nUser-Agent: curl/7.88.1\r\n"
         "Accept: */*\r\nReferer: http://ref.example.com/page?secret=1\r\n"
         "X-Odd:Host\r\nCookie:   a=b   \r\n\r\n");
    feed(1, 5000, "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n"
         "Content-Length: 5\r\nServer: demo/1.0\r\n\r\nhello");
    feed(0, 7000, "POST /form HTTP/1.0\r\nHost: h2\r\nContent-Length: 3\r\n"
         "\r\nabc");
    feed(1, 8000, "HTTP/1.0 200 OK\r\nServer: x\r\n\r\n");
    feed(0, 9000, "HEAD / HTTP/1.1\r\nHost: h3\r\n\r\n");
    feed(1, 10000, "HTTP/2 200\r\n\r\n");
    feed(1, 11000, "HTTP/1.1 20x Weird\r\n\r\n");
    feed(0, 12000, "get / HTTP/1.1\r\nHost: lower\r\n\r\n");
    feed(0, 13000, "GET /nover\r\n\r\n");
    feed(1, 14000, "HTTP/1.1 204\r\n\r\n");
    expect("original_http_pcap",
           REQ "GET /index.html HTTP/1.1\n"
           HDR "Host: www.example.com:8080\n"
           HDR "User-Agent: curl/7.88.1\n"
           HDR "Referer: http://ref.example.com/page\n"
           HDR "Cookie: a=b\n"
           RES "HTTP/1.1 404 Not Found\n"
           RT "2.000 ms (GET /index.html)\n"
           HDR "Content-Type: text/html\n"
           HDR "Server: demo/1.0\n"
           REQ "POST /form HTTP/1.0\n" HDR "Host: h2\n"
           RES "HTTP/1.0 200 OK\n" RT "1.000 ms (POST /form)\n"
           HDR "Server: x\n"
           REQ "HEAD / HTTP/1.1\n" HDR "Host: h3\n"
           REQ "get / HTTP/1.1\n" HDR "Host: lower\n"
           RES "HTTP/1.1 204 \n" RT "5.000 ms (HEAD /)\n");

    setup("http");
    feed(0, 0, "GET /chat HTTP/1.1\r\nUpgrade: websocket\r\n\r\n");
    feed(1, 0, "HTTP/1.1 101 Switching Protocols\r\n\r\n\x81\x05hello");
    feed(0, 0, "\x81\x85GET / HTTP/1.1\r\n\r\n");
    feed(1, 0, "HTTP/1.1 200 OK\r\n\r\n");
    expect("upgrade_101_stops",
           REQ "GET /chat HTTP/1.1\n"
           RES "HTTP/1.1 101 Switching Protocols\n"
           RT "0.000 ms (GET /chat)\n");

    setup("http");
    feed(0, 0, "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443"
         "\r\n\r\n");
    feed(1, 0, "HTTP/1.1 200 Connection established\r\n\r\n");
    feed(0, 0, "\x16\x03\x01\x02\x00");
    feed(1, 0, "HTTP/1.1 200 OK\r\n\r\n");
    expect("connect_tunnel_stops",
           REQ "CONNECT example.com:443 HTTP/1.1\n"
           HDR "Host: example.com:443\n"
           RES "HTTP/1.1 200 Connection established\n"
           RT "0.000 ms (CONNECT example.com:443)\n");
}

static void t_queue_overflow(void)
{
    char buf[64];
    int i, rt = 0, ok = 1;
    const char *p;

    setup("http");
    for (i = 0; i < HTTP_PENDING_MAX + 4; i++) {
        snprintf(buf, sizeof(buf), "GET /%d HTTP/1.1\r\n\r\n", i);
        feed(0, i, buf);
    }
    reset_out();
    for (i = 0; i < HTTP_PENDING_MAX + 4; i++)
        feed(1, 1000, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    feed(0, 2000, "GET /after HTTP/1.1\r\n\r\n");
    feed(1, 2500, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    for (p = T.out; (p = strstr(p, RT)) != NULL; p++)
        rt++;
    ok = rt == HTTP_PENDING_MAX + 1 &&
         strstr(T.out, RT "0.985 ms (GET /15)\n") != NULL &&
         strstr(T.out, "(GET /16)") == NULL &&
         strstr(T.out, RT "0.500 ms (GET /after)\n") != NULL;
    check(ok, "pending_queue_overflow", "%d times:\n%s", rt, T.out);
    reset_out();
}

/* ---- the -m argument ---------------------------------------------------- */

static void t_config(void)
{
    struct http_config cfg;
    char err[HTTP_ERRBUF_SIZE];
    char big[4096];
    int en, r, i;
    size_t n;
    static const char *const bad[] = {
        "mysql", "HTTP", "httpx", "", "http:a:b:c", "tcp:x", "http:a b",
        "http:\x1b[31m", "Http", "http :a"
    };
    static const char *const good[] = {
        "http", "http:", "http:A,B", "http:A,B:C,D", "http:%", "http:%:%",
        "http::Server", "http:A,,B,", "http:A:"
    };

    for (i = 0; i < (int)(sizeof(bad) / sizeof(bad[0])); i++) {
        en = 7;
        err[0] = '\0';
        r = http_config_parse(bad[i], &cfg, &en, err);
        check(r == -1 && strstr(err, "(supported: tcp, http, "
                                "http:REQ,...[:RES,...])") != NULL &&
              strchr(err, '\x1b') == NULL, "config_rejects", "'%s' -> %d %s",
              bad[i], r, err);
    }
    http_config_parse("mysql", &cfg, &en, err);
    check(strcmp(err, "unknown mode 'mysql' (supported: tcp, http, "
                 "http:REQ,...[:RES,...])") == 0, "config_error_text",
          "%s", err);
    for (i = 0; i < (int)(sizeof(good) / sizeof(good[0])); i++) {
        r = http_config_parse(good[i], &cfg, &en, err);
        check(r == 0 && en == 1, "config_accepts", "'%s' -> %d %s",
              good[i], r, err);
    }
    r = http_config_parse("tcp", &cfg, &en, err);
    check(r == 0 && en == 0, "config_tcp", "%d %d", r, en);
    r = http_config_parse("http:A,B:C,D", &cfg, &en, err);
    check(r == 0 && cfg.req.count == 2 && cfg.res.count == 2 &&
          !cfg.req.all && memcmp(cfg.res.name[1], "D", 1) == 0,
          "config_lists", "req %u res %u", cfg.req.count, cfg.res.count);
    r = http_config_parse("http:%:", &cfg, &en, err);
    check(r == 0 && cfg.req.all && !cfg.res.all && cfg.res.count == 0,
          "config_percent", "%d", r);

    /* Limits: 32 names of 64 bytes are fine, 33 or 65 are not. */
    n = (size_t)snprintf(big, sizeof(big), "http:");
    for (i = 0; i < HTTP_MAX_NAMES; i++)
        n += (size_t)snprintf(big + n, sizeof(big) - n, "%sN%d",
                              i ? "," : "", i);
    r = http_config_parse(big, &cfg, &en, err);
    check(r == 0 && cfg.req.count == HTTP_MAX_NAMES, "config_32_names",
          "%d %s", r, err);
    snprintf(big + n, sizeof(big) - n, ",extra");
    r = http_config_parse(big, &cfg, &en, err);
    check(r == -1 && strlen(err) < HTTP_ERRBUF_SIZE, "config_33_names",
          "%d", r);
    memset(big, 'x', sizeof(big));
    memcpy(big, "http:", 5);
    big[5 + HTTP_MAX_NAME_LEN] = '\0';
    r = http_config_parse(big, &cfg, &en, err);
    check(r == 0, "config_name_64", "%d %s", r, err);
    big[5 + HTTP_MAX_NAME_LEN] = 'x';
    big[6 + HTTP_MAX_NAME_LEN] = '\0';
    r = http_config_parse(big, &cfg, &en, err);
    check(r == -1, "config_name_65", "%d", r);
    big[sizeof(big) - 1] = '\0';
    r = http_config_parse(big, &cfg, &en, err);
    check(r == -1 && strlen(err) < 256, "config_huge_arg", "%d", r);
}

static void t_size(void)
{
    check(http_session_size() < 2048 &&
          http_session_size() == sizeof(struct http_session),
          "session_size_under_2k", "%zu bytes", http_session_size());
    printf("# http_session_size() = %zu bytes\n", http_session_size());
}

/* ---- fuzzing ------------------------------------------------------------ */

static uint32_t rng_state = 1;
static uint64_t fuzz_bytes, fuzz_lines;

static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* Pieces that make random streams likely to reach deep states. */
struct piece {
    const char *s;
    size_t n;
};

#define P(x) { x, sizeof(x) - 1 }

static const struct piece req_pieces[] = {
    P("GET / HTTP/1.1\r\n"), P("HEAD /h HTTP/1.1\r\n"),
    P("POST /p?q HTTP/1.0\r\n"), P("CONNECT a:1 HTTP/1.1\r\n"),
    P("PRI * HTTP/2.0\r\n"), P("get /x\r\n"),
    P("\r\n"), P("\r\n"), P("\r\n"), P("\n"), P("\r")
};

static const struct piece res_pieces[] = {
    P("HTTP/1.1 200 OK\r\n"), P("HTTP/1.1 100 C\r\n"),
    P("HTTP/1.1 101 S\r\n"), P("HTTP/1.0 304 N\r\n"),
    P("HTTP/1.1 204\r\n"), P("HTTP/2 200\r\n"), P("HTTP/1.1 99 x\r\n"),
    P("\r\n"), P("\r\n"), P("\r\n"), P("\n"), P("\r")
};

static const struct piece any_pieces[] = {
    P("Content-Length: 5\r\n"), P("Content-Length: 0\r\n"),
    P("Content-Length: 99999999999999999999\r\n"),
    P("Content-Length: 3, 3\r\n"), P("Content-Length: 3, 4\r\n"),
    P("Transfer-Encoding: chunked\r\n"), P("Transfer-Encoding: gzip\r\n"),
    P("Host: x\r\n"), P("Referer: a?b\r\n"), P("5\r\nabcde\r\n"),
    P("0\r\n\r\n"), P("3;e=1\r\nabc\r\n"), P("ffffffffffffffffff\r\n"),
    P(":\r\n"), P(" folded\r\n"), P("X:\x1b\x00\xff\r\n"), P("abcde")
};

static const struct piece crlf = P("\r\n");

#define NPIECES(a) (sizeof(a) / sizeof((a)[0]))

static size_t put_piece(uint8_t *buf, size_t len, const struct piece *p)
{
    memcpy(buf + len, p->s, p->n);
    return len + p->n;
}

/*
 * A random stream for one direction: messages made of a start line, some
 * field lines, an empty line and a random body, with random bytes and bit
 * flips mixed in.
 */
static size_t fuzz_stream(uint8_t *buf, size_t size, size_t maxlen, int srv)
{
    size_t len = 0, n, k;
    unsigned h, nh;

    while (len < maxlen && len + 256 < size) {
        len = put_piece(buf, len, srv ?
                        &res_pieces[rnd() % NPIECES(res_pieces)] :
                        &req_pieces[rnd() % NPIECES(req_pieces)]);
        nh = rnd() % 5;
        for (h = 0; h < nh; h++)
            len = put_piece(buf, len,
                            &any_pieces[rnd() % NPIECES(any_pieces)]);
        if (rnd() % 4)
            len = put_piece(buf, len, &crlf);
        n = rnd() % 4 == 0 ? rnd() % 40 : 0;
        for (k = 0; k < n; k++)
            buf[len++] = (uint8_t)(rnd() % 4 ? 'a' + rnd() % 26 : rnd());
        if (len > 0 && rnd() % 16 == 0)
            buf[rnd() % len] ^= (uint8_t)(1u << (rnd() % 8));
    }
    return len;
}

static void fuzz_one(size_t maxlen)
{
    static uint8_t buf[2][8192];
    size_t len[2], off[2] = { 0, 0 }, n;
    int srv;
    uint32_t cap;
    uint8_t *seg;
    int64_t ts = 0;

    http_session_init(&T.hs);
    if (rnd() % 4 == 0)
        http_session_gap(&T.hs, (int)(rnd() & 1));
    len[0] = fuzz_stream(buf[0], sizeof(buf[0]), maxlen, 0);
    len[1] = fuzz_stream(buf[1], sizeof(buf[1]), maxlen, 1);
    while (off[0] < len[0] || off[1] < len[1]) {
        srv = (int)(rnd() & 1);
        if (off[srv] == len[srv])
            srv = !srv;
        n = 1 + rnd() % 64;
        if (rnd() % 8 == 0)
            n = 1 + rnd() % 2000;
        if (n > len[srv] - off[srv])
            n = len[srv] - off[srv];
        cap = (uint32_t)n;
        if (rnd() % 10 == 0)
            cap = rnd() % (uint32_t)(n + 1);
        if (rnd() % 50 == 0)
            http_session_gap(&T.hs, srv);
        ts += rnd() % 100000;
        if (rnd() % 100 == 0)
            ts -= 500000;               /* time going backwards */
        /* An exact-size heap copy, so ASan sees any overread. */
        seg = malloc(cap ? cap : 1);
        if (seg == NULL)
            exit(2);
        memcpy(seg, buf[srv] + off[srv], cap);
        http_session_feed(&T.hs, &T.cfg, srv, ts, seg, cap, (uint32_t)n,
                          collect, &T);
        free(seg);
        off[srv] += n;
        fuzz_bytes += n;
        fuzz_lines += T.lines;
        if (getenv("TEST_HTTP_SHOW") != NULL)
            fputs(T.out, stdout);
        reset_out();
    }
}

static void t_fuzz(double seconds, unsigned min_iter)
{
    static const char *const modes[] = { "http", "http:%:%", "http:Host" };
    unsigned iter = 0;
    clock_t start = clock();

    T.bad_line = 0;
    T.longest = 0;
    while (iter < min_iter ||
           (double)(clock() - start) / CLOCKS_PER_SEC < seconds) {
        setup(modes[iter % 3]);
        fuzz_one(1 + rnd() % 4096);
        iter++;
        if (T.bad_line)
            break;
    }
    check(!T.bad_line && T.longest < 1024, "fuzz",
          "%u iterations, bad line %d, longest %zu", iter, T.bad_line,
          T.longest);
    printf("# fuzz: %u iterations, %llu bytes, %llu lines\n", iter,
           (unsigned long long)fuzz_bytes, (unsigned long long)fuzz_lines);
}

int main(int argc, char **argv)
{
    double fuzz_seconds = 0;
    int i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--fuzz") == 0 && i + 1 < argc)
            fuzz_seconds = atof(argv[++i]);
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            rng_state = (uint32_t)strtoul(argv[++i], NULL, 10) | 1u;
        else {
            fprintf(stderr, "usage: test_http [--fuzz SECONDS] "
                    "[--seed N]\n");
            return 2;
        }
    }
    t_get_query();
    t_config_case();
    t_xodd();
    t_methods();
    t_nover_and_empty_reason();
    t_split();
    t_pipeline();
    t_keepalive();
    t_chunked();
    t_body_spanning();
    t_continue();
    t_line_boundary();
    t_response_bytewise();
    t_long_line();
    t_escape();
    t_garbage();
    t_snap();
    t_gap();
    t_until_close_and_upgrade();
    t_queue_overflow();
    t_config();
    t_size();
    t_fuzz(fuzz_seconds, 2000);
    return check_summary();
}
