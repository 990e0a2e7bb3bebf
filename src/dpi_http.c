/*
 * dpi_http.c - HTTP/1.x deep packet inspection (-m http).
 *
 * This file owns the -m argument and the per-session HTTP/1.x parser.  Each
 * direction of a session runs the message framing of RFC 9112 as a state
 * machine fed with in-order payload bytes:
 *
 *   START --start line--> HEADERS --empty line--> body --> START
 *
 * where the body is nothing, Content-Length bytes, or chunked coding
 * (chunk-size line, chunk data, CRLF, ..., last chunk, trailer fields).
 * Requests are queued (method, target, time of the first byte) so that
 * responses, pipelined or not, are paired with them in order: that gives
 * the ResponseTime line and the body rules that depend on the request
 * (HEAD, CONNECT).
 *
 * Lines may be split over any number of segments.  The first HTTP_LINE_MAX
 * bytes of a line and its last HTTP_LINE_TAIL bytes are kept; what lies
 * between is counted and skipped, so a 64 KiB field line costs no memory
 * and is printed truncated with "...".  Everything taken from a packet is
 * escaped before it is handed out: bytes outside 0x20..0x7e become \xNN.
 *
 * Any token is accepted as a method (RFC 9110 section 9.1): PUT, PATCH,
 * custom ones, and also "get", which is a valid token distinct from GET
 * (the original showed only GET and POST).  A line without an HTTP/1.x
 * version is ignored, as the original did; HTTP/2 (its preface), binary
 * data, a 101 upgrade or a CONNECT tunnel end the inspection of the
 * connection.
 *
 * When bytes are lost (a gap, or a snap length cut outside a body of known
 * length) the line being read is shown as far as it was captured, and the
 * direction resynchronises: it ignores data until a segment starts with a
 * start line.  Pairing is kept only while it is certain; once lost it
 * stays off for the session (see pair_lost_request()).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "dpi_http.h"

/* ---- constants ---------------------------------------------------------- */

/* Direction states. */
enum {
    DS_START = 0,       /* expecting a start line; empty lines skipped */
    DS_HEADERS,         /* field lines until the empty line */
    DS_BODY,            /* `remain` bytes of Content-Length body */
    DS_CHUNK_SIZE,      /* chunk-size [chunk-ext] line */
    DS_CHUNK_DATA,      /* `remain` bytes of chunk data */
    DS_CHUNK_END,       /* the CRLF after chunk data */
    DS_TRAILER,         /* trailer field lines until the empty line */
    DS_RESYNC,          /* framing unknown: wait for a segment start */
    DS_NOT_HTTP         /* not HTTP/1.x: ignore until a gap */
};

/* Direction flags. */
#define DF_SEEN_HTTP    0x01    /* a valid start line was seen */
#define DF_TENTATIVE    0x02    /* trying a start line while resyncing */
#define DF_PREFIX_OK    0x04    /* start of the start line already valid */
#define DF_RT_ARMED     0x08    /* a response began in this segment */

/* Framing of the message being parsed (RFC 9112 section 6). */
#define MF_CL           0x01    /* Content-Length seen, value in remain */
#define MF_CL_BAD       0x02    /* invalid or conflicting Content-Length */
#define MF_TE           0x04    /* Transfer-Encoding seen */
#define MF_CHUNKED      0x08    /* ... and its final coding is chunked */

/* Pending request flags. */
#define PF_HEAD         0x01
#define PF_CONNECT      0x02
#define PF_TIMED        0x04    /* ResponseTime already shown */
#define PF_TRUNC        0x08    /* text was cut */

#define LOST_UNKNOWN    255     /* lost_after: an unknown number */

/* A method longer than this is taken for garbage, not a token. */
#define METHOD_MAX      64

/* A start line tried during resync must end within this many bytes
 * (RFC 9112 section 3 recommends supporting at least 8000). */
#define TENTATIVE_MAX   8192

#define OUT_MAX         1024    /* one output line, NUL included */

#define PFX_MORE        0       /* start line prefix: valid so far */
#define PFX_OK          1       /* valid and long enough to be sure */
#define PFX_BAD         2       /* not a start line */
#define PFX_OTHER_VER   3       /* an HTTP version other than 1.x */

/* ---- small helpers ------------------------------------------------------ */

/* tchar of RFC 9110 section 5.6.2. */
static int is_tchar(uint8_t c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9'))
        return 1;
    return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int is_token(const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!is_tchar(p[i]))
            return 0;
    return n > 0;
}

/*
 * Methods of the IANA HTTP Method Registry (RFC 9110 section 16.1).  Any
 * token is a method, but while resynchronising a segment may start in the
 * middle of a request line ("ET / HTTP/1.1"), so only these are trusted
 * there.
 */
