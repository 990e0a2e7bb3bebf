/*
 * pool.c - fixed-size entry pools in chunks, and the thread that faults
 * in large chunks ahead of use.
 *
 * A pool fills its chunks in order, so the chunks that exist are always
 * chunks[0, n).  The owner (the packet path) hands out entries of
 * chunks[0, avail); with a filler thread, chunk pointers are written only
 * under the filler's lock (by either thread: `ready`), and the owner
 * moves `avail` past them only under it, a chunk at a time, so the two
 * never touch a pointer slot unsynchronised and the filler knows which
 * chunk the owner is in.
 * The pages of a chunk may be faulted in by both at once.
 */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "pool.h"

#define PAGE_BYTES  ((size_t)4096)
#define BIG_BLOCK   ((size_t)2 << 20)
#define AHEAD_BYTES ((size_t)16 << 20)  /* kept faulted in, per pool */
#define FILLER_POOLS 4

struct pool_filler {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t work;            /* the filler waits for a want */
    struct pool *pools[FILLER_POOLS];
    unsigned npools;
    int stop;
};

/*
 * Fault in the first `use` bytes of a block of 2 MiB or more with one call
 * (MADV_POPULATE_WRITE, Linux 5.14; elsewhere page by page as they are
 * touched), which costs the kernel a fifth less than a fault per page.  It
 * changes no byte, so another thread may write the block meanwhile.
 */
static void block_populate(void *p, size_t use)
{
#ifdef MADV_POPULATE_WRITE
    if (use >= PAGE_BYTES)
        (void)madvise(p, use & ~(PAGE_BYTES - 1), MADV_POPULATE_WRITE);
#else
    (void)p;
    (void)use;
#endif
}

/*
 * Memory for a pool chunk or the hash buckets.  The first `use` bytes
 * will be written soon: for blocks of 2 MiB and more they are faulted in
 * at once (block_populate).  Plain pages, not transparent huge pages: on
 * the virtual machines measured, a huge page's first touch cost anything
 * from 0.1 to 0.6 s per 270 MB from one run to the next (most likely the
 * host backs freed 2 MiB blocks lazily), 4 KiB pages a steady 0.15-0.2 s
 * (bench/README.md).  What is resident never exceeds `use` plus what is
 * touched (tracker_memory_bound holds).
 */
void *pool_block_alloc(size_t bytes, size_t use)
{
    void *p;

    if (bytes < BIG_BLOCK)
        return malloc(bytes);
    if (posix_memalign(&p, PAGE_BYTES, bytes) != 0)
        return NULL;
    block_populate(p, use < bytes ? use : bytes);
    return p;
}

int pool_init(struct pool *p, size_t elem_size, uint32_t limit,
              uint32_t shift)
{
    memset(p, 0, sizeof(*p));
    p->elem_size = (uint32_t)elem_size;
    p->limit = limit;
    p->cap = limit ? limit : POOL_NONE;
    p->free_head = POOL_NONE;
    p->shift = shift;
    p->mask = (1u << shift) - 1;
    p->nchunks = limit ? (uint32_t)(((uint64_t)limit + p->mask) >> shift)
                       : 16;
    p->chunks = calloc(p->nchunks, sizeof(*p->chunks));
    return p->chunks ? 0 : -1;
}

void pool_destroy(struct pool *p)
{
    uint32_t i;

    if (p->chunks == NULL)
        return;
    for (i = 0; i < p->nchunks; i++)
        free(p->chunks[i]);
    free(p->chunks);
    p->chunks = NULL;
}

uint64_t pool_bound(const struct pool *p)
{
    return (uint64_t)p->nchunks *
           (((uint64_t)p->mask + 1) * p->elem_size + sizeof(*p->chunks));
}

static size_t chunk_bytes(const struct pool *p)
{
    return ((size_t)p->mask + 1) * p->elem_size;
}

/* The bytes of chunk c the limit lets the pool hand out. */
static size_t chunk_use(const struct pool *p, uint32_t c)
{
    uint64_t first = (uint64_t)c << p->shift;
    uint64_t entries = (uint64_t)p->mask + 1;

    if (p->limit && p->limit - first < entries)
        entries = p->limit - first;
    return (size_t)entries * p->elem_size;
}

/* Chunks [ready, upto) get their address space, under the filler's lock
 * (cheap: nothing is faulted in).  Returns 0 when there is no memory. */
static int reserve_chunks(struct pool *p, uint32_t upto)
{
    while (p->ready < upto) {
        void *mem = pool_block_alloc(chunk_bytes(p), 0);
        if (mem == NULL)
            return 0;
        p->chunks[p->ready++] = mem;
    }
    return 1;
}

/*
 * Chunk c is needed now.  The filler reserves chunks ahead of use and
 * faults them in; when it has not got to chunk c yet, the owner reserves
 * it here and faults in the pages it writes itself, while the filler
 * faults in the rest of it: the owner never waits for a chunk to be
 * faulted in, only for the lock.  Returns 0 when there is no memory.
 */
