/*
 * json.c - JSON Lines output of shown sessions (json.h).
 *
 * Owns the object layout (the schema of man/miruo.1, JSON LINES), string
 * escaping after RFC 8259 section 7, number formatting without the C
 * locale's help (so a decimal comma can never appear), Zeek's conn_state
 * and the buffered, line-whole writes to the output file.
 *
 * The keys are Zeek's conn.log names where Zeek has the field (ts,
 * duration, id.orig_h ..., orig_pkts, orig_bytes, orig_ip_bytes,
 * conn_state, history; https://docs.zeek.org/en/master/logs/conn.html),
 * so dashboards and queries written for Zeek apply, and the Community ID
 * (community_id.h) joins a line with Zeek, Suricata and Arkime records.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>

#include "community_id.h"
#include "json.h"

/* Output buffer: whole lines only, written when the next would not fit. */
#define JSON_BUF_SIZE   65536
/* One line: the longest possible is under 2.5 KB (IPv6 addresses, every
 * reason and diagnosis key, 20-digit counters); a line that would not fit
 * is counted as lost, never cut. */
#define JSON_LINE_MAX   8192

struct json_writer {
    int fd;
    int close_fd;           /* opened here (not standard output) */
    int err;                /* errno of the first failed write, or 0 */
    uint64_t lost_lines;    /* lines not written after a failure */
    char *path;
    size_t len;
    char buf[JSON_BUF_SIZE];
};

/* ---- line builder ------------------------------------------------------- */

/*
 * Appends into a fixed buffer; `len` keeps counting past `cap` so the
 * caller learns the size needed (snprintf's contract), and nothing is
 * written past the end.
 */
struct jline {
    char *p;
    size_t cap;
    size_t len;
};

static void put_mem(struct jline *l, const char *s, size_t n)
{
    if (l->len < l->cap) {
        size_t room = l->cap - l->len;
        memcpy(l->p + l->len, s, n < room ? n : room);
    }
    l->len += n;
}

static void put_str(struct jline *l, const char *s)
{
    put_mem(l, s, strlen(s));
}

static void put_char(struct jline *l, char c)
{
    put_mem(l, &c, 1);
}

static char last_char(const struct jline *l)
{
    return l->len > 0 && l->len <= l->cap ? l->p[l->len - 1] : '\0';
}

