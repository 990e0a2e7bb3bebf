/*
 * session.h - the session table: TCP sessions and their stored segments.
 *
 * session.c owns the 4-tuple hash table, the fixed-size session and
 * segment pools (-L, -l), the two-sided TCP state machine of spec section 6
 * and idle expiry.  It calls the lookups (lookup.h) at the points of spec
 * 5.5 and hands every session that ends to the `session_end` hook; it never
 * prints.
 */
#ifndef MIRUO_SESSION_H
#define MIRUO_SESSION_H

#include <stdint.h>

#include "decode.h"
#include "diag.h"

struct config;
struct stats;

/* Endpoint states, as displayed (spec 6.1). */
enum tcp_state {
    ST_NONE = 0,
    ST_SYN_SENT,
    ST_SYN_RECV,
    ST_ESTABLISHED,
    ST_FIN_WAIT1,
    ST_FIN_WAIT2,
    ST_CLOSE_WAIT,
    ST_LAST_ACK,
    ST_TIME_WAIT,
    ST_CLOSING,
    ST_CLOSED
};

const char *tcp_state_name(enum tcp_state st);

/* ANSI foreground colour codes used for lines (spec 8.12). */
enum color {
    COLOR_NONE = 0,
    COLOR_RED = 31,
    COLOR_GREEN = 32,
    COLOR_YELLOW = 33,
    COLOR_BLUE = 34,
    COLOR_MAGENTA = 35,
    COLOR_CYAN = 36
};

/* Why a session is shown: the header's bracketed words, in this order. */
#define REASON_RETRANSMIT       0x0001u
#define REASON_SYN_RETRANSMIT   0x0002u
#define REASON_LONG_DELAY       0x0004u
#define REASON_LONG_CONNECT     0x0008u
#define REASON_RST              0x0010u
#define REASON_FRAGMENT         0x0020u
#define REASON_TIMEOUT          0x0040u
#define REASON_ERROR_BREAK      0x0080u
#define REASON_TRUNCATED        0x0100u   /* annotation: packets missing */
#define REASON_SLOW_TURN        0x0200u   /* --slow-turn */
#define REASON_COUNT            10

/* The word for reason bit i (0 = retransmit ... 8 = truncated). */
const char *session_reason_word(unsigned i);

/* "No entry" for every pool index: segments, sessions, list links. */
#define NO_INDEX 0xFFFFFFFFu
#define SEG_NONE NO_INDEX

/* Segment bits. */
#define SEG_MARKED       0x01   /* print it when the session is printed */
#define SEG_PRINTED      0x02   /* already printed (--live) */
#define SEG_FROM_SERVER  0x04   /* direction: server -> client */
#define SEG_FRAGMENT     0x08   /* IP more-fragments bit */
#define SEG_OPENING      0x10   /* the opening SYN (not counted by -l) */

/* One stored TCP packet of a session. */
struct segment {
    uint32_t next;              /* next segment of the session, SEG_NONE;
                                 * first, as the pool's free-list link */
    uint32_t prev;              /* previous segment, SEG_NONE */
    uint64_t num;               /* 0 = first packet of the session */
    int64_t ts_us;
    uint32_t seq;
    uint32_t ack;
    uint32_t wire_len;
    uint32_t seq_len;           /* sequence space: payload + SYN + FIN */
    uint16_t window;
    uint8_t flags;
    uint8_t optlen;
    uint8_t opts[TCP_MAX_OPTLEN];
    uint8_t client_state;       /* states after this segment */
    uint8_t server_state;
    uint8_t color;
    uint8_t bits;
    uint32_t frame_blob;        /* captured bytes kept (store.h), or none */
    uint32_t dpi_blob;          /* DPI lines, '\n'-separated, or none */
    uint32_t why_ms;            /* the delay behind `why`, milliseconds */
    uint16_t why;               /* REASON_* bit this packet raised, or 0 */
    uint16_t ip_id;             /* to tell a frame captured twice */
};

struct endpoint {
    uint8_t addr[16];
    uint16_t port;
};

/* Per-direction sequence tracking for the retransmission lookup. */
struct flow_dir {
    uint32_t next_seq;          /* highest sequence number seen + 1 */
    uint32_t forgot_seq;        /* end of the newest data no longer kept */
    int64_t forgot_us;          /* when that data was seen */
    int64_t copy_of_us;         /* the last copy: when its data was new */
    uint8_t seen;               /* next_seq is valid */
    uint8_t forgot;             /* forgot_seq is valid */
    uint8_t zero_window;        /* last segment advertised window 0 */
};

/* What is known of a connection as a whole: for the summary outputs
 * (JSON lines, the triage report).  Index [0] is the client's side. */