static int is_known_method(const uint8_t *p, size_t n)
{
    static const char *const methods[] = {
        "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
        "TRACE", "PATCH", "QUERY", "ACL", "BASELINE-CONTROL", "BIND",
        "CHECKIN", "CHECKOUT", "COPY", "LABEL", "LINK", "LOCK", "MERGE",
        "MKACTIVITY", "MKCALENDAR", "MKCOL", "MKREDIRECTREF",
        "MKWORKSPACE", "MOVE", "ORDERPATCH", "PROPFIND", "PROPPATCH",
        "REBIND", "REPORT", "SEARCH", "UNBIND", "UNCHECKOUT", "UNLINK",
        "UNLOCK", "UPDATE", "UPDATEREDIRECTREF", "VERSION-CONTROL"
    };
    size_t i;

    for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
        if (strlen(methods[i]) == n && memcmp(methods[i], p, n) == 0)
            return 1;
    return 0;
}

static int is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

static int is_ows(uint8_t c)
{
    return c == ' ' || c == '\t';
}

static uint8_t lower(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c - 'A' + 'a') : c;
}

/* Case-insensitive ASCII comparison of p[0..n) with the string s. */
static int name_is(const uint8_t *p, size_t n, const char *s, size_t slen)
{
    size_t i;

    if (n != slen)
        return 0;
    for (i = 0; i < n; i++)
        if (lower(p[i]) != lower((uint8_t)s[i]))
            return 0;
    return 1;
}

#define NAME_IS(p, n, lit) name_is(p, n, lit, sizeof(lit) - 1)

static const uint8_t *find(const uint8_t *p, size_t n, uint8_t c)
{
    return n ? memchr(p, c, n) : NULL;
}

/* Does p[0..n) contain "://" (an absolute-form target, RFC 9112 3.2.2)? */
static int has_scheme(const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i + 3 <= n; i++)
        if (p[i] == ':' && p[i + 1] == '/' && p[i + 2] == '/')
            return 1;
    return 0;
}

/* ---- output: escaped, bounded lines ------------------------------------- */

struct out {
    char buf[OUT_MAX];
    size_t len;
};

static void out_char(struct out *o, char c)
{
    if (o->len < OUT_MAX - 1)
        o->buf[o->len++] = c;
}

static void out_str(struct out *o, const char *s)
{
    while (*s)
        out_char(o, *s++);
}

/*
 * Append packet bytes, escaped: bytes outside 0x20..0x7e become \xNN so
 * that no control sequence, NUL or raw UTF-8 reaches a terminal.  At most
 * HTTP_FIELD_MAX characters are written; "..." follows when the field was
 * capped or `more` says the field continues past the bytes given.
 */
static void out_field(struct out *o, const uint8_t *p, size_t n, int more)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, used = 0, w;

    for (i = 0; i < n; i++) {
        w = (p[i] >= 0x20 && p[i] <= 0x7e) ? 1 : 4;
        if (used + w > HTTP_FIELD_MAX) {
            more = 1;
            break;
        }
        if (w == 1) {
            out_char(o, (char)p[i]);
        } else {
            out_char(o, '\\');
            out_char(o, 'x');
            out_char(o, hex[p[i] >> 4]);
            out_char(o, hex[p[i] & 15]);
        }
        used += w;
    }
    if (more)
        out_str(o, "...");
}

/* ---- feeding context ---------------------------------------------------- */

struct feed {
    struct http_session *hs;
    const struct http_config *cfg;
    struct http_dir *d;
    int from_server;
    int64_t ts_us;
    http_emit_fn emit;
    void *ctx;
};

static void out_emit(const struct feed *f, struct out *o)
{
    o->buf[o->len] = '\0';
    if (f->emit != NULL)
        f->emit(f->ctx, o->buf, o->len);
}

/* ---- request queue and pairing ------------------------------------------ */

/*
 * Responses come in the order of the requests (RFC 9112 section 9.3.2), so
 * a FIFO pairs them.  When it is full a new request is not stored; the
 * newest stored entry counts it in lost_after, and that many responses are
 * skipped after its own.  When a loss may have hidden requests, the
 * newest entry gets LOST_UNKNOWN: the requests already queued are still
 * paired, and pairing stops after them.
 */
static void pair_off(struct http_session *hs)
{
    hs->nopair = 1;
    hs->head = 0;
    hs->count = 0;
    hs->skip = 0;
}

/* The request direction lost bytes: requests may be missing. */
static void pair_lost_request(struct http_session *hs)
{
    if (hs->nopair)
        return;
    if (hs->count == 0) {
        pair_off(hs);
        return;
    }
    hs->pending[(hs->head + hs->count - 1) % HTTP_PENDING_MAX].lost_after =
        LOST_UNKNOWN;
}

/* The response direction lost bytes: any response may be missing. */
static void pair_lost_response(struct http_session *hs)
{
    pair_off(hs);
}

/* The request the response being parsed answers, if known. */
static struct http_pending *pair_current(struct http_session *hs)
{
    if (hs->nopair || hs->skip > 0 || hs->count == 0)
        return NULL;
    return &hs->pending[hs->head];
}

