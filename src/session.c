/*
 * session.c - session table, TCP state machine and idle expiry.
 *
 * Sessions live in a fixed-size pool (-L) and are found through a hash
 * table keyed on the unordered pair of endpoints, so both directions of a
 * connection map to one session in O(1).  Stored segments live in a second
 * pool (-l) shared by all sessions, each session holding a doubly linked
 * list of its own.  The pools (pool.c) hand out 32-bit indices; their
 * memory is reserved in chunks the first time a slot is needed and never
 * given back or moved, so total memory is bounded by the limits, never by
 * traffic.
 *
 * Idle sessions are found without sweeping the table: every session sits
 * on one of three lists ordered by last activity (half-open or closing,
 * established, recently closed), and expiry pops from the list heads.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "dpi_http.h"
#include "lookup.h"
#include "options.h"
#include "pool.h"
#include "session.h"
#include "stats.h"
#include "store.h"

/* ---- tunables (spec 5.6, 7.10) ----------------------------------------- */

#define PRUNE_ABOVE         2048    /* prune a session holding more ... */
#define PRUNE_DOWN_TO       1024    /* ... down to fewer than this */
#define TIMEOUT_SHORT_S     30      /* half-open or closing */
#define TIMEOUT_LONG_S      900     /* anything else */
#define TIMEOUT_CLOSED_S    30      /* closed: absorb late packets */
#define DETAIL_BYTES        256     /* covers link + IP + TCP headers */
#define DPI_TEXT_MAX        4096    /* DPI lines kept per packet */

/* Pools grow in chunks of 4096 entries (the session pool and its HTTP
 * state always; man LIMITS).  A segment pool allowed more than
 * BIG_POOL_ABOVE entries uses chunks of 65536: fewer, larger blocks to
 * fault in at once (pool.c). */
#define CHUNK_SHIFT 12
#define CHUNK_ELEMS (1u << CHUNK_SHIFT)
#define CHUNK_MASK  (CHUNK_ELEMS - 1)
#define BIG_CHUNK_SHIFT 16
#define BIG_POOL_ABOVE  (1u << 18)

enum idle_list { LIST_NONE = 0, LIST_SHORT, LIST_LONG, LIST_CLOSED,
                 LIST_COUNT };

/* ---- the tracker --------------------------------------------------------- */

/* free_segments hands a session's list to the pool as a chain. */
_Static_assert(offsetof(struct segment, next) == 0,
               "a segment's next link is its pool free-list link");


struct tracker {
    const struct config *cfg;
    struct stats *stats;
    struct tracker_hooks hooks;
    struct lookup_ctx lc;
    struct pool sessions;
    struct pool segments;
    struct pool_filler *filler; /* faults in pool chunks ahead, or NULL */
    uint32_t *buckets;
    uint32_t nbuckets;          /* power of two */
    uint32_t in_table;          /* sessions in the hash table */
    uint32_t list_head[LIST_COUNT];
    uint32_t list_tail[LIST_COUNT];
    uint64_t next_id;
    uint64_t seed[2];
    struct segment scratch;     /* a packet that could not be stored */
    uint32_t opening_syns;      /* stored opening SYNs */
    unsigned char **http_chunks;/* -m http: parser state per session slot */
    uint32_t http_nchunks;
    char dpi_text[DPI_TEXT_MAX];/* DPI lines of the packet being fed */
    uint32_t dpi_len;
    struct store *store;        /* frame bytes / DPI lines, if kept */
    uint32_t keep_bytes;        /* frame bytes to keep per segment */
    int keep_all_bytes;         /* -x without LEN: the whole frame */
};

/* Typed element access: the element size is a constant here. */
static struct session *sess_at(const struct tracker *tr, uint32_t idx)
{
    return (struct session *)tr->sessions.chunks[idx >> CHUNK_SHIFT] +
           (idx & CHUNK_MASK);
}

struct segment *tracker_segment(const struct tracker *tr, uint32_t idx)
{
    return (struct segment *)tr->segments.chunks[idx >> tr->segments.shift] +
           (idx & tr->segments.mask);
}

const struct store *tracker_store(const struct tracker *tr)
{
    return tr->store;
}

uint64_t tracker_memory_bound(const struct tracker *tr)
{
    uint64_t b;
    uint32_t table = 16;

    if (!tr->sessions.limit || !tr->segments.limit)
        return 0;
    b = sizeof(*tr) + pool_bound(&tr->sessions) + pool_bound(&tr->segments) +
        (uint64_t)tr->nbuckets * sizeof(*tr->buckets);
    if (tr->cfg->dpi == DPI_HTTP) {
        while (table < tr->sessions.nchunks)     /* see http_state() */
            table *= 2;
        b += (uint64_t)tr->sessions.nchunks * CHUNK_ELEMS *
             http_session_size() + table * sizeof(*tr->http_chunks);
    }
    if (tr->store != NULL)
        b += store_memory_bound(tr->store);
    return b;
}

/* ---- HTTP inspection (-m http) -------------------------------------------
 * Parser state lives beside the session pool, slot for slot, in chunks
 * reserved as sessions first use them.
 */

static struct http_session *http_state(struct tracker *tr, uint32_t idx)
{
    uint32_t c = idx >> CHUNK_SHIFT;