static int chunk_from_filler(struct pool *p, uint32_t c)
{
    struct pool_filler *f = p->filler;
    uint32_t want = c + 1 + p->ahead;
    int ok;

    if (want > p->nchunks)
        want = p->nchunks;
    pthread_mutex_lock(&f->lock);
    if (p->want < want) {
        p->want = want;
        pthread_cond_signal(&f->work);
    }
    /* One chunk at a time, even when more are reserved: each new chunk
     * moves the filler's window along. */
    ok = reserve_chunks(p, c + 1);
    if (ok)
        p->avail = c + 1;
    pthread_mutex_unlock(&f->lock);
    return ok;
}

uint32_t pool_alloc_chunk(struct pool *p)
{
    uint32_t c;

    if (p->high >= p->cap)
        return POOL_NONE;
    c = p->high >> p->shift;
    if (c < p->avail)
        goto take;
    if (p->filler != NULL) {
        if (!chunk_from_filler(p, c))
            return POOL_NONE;
        goto take;
    }
    if (c >= p->nchunks) {                  /* unlimited pools only */
        unsigned char **n = realloc(p->chunks, 2 * p->nchunks * sizeof(*n));
        if (n == NULL)
            return POOL_NONE;
        memset(n + p->nchunks, 0, p->nchunks * sizeof(*n));
        p->chunks = n;
        p->nchunks *= 2;
    }
    if (p->chunks[c] == NULL) {
        /* The pool fills a chunk before it starts the next: fault in at
         * once the entries the limit lets this one hand out. */
        p->chunks[c] = pool_block_alloc(chunk_bytes(p), chunk_use(p, c));
        if (p->chunks[c] == NULL)
            return POOL_NONE;
    }
    p->avail = c + 1;
take:
    p->used++;
    return p->high++;
}

/* ---- the filler thread ------------------------------------------------- */

/* The pool whose faulted-in chunks run shortest of its want, or NULL. */
static struct pool *neediest(const struct pool_filler *f)
{
    struct pool *best = NULL;
    unsigned i;

    for (i = 0; i < f->npools; i++) {
        struct pool *p = f->pools[i];
        if (p->failed || p->populated >= p->want)
            continue;
        if (best == NULL || (int64_t)p->populated - p->want <
                                (int64_t)best->populated - best->want)
            best = p;
    }
    return best;
}

/*
 * Reserve every pool's chunks up to its want, then fault in the next
 * chunk of the neediest, from the one the owner is in (the owner may have
 * passed chunks the filler had not got to: it faulted those in itself).
 */
static void *filler_main(void *arg)
{
    struct pool_filler *f = arg;
    struct pool *p;
    uint32_t c;
    void *mem;
    size_t use;

    pthread_mutex_lock(&f->lock);
    while (!f->stop) {
        p = neediest(f);
        if (p == NULL) {
            pthread_cond_wait(&f->work, &f->lock);
            continue;
        }
        if (!reserve_chunks(p, p->want)) {
            p->failed = 1;          /* the owner reserves its own */
            continue;
        }
        c = p->avail > p->populated + 1 ? p->avail - 1 : p->populated;
        mem = p->chunks[c];
        use = chunk_use(p, c);
        p->populated = c + 1;
        pthread_mutex_unlock(&f->lock);
        block_populate(mem, use);
        pthread_mutex_lock(&f->lock);
    }
    pthread_mutex_unlock(&f->lock);
    return NULL;
}

/* Worth a thread: limited, large chunks, more than one of them. */
static int gains_from_filler(const struct pool *p)
{
    return p->limit && p->nchunks > 1 && chunk_bytes(p) >= BIG_BLOCK &&
           p->high == 0 && p->filler == NULL;
}

/* The pools go on alone; the thread has ended or never started. */
static void filler_release(struct pool_filler *f)
{
    unsigned i;

    for (i = 0; i < f->npools; i++)
        f->pools[i]->filler = NULL;
    pthread_cond_destroy(&f->work);
    pthread_mutex_destroy(&f->lock);
    free(f);
}

void pool_fill_ahead(struct pool_filler **out, struct pool *const pools[],
                     unsigned n)
{
    struct pool_filler *f;
    sigset_t all, old;
    unsigned i;
    int rc;

    *out = NULL;
    f = calloc(1, sizeof(*f));
    if (f == NULL)
        return;
    for (i = 0; i < n && f->npools < FILLER_POOLS; i++)
        if (gains_from_filler(pools[i]))
            f->pools[f->npools++] = pools[i];
    if (f->npools == 0 || pthread_mutex_init(&f->lock, NULL) != 0) {
        free(f);
        return;
    }
    pthread_cond_init(&f->work, NULL);
    for (i = 0; i < f->npools; i++) {
        struct pool *p = f->pools[i];
        p->ahead = (uint32_t)(AHEAD_BYTES / chunk_bytes(p));
        if (p->ahead == 0)
            p->ahead = 1;
        p->want = p->ahead < p->nchunks ? p->ahead : p->nchunks;
        p->filler = f;
    }
    /* Signals are for the main thread (main.c's handlers). */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    rc = pthread_create(&f->thread, NULL, filler_main, f);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        filler_release(f);
        return;
    }
    *out = f;
}

void pool_filler_stop(struct pool_filler *f)
{
    if (f == NULL)
        return;
    pthread_mutex_lock(&f->lock);
    f->stop = 1;
    pthread_cond_signal(&f->work);
    pthread_mutex_unlock(&f->lock);
    pthread_join(f->thread, NULL);
    filler_release(f);
}