static void pair_push(struct http_session *hs, const uint8_t *method,
                      size_t mlen, const uint8_t *target, size_t tlen,
                      int64_t ts_us)
{
    struct http_pending *e;
    size_t room;

    if (hs->nopair)
        return;
    if (hs->count == HTTP_PENDING_MAX) {
        e = &hs->pending[(hs->head + hs->count - 1) % HTTP_PENDING_MAX];
        if (e->lost_after < LOST_UNKNOWN)
            e->lost_after++;
        return;
    }
    e = &hs->pending[(hs->head + hs->count) % HTTP_PENDING_MAX];
    hs->count++;
    memset(e, 0, sizeof(*e));
    e->ts_us = ts_us;
    /* Methods are case-sensitive (RFC 9110 section 9.1). */
    if (mlen == 4 && memcmp(method, "HEAD", 4) == 0)
        e->flags |= PF_HEAD;
    if (mlen == 7 && memcmp(method, "CONNECT", 7) == 0)
        e->flags |= PF_CONNECT;
    room = sizeof(e->text);
    if (mlen > room) {
        mlen = room;
        e->flags |= PF_TRUNC;
    }
    memcpy(e->text, method, mlen);
    e->len = (uint8_t)mlen;
    if (e->len < room)
        e->text[e->len++] = ' ';
    room -= e->len;
    if (tlen > room) {
        tlen = room;
        e->flags |= PF_TRUNC;
    }
    memcpy(e->text + e->len, target, tlen);
    e->len = (uint8_t)(e->len + tlen);
}

/* A final response (status >= 200, or 101) completes the oldest request. */
static void pair_pop(struct http_session *hs)
{
    uint8_t lost;

    if (hs->nopair)
        return;
    if (hs->skip > 0) {
        hs->skip--;
        return;
    }
    if (hs->count == 0)
        return;
    lost = hs->pending[hs->head].lost_after;
    hs->head = (uint8_t)((hs->head + 1) % HTTP_PENDING_MAX);
    hs->count--;
    if (lost == LOST_UNKNOWN)
        pair_off(hs);
    else
        hs->skip = lost;
}

/*
 * DPI:HTTP:ResponseTime: from the first byte of the request to the first
 * byte of its first response (an interim 1xx counts), once per request.
 */
static void emit_response_time(const struct feed *f, int64_t first_byte)
{
    struct http_pending *e = pair_current(f->hs);
    struct out o;
    char num[48];
    int64_t dt;

    if (e == NULL || (e->flags & PF_TIMED))
        return;
    e->flags |= PF_TIMED;
    dt = first_byte - e->ts_us;
    if (dt < 0)
        dt = 0;
    o.len = 0;
    out_str(&o, "DPI:HTTP:ResponseTime >>> ");
    snprintf(num, sizeof(num), "%lld.%03lld ms (", (long long)(dt / 1000),
             (long long)(dt % 1000));
    out_str(&o, num);
    out_field(&o, (const uint8_t *)e->text, e->len,
              (e->flags & PF_TRUNC) != 0);
    out_char(&o, ')');
    out_emit(f, &o);
}

/* ---- line buffer -------------------------------------------------------- */

/*
 * A complete (or, at a snap length cut, partial) line, CR LF removed.
 * head/len: its first bytes (all of it unless `cut`); tail/tail_len: its
 * last bytes (the same bytes as the end of head when not cut).
 */
struct line {
    const uint8_t *head;
    size_t len;
    size_t total;
    int cut;
    uint8_t tail[HTTP_LINE_TAIL];
    size_t tail_len;
};

static void line_reset(struct http_dir *d)
{
    d->line_len = 0;
    d->ovf = 0;
    d->tail_pos = 0;
    d->flags &= (uint8_t)~(DF_PREFIX_OK | DF_RT_ARMED);
}

static size_t line_total(const struct http_dir *d)
{
    return (size_t)d->line_len + d->ovf;
}

static void line_append(struct http_dir *d, const uint8_t *p, size_t n)
{
    size_t k;

    if (d->line_len < HTTP_LINE_MAX) {
        k = HTTP_LINE_MAX - d->line_len;
        if (k > n)
            k = n;
        memcpy(d->line + d->line_len, p, k);
        d->line_len += (uint32_t)k;
        p += k;
        n -= k;
    }
    if (n == 0)
        return;
    /* Past line[]: count, and keep only the last HTTP_LINE_TAIL bytes. */
    d->ovf = (n > UINT32_MAX - d->ovf) ? UINT32_MAX : d->ovf + (uint32_t)n;
    if (n > HTTP_LINE_TAIL) {
        p += n - HTTP_LINE_TAIL;
        n = HTTP_LINE_TAIL;
    }
    for (k = 0; k < n; k++) {
        d->tail[d->tail_pos] = p[k];
        d->tail_pos = (uint8_t)((d->tail_pos + 1) % HTTP_LINE_TAIL);
    }
}

/* Build the view of the current line; a final CR is dropped (RFC 9112
 * section 2.2: CRLF ends a line, a bare LF is accepted). */