    if (c >= tr->http_nchunks) {
        uint32_t n = tr->http_nchunks ? tr->http_nchunks : 16;
        unsigned char **m;
        while (n <= c)
            n *= 2;
        m = realloc(tr->http_chunks, n * sizeof(*m));
        if (m == NULL)
            return NULL;
        memset(m + tr->http_nchunks, 0,
               (n - tr->http_nchunks) * sizeof(*m));
        tr->http_chunks = m;
        tr->http_nchunks = n;
    }
    if (tr->http_chunks[c] == NULL) {
        tr->http_chunks[c] = malloc((size_t)CHUNK_ELEMS *
                                    http_session_size());
        if (tr->http_chunks[c] == NULL)
            return NULL;
    }
    return (struct http_session *)(tr->http_chunks[c] +
               (size_t)(idx & CHUNK_MASK) * http_session_size());
}

static void http_collect(void *ctx, const char *line, size_t len)
{
    struct tracker *tr = ctx;

    if (tr->dpi_len + len + 1 > sizeof(tr->dpi_text))
        return;                 /* more lines than a packet can keep */
    if (tr->dpi_len > 0)
        tr->dpi_text[tr->dpi_len++] = '\n';
    memcpy(tr->dpi_text + tr->dpi_len, line, len);
    tr->dpi_len += (uint32_t)len;
}

/*
 * Feed a packet's payload to the HTTP parser when it is the next data of
 * its direction; the lines it yields are kept with the segment, which is
 * then printed with its session.
 */
static void http_inspect(struct tracker *tr, uint32_t idx,
                         struct segment *seg, const struct packet *p,
                         enum seq_class cls, int stored)
{
    struct http_session *hs;
    int from_server = (seg->bits & SEG_FROM_SERVER) != 0;

    if (tr->cfg->dpi != DPI_HTTP || (cls != SEQ_NEW && cls != SEQ_GAP))
        return;
    hs = http_state(tr, idx);
    if (hs == NULL)
        return;
    if (cls == SEQ_GAP)
        http_session_gap(hs, from_server);
    tr->dpi_len = 0;
    http_session_feed(hs, &tr->cfg->http, from_server, p->ts_us, p->payload,
                      p->payload_caplen, p->payload_len, http_collect, tr);
    if (tr->dpi_len == 0 || !stored)
        return;
    seg->dpi_blob = store_put(tr->store, tr->dpi_text, tr->dpi_len);
    seg->bits |= SEG_MARKED;
}

static void http_start(struct tracker *tr, uint32_t idx, int midstream)
{
    struct http_session *hs;

    if (tr->cfg->dpi != DPI_HTTP || (hs = http_state(tr, idx)) == NULL)
        return;
    http_session_init(hs);
    if (midstream) {
        http_session_gap(hs, 0);
        http_session_gap(hs, 1);
    }
}


int session_is_flagged(const struct session *s)
{
    return (s->reasons & ~REASON_TRUNCATED) != 0 && (s->flags & SESS_SHOWN);
}

const char *session_reason_word(unsigned i)
{
    static const char *const words[REASON_COUNT] = {
        "retransmit", "syn-retransmit", "long-delay", "long-connect", "rst",
        "fragment", "timeout", "error-break", "truncated", "slow-turn"
    };
    return i < REASON_COUNT ? words[i] : "?";
}

const char *tcp_state_name(enum tcp_state st)
{
    static const char *const names[] = {
        "", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2",
        "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSING", "CLOSED"
    };
    return (unsigned)st < sizeof(names) / sizeof(names[0]) ? names[st] : "?";
}

/* ---- hashing --------------------------------------------------------------
 * Each endpoint is folded to 64 bits by keyed multiplications, the two
 * are summed so that the hash does not depend on direction, and the sum
 * goes through one 64-bit mix.  The random per-run key keeps crafted
 * traffic from piling every session into one chain.
 */

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ULL;
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ULL;
    x ^= x >> 32;
    return x;
}

/* One endpoint folded into 64 bits under the run's key. */
static uint64_t hash_endpoint(const struct tracker *tr, const uint8_t *addr,
                              uint16_t port)
{
    uint64_t a, b;

    memcpy(&a, addr, 8);
    memcpy(&b, addr + 8, 8);
    return (a ^ tr->seed[0]) * 0x9e3779b97f4a7c15ULL ^
           (b ^ tr->seed[1] ^ port) * 0xc2b2ae3d27d4eb4fULL;
}

static uint32_t hash_flow(const struct tracker *tr, const struct packet *p)
{
    return (uint32_t)mix64(hash_endpoint(tr, p->src, p->sport) +
                           hash_endpoint(tr, p->dst, p->dport));
}

static void random_seed(uint64_t seed[2])
{
    int fd = open("/dev/urandom", O_RDONLY);

    seed[0] = 0x9e3779b97f4a7c15ULL;
    seed[1] = (uint64_t)getpid() * 0xbf58476d1ce4e5b9ULL;
    if (fd >= 0) {
        if (read(fd, seed, 2 * sizeof(seed[0])) < 0)
            seed[1] ^= 1;
        close(fd);
    }
}

static int endpoint_is(const struct endpoint *e, const uint8_t *addr,
                       uint16_t port)
{
    return e->port == port && memcmp(e->addr, addr, 16) == 0;
}

/*
 * Find the session of a packet.  *from_server says which way it goes.
 */
static uint32_t table_find(const struct tracker *tr, const struct packet *p,
                           uint32_t h, int *from_server)
{
    uint32_t idx = tr->buckets[h & (tr->nbuckets - 1)];

    while (idx != SEG_NONE) {
        const struct session *s = sess_at(tr, idx);
        if (s->hash == h && s->family == p->family) {
            if (endpoint_is(&s->client, p->src, p->sport) &&
                endpoint_is(&s->server, p->dst, p->dport)) {
                *from_server = 0;
                return idx;
            }
            if (endpoint_is(&s->server, p->src, p->sport) &&
                endpoint_is(&s->client, p->dst, p->dport)) {
                *from_server = 1;
                return idx;
            }
        }
        idx = s->hash_next;
    }
    return SEG_NONE;
}

