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

#endif /* MIRUO_REPORT_H */
