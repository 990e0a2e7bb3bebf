/*
 * html_graph.h - html_graph.c's interface to the page (html.c): the
 * graphs' working memory and the two steps of drawing a session's graphs.
 * html_graph() in html.h draws one graph on its own.
 */
#ifndef MIRUO_HTML_GRAPH_H
#define MIRUO_HTML_GRAPH_H

#include <stddef.h>

#include "html.h"

struct config;
struct gitem;
struct gack;
struct gsack;
struct rxinfo;

/* Scratch memory for the graphs: grows to the largest session seen. */
struct graph_scratch {
    struct gitem *it;
    struct gack *ack;
    struct gsack *sack;
    struct rxinfo *rx;
    size_t cap;             /* segments */
};

/* Room for a session of `n` segments; -1 when out of memory. */
int graph_scratch_fit(struct graph_scratch *sc, size_t n);
void graph_scratch_free(struct graph_scratch *sc);

/* What the segments tell, once per session: which are retransmissions
 * and of what class, into rx[0..n-1] (room from graph_scratch_fit). */
void graph_replay(const struct config *cfg, const struct session *s,
                  const struct segment *const *segs, size_t n,
                  struct rxinfo *rx);

/* One direction's SVG into `out`, as html_graph(); `replayed`: sc->rx
 * holds graph_replay()'s result for these segments already. */
size_t graph_draw(struct graph_scratch *sc, char *out, size_t size,
                  const struct config *cfg, const struct session *s,
                  const struct segment *const *segs, size_t n,
                  int dir, int replayed, struct html_graph_info *info);

#endif /* MIRUO_HTML_GRAPH_H */
