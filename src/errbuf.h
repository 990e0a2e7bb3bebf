/*
 * errbuf.h - the caller-owned error buffer idiom (as libpcap's errbuf).
 *
 * Lower layers return -1 or NULL and describe the failure in one line in
 * a buffer their caller owns; errbuf.c formats into it.
 */
#ifndef MIRUO_ERRBUF_H
#define MIRUO_ERRBUF_H

#include <stddef.h>

/* printf into buf (of `size` bytes); a NULL buf is allowed and ignored. */
void errbuf_printf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* MIRUO_ERRBUF_H */
