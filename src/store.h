/*
 * store.h - bounded storage for bytes kept with stored segments.
 *
 * store.c owns a pool of fixed-size slots that hold variable-length
 * blobs: the captured frame bytes needed for -x and --detail, and the
 * DPI lines of a segment.  A blob is a chain of slots; the pool has a
 * hard limit and never grows past it.
 */
#ifndef MIRUO_STORE_H
#define MIRUO_STORE_H

#include <stddef.h>
#include <stdint.h>

#define STORE_NONE 0xFFFFFFFFu
#define STORE_DEFAULT_SLOTS (128u * 1024)   /* 64 bytes each: 8 MiB */
#define STORE_MAX_BLOB      (256u * 1024)   /* largest blob kept */

struct store;

struct store *store_new(uint32_t slot_limit);
void store_free(struct store *st);

/* Keep `len` bytes; returns a handle, or STORE_NONE when the pool is
 * full (counted in store_dropped). */
uint32_t store_put(struct store *st, const void *data, uint32_t len);

/* Length of a blob, and a copy of up to `max` of its bytes into `out`. */
uint32_t store_length(const struct store *st, uint32_t handle);
uint32_t store_get(const struct store *st, uint32_t handle, void *out,
                   uint32_t max);

void store_release(struct store *st, uint32_t handle);

uint64_t store_dropped(const struct store *st);

/* Bytes the store can ever hold: every slot up to its limit. */
uint64_t store_memory_bound(const struct store *st);
size_t store_slot_size(void);

#endif /* MIRUO_STORE_H */