static void table_insert(struct tracker *tr, uint32_t idx)
{
    struct session *s = sess_at(tr, idx);
    uint32_t *b = &tr->buckets[s->hash & (tr->nbuckets - 1)];

    s->hash_next = *b;
    *b = idx;
    tr->in_table++;
}

static void table_remove(struct tracker *tr, uint32_t idx)
{
    struct session *s = sess_at(tr, idx);
    uint32_t *link = &tr->buckets[s->hash & (tr->nbuckets - 1)];

    while (*link != SEG_NONE) {
        if (*link == idx) {
            *link = s->hash_next;
            tr->in_table--;
            return;
        }
        link = &sess_at(tr, *link)->hash_next;
    }
}

/* Unlimited session pools only: double the buckets when chains grow. */
static void table_grow(struct tracker *tr)
{
    uint32_t n = tr->nbuckets * 2, i, idx, next;
    uint32_t *b = pool_block_alloc((size_t)n * sizeof(*b), 0);

    if (b == NULL)
        return;
    memset(b, 0xFF, (size_t)n * sizeof(*b));
    for (i = 0; i < tr->nbuckets; i++) {
        for (idx = tr->buckets[i]; idx != SEG_NONE; idx = next) {
            struct session *s = sess_at(tr, idx);
            next = s->hash_next;
            s->hash_next = b[s->hash & (n - 1)];
            b[s->hash & (n - 1)] = idx;
        }
    }
    free(tr->buckets);
    tr->buckets = b;
    tr->nbuckets = n;
}

/* ---- idle lists ---------------------------------------------------------- */

static void list_unlink(struct tracker *tr, uint32_t idx)
{
    struct session *s = sess_at(tr, idx);
    int l = s->idle_list;

    if (l == LIST_NONE)
        return;
    if (s->idle_prev != SEG_NONE)
        sess_at(tr, s->idle_prev)->idle_next = s->idle_next;
    else
        tr->list_head[l] = s->idle_next;
    if (s->idle_next != SEG_NONE)
        sess_at(tr, s->idle_next)->idle_prev = s->idle_prev;
    else
        tr->list_tail[l] = s->idle_prev;
    s->idle_list = LIST_NONE;
}

static void list_append(struct tracker *tr, uint32_t idx, int l)
{
    struct session *s = sess_at(tr, idx);

    s->idle_list = (uint8_t)l;
    s->idle_next = SEG_NONE;
    s->idle_prev = tr->list_tail[l];
    if (tr->list_tail[l] != SEG_NONE)
        sess_at(tr, tr->list_tail[l])->idle_next = idx;
    else
        tr->list_head[l] = idx;
    tr->list_tail[l] = idx;
}

static int state_is_transient(int st)
{
    return st == ST_SYN_SENT || st == ST_SYN_RECV || st == ST_FIN_WAIT1 ||
           st == ST_FIN_WAIT2 || st == ST_CLOSE_WAIT || st == ST_LAST_ACK;
}

/*
 * Keep the session on the idle list its state belongs to.  A session that
 * stays on the same list is not moved on every packet: expiry re-queues
 * the ones whose last_us moved on since they were queued (lazy LRU).
 */
static void list_touch(struct tracker *tr, uint32_t idx)
{
    struct session *s = sess_at(tr, idx);
    int l;

    if (s->flags & SESS_CLOSED)
        l = LIST_CLOSED;
    else if (state_is_transient(s->client_state) ||
             state_is_transient(s->server_state))
        l = LIST_SHORT;
    else
        l = LIST_LONG;
    if (s->idle_list == l)
        return;
    list_unlink(tr, idx);
    list_append(tr, idx, l);
    s->list_us = s->last_us;
}

/* ---- creation and removal ------------------------------------------------ */

struct tracker *tracker_new(const struct config *cfg, struct stats *st,
                            const struct tracker_hooks *hooks)
{
    struct tracker *tr = calloc(1, sizeof(*tr));
    uint32_t want, seg_limit;
    int l;

    if (tr == NULL)
        return NULL;
    tr->cfg = cfg;
    tr->stats = st;
    tr->hooks = *hooks;
    tr->lc.cfg = cfg;
    tr->lc.stats = st;
    tr->lc.tr = tr;
    tr->next_id = 1;
    random_seed(tr->seed);
    for (l = 0; l < LIST_COUNT; l++)
        tr->list_head[l] = tr->list_tail[l] = SEG_NONE;
    /* Opening SYNs do not count against -l (spec 5.2): the pool has room
     * for one per session on top of the -l others. */
    seg_limit = cfg->segment_limit && cfg->session_limit
                    ? cfg->segment_limit + cfg->session_limit : 0;
    if (pool_init(&tr->sessions, sizeof(struct session),
                  cfg->session_limit, CHUNK_SHIFT) < 0 ||
        pool_init(&tr->segments, sizeof(struct segment), seg_limit,
                  seg_limit > BIG_POOL_ABOVE ? BIG_CHUNK_SHIFT
                                             : CHUNK_SHIFT) < 0)
        goto fail;
    /* Buckets: a power of two at least twice the session limit. */
    want = cfg->session_limit ? cfg->session_limit : 32768;
    for (tr->nbuckets = 64; tr->nbuckets < 2 * want && tr->nbuckets < (1u << 30);
         tr->nbuckets <<= 1)
        ;
    tr->buckets = pool_block_alloc((size_t)tr->nbuckets *
                                   sizeof(*tr->buckets), 0);
    if (tr->buckets == NULL)
        goto fail;
    /* Frame bytes are kept only for -x and --detail: as many as the hex
     * dump shows (or the whole frame), at least the headers. */
    if (cfg->hex || cfg->detail || cfg->dpi != DPI_TCP ||
        cfg->flagged_file != NULL) {
        tr->store = store_new(STORE_DEFAULT_SLOTS);
        if (tr->store == NULL)
            goto fail;
    }
    if (cfg->hex) {
        if (cfg->hex_length)
            tr->keep_bytes = cfg->hex_offset + cfg->hex_length;
        else
            tr->keep_all_bytes = 1;
    }
    if (cfg->flagged_file != NULL)      /* -W writes held packets whole */
        tr->keep_all_bytes = 1;
    if (cfg->detail && tr->keep_bytes < DETAIL_BYTES && !tr->keep_all_bytes)
        tr->keep_bytes = DETAIL_BYTES;
    memset(tr->buckets, 0xFF, (size_t)tr->nbuckets * sizeof(*tr->buckets));
    {
        /* Raised limits: fresh chunks come from a helper thread, so
         * that a burst of new sessions does not stall the packet path. */
        struct pool *const pools[] = { &tr->sessions, &tr->segments };
        pool_fill_ahead(&tr->filler, pools, 2);
    }
    return tr;
fail:
    tracker_free(tr);
    return NULL;
}

