/*
 * lookup.h - deciding which sessions are shown and which segments printed.
 *
 * lookup.c owns the lookups of spec section 7 as amended by decisions.md:
 * retransmission (sequence space, per direction), SYN retransmission, long
 * delay, IP fragments, RST, long connect and --all.  session.c calls these
 * at the points of spec 5.5; they set session reasons, mark and colour
 * segments and bump statistics, and never print.
 */
#ifndef MIRUO_LOOKUP_H
#define MIRUO_LOOKUP_H

#include "session.h"

struct lookup_ctx {
    const struct config *cfg;
    struct stats *stats;
    const struct tracker *tr;
};

/* RST classes (spec 7.5). */
enum rst_class { RST_CLASS_ABORT, RST_CLASS_AFTER_FIN };

/*
 * Retransmission test for a packet of an existing session, before the
 * sequence tracking is advanced.  `seg` is the new segment, already the
 * session's last (or a scratch copy when the pool was full).
 */
/* Where a segment's payload lies in its direction's sequence space. */
enum seq_class {
    SEQ_NONE = 0,   /* no payload (or a SYN/FIN only) */
    SEQ_NEW,        /* the next bytes, in order */
    SEQ_GAP,        /* new bytes after a hole */
    SEQ_OLD,        /* bytes already seen: a retransmission */
    SEQ_PROBE,      /* a keep-alive or zero-window probe */
    SEQ_FILL,       /* fills a hole: out of order, or lost before the tap */
    SEQ_DUP         /* the same frame captured twice: an artefact */
};

enum seq_class lookup_retransmit(const struct lookup_ctx *lc,
                                 struct session *s, struct segment *seg,
                                 int from_server, uint32_t payload_len);

/* Record a packet in the session's facts (counts, history, handshake
 * times, silences).  `prev_us` is the previous packet's time. */
void lookup_facts(struct session *s, const struct segment *seg,
                  int from_server, uint32_t payload_len, enum seq_class cls,
                  int64_t prev_us);

/* Remember whether this side now advertises a zero window. */
void lookup_window(struct session *s, const struct segment *seg,
                   int from_server);

/* Long delay and fragment tests for a segment just appended. `prev` is the
 * segment stored before it (NULL if none was kept). */
void lookup_delay_fragment(const struct lookup_ctx *lc, struct session *s,
                           struct segment *seg, struct segment *prev,
                           int64_t prev_us, int more_fragments);

/* A RST was seen with the states before it. */
void lookup_rst(const struct lookup_ctx *lc, struct session *s,
                struct segment *seg, enum rst_class cls);

/* The session ends: -T, --all, forced reasons. */
void lookup_at_end(const struct lookup_ctx *lc, struct session *s,
                   enum session_end_kind kind);

/* The same frame captured twice (-i any, a SPAN): same sequence, length,
 * ACK and IP ID (for IPv6 the TCP options) within a millisecond. */
int lookup_same_frame(const struct segment *a, const struct segment *b);

/* MSS (0 if none) and window scale (-1 if none) announced in a SYN's
 * options (RFC 9293 3.7.1, RFC 7323 2.2). */
void lookup_syn_options(const struct segment *seg, uint16_t *mss,
                        int *wscale);

/* Mark a segment and give it a colour unless a lookup colour is set. */
void lookup_mark(struct segment *seg, enum color c);

#endif /* MIRUO_LOOKUP_H */
