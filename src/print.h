/*
 * print.h - every output layout of miruo.
 *
 * print.c owns the default, quiet (-q) and live (--live) layouts of spec
 * section 8, colours, TCP option rendering and the output buffer.  Lines
 * are formatted into a buffer that is written in large blocks and flushed
 * after each session (each packet in --live), so `miruo | grep` sees
 * sessions as they finish.  It reads sessions; it never changes them
 * except to note which segments were printed.
 */
#ifndef MIRUO_PRINT_H
#define MIRUO_PRINT_H

#include <stdint.h>

#include "session.h"

struct config;
struct stats;
struct printer;

struct printer *printer_new(const struct config *cfg, struct stats *st,
                            int fd);
void printer_free(struct printer *pr);

struct names;
/* Print endpoints by name where the table has one (--names, --resolve). */
void printer_set_names(struct printer *pr, struct names *names);
/* Write after every session (default), so `miruo | grep` sees sessions
 * as they end; off for regular files, which are read at full speed. */
void printer_set_flush_each(struct printer *pr, int on);
/* The link type of the frames, for --detail. */
void printer_set_link(struct printer *pr, enum link_kind link);

/* tracker hooks (session.h) */
void printer_session_end(void *ctx, const struct tracker *tr,
                         struct session *s, enum session_end_kind kind,
                         int64_t now_us);
void printer_segment_stored(void *ctx, const struct tracker *tr,
                            struct session *s, struct segment *seg);

/*
 * Render a session's block as printed (no colour) into `out` (NUL-
 * terminated, cut at `size`), without writing it: for the HTML report.
 * Returns the length.  Large blocks are cut at the output buffer size.
 */
size_t printer_session_text(struct printer *pr, const struct tracker *tr,
                            struct session *s, enum session_end_kind kind,
                            int64_t now_us, char *out, size_t size);

/* Write what is buffered.  Returns -1 if the output is gone. */
int printer_flush(struct printer *pr);

#endif /* MIRUO_PRINT_H */