static void put_u64(struct jline *l, uint64_t v)
{
    char tmp[24];
    size_t n = sizeof(tmp);

    do {
        tmp[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    put_mem(l, tmp + n, sizeof(tmp) - n);
}

/* `v` / 10^decimals written as a decimal fraction: 1500 (3) -> "1.500". */
static void put_fixed(struct jline *l, int64_t v, unsigned decimals)
{
    uint64_t u, scale = 1;
    char frac[20];
    unsigned i;

    for (i = 0; i < decimals; i++)
        scale *= 10;
    if (v < 0) {
        put_char(l, '-');
        u = (uint64_t)(-(v + 1)) + 1;
    } else {
        u = (uint64_t)v;
    }
    put_u64(l, u / scale);
    if (decimals == 0)
        return;
    u %= scale;
    for (i = decimals; i > 0; i--) {
        frac[i - 1] = (char)('0' + u % 10);
        u /= 10;
    }
    put_char(l, '.');
    put_mem(l, frac, decimals);
}

/* Microseconds as seconds (6 decimals) or milliseconds (3 decimals). */
static void put_seconds(struct jline *l, int64_t us)
{
    put_fixed(l, us, 6);
}

static void put_millis(struct jline *l, int64_t us)
{
    put_fixed(l, us, 3);
}

/* Opens a key: a comma unless the object or array has just begun. */
static void put_key(struct jline *l, const char *key)
{
    char c = last_char(l);

    if (c != '{' && c != '[' && c != '\0')
        put_char(l, ',');
    put_char(l, '"');
    put_str(l, key);
    put_str(l, "\":");
}

/* ---- strings (RFC 8259 section 7) --------------------------------------- */

/*
 * Length of the valid UTF-8 sequence at `s` (RFC 3629 section 4: no
 * overlong forms, no surrogates, nothing above U+10FFFF), or 0.
 */
static size_t utf8_valid(const unsigned char *s, size_t len)
{
    size_t n, i;
    uint32_t cp;

    if (s[0] < 0xC2 || s[0] > 0xF4)
        return 0;
    n = s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : 4;
    if (n > len)
        return 0;
    cp = s[0] & (0x7Fu >> n);
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3Fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return 0;
    return n;
}

static void put_escaped(struct jline *l, const char *src, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)src;
    size_t i = 0, n;
    char u[6];

    while (i < len) {
        unsigned char c = s[i];
        switch (c) {
        case '"':  put_str(l, "\\\""); break;
        case '\\': put_str(l, "\\\\"); break;
        case '\b': put_str(l, "\\b"); break;
        case '\f': put_str(l, "\\f"); break;
        case '\n': put_str(l, "\\n"); break;
        case '\r': put_str(l, "\\r"); break;
        case '\t': put_str(l, "\\t"); break;
        default:
            if (c < 0x20 || c == 0x7F) {
                u[0] = '\\';
                u[1] = 'u';
                u[2] = '0';
                u[3] = '0';
                u[4] = hex[c >> 4];
                u[5] = hex[c & 15];
                put_mem(l, u, 6);
            } else if (c < 0x80) {
                put_char(l, (char)c);
            } else if ((n = utf8_valid(s + i, len - i)) > 0) {
                put_mem(l, (const char *)s + i, n);
                i += n;
                continue;
            } else {
                put_str(l, "\\ufffd");
            }
        }
        i++;
    }
}

size_t json_escape(char *dst, size_t size, const char *src, size_t len)
{
    struct jline l;

    l.p = dst;
    l.cap = size > 0 ? size - 1 : 0;
    l.len = 0;
    put_escaped(&l, src, len);
    if (size > 0)
        dst[l.len < l.cap ? l.len : l.cap] = '\0';
    return l.len;
}

static void put_string(struct jline *l, const char *s)
{
    put_char(l, '"');
    put_escaped(l, s, strlen(s));
    put_char(l, '"');
}

/* ---- times -------------------------------------------------------------- */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* ISO 8601 in UTC with microseconds: 2024-05-01T12:00:00.000123Z. */
static void put_iso(struct jline *l, int64_t us)
{
    int64_t sec = floor_div(us, 1000000);
    time_t t = (time_t)sec;
    struct tm tm;
    char tmp[48];
    int n;

    if (gmtime_r(&t, &tm) == NULL) {
        put_str(l, "\"\"");
        return;
    }
    n = snprintf(tmp, sizeof(tmp), "\"%04d-%02d-%02dT%02d:%02d:%02d.%06dZ\"",
                 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                 tm.tm_min, tm.tm_sec, (int)(us - sec * 1000000));
    if (n > 0 && (size_t)n < sizeof(tmp))
        put_mem(l, tmp, (size_t)n);
}

/* ---- conn_state --------------------------------------------------------- */

/*
 * Zeek's conn_state is computed from the two endpoint states of its TCP
 * analyzer (conn_state() in base/protocols/conn/main.zeek).  miruo does
 * not run Zeek's analyzer; it rebuilds those endpoint states from the
 * session's history letters and facts, then applies Zeek's function as
 * written:
 *
 *   RESET        the endpoint sent a RST (or SYN+RST, history I)
 *   CLOSED       else it sent a FIN (or SYN+FIN, history Q)
 *   INACTIVE     else it sent nothing
 *   ESTABLISHED  else it sent a SYN or SYN/ACK and the handshake was seen
 *                complete: the client sent S, the server h, and the
 *                client then ACKed or sent data (A or D)
 *   SYN_SENT     else the client sent a SYN (SYN_ACK_SENT if it sent only
 *                a SYN/ACK; the server's SYN or SYN/ACK is SYN_ACK_SENT)
 *   PARTIAL      else: traffic without a SYN (mid-stream)
 *
 * Zeek's orig_bytes / resp_bytes tests use the payload byte counts.
 */
enum ep_state {
    EP_INACTIVE, EP_SYN_SENT, EP_SYN_ACK_SENT, EP_PARTIAL, EP_ESTABLISHED,
    EP_CLOSED, EP_RESET
};

static int sent(const struct session *s, int d, char upper)
{
    return strchr(s->facts.history,
                  d ? upper - 'A' + 'a' : upper) != NULL;
}

static int handshake_complete(const struct session *s)
{
    return sent(s, 0, 'S') && sent(s, 1, 'H') &&
           (sent(s, 0, 'A') || sent(s, 0, 'D'));
}

static enum ep_state endpoint_state(const struct session *s, int d)
{
    const struct conn_facts *f = &s->facts;

    if (f->saw_rst[d] || sent(s, d, 'I'))
        return EP_RESET;
    if (f->saw_fin[d] || sent(s, d, 'Q'))
        return EP_CLOSED;
    if (f->packets[d] == 0)
        return EP_INACTIVE;
    if (sent(s, d, 'S') || sent(s, d, 'H')) {
        if (handshake_complete(s))
            return EP_ESTABLISHED;
        return d == 0 && sent(s, 0, 'S') ? EP_SYN_SENT : EP_SYN_ACK_SENT;
    }
    return EP_PARTIAL;
}

/* Zeek's RSTOS0 test: the history matches the pattern "^?S[^HAFGIQ]*R.*"
 * (an optional ^, S, no H A F G I Q before the first R). */
static int history_syn_then_rst(const char *h)
{
    if (*h == '^')
        h++;
    if (*h++ != 'S')
        return 0;
    for (; *h != '\0' && *h != 'R'; h++)
        if (strchr("HAFGIQ", *h) != NULL)
            return 0;
    return *h == 'R';
}

enum conn_state conn_state_of(const struct session *s)
{
    enum ep_state os = endpoint_state(s, 0), rs = endpoint_state(s, 1);
    int o_inactive = os == EP_INACTIVE || os == EP_PARTIAL;
    int r_inactive = rs == EP_INACTIVE || rs == EP_PARTIAL;

    if (rs == EP_RESET) {
        if (os == EP_SYN_SENT || os == EP_SYN_ACK_SENT ||
            (os == EP_RESET && s->facts.payload_bytes[0] == 0 &&
             s->facts.payload_bytes[1] == 0))
            return CS_REJ;
        return o_inactive ? CS_RSTRH : CS_RSTR;
    }
    if (os == EP_RESET) {
        if (r_inactive)
            return history_syn_then_rst(s->facts.history) ? CS_RSTOS0
                                                          : CS_OTH;
        return CS_RSTO;
    }
    if (rs == EP_CLOSED && os == EP_CLOSED)
        return CS_SF;
    if (os == EP_CLOSED)
        return r_inactive ? CS_SH : CS_S2;
    if (rs == EP_CLOSED)
        return o_inactive ? CS_SHR : CS_S3;
    if (os == EP_SYN_SENT && rs == EP_INACTIVE)
        return CS_S0;
    if (os == EP_ESTABLISHED && rs == EP_ESTABLISHED)
        return CS_S1;
    return CS_OTH;
}

const char *conn_state_name(enum conn_state cs)
{
    static const char *const names[CS_COUNT] = {
        "S0", "S1", "SF", "REJ", "S2", "S3", "RSTO", "RSTR", "RSTOS0",
        "RSTRH", "SH", "SHR", "OTH"
    };
    return (unsigned)cs < CS_COUNT ? names[cs] : "OTH";
}

const char *end_kind_name(enum session_end_kind kind)
{
    switch (kind) {
    case END_CLOSED:
        return "closed";
    case END_ERROR_BREAK:
        return "error-break";
    case END_TIMEOUT:
        return "timeout";
    case END_EXIT:
        return "end-of-capture";
    }
    return "closed";
}

/* ---- the object --------------------------------------------------------- */

static void put_addr(struct jline *l, int family, const uint8_t *a)
{
    char buf[64];

    if (inet_ntop(family == 6 ? AF_INET6 : AF_INET, a, buf,
                  sizeof(buf)) == NULL)
        buf[0] = '\0';
    put_string(l, buf);
}

static void put_endpoint(struct jline *l, const char *key, int family,
                         const struct endpoint *e)
{
    put_key(l, key);
    put_char(l, '{');
    put_key(l, "addr");
    put_addr(l, family, e->addr);
    put_key(l, "port");
    put_u64(l, e->port);
    put_char(l, '}');
}

static void put_state(struct jline *l, const char *key, uint8_t st)
{
    const char *name = tcp_state_name((enum tcp_state)st);

    put_key(l, key);
    put_string(l, *name ? name : "NONE");
}

/*
 * "handshake": the client's first SYN to the server's first SYN/ACK, and
 * that to the client's first ACK of it.  null unless the SYN and the
 * SYN/ACK were both seen in order; the ACK half is null while no ACK was
 * seen.  Lost SYNs make the first half long, on purpose: it is the
 * connect time the client saw.  The diagnosis adds the RTT on each side
 * of the tap, from the SYN and SYN/ACK that were answered (diag.h), and
 * how many SYNs and SYN/ACKs were sent again.
 */
static void put_handshake(struct jline *l, const struct session *s)
{
    const struct conn_facts *f = &s->facts;
    const struct diag *dg = &s->diag;
    int have_ack = f->ack_us != 0 && f->ack_us >= f->synack_us;

    put_key(l, "handshake");
    if (f->syn_us == 0 || f->synack_us == 0 || f->synack_us < f->syn_us) {
        put_str(l, "null");
        return;
    }
    put_char(l, '{');
    put_key(l, "syn_to_synack_ms");
    put_millis(l, f->synack_us - f->syn_us);
    put_key(l, "synack_to_ack_ms");
    if (have_ack)
        put_millis(l, f->ack_us - f->synack_us);
    else
        put_str(l, "null");
    put_key(l, "rtt_ms");
    if (have_ack)
        put_millis(l, f->ack_us - f->syn_us);
    else
        put_str(l, "null");
    if (dg->last_syn_us != 0 && f->synack_us >= dg->last_syn_us) {
        put_key(l, "server_side_ms");
        put_millis(l, f->synack_us - dg->last_syn_us);
    }
    if (have_ack && dg->last_synack_us != 0 &&
        f->ack_us >= dg->last_synack_us) {
        put_key(l, "client_side_ms");
        put_millis(l, f->ack_us - dg->last_synack_us);
    }
    put_key(l, "syn_resent");
    put_u64(l, dg->d[0].syn_copies);
    put_key(l, "synack_resent");
    put_u64(l, dg->d[1].syn_copies);
    put_char(l, '}');
}

static void put_reasons(struct jline *l, uint32_t reasons)
{
    unsigned i;

    put_key(l, "reasons");
    put_char(l, '[');
    for (i = 0; i < REASON_COUNT; i++) {
        if (!(reasons & (1u << i)))
            continue;
        if (last_char(l) != '[')
            put_char(l, ',');
        put_string(l, session_reason_word(i));
    }
    put_char(l, ']');
}

static void put_pair(struct jline *l, const char *key, uint64_t client,
                     uint64_t server)
{
    put_key(l, key);
    put_char(l, '{');
    put_key(l, "client");
    put_u64(l, client);
    put_key(l, "server");
    put_u64(l, server);
    put_char(l, '}');
}

static const char *side_word(unsigned side)
{
    return side ? "server" : "client";
}

/*
 * The diagnosis (diag.h; man/miruo.1, DIAGNOSIS), after
 * "missing_packets".  Each key is omitted when the session has nothing
 * for it, so the common case stays short; consumers are told to ignore
 * keys they do not know, so adding keys is compatible, renaming or
 * retyping one is not.
 *
 *   "turn"                longest turn: who was thinking and how long,
 *                         and how many turns there were
 *   "stall"               longest silence, its cause and the side the
 *                         cause is about
 *   "retransmit_classes"  copies of seen data per side, by class
 *   "loss"                per side: copies whose original the tap saw
 *                         (lost after the tap), holes filled later
 *                         (lost before the tap)
 */
static void put_diagnosis(struct jline *l, const struct session *s)
{
    static const char *const rx_key[RX_COUNT] = {
        "rto", "fast", "spurious", "tlp"
    };
    const struct diag *dg = &s->diag;
    uint64_t any = 0;
    unsigned d, c;

    if (dg->turns > 0) {
        put_key(l, "turn");
        put_char(l, '{');
        put_key(l, "count");
        put_u64(l, dg->turns);
        put_key(l, "max_ms");
        put_millis(l, dg->max_turn_us);
        put_key(l, "side");
        put_string(l, side_word(dg->turn_side));
        put_char(l, '}');
    }
    if (dg->stall_cause != STALL_NONE) {
        put_key(l, "stall");
        put_char(l, '{');
        put_key(l, "ms");
        put_millis(l, dg->stall_us);
        put_key(l, "cause");
        put_string(l, stall_cause_name((enum stall_cause)dg->stall_cause));
        put_key(l, "side");
        put_string(l, side_word(dg->stall_side));
        put_char(l, '}');
    }
    for (d = 0; d < 2; d++)
        for (c = 0; c < RX_COUNT; c++)
            any += dg->d[d].rexmit[c];
    if (any > 0) {
        put_key(l, "retransmit_classes");
        put_char(l, '{');
        for (d = 0; d < 2; d++) {
            put_key(l, side_word(d));
            put_char(l, '{');
            for (c = 0; c < RX_COUNT; c++) {
                put_key(l, rx_key[c]);
                put_u64(l, dg->d[d].rexmit[c]);
            }
            put_char(l, '}');
        }
        put_char(l, '}');
    }
    any = 0;
    for (d = 0; d < 2; d++)
        any += (uint64_t)dg->d[d].lost_after_tap +
               dg->d[d].lost_before_tap;
    if (any > 0) {
        put_key(l, "loss");
        put_char(l, '{');
        for (d = 0; d < 2; d++) {
            put_key(l, side_word(d));
            put_char(l, '{');
            put_key(l, "after_tap");
            put_u64(l, dg->d[d].lost_after_tap);
            put_key(l, "before_tap");
            put_u64(l, dg->d[d].lost_before_tap);
            put_char(l, '}');
        }
        put_char(l, '}');
    }
}

static void put_session(struct jline *l, const struct session *s,
                        enum session_end_kind kind)
{
    const struct conn_facts *f = &s->facts;
    char cid[COMMUNITY_ID_SIZE];
    /* Capture clocks can step back; "end" is never before "ts". */
    int64_t end = s->last_us > s->first_us ? s->last_us : s->first_us;
    put_char(l, '{');
    put_key(l, "ts");
    put_seconds(l, s->first_us);
    put_key(l, "ts_iso");
    put_iso(l, s->first_us);
    put_key(l, "end");
    put_seconds(l, end);
    put_key(l, "end_iso");
    put_iso(l, end);
    put_key(l, "duration");
    put_seconds(l, end - s->first_us);
    put_key(l, "session_id");
    put_u64(l, s->id);
    put_key(l, "proto");
    put_string(l, "tcp");
    put_key(l, "ip_version");
    put_u64(l, s->family == 6 ? 6 : 4);
    put_endpoint(l, "client", s->family, &s->client);
    put_endpoint(l, "server", s->family, &s->server);

    /* Zeek's names for the same endpoints (conn.log "id" record). */
    put_key(l, "id.orig_h");
    put_addr(l, s->family, s->client.addr);
    put_key(l, "id.orig_p");
    put_u64(l, s->client.port);
    put_key(l, "id.resp_h");
    put_addr(l, s->family, s->server.addr);
    put_key(l, "id.resp_p");
    put_u64(l, s->server.port);
    put_key(l, "orig_pkts");
    put_u64(l, f->packets[0]);
    put_key(l, "resp_pkts");
    put_u64(l, f->packets[1]);
    put_key(l, "orig_bytes");
    put_u64(l, f->payload_bytes[0]);
    put_key(l, "resp_bytes");
    put_u64(l, f->payload_bytes[1]);
    put_key(l, "orig_ip_bytes");
    put_u64(l, f->wire_bytes[0]);
    put_key(l, "resp_ip_bytes");
    put_u64(l, f->wire_bytes[1]);
    put_key(l, "conn_state");
    put_string(l, conn_state_name(conn_state_of(s)));
    put_key(l, "history");
    put_string(l, f->history);
    community_id(s->family, s->client.addr, s->client.port, s->server.addr,
                 s->server.port, cid);
    put_key(l, "community_id");
    put_string(l, cid);

    /* miruo's own fields. */
    put_reasons(l, s->reasons);
    put_key(l, "midstream");
    put_str(l, (s->flags & SESS_MIDSTREAM) ? "true" : "false");
    put_key(l, "end_reason");
    put_string(l, end_kind_name(kind));
    put_state(l, "client_state", s->client_state);
    put_state(l, "server_state", s->server_state);
    put_pair(l, "retransmits", f->retransmits[0], f->retransmits[1]);
    put_handshake(l, s);
    put_key(l, "max_silence_ms");
    put_millis(l, f->max_gap_us);
    put_key(l, "missing_packets");
    put_u64(l, s->missing);

    put_diagnosis(l, s);
    put_char(l, '}');
    put_char(l, '\n');
}

size_t json_format_session(char *buf, size_t size, const struct session *s,
                           enum session_end_kind kind)
{
    struct jline l;

    l.p = buf;
    l.cap = size;
    l.len = 0;
    put_session(&l, s, kind);
    return l.len <= size ? l.len : 0;
}

/* ---- the file ----------------------------------------------------------- */

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

struct json_writer *json_open(const char *path,
                              char errbuf[JSON_ERRBUF_SIZE])
{
    struct json_writer *jw = calloc(1, sizeof(*jw));

    if (jw == NULL || (jw->path = strdup(path)) == NULL) {
        snprintf(errbuf, JSON_ERRBUF_SIZE, "out of memory");
        free(jw);
        return NULL;
    }
    if (strcmp(path, "-") == 0) {
        jw->fd = STDOUT_FILENO;
        return jw;
    }
    /* Appending, as Suricata's eve.json does: a restarted miruo keeps the
     * lines a shipper has not read yet, and logrotate's copytruncate
     * works. */
    jw->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (jw->fd < 0) {
        snprintf(errbuf, JSON_ERRBUF_SIZE, "%s: %s", path, strerror(errno));
        free(jw->path);
        free(jw);
        return NULL;
    }
    jw->close_fd = 1;
    return jw;
}

int json_flush(struct json_writer *jw)
{
    if (jw->err == 0 && jw->len > 0 &&
        write_all(jw->fd, jw->buf, jw->len) < 0)
        jw->err = errno ? errno : EIO;
    jw->len = 0;
    return jw->err ? -1 : 0;
}

void json_session(struct json_writer *jw, const struct session *s,
                  enum session_end_kind kind)
{
    char line[JSON_LINE_MAX];
    size_t n = json_format_session(line, sizeof(line), s, kind);

    if (n == 0 || jw->err) {
        jw->lost_lines++;
        return;
    }
    if (jw->len + n > sizeof(jw->buf))
        json_flush(jw);
    if (jw->err) {
        jw->lost_lines++;
        return;
    }
    memcpy(jw->buf + jw->len, line, n);
    jw->len += n;
}

int json_close(struct json_writer *jw, char errbuf[JSON_ERRBUF_SIZE])
{
    int r;

    if (jw == NULL)
        return 0;
    r = json_flush(jw);
    if (jw->close_fd && close(jw->fd) != 0 && r == 0) {
        jw->err = errno;
        r = -1;
    }
    if (r < 0)
        snprintf(errbuf, JSON_ERRBUF_SIZE,
                 "%s: %s (%llu more lines not written)",
                 strcmp(jw->path, "-") ? jw->path : "standard output",
                 strerror(jw->err ? jw->err : EIO),
                 (unsigned long long)jw->lost_lines);
    else if (jw->lost_lines > 0) {
        snprintf(errbuf, JSON_ERRBUF_SIZE, "%s: %llu lines too long, lost",
                 jw->path, (unsigned long long)jw->lost_lines);
        r = -1;
    }
    free(jw->path);
    free(jw);
    return r;
}