static void line_view(const struct http_dir *d, struct line *l)
{
    size_t n, i, from_head;

    l->head = d->line;
    l->len = d->line_len;
    l->total = line_total(d);
    l->cut = d->ovf > 0;
    n = l->total < HTTP_LINE_TAIL ? l->total : HTTP_LINE_TAIL;
    from_head = d->ovf >= n ? 0 : n - d->ovf;
    memcpy(l->tail, d->line + d->line_len - from_head, from_head);
    for (i = from_head; i < n; i++) {
        /* ovf < HTTP_LINE_TAIL here means the ring has not wrapped. */
        size_t pos = d->ovf >= HTTP_LINE_TAIL ?
                     (d->tail_pos + i) % HTTP_LINE_TAIL : i - from_head;
        l->tail[i] = d->tail[pos];
    }
    l->tail_len = n;
    if (n > 0 && l->tail[n - 1] == '\r') {
        l->tail_len--;
        l->total--;
        if (!l->cut)
            l->len--;
        else if (d->ovf == 1)
            l->cut = 0;
    }
}

/* ---- start lines (RFC 9112 sections 3 and 4) ---------------------------- */

/*
 * Check the beginning of a start line, so that binary data is rejected
 * at its first bytes instead of at an LF that may never come.
 *   request-line = method SP request-target SP HTTP-version
 *   status-line  = HTTP-version SP status-code SP [ reason-phrase ]
 */
static int prefix_check(const uint8_t *p, size_t n, int response)
{
    static const char ver[] = "HTTP/1.";
    size_t i;

    if (n == 0 || (n == 1 && p[0] == '\r'))
        return PFX_MORE;
    if (!response) {
        for (i = 0; i < n && i <= METHOD_MAX; i++) {
            if (p[i] == ' ')
                return i > 0 ? PFX_OK : PFX_BAD;
            if (!is_tchar(p[i]))
                return PFX_BAD;
        }
        return i > METHOD_MAX ? PFX_BAD : PFX_MORE;
    }
    for (i = 0; i < n && i < 7; i++) {
        if (p[i] != (uint8_t)ver[i]) {
            if (i == 5 && is_digit(p[i]))
                return PFX_OTHER_VER;   /* HTTP/2, HTTP/3, HTTP/0.9 */
            return PFX_BAD;
        }
    }
    if (n > 7 && !is_digit(p[7]))
        return PFX_BAD;
    if (n > 8 && p[8] != ' ')
        return PFX_BAD;
    for (i = 9; i < n && i < 12; i++)
        if (!is_digit(p[i]))
            return PFX_BAD;
    if (n > 12 && p[12] != ' ' && p[12] != '\r')
        return PFX_BAD;
    return n > 12 ? PFX_OK : PFX_MORE;
}

static void set_state(struct http_dir *d, uint8_t state)
{
    d->state = state;
    if (state == DS_RESYNC || state == DS_NOT_HTTP)
        d->flags &= (uint8_t)~DF_TENTATIVE;
}

/*
 * Bytes of this direction were lost: forget the framing and tell the
 * pairing.
 */
static void dir_lost(const struct feed *f)
{
    line_reset(f->d);
    set_state(f->d, DS_RESYNC);
    if (f->from_server)
        pair_lost_response(f->hs);
    else
        pair_lost_request(f->hs);
}

/*
 * A start line failed.  While resynchronising: keep waiting.  Hard
 * failures (binary data, another HTTP version): a direction that never
 * spoke HTTP/1.x is given up, one that did has lost its framing.  Soft
 * failures (text that is not a start line, e.g. "GET /nover" without a
 * version) are ignored like the original did.
 */
static void start_fail(const struct feed *f, int hard)
{
    struct http_dir *d = f->d;

    if (d->flags & DF_TENTATIVE) {
        line_reset(d);
        set_state(d, DS_RESYNC);
    } else if (hard && (d->flags & DF_SEEN_HTTP)) {
        dir_lost(f);
    } else if (hard) {
        line_reset(d);
        set_state(d, DS_NOT_HTTP);
        pair_off(f->hs);
    }
}

static void start_ok(struct http_dir *d)
{
    d->flags |= DF_SEEN_HTTP;
    d->flags &= (uint8_t)~DF_TENTATIVE;
    d->state = DS_HEADERS;
    d->msg = 0;
    d->remain = 0;
}

/* Emit "METHOD TARGET[ VERSION]" with the query string removed. */
static void emit_request_line(const struct feed *f, const uint8_t *m,
                              size_t mlen, const uint8_t *t, size_t tlen,
                              int tmore, const uint8_t *v, size_t vlen)
{
    struct out o;

    o.len = 0;
    out_str(&o, "DPI:HTTP:RequestLine >>>> ");
    out_field(&o, m, mlen, 0);
    out_char(&o, ' ');
    out_field(&o, t, tlen, tmore);
    if (v != NULL) {
        out_char(&o, ' ');
        out_field(&o, v, vlen, 0);
    }
    out_emit(f, &o);
}

/* Length of a request target up to its query string (RFC 9112 3.2). */
static size_t cut_query(const uint8_t *t, size_t n, int *more)
{
    const uint8_t *q = find(t, n, '?');

    if (q == NULL)
        return n;
    *more = 0;
    return (size_t)(q - t);
}