void tracker_free(struct tracker *tr)
{
    if (tr == NULL)
        return;
    pool_filler_stop(tr->filler);
    pool_destroy(&tr->sessions);
    pool_destroy(&tr->segments);
    free(tr->buckets);
    store_free(tr->store);
    if (tr->http_chunks != NULL) {
        uint32_t c;
        for (c = 0; c < tr->http_nchunks; c++)
            free(tr->http_chunks[c]);
        free(tr->http_chunks);
    }
    free(tr);
}

/* Segments stored, the opening SYNs excepted (ActiveSegment, -l). */
static uint32_t counted_segments(const struct tracker *tr)
{
    return tr->segments.used - tr->opening_syns;
}

/* Return a segment and what it kept to their pools. */
static void segment_release(struct tracker *tr, uint32_t idx)
{
    struct segment *seg = tracker_segment(tr, idx);

    if (seg->bits & SEG_OPENING)
        tr->opening_syns--;
    if (tr->store != NULL) {
        store_release(tr->store, seg->frame_blob);
        store_release(tr->store, seg->dpi_blob);
    }
    pool_free(&tr->segments, idx);
}

static void free_segments(struct tracker *tr, struct session *s)
{
    uint32_t idx = s->seg_head, next;

    if (idx != SEG_NONE && tr->store == NULL) {
        /* Nothing kept beside them: the whole list goes back at once,
         * linked by the segments' own `next` (their first field). */
        if (tracker_segment(tr, idx)->bits & SEG_OPENING)
            tr->opening_syns--;
        pool_free_chain(&tr->segments, idx, s->seg_tail, s->seg_count);
        idx = SEG_NONE;
    }
    while (idx != SEG_NONE) {
        next = tracker_segment(tr, idx)->next;
        segment_release(tr, idx);
        idx = next;
    }
    s->seg_head = s->seg_tail = SEG_NONE;
    s->seg_count = 0;
    tr->stats->active_segments = counted_segments(tr);
}

/* Forget a session completely (its slot returns to the pool). */
static void session_release(struct tracker *tr, uint32_t idx)
{
    struct session *s = sess_at(tr, idx);

    free_segments(tr, s);
    list_unlink(tr, idx);
    table_remove(tr, idx);
    if (!(s->flags & SESS_CLOSED))
        tr->stats->active_sessions--;
    pool_free(&tr->sessions, idx);
}

/*
 * End a session: judge it, hand it to the printer, then keep it as a
 * closed entry (no segments) that absorbs late packets of the same
 * connection for a while.
 */
static void session_end(struct tracker *tr, uint32_t idx,
                        enum session_end_kind kind, int64_t now_us,
                        int keep_closed)
{
    struct session *s = sess_at(tr, idx);

    diag_end(s, s->last_us);
    lookup_at_end(&tr->lc, s, kind);
    if (tr->hooks.session_end)
        tr->hooks.session_end(tr->hooks.ctx, tr, s, kind, now_us);
    if (!keep_closed) {
        session_release(tr, idx);
        return;
    }
    free_segments(tr, s);
    s->flags |= SESS_CLOSED;
    tr->stats->active_sessions--;
    list_touch(tr, idx);
}

/* Reclaim the oldest closed entry, to make room for a live session. */
static int reclaim_closed(struct tracker *tr)
{
    uint32_t idx = tr->list_head[LIST_CLOSED];

    if (idx == SEG_NONE)
        return 0;
    session_release(tr, idx);
    return 1;
}

static int is_opening_syn(uint8_t flags)
{
    return (flags & (TH_SYN | TH_ACK | TH_RST | TH_FIN)) == TH_SYN;
}

