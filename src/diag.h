/*
 * diag.h - why a session was slow or broken: the diagnosis.
 *
 * diag.c owns what miruo concludes about a connection from its packets,
 * in one pass and in fixed memory per session: the class of every
 * retransmission (RTO, fast, spurious, tail-loss probe) and where the loss
 * happened relative to the tap; the handshake RTT on each side of the
 * tap; request/response turn and transfer times; the cause of the longest
 * stall; capture artefacts that must not be mistaken for loss; RSTs and
 * FINs whose TTL betrays a middlebox.  It renders the one-line summary.
 */
#ifndef MIRUO_DIAG_H
#define MIRUO_DIAG_H

#include <stddef.h>
#include <stdint.h>

/* Retransmission classes (see man/miruo.1, DIAGNOSIS). */
enum rexmit_class { RX_RTO = 0, RX_FAST, RX_SPURIOUS, RX_TLP, RX_COUNT };

/* Why the longest silence happened. */
enum stall_cause {
    STALL_NONE = 0,
    STALL_ZERO_WINDOW,      /* the receiver advertised a zero window */
    STALL_RWND_LIMITED,     /* bytes in flight filled the peer's window */
    STALL_RTO,              /* data outstanding, then a retransmission */
    STALL_PERSIST,          /* zero-window probes */
    STALL_APP_IDLE,         /* nothing outstanding: an application waits */
    STALL_HALF_CLOSED,      /* one side had closed its half */
    STALL_WAITING_ACK       /* data outstanding, no retransmission yet */
};

const char *stall_cause_name(enum stall_cause c);
const char *rexmit_class_name(enum rexmit_class c);

struct diag_dir {
    int64_t last_data_us;       /* last new data sent */
    int64_t last_pkt_us;        /* last packet sent */
    int64_t gap_us;             /* when a hole in this direction was seen */
    int64_t zero_since_us;      /* advertising a zero window since, or 0 */
    int64_t zero_total_us;      /* time spent advertising a zero window */
    uint32_t acked;             /* highest ACK the peer sent for our data */
    uint32_t window;            /* last window we advertised, scaled */
    uint32_t rexmit[RX_COUNT];  /* copies of our data, by class */
    uint32_t lost_after_tap;    /* copies whose original the tap saw */
    uint32_t lost_before_tap;   /* holes filled later by the sender */
    uint32_t reordered;         /* holes filled at once: reordering */
    uint32_t dup_frames;        /* the same frame captured twice */
    uint32_t tso;               /* segments longer than the MSS */
    uint32_t probes;            /* zero-window probes */
    uint32_t syn_copies;        /* SYN or SYN/ACK sent again */
    uint16_t dupacks;           /* consecutive duplicate ACKs we sent */
    uint16_t mss;               /* MSS we announced, 0 = unknown */
    uint8_t wscale;             /* window scale we announced */
    uint8_t acked_set;
    uint8_t ttl;                /* TTL / hop limit of our first packet */
    uint8_t ttl_set;
};

struct diag {
    struct diag_dir d[2];       /* [0] client, [1] server */
    int64_t max_turn_us;        /* longest turn (think time) */
    int64_t max_transfer_us;    /* longest one-way burst */
    int64_t burst_start_us;
    int64_t stall_us;           /* longest silence */
    int64_t injected_idle_us;
    int64_t last_syn_us;        /* the SYN that was answered */
    int64_t last_synack_us;     /* the SYN/ACK that was answered */
    uint32_t turns;
    int8_t last_data_dir;       /* -1: none yet */
    uint8_t turn_side;          /* who was thinking in the longest turn */
    uint8_t stall_cause;        /* enum stall_cause */
    uint8_t stall_side;         /* the endpoint the cause is about */
    uint8_t injected;           /* an RST/FIN with a foreign TTL */
    uint8_t injected_side;
    uint8_t injected_flags;
    uint8_t injected_ttl;
    uint8_t injected_state;     /* the sender's state before it */
    uint8_t reset_by;           /* 1 client, 2 server: who sent the RST */
    uint8_t reset_state;        /* sender's state before the RST */
};

#endif /* MIRUO_DIAG_H */

struct config;
struct packet;
struct segment;
struct session;

void diag_init(struct diag *dg);

/*
 * One packet of a session, after the retransmission lookup (`cls` is its
 * enum seq_class; for a copy, `first_us` is when its data was first seen,
 * -1 if unknown) and before the state machine: `snd_state`/`rcv_state`
 * are the sender's and receiver's states before it, `prev_us` the time of
 * the session's previous packet.
 */
void diag_packet(const struct config *cfg, struct session *s,
                 struct segment *seg, const struct packet *p,
                 int from_server, int cls, int64_t first_us, int64_t prev_us,
                 int snd_state, int rcv_state);

/* The session ends at `now_us`: close open zero-window periods. */
void diag_end(struct session *s, int64_t now_us);

/* The one-line summary, without the "NNNN: " prefix; returns length. */
size_t diag_summary(const struct session *s, const struct config *cfg,
                    char *buf, size_t size);
