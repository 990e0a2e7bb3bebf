/*
 * errbuf.c - formatting one-line errors into a caller's buffer.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "errbuf.h"

void errbuf_printf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;

    if (buf == NULL || size == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(buf, size, fmt, ap);
    va_end(ap);
}