struct conn_facts {
    uint64_t packets[2];
    uint64_t payload_bytes[2];  /* TCP payload on the wire */
    uint64_t wire_bytes[2];     /* frame lengths */
    uint32_t retransmits[2];    /* reported retransmissions */
    uint32_t copies[2];         /* segments repeating seen data */
    int64_t syn_us;             /* first SYN, SYN/ACK, handshake ACK; */
    int64_t synack_us;          /* 0 = not seen */
    int64_t ack_us;
    int64_t max_gap_us;         /* longest silence between packets */
    int64_t max_gap_end_us;     /* when it ended */
    uint16_t letters[2];        /* history letters seen, bit per letter */
    uint8_t saw_rst[2];
    uint8_t saw_fin[2];
    uint8_t zero_window[2];     /* advertised a zero window */
    uint8_t history_len;
    char history[23];           /* Zeek-style history, NUL-terminated */
};

/* Session flags. */
#define SESS_SHOWN      0x01    /* print it when it ends */
#define SESS_MIDSTREAM  0x02    /* first seen without its SYN */
#define SESS_CLOSED     0x04    /* ended; kept briefly to absorb stragglers */
#define SESS_HAVE_SYN   0x08    /* syn_seq known (SYN or SYN/ACK seen) */
#define SESS_SAVED      0x10    /* -W: held packets written */

struct session {
    /* Read by every hash lookup: kept together in the first cache line. */
    uint32_t hash;
    uint32_t hash_next;         /* hash chain, session index */
    uint8_t family;
    uint8_t client_state;
    uint8_t server_state;
    uint8_t flags;              /* SESS_* */
    struct endpoint client;     /* sender of the first SYN (or packet) */
    struct endpoint server;
    uint64_t id;
    uint64_t packets;           /* packets of the session, numbers given */
    uint64_t bytes;             /* frame bytes, the opening SYN excluded */
    uint64_t missing;           /* packets not stored: pool full */
    int64_t first_us;           /* first packet */
    int64_t last_us;            /* last packet */
    int64_t list_us;            /* last_us when put on its idle list */
    uint32_t idle_prev;         /* idle list, session index */
    uint32_t idle_next;
    uint32_t seg_head;          /* stored segments, oldest first */
    uint32_t seg_tail;
    uint32_t seg_count;
    uint32_t syn_seq;           /* the opening SYN, to tell a copy */
    uint32_t syn_ack;
    uint32_t reasons;           /* REASON_* */
    uint32_t context_left;      /* -v countdown */
    uint32_t prune_at;          /* prune when holding more than this */
    uint8_t idle_list;
    struct flow_dir dir[2];     /* [0] client->server, [1] server->client */
    struct conn_facts facts;
    struct diag diag;
};

/* How a session ended, for the printer. */
enum session_end_kind {
    END_CLOSED = 0,     /* the state machine closed it */
    END_ERROR_BREAK,    /* replaced by a SYN with a new ISN */
    END_TIMEOUT,        /* idle too long */
    END_EXIT            /* end of input or signal while still open */
};

struct tracker;

struct tracker_hooks {
    /* A session ended; print it if it is shown.  `now_us` is "now". */
    void (*session_end)(void *ctx, const struct tracker *tr,
                        struct session *s, enum session_end_kind kind,
                        int64_t now_us);
    /* --live: a segment was stored (and processed). */
    void (*segment_stored)(void *ctx, const struct tracker *tr,
                           struct session *s, struct segment *seg);
    /* A packet was processed (seg may be a scratch copy if not stored);
     * for -W.  May be NULL. */
    void (*packet_done)(void *ctx, const struct tracker *tr,
                        struct session *s, const struct segment *seg,
                        const struct packet *p);
    void *ctx;
};

struct tracker *tracker_new(const struct config *cfg, struct stats *st,
                            const struct tracker_hooks *hooks);
void tracker_free(struct tracker *tr);

/*
 * Feed decoded TCP packets, in steps so that a batch decoded ahead can
 * overlap its cache misses (feed.c): hash a packet and start loading its
 * hash bucket; a few packets later start loading the session the bucket
 * names; then feed it with its hash.  The first two only warm the caches
 * and change nothing.
 */
uint32_t tracker_hash(const struct tracker *tr, const struct packet *pkt);
void tracker_prefetch_bucket(const struct tracker *tr, uint32_t hash);
void tracker_prefetch_session(const struct tracker *tr, uint32_t hash);
void tracker_packet_hashed(struct tracker *tr, const struct packet *pkt,
                           uint32_t hash);

/* Let time pass: end sessions idle longer than their timeout. */
void tracker_expire(struct tracker *tr, int64_t now_us);

/* End of input or signal: judge and hand over every open session. */
void tracker_finish(struct tracker *tr, int64_t now_us);

/*
 * The most memory the tracker can ever hold, in bytes: both pools filled
 * to their limits in whole chunks, the hash buckets, the HTTP parser state
 * (-m http) and the byte store (-x, --detail, DPI, -W); 0 when -L 0 or
 * -l 0 leave a pool unbounded.
 */
uint64_t tracker_memory_bound(const struct tracker *tr);

/* Segment by index (SEG_NONE never passed). */
struct segment *tracker_segment(const struct tracker *tr, uint32_t idx);

/* Where segments keep captured bytes and DPI lines (NULL if not kept). */
const struct store *tracker_store(const struct tracker *tr);

/* Flagged by a lookup (not only shown because of --all/--live). */
int session_is_flagged(const struct session *s);

#endif /* MIRUO_SESSION_H */
