/*
 * report.h - the triage report (--report=off|short|full).
 *
 * report.c owns the aggregates behind the report and its text: counts by
 * reason, by final state (Zeek's conn_state) and by how sessions ended;
 * the worst sessions by stall, by retransmissions and by handshake RTT;
 * log2 histograms per server port; RSTs by sender; capture health and the
 * verdict.  Every session that ends is offered, shown or not; only fixed
 * size aggregates are kept, so memory does not grow with traffic.  The
 * output is deterministic: equal values are ordered by session ID.
 */
#ifndef MIRUO_REPORT_H
#define MIRUO_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "options.h"
#include "session.h"
#include "stats.h"

struct report;

/* The worst-session lists. */
enum report_top {
    TOP_STALL = 0,      /* longest silence between two packets */
    TOP_RETRANSMIT,     /* reported retransmissions, then copies */
    TOP_HANDSHAKE,      /* SYN to the ACK of the SYN/ACK */
    TOP_COUNT
};

#define REPORT_TOP_MAX      10      /* entries kept per list */
#define REPORT_TOP_SHORT    3       /* entries printed by --report=short */
#define REPORT_PORTS        64      /* server ports with own histograms */
#define REPORT_RST_ADDRS    64      /* RST senders counted by address */
#define REPORT_BUCKETS      41      /* log2 buckets of microseconds */

/* NULL when out of memory.  REPORT_OFF is valid: the aggregates are kept
 * (report_data_lost needs none of them) and nothing is printed. */
struct report *report_new(enum report_level level);
void report_free(struct report *r);

/* A session ended; `shown` says whether it was printed. */
void report_session(struct report *r, const struct session *s,
                    enum session_end_kind kind, int shown);

/*
 * Write the report to `fd` (standard error).  `cc` has zeros for files.
 * May be called more than once (SIGUSR1); it changes nothing.
 */
void report_print(const struct report *r, int fd, const struct stats *st,
                  const struct capture_counts *cc, const struct config *cfg);

/*
 * The test behind "capture health: DATA LOST": kernel or interface drops,
 * sessions refused for a full -L pool or segments not stored for a full
 * -l pool.  The same as --exit-status 4.
 */
int report_data_lost(const struct stats *st, const struct capture_counts *cc);

/* Flagged sessions (session_is_flagged) seen so far. */
uint64_t report_flagged(const struct report *r);

/* The log2 bucket of a value in microseconds: 0 holds 0, 1 holds 1, k
 * holds [2^(k-1), 2^k), the last one everything above. */
unsigned report_bucket(int64_t us);

/* For tests: the session IDs of a worst list, worst first; returns how
 * many were written (at most `max`). */
size_t report_top_ids(const struct report *r, enum report_top which,
                      uint64_t *ids, size_t max);

/* ---- read-only access, for other renderings (the HTML report) ---------- */

#define REPORT_STATES 13    /* enum conn_state values (json.h CS_COUNT) */

/* The counters behind the report's first sections. */
struct report_counts {
    uint64_t sessions;          /* ended */
    uint64_t shown;
    uint64_t flagged;
    uint64_t midstream;
    uint64_t by_reason[REASON_COUNT];
    uint64_t by_state[REPORT_STATES];   /* by enum conn_state */
    uint64_t by_end[4];         /* by enum session_end_kind */
    uint64_t one_way;
    uint64_t one_way_data;
    uint64_t rst_sessions;
    uint64_t rst_side[2];
};

void report_get_counts(const struct report *r, struct report_counts *c);

/* One entry of a worst list, as the text prints it. */
struct report_row {
    uint64_t id;
    uint64_t value;         /* TOP_STALL, TOP_HANDSHAKE: microseconds;
                             * TOP_RETRANSMIT: reported retransmissions */
    uint64_t value2;        /* TOP_RETRANSMIT: copies of seen data */
    uint64_t split[2];      /* TOP_RETRANSMIT: client, server;
                             * TOP_STALL: enum stall_cause, side */
    struct endpoint client;
    struct endpoint server;
    uint32_t reasons;
    uint8_t family;
    uint8_t state;          /* enum conn_state */
};

/* The entries of a worst list, worst first (at most REPORT_TOP_MAX). */
size_t report_top_rows(const struct report *r, enum report_top which,
                       struct report_row *rows, size_t max);

/* What a conn_state means, as the report says it ("attempt rejected"). */
const char *report_state_text(unsigned conn_state);

/*
 * The capture-health section as report_print writes it, without its
 * "----- capture health -----" title: "Label : value" lines, then the
 * "capture health: ..." and "verdict: ..." lines.  NUL-terminated, cut at
 * `size`; returns the length.
 */
size_t report_health_text(const struct report *r, const struct stats *st,
                          const struct capture_counts *cc,
                          const struct config *cfg, char *buf, size_t size);

#endif /* MIRUO_REPORT_H */
