/*
 * store.c - a slot pool for segment attachments (frame bytes, DPI lines).
 *
 * Slots are 64 bytes: a next link, the blob length (first slot only) and
 * 56 data bytes.  Chunks of slots are allocated the first time they are
 * needed, up to the limit, and reused through a free list.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store.h"

#define SLOT_DATA   56
#define CHUNK_SLOTS 4096u

struct slot {
    uint32_t next;
    uint32_t len;               /* whole blob, in its first slot */
    uint8_t data[SLOT_DATA];
};

struct store {
    struct slot **chunks;
    uint32_t nchunks;
    uint32_t limit;
    uint32_t high;              /* slots ever handed out */
    uint32_t free_head;
    uint32_t free_count;
    uint64_t dropped;
};

uint64_t store_memory_bound(const struct store *st)
{
    return sizeof(*st) + (uint64_t)st->nchunks *
           (CHUNK_SLOTS * sizeof(struct slot) + sizeof(*st->chunks));
}

size_t store_slot_size(void)
{
    return sizeof(struct slot);
}

struct store *store_new(uint32_t slot_limit)
{
    struct store *st = calloc(1, sizeof(*st));

    if (st == NULL)
        return NULL;
    st->limit = slot_limit;
    st->nchunks = (slot_limit + CHUNK_SLOTS - 1) / CHUNK_SLOTS;
    st->chunks = calloc(st->nchunks ? st->nchunks : 1, sizeof(*st->chunks));
    st->free_head = STORE_NONE;
    if (st->chunks == NULL) {
        free(st);
        return NULL;
    }
    return st;
}

void store_free(struct store *st)
{
    uint32_t i;

    if (st == NULL)
        return;
    for (i = 0; i < st->nchunks; i++)
        free(st->chunks[i]);
    free(st->chunks);
    free(st);
}

static struct slot *slot_at(const struct store *st, uint32_t idx)
{
    return &st->chunks[idx / CHUNK_SLOTS][idx % CHUNK_SLOTS];
}

static uint32_t slot_alloc(struct store *st)
{
    uint32_t idx;

    if (st->free_head != STORE_NONE) {
        idx = st->free_head;
        st->free_head = slot_at(st, idx)->next;
        st->free_count--;
        return idx;
    }
    if (st->high >= st->limit)
        return STORE_NONE;
    if (st->chunks[st->high / CHUNK_SLOTS] == NULL) {
        st->chunks[st->high / CHUNK_SLOTS] =
            malloc(CHUNK_SLOTS * sizeof(struct slot));
        if (st->chunks[st->high / CHUNK_SLOTS] == NULL)
            return STORE_NONE;
    }
    return st->high++;
}

/* Slots still available, counting ones never handed out. */
static uint32_t slots_free(const struct store *st)
{
    return st->free_count + (st->limit - st->high);
}

uint32_t store_put(struct store *st, const void *data, uint32_t len)
{
    const uint8_t *p = data;
    uint32_t need = len ? (len + SLOT_DATA - 1) / SLOT_DATA : 1;
    uint32_t head = STORE_NONE, prev = STORE_NONE, idx, n;

    if (need > slots_free(st)) {
        st->dropped++;
        return STORE_NONE;
    }
    do {
        idx = slot_alloc(st);
        if (idx == STORE_NONE) {            /* out of memory */
            store_release(st, head);
            st->dropped++;
            return STORE_NONE;
        }
        n = len < SLOT_DATA ? len : SLOT_DATA;
        memcpy(slot_at(st, idx)->data, p, n);
        slot_at(st, idx)->next = STORE_NONE;
        if (prev == STORE_NONE) {
            head = idx;
            slot_at(st, idx)->len = len;
        } else {
            slot_at(st, prev)->next = idx;
        }
        prev = idx;
        p += n;
        len -= n;
    } while (len > 0);
    return head;
}

uint32_t store_length(const struct store *st, uint32_t handle)
{
    return handle == STORE_NONE ? 0 : slot_at(st, handle)->len;
}

uint32_t store_get(const struct store *st, uint32_t handle, void *out,
                   uint32_t max)
{
    uint8_t *o = out;
    uint32_t len = store_length(st, handle), done = 0, n;

    if (len > max)
        len = max;
    while (handle != STORE_NONE && done < len) {
        const struct slot *s = slot_at(st, handle);
        n = len - done < SLOT_DATA ? len - done : SLOT_DATA;
        memcpy(o + done, s->data, n);
        done += n;
        handle = s->next;
    }
    return done;
}

void store_release(struct store *st, uint32_t handle)
{
    uint32_t next;

    while (handle != STORE_NONE) {
        next = slot_at(st, handle)->next;
        slot_at(st, handle)->next = st->free_head;
        st->free_head = handle;
        st->free_count++;
        handle = next;
    }
}

uint64_t store_dropped(const struct store *st)
{
    return st->dropped;
}
