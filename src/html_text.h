/*
 * html_text.h - what the HTML page (html.c) and its graphs (html_graph.c)
 * both write with: a bounded output buffer, HTML escaping, and the few
 * text pieces both print.
 *
 * A buffer never grows: what does not fit is dropped and `over` set, and
 * the text is always NUL-terminated.
 */
#ifndef MIRUO_HTML_TEXT_H
#define MIRUO_HTML_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "session.h"

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

struct buf {
    char *p;
    size_t len;
    size_t cap;             /* one byte is kept for the NUL */
    int over;               /* something did not fit */
};

void hb_init(struct buf *b, char *p, size_t cap);
void hb_mem(struct buf *b, const char *s, size_t n);
void hb_str(struct buf *b, const char *s);
void PRINTF_LIKE(2, 3) hb_printf(struct buf *b, const char *fmt, ...);
/* `n` bytes (or a string), escaped as html_escape() does */
void hb_esc(struct buf *b, const char *s, size_t n);
void hb_escs(struct buf *b, const char *s);
/* A coordinate in tenths of a unit: "123.4", "-5", "7". */
void hb_coord(struct buf *b, int64_t tenths);
/* A point, "x y", both in tenths of a unit as hb_coord writes them. */
void hb_point(struct buf *b, int64_t x, int64_t y);

/* A duration for people: "40 us", "3.000 ms", "1.503 s". */
void html_fmt_us(char *buf, size_t size, int64_t us);
/* "192.0.2.1:80", "[2001:db8::1]:80" */
void html_fmt_endpoint(char *buf, size_t size, int family,
                       const struct endpoint *e);
/* The session header's reason words, comma-separated. */
void html_fmt_reasons(char *buf, size_t size, uint32_t reasons);

#endif /* MIRUO_HTML_TEXT_H */