static void parse_request_line(const struct feed *f, const struct line *l)
{
    struct http_dir *d = f->d;
    const uint8_t *sp, *v;
    size_t mlen, tstart, tend, tlen;
    int more;

    sp = find(l->head, l->len, ' ');
    if (sp == NULL) {
        start_fail(f, 0);
        return;
    }
    mlen = (size_t)(sp - l->head);
    if ((d->flags & DF_TENTATIVE) && !is_known_method(l->head, mlen)) {
        start_fail(f, 0);
        return;
    }
    /* The version is the last 8 bytes, after a space. */
    if (l->tail_len < 9) {
        start_fail(f, 0);               /* no version: ignored */
        return;
    }
    v = l->tail + l->tail_len - 8;
    if (v[-1] != ' ' || memcmp(v, "HTTP/", 5) != 0 || !is_digit(v[5]) ||
        v[6] != '.' || !is_digit(v[7])) {
        start_fail(f, 0);
        return;
    }
    if (v[5] != '1') {
        start_fail(f, 1);               /* e.g. the HTTP/2 preface */
        return;
    }
    tstart = mlen + 1;
    tend = l->total - 9;
    if (tend <= tstart) {
        start_fail(f, 0);
        return;
    }
    more = tend > l->len;
    if (more)
        tend = l->len;
    tlen = cut_query(l->head + tstart, tend - tstart, &more);
    start_ok(d);
    emit_request_line(f, l->head, mlen, l->head + tstart, tlen, more, v, 8);
    pair_push(f->hs, l->head, mlen, l->head + tstart, tlen, d->line_ts);
}

static void emit_status_line(const struct feed *f, const struct line *l,
                             int more)
{
    struct out o;

    o.len = 0;
    out_str(&o, "DPI:HTTP:ResponseLine >>> ");
    out_field(&o, l->head, 12, 0);
    out_char(&o, ' ');
    /* The reason phrase is the rest of the line; an empty one leaves
     * "CODE " with its trailing space, as the original printed. */
    if (l->len > 13)
        out_field(&o, l->head + 13, l->len - 13, more);
    else if (more)
        out_str(&o, "...");
    out_emit(f, &o);
}

static void parse_status_line(const struct feed *f, const struct line *l)
{
    struct http_dir *d = f->d;
    unsigned status;
    int r;

    r = prefix_check(l->head, l->len, 1);
    if (r == PFX_BAD || r == PFX_OTHER_VER || l->len < 12 ||
        (l->len > 12 && l->head[12] != ' ')) {
        start_fail(f, 1);
        return;
    }
    status = (unsigned)(l->head[9] - '0') * 100 +
             (unsigned)(l->head[10] - '0') * 10 +
             (unsigned)(l->head[11] - '0');
    /* RFC 9110 section 15: status codes are 100..599. */
    if (status < 100 || status > 599) {
        start_fail(f, 1);
        return;
    }
    start_ok(d);
    d->status = (uint16_t)status;
    emit_status_line(f, l, l->cut);
    emit_response_time(f, d->line_ts);
}

/* ---- field lines (RFC 9112 section 5, RFC 9110 section 5) --------------- */

static int list_has(const struct http_field_list *fl, const uint8_t *name,
                    size_t n)
{
    unsigned i;

    if (fl->all)
        return 1;
    for (i = 0; i < fl->count; i++)
        if (name_is(name, n, fl->name[i], fl->len[i]))
            return 1;
    return 0;
}

/*
 * Content-Length = 1*DIGIT; a list of identical values is accepted (RFC
 * 9110 section 8.6), anything else makes the framing unknown (RFC 9112
 * section 6.3).
 */
static void content_length(struct http_dir *d, const uint8_t *v, size_t n)
{
    uint64_t val;
    size_t i = 0;
    int digits;

    if (n == 0)
        goto bad;
    while (i < n) {
        val = 0;
        digits = 0;
        while (i < n && is_ows(v[i]))
            i++;
        while (i < n && is_digit(v[i])) {
            if (val > (UINT64_MAX - 9) / 10)
                goto bad;
            val = val * 10 + (uint64_t)(v[i] - '0');
            digits++;
            i++;
        }
        while (i < n && is_ows(v[i]))
            i++;
        if (digits == 0 || (i < n && v[i] != ','))
            goto bad;
        i++;
        if ((d->msg & MF_CL) && d->remain != val)
            goto bad;
        d->msg |= MF_CL;
        d->remain = val;
    }
    return;
bad:
    d->msg |= MF_CL_BAD;
}

/*
 * Transfer-Encoding: only whether the final coding is chunked matters
 * (RFC 9112 section 6.1); the last field line wins since field lines of
 * one name form one list.  `v` is the end of the value (the whole value,
 * or its kept tail for a cut line).
 */
static void transfer_encoding(struct http_dir *d, const uint8_t *v,
                              size_t n, int whole)
{
    d->msg |= MF_TE;
    d->msg &= (uint8_t)~MF_CHUNKED;
    while (n > 0 && is_ows(v[n - 1]))
        n--;
    if (n < 7 || !NAME_IS(v + n - 7, 7, "chunked"))
        return;
    if (n == 7 ? whole : (is_ows(v[n - 8]) || v[n - 8] == ','))
        d->msg |= MF_CHUNKED;
}

static void emit_field(const struct feed *f, const uint8_t *name,
                       size_t nlen, const uint8_t *val, size_t vlen,
                       int more)
{
    struct out o;

    o.len = 0;
    out_str(&o, "DPI:HTTP:Header >>>>>>>>> ");
    out_field(&o, name, nlen, 0);
    out_str(&o, ": ");
    out_field(&o, val, vlen, more);
    out_emit(f, &o);
}

