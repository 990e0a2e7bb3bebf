/*
 * test_pool.c - unit tests of src/pool.c: entry pools in chunks, and the
 * helper thread that faults in large chunks ahead of use.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pool.h"
#include "check.h"

#define MiB ((size_t)1 << 20)

/* Allocate every entry the limit allows; each must be the next index,
 * distinct memory that keeps what was written to it. */
static int fill_and_verify(struct pool *p, uint32_t n, const char **why)
{
    uint32_t i, idx;

    for (i = 0; i < n; i++) {
        idx = pool_alloc(p);
        if (idx != i) {
            *why = "index out of order";
            return 0;
        }
        memset(pool_at(p, idx), (int)(i & 0xFF), p->elem_size);
        memcpy(pool_at(p, idx), &i, sizeof(i));
    }
    for (i = 0; i < n; i++) {
        const unsigned char *e = pool_at(p, i);
        uint32_t got;
        memcpy(&got, e, sizeof(got));
        if (got != i || e[p->elem_size - 1] != (i & 0xFF)) {
            *why = "entry overwritten";
            return 0;
        }
    }
    return 1;
}

/* Chunks of 2.6 MB (4096 sessions' worth): a filler is started, serves
 * every chunk in order, and keeps no more than its window ahead. */
static void test_filler_serves_in_order(void)
{
    struct pool p;
    struct pool *const pools[] = { &p };
    struct pool_filler *f;
    const char *why = "";
    uint32_t limit = 5 * 4096 + 123, i;

    check(pool_init(&p, 640, limit, 12) == 0, "filler_init", "pool_init");
    pool_fill_ahead(&f, pools, 1);
    check(f != NULL && p.filler == f, "filler_started",
          "no filler for a limited pool of 2.6 MB chunks");
    check(fill_and_verify(&p, limit, &why), "filler_fill_all", "%s", why);
    check(pool_alloc(&p) == POOL_NONE, "filler_limit",
          "an entry beyond the limit");
    check(p.used == limit && p.high == limit, "filler_counts",
          "used %u high %u", p.used, p.high);
    /* Freed entries come back last in, first out. */
    pool_free(&p, 7);
    pool_free(&p, 4100);
    i = pool_alloc(&p);
    check(i == 4100 && pool_alloc(&p) == 7 && pool_alloc(&p) == POOL_NONE,
          "filler_free_list", "got %u", i);
    pool_filler_stop(f);
    check(p.filler == NULL, "filler_stopped", "pool still names it");
    check(pool_bound(&p) == 6 * (4096 * 640 + sizeof(void *)),
          "filler_bound", "bound %llu", (unsigned long long)pool_bound(&p));
    pool_destroy(&p);
}

/* Memory ahead of use is bounded: one entry used, the filler may have
 * reserved and faulted in its window (16 MiB) beyond the chunk in use,
 * never the rest of the limit. */
static void test_filler_window(void)
{
    struct pool p;
    struct pool *const pools[] = { &p };
    struct pool_filler *f;

    pool_init(&p, 104, 2000000, 16);        /* 6.8 MB chunks, 31 of them */
    pool_fill_ahead(&f, pools, 1);
    check(f != NULL, "window_started", "no filler");
    check(pool_alloc(&p) == 0, "window_first", "first index not 0");
    nanosleep(&(struct timespec){ 0, 200000000 }, NULL);   /* let it run */
    pool_filler_stop(f);
    check(p.ahead >= 1 && (size_t)p.ahead * 65536 * 104 <= 16 * MiB,
          "window_size", "ahead %u chunks", p.ahead);
    check(p.ready >= 1 && p.ready <= 1 + p.ahead && p.ready < p.nchunks,
          "window_bounded", "%u chunks ready of %u (ahead %u)", p.ready,
          p.nchunks, p.ahead);
    check(p.populated >= 1 && p.populated <= p.ready, "window_populated",
          "%u chunks faulted in, %u reserved", p.populated, p.ready);
    pool_destroy(&p);
}

/* Two pools share one thread, allocating in turn. */
static void test_filler_two_pools(void)
{
    struct pool a, b;
    struct pool *const pools[] = { &a, &b };
    struct pool_filler *f;
    uint32_t i, ok = 1;

    pool_init(&a, 640, 40000, 12);
    pool_init(&b, 104, 400000, 16);
    pool_fill_ahead(&f, pools, 2);
    check(f != NULL && a.filler == f && b.filler == f, "two_pools_started",
          "both pools gain");
    for (i = 0; i < 400000; i++) {
        if (i < 40000 && pool_alloc(&a) != i)
            ok = 0;
        if (pool_alloc(&b) != i)
            ok = 0;
        if (i % 1000 == 0)
            memset(pool_at(&b, i), 0xAB, 104);
    }
    check(ok && pool_alloc(&a) == POOL_NONE && pool_alloc(&b) == POOL_NONE,
          "two_pools_fill", "indices out of order or past the limit");
    pool_filler_stop(f);
    pool_destroy(&a);
    pool_destroy(&b);
}

/* No thread where it cannot gain: small chunks, one chunk, no limit. */
static void test_no_filler(void)
{
    struct pool small, one, unlimited;
    struct pool *const pools[] = { &small, &one, &unlimited };
    struct pool_filler *f = (struct pool_filler *)&f;
    const char *why = "";

    pool_init(&small, 104, 66560, 12);      /* default -l: 425 KB chunks */
    pool_init(&one, 640, 1024, 12);         /* default -L: one chunk */
    pool_init(&unlimited, 640, 0, 12);      /* -L 0 */
    pool_fill_ahead(&f, pools, 3);
    check(f == NULL && small.filler == NULL && one.filler == NULL &&
          unlimited.filler == NULL, "no_filler", "a thread was started");
    check(fill_and_verify(&one, 1024, &why) && pool_alloc(&one) == POOL_NONE,
          "one_chunk_fill", "%s", why);
    pool_destroy(&small);
    pool_destroy(&one);
    pool_destroy(&unlimited);

    /* An unlimited pool grows its chunk table past the first 16 slots. */
    pool_init(&unlimited, 24, 0, 4);
    check(fill_and_verify(&unlimited, 5000, &why) && unlimited.nchunks >= 313,
          "unlimited_grows", "%s (%u chunk slots)", why, unlimited.nchunks);
    /* Even unlimited, the index that means "none" is never handed out. */
    unlimited.high = POOL_NONE;
    check(pool_alloc(&unlimited) == POOL_NONE && unlimited.high == POOL_NONE,
          "unlimited_never_none", "high %u", unlimited.high);
    pool_destroy(&unlimited);
}

int main(void)
{
    test_filler_serves_in_order();
    test_filler_window();
    test_filler_two_pools();
    test_no_filler();
    return check_summary();
}
