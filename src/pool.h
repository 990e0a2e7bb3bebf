/*
 * pool.h - fixed-size entry pools in chunks, for the session tracker.
 *
 * pool.c owns the memory of a pool: entries of one size handed out as
 * 32-bit indices, reserved a chunk at a time the first time a slot is
 * needed and never moved or given back before pool_destroy, so a limited
 * pool never holds more than its limit in whole chunks.  Freed entries
 * are kept on a free list linked through their first four bytes.
 *
 * Large chunks (2 MiB and more: raised -L / -l) can be faulted in ahead
 * of use by a helper thread (pool_fill_ahead), so that the packet path
 * does not stall on the kernel when a burst of new sessions needs fresh
 * memory; when the helper falls behind, the packet path faults in the
 * pages it writes itself rather than wait.  Without it they are faulted
 * in by the thread that needs them.
 */
#ifndef MIRUO_POOL_H
#define MIRUO_POOL_H

#include <stddef.h>
#include <stdint.h>

#define POOL_NONE 0xFFFFFFFFu

struct pool_filler;

struct pool {
    unsigned char **chunks;
    uint32_t nchunks;       /* pointer slots in `chunks` */
    uint32_t elem_size;
    uint32_t limit;         /* 0 = unlimited */
    uint32_t cap;           /* entries it may hand out: limit, or
                             * POOL_NONE (never an index) if unlimited */
    uint32_t used;
    uint32_t high;          /* slots ever handed out */
    uint32_t free_head;
    uint32_t shift;         /* chunks of 1 << shift entries */
    uint32_t mask;          /* (1 << shift) - 1 */
    uint32_t avail;         /* the owner hands out from chunks[0, avail);
                             * with a filler, set under its lock */
    /* Shared with the filler thread, under its lock: */
    uint32_t ready;         /* chunks[0, ready) exist (address space) */
    uint32_t populated;     /* the filler has faulted in chunks up to here */
    uint32_t want;          /* the filler prepares chunks up to this */
    uint32_t ahead;         /* chunks to keep ready beyond the one in use */
    int failed;             /* the filler could not get memory */
    struct pool_filler *filler;
};

int pool_init(struct pool *p, size_t elem_size, uint32_t limit,
              uint32_t shift);
void pool_destroy(struct pool *p);      /* the filler stopped first */

/* The most memory a limited pool can hold: whole chunks and their table. */
uint64_t pool_bound(const struct pool *p);

/* Memory for a chunk or a table: `use` of its bytes will be written
 * soon (blocks of 2 MiB and more have them faulted in at once). */
void *pool_block_alloc(size_t bytes, size_t use);

/* Slow path of pool_alloc: a new chunk. */
uint32_t pool_alloc_chunk(struct pool *p);

static inline void *pool_at(const struct pool *p, uint32_t idx)
{
    return p->chunks[idx >> p->shift] +
           (size_t)(idx & p->mask) * p->elem_size;
}

/* Returns an index, or POOL_NONE when the limit is reached (or no
 * memory). */
static inline uint32_t pool_alloc(struct pool *p)
{
    uint32_t idx;

    if (p->free_head != POOL_NONE) {
        idx = p->free_head;
        __builtin_memcpy(&p->free_head, pool_at(p, idx), sizeof(uint32_t));
        /* The next pop reads the new head: start loading it now. */
        if (p->free_head != POOL_NONE)
            __builtin_prefetch(pool_at(p, p->free_head), 1);
        p->used++;
        return idx;
    }
    if (p->high < p->cap && (p->high >> p->shift) < p->avail) {
        p->used++;
        return p->high++;
    }
    return pool_alloc_chunk(p);
}

static inline void pool_free(struct pool *p, uint32_t idx)
{
    __builtin_memcpy(pool_at(p, idx), &p->free_head, sizeof(uint32_t));
    p->free_head = idx;
    p->used--;
}

/* Free n entries at once that are already linked through their first
 * four bytes, from `first` to `last`: the chain becomes the head of the
 * free list. */
static inline void pool_free_chain(struct pool *p, uint32_t first,
                                   uint32_t last, uint32_t n)
{
    __builtin_memcpy(pool_at(p, last), &p->free_head, sizeof(uint32_t));
    p->free_head = first;
    p->used -= n;
}

/*
 * Start a helper thread that faults in the chunks of those of `pools`
 * that gain from it (limited, in chunks of 2 MiB and more, more than one
 * chunk) up to 16 MiB ahead of use.  *out stays NULL, and nothing runs,
 * when no pool gains or the thread cannot start.  Signals are blocked in
 * the thread.
 */
void pool_fill_ahead(struct pool_filler **out, struct pool *const pools[],
                     unsigned n);

/* Stop and join the helper (NULL is fine); before pool_destroy. */
void pool_filler_stop(struct pool_filler *f);

#endif /* MIRUO_POOL_H */