static uint32_t session_create(struct tracker *tr, const struct packet *p,
                               uint32_t h, int client_is_src)
{
    struct session *s;
    uint32_t idx;

    idx = SEG_NONE;
    if (!tr->cfg->session_limit ||
        tr->stats->active_sessions < tr->cfg->session_limit) {
        idx = pool_alloc(&tr->sessions);
        if (idx == SEG_NONE && reclaim_closed(tr))
            idx = pool_alloc(&tr->sessions);
    }
    if (idx == SEG_NONE) {
        /* Counted once per refused connection: its opening SYN.  Later
         * packets of it, which could start a mid-stream session, are not
         * counted again. */
        if (is_opening_syn(p->flags))
            tr->stats->drop_session++;
        return SEG_NONE;
    }
    s = sess_at(tr, idx);
    memset(s, 0, sizeof(*s));
    if (client_is_src) {
        memcpy(s->client.addr, p->src, 16);
        s->client.port = p->sport;
        memcpy(s->server.addr, p->dst, 16);
        s->server.port = p->dport;
    } else {
        memcpy(s->client.addr, p->dst, 16);
        s->client.port = p->dport;
        memcpy(s->server.addr, p->src, 16);
        s->server.port = p->sport;
    }
    s->family = p->family;
    s->hash = h;
    s->id = tr->next_id++;
    s->seg_head = s->seg_tail = SEG_NONE;
    s->idle_list = LIST_NONE;
    s->first_us = s->last_us = p->ts_us;
    s->prune_at = PRUNE_ABOVE;
    diag_init(&s->diag);
    table_insert(tr, idx);
    if (!tr->cfg->session_limit && tr->in_table > tr->nbuckets)
        table_grow(tr);
    tr->stats->sessions_total++;
    tr->stats->active_sessions++;
    if (tr->stats->active_sessions > tr->stats->active_sessions_max)
        tr->stats->active_sessions_max = tr->stats->active_sessions;
    return idx;
}

/* ---- segments ------------------------------------------------------------ */

static void segment_fill(struct segment *seg, const struct packet *p,
                         uint64_t num, int from_server)
{
    seg->num = num;
    seg->ts_us = p->ts_us;
    seg->next = SEG_NONE;
    seg->prev = SEG_NONE;
    seg->seq = p->seq;
    seg->ack = p->ack;
    seg->wire_len = p->wire_len;
    seg->seq_len = p->payload_len + ((p->flags & TH_SYN) ? 1 : 0) +
                   ((p->flags & TH_FIN) ? 1 : 0);
    seg->window = p->window;
    seg->flags = p->flags;
    seg->optlen = p->optlen;
    memcpy(seg->opts, p->opts, p->optlen);
    seg->client_state = seg->server_state = ST_NONE;
    seg->color = COLOR_NONE;
    seg->bits = (uint8_t)((from_server ? SEG_FROM_SERVER : 0) |
                          (p->more_fragments ? SEG_FRAGMENT : 0));
    seg->frame_blob = STORE_NONE;
    seg->dpi_blob = STORE_NONE;
    seg->why = 0;
    seg->why_ms = 0;
    seg->ip_id = p->ip_id;
}

/* Keep the frame bytes that -x and --detail will print. */
static void keep_frame(struct tracker *tr, struct segment *seg,
                       const struct packet *p)
{
    uint32_t n = tr->keep_all_bytes ? p->frame_caplen : tr->keep_bytes;

    if (n == 0 || tr->store == NULL)
        return;
    if (n > p->frame_caplen)
        n = p->frame_caplen;
    if (n > STORE_MAX_BLOB)
        n = STORE_MAX_BLOB;
    seg->frame_blob = store_put(tr->store, p->frame, n);
}

/* A stored segment is dropped: remember, per direction, the newest data
 * no longer kept, so a later copy of it is still known as a retransmission
 * (and its age bounded from below). */
static void forget_segment(struct session *s, const struct segment *seg)
{
    struct flow_dir *d = &s->dir[(seg->bits & SEG_FROM_SERVER) ? 1 : 0];
    uint32_t end = seg->seq + seg->seq_len;

    if (seg->seq_len == 0)
        return;
    if (!d->forgot || (int32_t)(end - d->forgot_seq) > 0)
        d->forgot_seq = end;
    if (!d->forgot || seg->ts_us > d->forgot_us)
        d->forgot_us = seg->ts_us;
    d->forgot = 1;
}

/*
 * Keep a long session's memory bounded (spec 5.6): when it holds more
 * than prune_at segments, drop unmarked (or already printed) ones from
 * the oldest on, never the first, until fewer than PRUNE_DOWN_TO remain.
 * When marked segments keep it above that, the next pass waits for
 * another PRUNE_DOWN_TO segments, so the cost stays amortised O(1).
 */
static void prune_segments(struct tracker *tr, struct session *s)
{
    uint32_t prev, idx, next;

    if (s->seg_count <= s->prune_at || s->seg_head == SEG_NONE)
        return;
    prev = s->seg_head;
    idx = tracker_segment(tr, prev)->next;
    while (idx != SEG_NONE && s->seg_count >= PRUNE_DOWN_TO) {
        struct segment *seg = tracker_segment(tr, idx);
        next = seg->next;
        if (idx != s->seg_tail &&
            (!(seg->bits & SEG_MARKED) || (seg->bits & SEG_PRINTED))) {
            tracker_segment(tr, prev)->next = next;
            tracker_segment(tr, next)->prev = prev;
            forget_segment(s, seg);
            segment_release(tr, idx);
            s->seg_count--;
        } else {
            prev = idx;
        }
        idx = next;
    }
    s->prune_at = s->seg_count + PRUNE_DOWN_TO > PRUNE_ABOVE
                      ? s->seg_count + PRUNE_DOWN_TO : PRUNE_ABOVE;
    tr->stats->active_segments = counted_segments(tr);
}

/* Mark the -v N segments stored before `seg` (spec 7.8). */
static void mark_context_before(struct tracker *tr, const struct segment *seg)
{
    unsigned n = tr->cfg->view_context;
    uint32_t idx = seg->prev;

    for (; n > 0 && idx != SEG_NONE; n--) {
        struct segment *o = tracker_segment(tr, idx);
        o->bits |= SEG_MARKED;
        idx = o->prev;
    }
}

/* ---- the state machine (spec section 6) ---------------------------------- */

