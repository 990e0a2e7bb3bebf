/*
 * html_text.c - the bounded buffer, escaping and text pieces of the HTML
 * report (html_text.h, html.h's html_escape).
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "html.h"
#include "html_text.h"

/* ---- a bounded output buffer ------------------------------------------ */

void hb_init(struct buf *b, char *p, size_t cap)
{
    b->p = p;
    b->len = 0;
    b->cap = cap > 0 ? cap - 1 : 0;
    b->over = cap == 0;
    if (cap > 0)
        p[0] = '\0';
}

void hb_mem(struct buf *b, const char *s, size_t n)
{
    if (b->over || n > b->cap - b->len) {
        b->over = 1;
        return;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void hb_str(struct buf *b, const char *s)
{
    hb_mem(b, s, strlen(s));
}

void hb_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (b->over)
        return;
    va_start(ap, fmt);
    n = vsnprintf(b->p + b->len, b->cap - b->len + 1, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n > b->cap - b->len) {
        b->over = 1;
        b->p[b->len] = '\0';
        return;
    }
    b->len += (size_t)n;
}

void hb_esc(struct buf *b, const char *s, size_t n)
{
    size_t need;

    if (b->over)
        return;
    need = html_escape(b->p + b->len, b->cap - b->len + 1, s, n);
    if (need > b->cap - b->len) {
        b->over = 1;
        b->p[b->len] = '\0';
        return;
    }
    b->len += need;
}

void hb_escs(struct buf *b, const char *s)
{
    hb_esc(b, s, strlen(s));
}

void hb_coord(struct buf *b, int64_t tenths)
{
    char tmp[32];
    int64_t a = tenths < 0 ? -tenths : tenths;

    if (a % 10 == 0)
        snprintf(tmp, sizeof(tmp), "%s%lld", tenths < 0 ? "-" : "",
                 (long long)(a / 10));
    else
        snprintf(tmp, sizeof(tmp), "%s%lld.%lld", tenths < 0 ? "-" : "",
                 (long long)(a / 10), (long long)(a % 10));
    hb_str(b, tmp);
}

void hb_point(struct buf *b, int64_t x, int64_t y)
{
    hb_coord(b, x);
    hb_str(b, " ");
    hb_coord(b, y);
}

/* ---- escaping ------------------------------------------------------------ */

/* Length of the valid UTF-8 sequence at s (RFC 3629), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len, i;
    unsigned cp;

    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        cp == 0xFFFE || cp == 0xFFFF)
        return 0;
    /* C1 controls are not allowed in HTML text either. */
    if (len == 2 && cp < 0xA0)
        return 0;
    return len;
}

size_t html_escape(char *dst, size_t size, const char *src, size_t len)
{
    const unsigned char *s = (const unsigned char *)src;
    size_t i = 0, out = 0;
    int full = size == 0;

    if (size > 0)
        dst[0] = '\0';
    while (i < len) {
        const char *rep;
        size_t rlen, k = 1;

        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default:
            if ((s[i] < 0x20 && s[i] != '\t' && s[i] != '\n') ||
                s[i] == 0x7F) {
                rep = "\xEF\xBF\xBD";      /* U+FFFD */
            } else if (s[i] < 0x80 || (k = utf8_len(s + i, len - i)) > 0) {
                rep = (const char *)s + i;  /* as it is, k bytes */
            } else {
                rep = "\xEF\xBF\xBD";
                k = 1;
            }
            break;
        }
        rlen = rep == (const char *)s + i ? k : strlen(rep);
        if (!full && out + rlen < size) {
            memcpy(dst + out, rep, rlen);
            dst[out + rlen] = '\0';
        } else {
            full = 1;       /* never a cut entity or character */
        }
        out += rlen;
        i += k;
    }
    return out;
}

/* ---- text pieces ----------------------------------------------------------- */

/* A duration for people: "40 us", "3.000 ms", "1.503 s". */
void html_fmt_us(char *buf, size_t size, int64_t us)
{
    if (us < 0)
        us = 0;
    if (us < 1000)
        snprintf(buf, size, "%lld us", (long long)us);
    else if (us < 1000000)
        snprintf(buf, size, "%lld.%03lld ms", (long long)(us / 1000),
                 (long long)(us % 1000));
    else
        snprintf(buf, size, "%lld.%03lld s", (long long)(us / 1000000),
                 (long long)(us / 1000 % 1000));
}

void html_fmt_endpoint(char *buf, size_t size, int family,
                       const struct endpoint *e)
{
    char a[64];

    if (inet_ntop(family == 6 ? AF_INET6 : AF_INET, e->addr, a,
                  sizeof(a)) == NULL)
        a[0] = '\0';
    if (family == 6)
        snprintf(buf, size, "[%s]:%u", a, e->port);
    else
        snprintf(buf, size, "%s:%u", a, e->port);
}

void html_fmt_reasons(char *buf, size_t size, uint32_t reasons)
{
    size_t n = 0;
    unsigned i;

    buf[0] = '\0';
    for (i = 0; i < REASON_COUNT && n < size; i++)
        if (reasons & (1u << i))
            n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? "," : "",
                                  session_reason_word(i));
}
