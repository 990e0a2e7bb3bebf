/*
 * json.h - JSON Lines: one object per shown session (--json).
 *
 * json.c owns the JSON Lines output (https://jsonlines.org/): the schema
 * documented in man/miruo.1 (JSON LINES), RFC 8259 string escaping, the
 * Zeek-compatible conn_state derived from a session's facts, and the
 * output file.  A line is written only whole, so a log shipper tailing the
 * file never reads half an object.
 */
#ifndef MIRUO_JSON_H
#define MIRUO_JSON_H

#include <stddef.h>

#include "session.h"

#define JSON_ERRBUF_SIZE 256

struct json_writer;

/*
 * Open the output: "-" is standard output (not closed by json_close), any
 * other path is opened for appending and created (0644) if missing.
 * Returns NULL with a one-line message in `errbuf` on failure.
 */
struct json_writer *json_open(const char *path,
                              char errbuf[JSON_ERRBUF_SIZE]);

/* Append the line of a session that ends and is shown (the caller
 * decides).  Write errors are remembered for json_flush / json_close. */
void json_session(struct json_writer *jw, const struct session *s,
                  enum session_end_kind kind);

/* Write out the complete lines buffered.  -1 once a write has failed. */
int json_flush(struct json_writer *jw);

/* Flush, close and free (NULL is fine).  -1 with a message in `errbuf`
 * if any write failed. */
int json_close(struct json_writer *jw, char errbuf[JSON_ERRBUF_SIZE]);

/*
 * The session's line, newline included, into `buf`: the length written,
 * or 0 if it does not fit (nothing usable is left in `buf` then).
 */
size_t json_format_session(char *buf, size_t size, const struct session *s,
                           enum session_end_kind kind);

/*
 * `src` as the inside of an RFC 8259 string: quote, backslash and control
 * characters escaped, DEL as \u007f, valid UTF-8 kept, every byte of an
 * invalid UTF-8 sequence replaced by \ufffd.  Works like snprintf: returns
 * the length the whole result needs and writes what fits of it into `dst`
 * with a NUL (when size > 0).
 */
size_t json_escape(char *dst, size_t size, const char *src, size_t len);

/*
 * Zeek's conn_state (base/protocols/conn/main.zeek), in the order of
 * Zeek's documentation.  The derivation is documented in json.c and in
 * man/miruo.1.
 */
enum conn_state {
    CS_S0 = 0, CS_S1, CS_SF, CS_REJ, CS_S2, CS_S3, CS_RSTO, CS_RSTR,
    CS_RSTOS0, CS_RSTRH, CS_SH, CS_SHR, CS_OTH, CS_COUNT
};

enum conn_state conn_state_of(const struct session *s);
const char *conn_state_name(enum conn_state cs);

/* "closed", "error-break", "timeout", "end-of-capture". */
const char *end_kind_name(enum session_end_kind kind);

#endif /* MIRUO_JSON_H */