static int rst_after_fin(int snd, int rcv)
{
    return (snd == ST_CLOSE_WAIT && (rcv == ST_FIN_WAIT1 ||
                                     rcv == ST_FIN_WAIT2)) ||
           ((snd == ST_FIN_WAIT1 || snd == ST_FIN_WAIT2) &&
            rcv == ST_CLOSE_WAIT);
}

/*
 * Apply one segment to the two-sided state machine.  Only FIN, SYN, RST
 * and ACK decide; every rule reads the states as they were before.
 */
static void state_apply(struct tracker *tr, struct session *s,
                        struct segment *seg, int from_server)
{
    uint8_t *snd = from_server ? &s->server_state : &s->client_state;
    uint8_t *rcv = from_server ? &s->client_state : &s->server_state;
    int sb = *snd, rb = *rcv;
    int fl = seg->flags & (TH_FIN | TH_SYN | TH_RST | TH_ACK);

    switch (fl) {
    case TH_SYN:
        break;
    case TH_SYN | TH_ACK:                           /* table A */
        if (rb == ST_SYN_SENT) {
            *rcv = ST_ESTABLISHED;
            lookup_mark(seg, COLOR_YELLOW);
        } else {
            lookup_mark(seg, COLOR_RED);
        }
        break;
    case TH_ACK:                                    /* table B */
        if (sb == ST_ESTABLISHED && rb == ST_FIN_WAIT1) {
            *snd = ST_CLOSE_WAIT;
            lookup_mark(seg, COLOR_NONE);
        }
        if (sb == ST_FIN_WAIT2 && rb == ST_LAST_ACK) {
            *snd = ST_TIME_WAIT;
            lookup_mark(seg, COLOR_NONE);
        }
        if (rb == ST_SYN_RECV) {
            *rcv = ST_ESTABLISHED;
            lookup_mark(seg, COLOR_YELLOW);
        } else if (rb == ST_FIN_WAIT1) {
            *rcv = ST_FIN_WAIT2;
            lookup_mark(seg, COLOR_NONE);
        } else if (rb == ST_LAST_ACK) {
            *rcv = ST_CLOSED;
            lookup_mark(seg, COLOR_NONE);
        }
        if (*snd == ST_TIME_WAIT && *rcv == ST_CLOSED)
            lookup_mark(seg, COLOR_BLUE);
        break;
    case TH_FIN:                                    /* table C */
        if (sb == ST_ESTABLISHED) {
            *snd = ST_FIN_WAIT1;
            lookup_mark(seg, COLOR_NONE);
        } else if (sb == ST_CLOSE_WAIT) {
            *snd = ST_LAST_ACK;
            lookup_mark(seg, COLOR_RED);
        } else {
            lookup_mark(seg, COLOR_RED);
        }
        if (rb == ST_FIN_WAIT2) {
            *rcv = ST_TIME_WAIT;
            lookup_mark(seg, COLOR_RED);
        } else if (rb != ST_ESTABLISHED) {
            lookup_mark(seg, COLOR_RED);
        }
        break;
    case TH_FIN | TH_ACK:                           /* table D */
        if (sb == ST_SYN_RECV) {
            *snd = ST_FIN_WAIT1;
            lookup_mark(seg, COLOR_NONE);
        } else if (sb == ST_ESTABLISHED) {
            if (rb == ST_ESTABLISHED) {
                *snd = ST_FIN_WAIT1;
                lookup_mark(seg, COLOR_NONE);
            } else if (rb == ST_FIN_WAIT1) {
                *snd = ST_LAST_ACK;
                lookup_mark(seg, COLOR_NONE);
            }
        } else if (sb == ST_CLOSE_WAIT) {
            *snd = ST_LAST_ACK;
            lookup_mark(seg, COLOR_NONE);
        } else {
            lookup_mark(seg, COLOR_RED);
        }
        if (rb == ST_FIN_WAIT1) {
            *rcv = ST_FIN_WAIT2;
            lookup_mark(seg, COLOR_NONE);
        } else if (rb != ST_ESTABLISHED && rb != ST_FIN_WAIT2) {
            lookup_mark(seg, COLOR_RED);
        }
        break;
    case TH_RST:
    case TH_RST | TH_ACK:                           /* spec 7.5 */
        lookup_rst(&tr->lc, s, seg, rst_after_fin(sb, rb) ? RST_CLASS_AFTER_FIN
                                                    : RST_CLASS_ABORT);
        *snd = *rcv = ST_CLOSED;
        lookup_mark(seg, COLOR_RED);
        break;
    default:                                        /* odd combinations */
        lookup_mark(seg, COLOR_RED);
        break;
    }
    seg->client_state = s->client_state;
    seg->server_state = s->server_state;
}

static int session_is_closed(const struct session *s)
{
    int c = s->client_state, v = s->server_state;

    return (c == ST_CLOSED && v == ST_CLOSED) ||
           (c == ST_TIME_WAIT && v == ST_CLOSED) ||
           (c == ST_CLOSED && v == ST_TIME_WAIT);
}

/* ---- per packet (spec 5.5 as amended) ------------------------------------ */

/* Store the packet as a segment of the session, or use the scratch slot
 * when the segment pool is full.  Returns the segment. */
