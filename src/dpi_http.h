/*
 * dpi_http.h - HTTP/1.x deep packet inspection (-m http).
 *
 * dpi_http.c owns the -m argument (which header fields to show) and a
 * per-session HTTP/1.x parser (RFC 9112 message framing, RFC 9110
 * semantics).  The session tracker feeds it the in-order payload of each
 * direction; it hands back, through a callback, the escaped DPI lines that
 * belong to the segment just fed:
 *
 *   DPI:HTTP:RequestLine >>>> GET /index.html HTTP/1.1
 *   DPI:HTTP:Header >>>>>>>>> Host: www.example.com:8080
 *   DPI:HTTP:ResponseLine >>> HTTP/1.1 404 Not Found
 *   DPI:HTTP:ResponseTime >>> 12.345 ms (GET /index.html)
 *
 * Memory is fixed: a struct http_session is about 1.9 KiB and never
 * allocates.  Work is O(bytes fed).  No byte outside the captured data is
 * ever read, and no byte outside 0x20..0x7e ever reaches the output raw.
 *
 * The structures are defined here only so that callers can embed them or
 * take their size; their fields are private to dpi_http.c.
 */
#ifndef MIRUO_DPI_HTTP_H
#define MIRUO_DPI_HTTP_H

#include <stddef.h>
#include <stdint.h>

#define HTTP_ERRBUF_SIZE   256

/* Limits of the -m http:REQ,...:RES,... lists (per list). */
#define HTTP_MAX_NAMES     32
#define HTTP_MAX_NAME_LEN  64

/* Limits of the parser (see dpi_http.c for what happens past them). */
#define HTTP_LINE_MAX      384  /* bytes of a line kept for printing */
#define HTTP_LINE_TAIL     16   /* last bytes of a longer line kept too */
#define HTTP_PENDING_MAX   16   /* requests awaiting a response */
#define HTTP_PENDING_TEXT  53   /* "METHOD target" kept per request */
#define HTTP_FIELD_MAX     256  /* printed characters per field, then ... */

/* ---- configuration: the parsed -m value --------------------------------- */

struct http_field_list {
    uint8_t all;                        /* '%': every field */
    uint8_t count;
    uint8_t len[HTTP_MAX_NAMES];
    char name[HTTP_MAX_NAMES][HTTP_MAX_NAME_LEN];
};

struct http_config {
    struct http_field_list req;         /* request fields (Host implied) */
    struct http_field_list res;         /* response fields */
};

/*
 * Parse a -m argument.  "tcp" sets *enabled = 0; "http", "http:",
 * "http:A,B" and "http:A,B:C,D" set *enabled = 1 and fill *cfg (request
 * names before the second ':', response names after it; '%' means every
 * field; names are matched case-insensitively).  Returns 0, or -1 with a
 * one-line message (no "miruo:" prefix, no newline) in errbuf, which must
 * hold HTTP_ERRBUF_SIZE bytes.
 */
int http_config_parse(const char *arg, struct http_config *cfg,
                      int *enabled, char *errbuf);
size_t http_config_size(void);

/* ---- per-session parser ------------------------------------------------- */

struct http_pending {                   /* a request awaiting its response */
    int64_t ts_us;                      /* capture time of its first byte */
    uint8_t flags;
    uint8_t lost_after;                 /* requests dropped after this one */
    uint8_t len;                        /* bytes used in text */
    char text[HTTP_PENDING_TEXT];       /* "METHOD target", raw bytes */
};

struct http_dir {                       /* one direction of a session */
    int64_t line_ts;                    /* capture time of the line start */
    uint64_t remain;                    /* body / chunk bytes to skip */
    uint32_t line_len;                  /* bytes held in line[] */
    uint32_t ovf;                       /* line bytes past line[] */
    uint16_t status;                    /* status code of this response */
    uint8_t state;
    uint8_t flags;
    uint8_t msg;                        /* framing of the current message */
    uint8_t tail_pos;
    uint8_t line[HTTP_LINE_MAX];
    uint8_t tail[HTTP_LINE_TAIL];
};

struct http_session {
    struct http_dir dir[2];             /* [0] client->server, [1] back */
    struct http_pending pending[HTTP_PENDING_MAX];
    uint8_t head;                       /* oldest pending request */
    uint8_t count;                      /* pending requests */
    uint8_t skip;                       /* responses owed to dropped ones */
    uint8_t nopair;                     /* request/response pairing lost */
};

size_t http_session_size(void);

/*
 * Reset a session to "connection start": both directions expect a start
 * line at their first byte.  For a connection picked up mid-stream, call
 * http_session_gap() for both directions before the first feed.
 */
void http_session_init(struct http_session *hs);

/*
 * Called once per DPI line with a NUL-terminated, escaped line of `len`
 * bytes, without a newline.
 */
typedef void (*http_emit_fn)(void *ctx, const char *line, size_t len);

/*
 * Feed the next in-order payload of one direction (from_server 0: client
 * to server, 1: server to client).  `data` holds the `caplen` captured
 * bytes of a segment whose payload had `wire_len` bytes on the wire;
 * when the snap length cut it (caplen < wire_len) the missing bytes are
 * skipped if they lie inside a body of known length; otherwise the line
 * being read is shown as far as it was captured (ending in "...") and the
 * direction resynchronises.  ts_us is the segment's capture time.  Every
 * DPI line belonging to this segment is passed to emit (may be NULL)
 * before the call returns.  Feed each payload byte once: retransmitted
 * copies must not be fed again, and a hole is reported with
 * http_session_gap().
 */
void http_session_feed(struct http_session *hs,
                       const struct http_config *cfg, int from_server,
                       int64_t ts_us, const uint8_t *data, uint32_t caplen,
                       uint32_t wire_len, http_emit_fn emit, void *ctx);

/*
 * Bytes of one direction were lost before the tap (a sequence gap): that
 * direction ignores data until a segment starts with a start line (a
 * registered method, or "HTTP/1.x NNN").  Requests already queued keep
 * their pairing; after them (or at once for a response-side gap)
 * ResponseTime stops for the rest of the session, since whole messages
 * may have been lost.
 */
void http_session_gap(struct http_session *hs, int from_server);

#endif /* MIRUO_DPI_HTTP_H */
