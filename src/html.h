/*
 * html.h - the HTML report (--html=FILE, --html-max=N).
 *
 * html.c owns the one self-contained page written at exit (html_graph.c
 * draws its graphs, html_text.c holds the buffer and escaping both use):
 * inline CSS and SVG, no script, no external resource, every text from
 * the capture escaped.  It holds the capture summary, the triage report
 * as tables and one section per shown session, worst first, each with its
 * header and diagnosis, the text block in a <details> and a time-sequence
 * graph per direction.
 *
 * Segments do not outlive their session, so a session's section is
 * rendered when the session ends (html_session, from the session_end
 * hook, while its segments are still in the tracker) into a bounded
 * buffer, and only the N worst sections are kept: memory is at most
 * N x HTML_SECTION_MAX whatever the traffic.
 */
#ifndef MIRUO_HTML_H
#define MIRUO_HTML_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "session.h"

struct config;
struct printer;
struct report;
struct stats;
struct capture_counts;

#define HTML_ERRBUF_SIZE    256
#define HTML_MAX_DEFAULT    50          /* --html-max default */
#define HTML_MAX_LIMIT      10000       /* --html-max upper bound */
#define HTML_SECTION_MAX    (256 * 1024)    /* one session's section */
#define HTML_TEXT_MAX       (64 * 1024)     /* its escaped text block */
#define HTML_GRAPH_MAX      (88 * 1024)     /* one direction's SVG */
#define HTML_GRAPH_ELEMS    1500        /* drawn elements per direction */
#define HTML_PAGE_FIXED     (96 * 1024) /* page minus sections, at most */

struct html_report;

/*
 * `path` is opened (created or truncated, 0644) at once, so a bad path is
 * a start-up error; NULL opens nothing (html_write_fp only, for tests).
 * `max_sessions` is --html-max (1..HTML_MAX_LIMIT).  NULL with a one-line
 * message in `errbuf` on failure.
 */
struct html_report *html_new(const struct config *cfg, unsigned max_sessions,
                             const char *path,
                             char errbuf[HTML_ERRBUF_SIZE]);

/* A shown session ends (call it only for SESS_SHOWN sessions, before its
 * segments are freed): render its section if it is among the worst N. */
void html_session(struct html_report *h, struct printer *pr,
                  const struct tracker *tr, struct session *s,
                  enum session_end_kind kind, int64_t now_us);

/* Write the page to the file given to html_new and close it.  -1 with a
 * message in `errbuf` if it could not be written. */
int html_write(struct html_report *h, const struct report *rep,
               const struct stats *st, const struct capture_counts *cc,
               char errbuf[HTML_ERRBUF_SIZE]);

/* The page to `fp` (not closed); -1 on a write error. */
int html_write_fp(struct html_report *h, FILE *fp, const struct report *rep,
                  const struct stats *st, const struct capture_counts *cc);

/* Free everything (NULL is fine); closes the file if html_write was not
 * called (the file is then left empty). */
void html_free(struct html_report *h);

/* ---- pieces, exposed for tests --------------------------------------- */

/*
 * `src` as HTML/XML text: & < > " ' as entities, valid UTF-8 kept, control
 * characters (but tab, newline) and bytes of invalid UTF-8 as U+FFFD.
 * Like snprintf: returns the length the whole result needs and writes
 * what fits, NUL-terminated (when size > 0); never cuts an entity.
 */
size_t html_escape(char *dst, size_t size, const char *src, size_t len);

/*
 * Axis ticks over [0, span]: a step of 1, 2 or 5 x 10^k (at least 1) with
 * at most `max` + 1 ticks; writes up to `max` + 1 tick values into
 * `ticks` and returns how many.
 */
unsigned html_ticks(int64_t span, unsigned max, int64_t *ticks,
                    int64_t *step);

/* A time tick label: "0", "250 ms", "0.05 ms", "1.5 s" (ms below a step
 * of 100 ms, s above; decimals as the step needs). */
void html_time_label(char *buf, size_t size, int64_t us, int64_t step);

/* What one direction's graph drew. */
struct html_graph_info {
    unsigned elements;      /* drawn elements counted against the cap */
    unsigned bars;          /* data bars (class d) */
    unsigned bar_segments;  /* data segments they stand for */
    unsigned rx_bars;       /* red retransmission bars (class rx) */
    unsigned rx_segments;   /* retransmissions they stand for */
    unsigned markers;       /* SYN / FIN / RST marks (class ev) */
    unsigned marker_events; /* SYN, FIN, RST flags they stand for */
    unsigned level;         /* aggregation: columns of 2^level px */
    size_t bytes;
};

/*
 * One direction's time-sequence graph (dir 0: the client's data, 1: the
 * server's) of the `n` segments `segs` (the session's packets, in order)
 * into `out` (NUL-terminated).  Returns the length, 0 if it did not fit.
 */
size_t html_graph(char *out, size_t size, const struct config *cfg,
                  const struct session *s, const struct segment *const *segs,
                  size_t n, int dir, struct html_graph_info *info);

/* The sections kept, worst first: their session IDs. */
size_t html_section_ids(const struct html_report *h, uint64_t *ids,
                        size_t max);

#endif /* MIRUO_HTML_H */