static struct segment *segment_append(struct tracker *tr, struct session *s,
                                      const struct packet *p, int from_server,
                                      int opening, int *stored)
{
    uint32_t idx = SEG_NONE;
    struct segment *seg;

    if (opening || !tr->cfg->segment_limit ||
        counted_segments(tr) < tr->cfg->segment_limit)
        idx = pool_alloc(&tr->segments);
    if (idx == SEG_NONE) {
        /* Not kept, but still counted, numbered and run through the
         * state machine and the lookups (decisions.md #7). */
        tr->stats->drop_segment++;
        s->missing++;
        s->reasons |= REASON_TRUNCATED;
        seg = &tr->scratch;
        segment_fill(seg, p, s->packets++, from_server);
        seg->prev = s->seg_tail;
        *stored = 0;
        return seg;
    }
    seg = tracker_segment(tr, idx);
    segment_fill(seg, p, s->packets++, from_server);
    if (opening) {
        seg->bits |= SEG_OPENING;
        tr->opening_syns++;
    }
    keep_frame(tr, seg, p);
    seg->prev = s->seg_tail;
    if (s->seg_tail != SEG_NONE)
        tracker_segment(tr, s->seg_tail)->next = idx;
    else
        s->seg_head = idx;
    s->seg_tail = idx;
    s->seg_count++;
    tr->stats->active_segments = counted_segments(tr);
    if (tr->stats->active_segments > tr->stats->active_segments_max)
        tr->stats->active_segments_max = tr->stats->active_segments;
    *stored = 1;
    return seg;
}

/* Start a session for a packet; the opening SYN, or the first packet of a
 * connection seen mid-stream. */
static uint32_t open_session(struct tracker *tr, const struct packet *p,
                             uint32_t h, int dup_break)
{
    struct session *s;
    struct segment *seg;
    uint32_t idx;
    int stored, synack = (p->flags & (TH_SYN | TH_ACK | TH_RST)) ==
                         (TH_SYN | TH_ACK);
    int opening = is_opening_syn(p->flags);
    enum seq_class cls;

    /* A SYN/ACK first: its receiver is the client whose SYN we missed. */
    idx = session_create(tr, p, h, !synack);
    if (idx == SEG_NONE)
        return SEG_NONE;
    s = sess_at(tr, idx);
    http_start(tr, idx, !opening);
    if (opening) {
        s->client_state = ST_SYN_SENT;
        s->server_state = ST_SYN_RECV;
        s->syn_seq = p->seq;
        s->syn_ack = p->ack;
        s->flags |= SESS_HAVE_SYN;
        s->dir[0].next_seq = p->seq + 1 + p->payload_len;
        s->dir[0].seen = 1;
        seg = segment_append(tr, s, p, 0, 1, &stored);
        lookup_facts(s, seg, 0, p->payload_len, SEQ_NEW, p->ts_us);
        diag_packet(tr->cfg, s, seg, p, 0, SEQ_NEW, -1, p->ts_us, ST_NONE,
                    ST_NONE);
        seg->client_state = ST_SYN_SENT;
        seg->server_state = ST_SYN_RECV;
        lookup_mark(seg, dup_break && !tr->cfg->quiet ? COLOR_RED
                                                      : COLOR_YELLOW);
        if (dup_break && !tr->cfg->quiet) {
            s->flags |= SESS_SHOWN;
            s->reasons |= REASON_ERROR_BREAK;
        }
        /* The opening SYN is not counted in the byte total (spec 5.6). */
    } else {
        s->flags |= SESS_MIDSTREAM;
        if (synack) {
            /* The SYN was missed; its sequence number is ack - 1. */
            s->client_state = ST_SYN_SENT;
            s->server_state = ST_SYN_RECV;
            s->syn_seq = p->ack - 1;
            s->syn_ack = 0;
            s->flags |= SESS_HAVE_SYN;
        } else {
            s->client_state = ST_ESTABLISHED;
            s->server_state = ST_ESTABLISHED;
        }
        s->bytes += p->wire_len;
        seg = segment_append(tr, s, p, synack, 0, &stored);
        cls = lookup_retransmit(&tr->lc, s, seg, synack, p->payload_len);
        lookup_facts(s, seg, synack, p->payload_len, cls, p->ts_us);
        diag_packet(tr->cfg, s, seg, p, synack, cls,
                    s->dir[synack].copy_of_us, p->ts_us,
                    synack ? s->server_state : s->client_state,
                    synack ? s->client_state : s->server_state);
        http_inspect(tr, idx, seg, p, cls, stored);
        lookup_window(s, seg, synack);
        lookup_delay_fragment(&tr->lc, s, seg, NULL, p->ts_us,
                              p->more_fragments);
        state_apply(tr, s, seg, synack);
        lookup_mark(seg, COLOR_NONE);   /* the first packet is always shown */
    }
    s->context_left = tr->cfg->view_context;
    if (tr->hooks.segment_stored)
        tr->hooks.segment_stored(tr->hooks.ctx, tr, s, seg);
    if (tr->hooks.packet_done)
        tr->hooks.packet_done(tr->hooks.ctx, tr, s, seg, p);
    if (session_is_closed(s)) {         /* e.g. a lone RST */
        session_end(tr, idx, END_CLOSED, p->ts_us, 1);
        return idx;
    }
    list_touch(tr, idx);
    return idx;
}

/* Is this opening SYN a copy of the session's own SYN (spec 5.3)? */
static int is_syn_copy(const struct session *s, const struct packet *p)
{
    if (!(s->flags & SESS_HAVE_SYN) || p->seq != s->syn_seq)
        return 0;
    /* Only the sequence number is known when the SYN was missed. */
    return (s->flags & SESS_MIDSTREAM) || p->ack == s->syn_ack;
}

uint32_t tracker_hash(const struct tracker *tr, const struct packet *p)
{
    return hash_flow(tr, p);
}

void tracker_prefetch_bucket(const struct tracker *tr, uint32_t h)
{
    __builtin_prefetch(&tr->buckets[h & (tr->nbuckets - 1)]);
}