/*
 * field-line = field-name ":" OWS field-value OWS.  The name is the bytes
 * before the first colon, so a value can never be taken for a name (the
 * original tokenised values too: "X-Odd:Host" printed a bogus Host).
 */
static void field_line(const struct feed *f, const struct line *l,
                       int partial)
{
    struct http_dir *d = f->d;
    const struct http_field_list *fl;
    const uint8_t *colon, *val;
    size_t nlen, vlen;
    int more = l->cut || partial;
    int show;

    /* obs-fold continuation lines are not new fields (RFC 9112 5.2). */
    if (l->len == 0 || is_ows(l->head[0]))
        return;
    colon = find(l->head, l->len, ':');
    if (colon == NULL)
        return;
    nlen = (size_t)(colon - l->head);
    /* field-name = token; anything else is an invalid line (RFC 9112
     * section 5.1 forbids even whitespace before the colon). */
    if (!is_token(l->head, nlen))
        return;
    val = colon + 1;
    vlen = l->len - nlen - 1;
    while (vlen > 0 && is_ows(val[0])) {
        val++;
        vlen--;
    }
    if (!more)
        while (vlen > 0 && is_ows(val[vlen - 1]))
            vlen--;

    if (!partial) {
        if (NAME_IS(l->head, nlen, "Content-Length")) {
            if (more)
                d->msg |= MF_CL_BAD;
            else
                content_length(d, val, vlen);
        } else if (NAME_IS(l->head, nlen, "Transfer-Encoding")) {
            if (more)
                transfer_encoding(d, l->tail, l->tail_len, 0);
            else
                transfer_encoding(d, val, vlen, 1);
        }
    }

    fl = f->from_server ? &f->cfg->res : &f->cfg->req;
    show = list_has(fl, l->head, nlen) ||
           (!f->from_server && NAME_IS(l->head, nlen, "Host"));
    if (!show)
        return;
    if (NAME_IS(l->head, nlen, "Referer"))
        vlen = cut_query(val, vlen, &more);
    emit_field(f, l->head, nlen, val, vlen, more);
}

/* ---- message framing (RFC 9112 section 6.3) ----------------------------- */

/* Both directions stop being HTTP/1.x: a 101 upgrade or a tunnel. */
static void switch_protocols(const struct feed *f)
{
    int i;

    for (i = 0; i < 2; i++) {
        line_reset(&f->hs->dir[i]);
        set_state(&f->hs->dir[i], DS_NOT_HTTP);
    }
    pair_off(f->hs);
}

static void request_headers_done(const struct feed *f)
{
    struct http_dir *d = f->d;

    if (d->msg & MF_CHUNKED)
        d->state = DS_CHUNK_SIZE;
    else if (d->msg & (MF_TE | MF_CL_BAD))
        dir_lost(f);            /* 400 Bad Request territory */
    else if ((d->msg & MF_CL) && d->remain > 0)
        d->state = DS_BODY;
    else
        d->state = DS_START;    /* no body */
}

static void response_headers_done(const struct feed *f)
{
    struct http_dir *d = f->d;
    struct http_pending *req = pair_current(f->hs);
    int head = req != NULL && (req->flags & PF_HEAD);
    int connect = req != NULL && (req->flags & PF_CONNECT);
    unsigned st = d->status;

    if (st == 101) {
        pair_pop(f->hs);
        switch_protocols(f);
        return;
    }
    if (st < 200) {             /* interim: the final response follows */
        d->state = DS_START;
        return;
    }
    pair_pop(f->hs);
    if (connect && st < 300)
        switch_protocols(f);
    else if (head || st == 204 || st == 304)
        d->state = DS_START;
    else if (d->msg & MF_CHUNKED)
        d->state = DS_CHUNK_SIZE;
    else if (d->msg & MF_TE)
        set_state(d, DS_RESYNC);        /* until close */
    else if (d->msg & MF_CL_BAD)
        dir_lost(f);
    else if (d->msg & MF_CL)
        d->state = d->remain > 0 ? DS_BODY : DS_START;
    else
        set_state(d, DS_RESYNC);        /* until close */
}

/* chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF (RFC 9112 7.1) */
static void chunk_size_line(const struct feed *f, const struct line *l)
{
    struct http_dir *d = f->d;
    uint64_t size = 0;
    size_t i = 0;
    uint8_t c;

    while (i < l->len) {
        c = lower(l->head[i]);
        if (is_digit(c))
            c = (uint8_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            c = (uint8_t)(c - 'a' + 10);
        else
            break;
        if (i == 15) {
            dir_lost(f);
            return;
        }
        size = size << 4 | c;
        i++;
    }
    if (i == 0 || (i < l->len && l->head[i] != ';' && !is_ows(l->head[i]))) {
        dir_lost(f);
        return;
    }
    if (size == 0) {
        d->state = DS_TRAILER;
    } else {
        d->remain = size;
        d->state = DS_CHUNK_DATA;
    }
}

static void line_done(const struct feed *f)
{
    struct http_dir *d = f->d;
    struct line l;

    line_view(d, &l);
    switch (d->state) {
    case DS_START:
        if (l.total == 0)
            break;              /* RFC 9112 section 2.2: skip empty lines */
        if (f->from_server)
            parse_status_line(f, &l);
        else
            parse_request_line(f, &l);
        break;
    case DS_HEADERS:
        if (l.total > 0)
            field_line(f, &l, 0);
        else if (f->from_server)
            response_headers_done(f);
        else
            request_headers_done(f);
        break;
    case DS_CHUNK_SIZE:
        chunk_size_line(f, &l);
        break;
    case DS_CHUNK_END:
        if (l.total == 0)
            d->state = DS_CHUNK_SIZE;
        else
            dir_lost(f);
        break;
    case DS_TRAILER:
        if (l.total == 0)
            d->state = DS_START;
        break;
    default:
        break;
    }
    line_reset(d);
}

/* ---- feeding ------------------------------------------------------------ */

/* Consume line bytes up to and including the next LF. */
static size_t feed_line(const struct feed *f, const uint8_t *p, size_t n)
{
    struct http_dir *d = f->d;
    const uint8_t *lf = find(p, n, '\n');
    size_t take = lf != NULL ? (size_t)(lf - p) : n;
    int r;

    if (line_total(d) == 0 && take > 0) {
        d->line_ts = f->ts_us;
        if (d->state == DS_START && f->from_server && p[0] != '\r')
            d->flags |= DF_RT_ARMED;
    }
    line_append(d, p, take);
    if (d->state == DS_START && !(d->flags & DF_PREFIX_OK) && take > 0) {
        r = prefix_check(d->line, d->line_len, f->from_server);
        if (r == PFX_BAD || r == PFX_OTHER_VER) {
            start_fail(f, 1);
            return n;
        }
        if (r == PFX_OK)
            d->flags |= DF_PREFIX_OK;
    }
    if ((d->flags & DF_TENTATIVE) && line_total(d) > TENTATIVE_MAX) {
        start_fail(f, 1);
        return n;
    }
    if (lf == NULL)
        return n;
    line_done(f);
    return take + 1;
}

static size_t feed_body(const struct feed *f, size_t n)
{
    struct http_dir *d = f->d;
    uint64_t take = d->remain < n ? d->remain : n;

    d->remain -= take;
    if (d->remain == 0)
        d->state = d->state == DS_BODY ? DS_START : DS_CHUNK_END;
    return (size_t)take;
}

/*
 * The snap length cut the segment: `missing` payload bytes are unknown.
 * Inside a body of known length they are simply skipped.  Elsewhere the
 * line in progress is shown as far as it was captured, with "...", when
 * it is one we would show, then the direction resynchronises.
 */
static void feed_cut(const struct feed *f, uint64_t missing)
{
    struct http_dir *d = f->d;
    struct line l;
    const uint8_t *sp, *t;
    size_t tlen;
    int more = 1;

    switch (d->state) {
    case DS_BODY:
    case DS_CHUNK_DATA:
        if (d->remain >= missing) {
            d->remain -= missing;
            if (d->remain == 0)
                d->state = d->state == DS_BODY ? DS_START : DS_CHUNK_END;
            return;
        }
        break;
    case DS_RESYNC:
    case DS_NOT_HTTP:
        return;
    case DS_START:
        /* A request line cut after its method: show its beginning.  The
         * target must look like one (origin or absolute form), as the
         * version that would prove it is HTTP is not there. */
        if (f->from_server || (d->flags & (DF_TENTATIVE | DF_PREFIX_OK)) !=
                              DF_PREFIX_OK)
            break;
        line_view(d, &l);
        sp = find(l.head, l.len, ' ');
        if (sp == NULL)
            break;
        t = sp + 1;
        tlen = l.len - (size_t)(t - l.head);
        if (tlen == 0 || (t[0] != '/' && !has_scheme(t, tlen)))
            break;
        sp = find(t, tlen, ' ');
        if (sp != NULL)
            tlen = (size_t)(sp - t);
        tlen = cut_query(t, tlen, &more);
        emit_request_line(f, l.head, (size_t)(t - 1 - l.head), t, tlen, 1,
                          NULL, 0);
        d->flags |= DF_SEEN_HTTP;
        pair_push(f->hs, l.head, (size_t)(t - 1 - l.head), t, tlen,
                  d->line_ts);
        break;
    case DS_HEADERS:
        line_view(d, &l);
        if (l.total > 0)
            field_line(f, &l, 1);
        break;
    default:
        break;
    }
    dir_lost(f);
}

/* ---- API ---------------------------------------------------------------- */

size_t http_session_size(void)
{
    return sizeof(struct http_session);
}

size_t http_config_size(void)
{
    return sizeof(struct http_config);
}

void http_session_init(struct http_session *hs)
{
    memset(hs, 0, sizeof(*hs));
    hs->dir[0].state = DS_START;
    hs->dir[1].state = DS_START;
}

void http_session_gap(struct http_session *hs, int from_server)
{
    struct feed f;

    memset(&f, 0, sizeof(f));
    f.hs = hs;
    f.from_server = from_server != 0;
    f.d = &hs->dir[f.from_server];
    dir_lost(&f);
}

void http_session_feed(struct http_session *hs,
                       const struct http_config *cfg, int from_server,
                       int64_t ts_us, const uint8_t *data, uint32_t caplen,
                       uint32_t wire_len, http_emit_fn emit, void *ctx)
{
    struct feed f;
    struct http_dir *d;
    size_t off = 0;
    int r;

    if (hs == NULL || cfg == NULL || (data == NULL && caplen > 0))
        return;
    f.hs = hs;
    f.cfg = cfg;
    f.from_server = from_server != 0;
    f.d = d = &hs->dir[f.from_server];
    f.ts_us = ts_us;
    f.emit = emit;
    f.ctx = ctx;
    if (wire_len < caplen)
        wire_len = caplen;

    /* While resynchronising, only a segment start can begin a message. */
    if (caplen > 0 && d->state == DS_RESYNC) {
        line_reset(d);
        d->state = DS_START;
        d->flags |= DF_TENTATIVE;
    }
    d->flags &= (uint8_t)~DF_RT_ARMED;

    while (off < caplen) {
        switch (d->state) {
        case DS_BODY:
        case DS_CHUNK_DATA:
            off += feed_body(&f, caplen - off);
            break;
        case DS_RESYNC:
        case DS_NOT_HTTP:
            off = caplen;
            break;
        default:
            off += feed_line(&f, data + off, caplen - off);
            break;
        }
    }

    /* A response that began here and whose status line goes on in the
     * next segment still gets its time on this one. */
    if ((d->flags & DF_RT_ARMED) && d->state == DS_START &&
        line_total(d) > 0) {
        r = prefix_check(d->line, d->line_len, 1);
        if (r == PFX_MORE || r == PFX_OK)
            emit_response_time(&f, d->line_ts);
    }
    d->flags &= (uint8_t)~DF_RT_ARMED;

    if (wire_len > caplen)
        feed_cut(&f, (uint64_t)wire_len - caplen);
}

/* ---- -m argument -------------------------------------------------------- */

static void mode_error(char *errbuf, const char *what, const char *arg)
{
    struct out o;
    size_t len;

    if (errbuf == NULL)
        return;
    /* The argument is shown escaped, at most 32 bytes of it: at most
     * 4 * 32 + 3 characters. */
    o.len = 0;
    len = strlen(arg);
    out_field(&o, (const uint8_t *)arg, len > 32 ? 32 : len, len > 32);
    o.buf[o.len] = '\0';
    snprintf(errbuf, HTTP_ERRBUF_SIZE,
             "%.48s '%.131s' (supported: tcp, http, http:REQ,...[:RES,...])",
             what, o.buf);
}

/* Parse one comma-separated list of field names (or '%') into fl. */
static int parse_list(const char *s, size_t n, struct http_field_list *fl,
                      const char *arg, char *errbuf)
{
    size_t i = 0, start, len, k;

    while (i <= n) {
        start = i;
        while (i < n && s[i] != ',')
            i++;
        len = i - start;
        i++;
        if (len == 0)
            continue;           /* "http:A,,B" or a trailing comma */
        if (len == 1 && s[start] == '%') {
            fl->all = 1;
            continue;
        }
        for (k = 0; k < len; k++)
            if (!is_tchar((uint8_t)s[start + k])) {
                mode_error(errbuf, "invalid header name in mode", arg);
                return -1;
            }
        if (len > HTTP_MAX_NAME_LEN) {
            mode_error(errbuf, "header name longer than 64 bytes in mode",
                       arg);
            return -1;
        }
        if (fl->count == HTTP_MAX_NAMES) {
            mode_error(errbuf, "more than 32 header names in mode", arg);
            return -1;
        }
        memcpy(fl->name[fl->count], s + start, len);
        fl->len[fl->count] = (uint8_t)len;
        fl->count++;
    }
    return 0;
}

int http_config_parse(const char *arg, struct http_config *cfg,
                      int *enabled, char *errbuf)
{
    const char *req, *res;

    memset(cfg, 0, sizeof(*cfg));
    *enabled = 0;
    if (arg == NULL)
        arg = "";
    if (strcmp(arg, "tcp") == 0)
        return 0;
    /* The mode word is case-sensitive, as in the original. */
    if (strncmp(arg, "http", 4) != 0 || (arg[4] != '\0' && arg[4] != ':')) {
        mode_error(errbuf, "unknown mode", arg);
        return -1;
    }
    if (arg[4] == ':') {
        req = arg + 5;
        res = strchr(req, ':');
        if (res != NULL && strchr(res + 1, ':') != NULL) {
            mode_error(errbuf, "too many ':' in mode", arg);
            return -1;
        }
        if (parse_list(req, res ? (size_t)(res - req) : strlen(req),
                       &cfg->req, arg, errbuf) < 0)
            return -1;
        if (res != NULL &&
            parse_list(res + 1, strlen(res + 1), &cfg->res, arg,
                       errbuf) < 0)
            return -1;
    }
    *enabled = 1;
    return 0;
}