void tracker_prefetch_session(const struct tracker *tr, uint32_t h)
{
    uint32_t idx = tr->buckets[h & (tr->nbuckets - 1)];
    const char *at;
    size_t off;

    if (idx == SEG_NONE)
        return;
    at = (const char *)sess_at(tr, idx);
#pragma GCC unroll 16
    for (off = 0; off < sizeof(struct session); off += 64)
        __builtin_prefetch(at + off, 1);
}

void tracker_packet_hashed(struct tracker *tr, const struct packet *p,
                           uint32_t h)
{
    struct session *s;
    struct segment *seg, *prev;
    uint32_t idx;
    int64_t prev_us;
    int from_server = 0, stored, was_marked;
    enum seq_class cls;

    idx = table_find(tr, p, h, &from_server);
    if (idx != SEG_NONE && (sess_at(tr, idx)->flags & SESS_CLOSED)) {
        /* A late packet of a closed connection, or a new one on the same
         * ports: only a new SYN starts over. */
        if (!is_opening_syn(p->flags))
            return;
        session_release(tr, idx);
        idx = SEG_NONE;
    }
    if (idx == SEG_NONE) {
        open_session(tr, p, h, 0);
        return;
    }
    s = sess_at(tr, idx);
    if (is_opening_syn(p->flags) && !is_syn_copy(s, p)) {
        /* A new connection on the same endpoints (spec 5.3). */
        tr->stats->error_break++;
        session_end(tr, idx, END_ERROR_BREAK, p->ts_us, 0);
        open_session(tr, p, h, 1);
        return;
    }

    prev = s->seg_tail != SEG_NONE ? tracker_segment(tr, s->seg_tail) : NULL;
    prev_us = s->last_us;
    s->bytes += p->wire_len;
    seg = segment_append(tr, s, p, from_server, 0, &stored);
    cls = lookup_retransmit(&tr->lc, s, seg, from_server, p->payload_len);
    lookup_facts(s, seg, from_server, p->payload_len, cls, prev_us);
    diag_packet(tr->cfg, s, seg, p, from_server, cls,
                s->dir[from_server].copy_of_us, prev_us,
                from_server ? s->server_state : s->client_state,
                from_server ? s->client_state : s->server_state);
    if (!stored)
        forget_segment(s, seg);
    http_inspect(tr, idx, seg, p, cls, stored);
    lookup_window(s, seg, from_server);
    lookup_delay_fragment(&tr->lc, s, seg, prev, prev_us, p->more_fragments);
    s->last_us = p->ts_us;
    state_apply(tr, s, seg, from_server);

    /* Context (-v): neighbours of every marked segment. */
    was_marked = (seg->bits & SEG_MARKED) != 0;
    if (was_marked) {
        mark_context_before(tr, seg);
        s->context_left = tr->cfg->view_context;
    } else if (s->context_left > 0) {
        s->context_left--;
        seg->bits |= SEG_MARKED;
    }
    if (tr->hooks.segment_stored)
        tr->hooks.segment_stored(tr->hooks.ctx, tr, s, seg);
    if (tr->hooks.packet_done)
        tr->hooks.packet_done(tr->hooks.ctx, tr, s, seg, p);
    if (session_is_closed(s)) {
        session_end(tr, idx, END_CLOSED, p->ts_us, 1);
        return;
    }
    if (stored)
        prune_segments(tr, s);
    list_touch(tr, idx);
}

/* ---- expiry and the end ---------------------------------------------------- */

static int64_t whole_seconds(int64_t us)
{
    return us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
}

void tracker_expire(struct tracker *tr, int64_t now_us)
{
    static const int64_t limit[LIST_COUNT] = {
        0, TIMEOUT_SHORT_S, TIMEOUT_LONG_S, TIMEOUT_CLOSED_S
    };
    int64_t now_s = whole_seconds(now_us);
    int l;

    for (l = LIST_SHORT; l < LIST_COUNT; l++) {
        uint32_t idx;
        while ((idx = tr->list_head[l]) != SEG_NONE) {
            struct session *s = sess_at(tr, idx);
            if (now_s - whole_seconds(s->last_us) <= limit[l]) {
                if (s->list_us == s->last_us)
                    break;          /* queued in order: the rest is newer */
                list_unlink(tr, idx);           /* active: re-queue */
                list_append(tr, idx, l);
                s->list_us = s->last_us;
                continue;
            }
            if (l == LIST_CLOSED) {
                session_release(tr, idx);
            } else {
                tr->stats->timeout++;
                s->reasons |= REASON_TIMEOUT;
                session_end(tr, idx, END_TIMEOUT, now_us, 0);
            }
        }
    }
}

/* Order open sessions by ID, so output at the end is stable. */
static int by_id(const void *a, const void *b, void *ctx)
{
    const struct tracker *tr = ctx;
    const struct session *x = sess_at(tr, *(const uint32_t *)a);
    const struct session *y = sess_at(tr, *(const uint32_t *)b);

    return x->id < y->id ? -1 : x->id > y->id;
}

void tracker_finish(struct tracker *tr, int64_t now_us)
{
    uint32_t *open, n = 0, i, idx;
    int l;

    open = malloc(((size_t)tr->in_table + 1) * sizeof(*open));
    if (open == NULL)
        return;
    for (l = LIST_SHORT; l < LIST_CLOSED; l++)
        for (idx = tr->list_head[l]; idx != NO_INDEX;
             idx = sess_at(tr, idx)->idle_next)
            open[n++] = idx;
    qsort_r(open, n, sizeof(*open), by_id, tr);
    for (i = 0; i < n; i++)
        session_end(tr, open[i], END_EXIT, now_us, 0);
    free(open);
}
