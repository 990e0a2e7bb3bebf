/*
 * names.c - address-to-name table, after snoop's .names files.
 *
 * Entries live in one fixed array (at most NAMES_MAX_ENTRIES) indexed by
 * an open-addressing hash, so lookups cost O(1) and memory is bounded.
 * Reverse DNS happens only with --resolve, once per address.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "names.h"

#define NAME_MAX_LEN 64
#define TABLE_SIZE   (2 * NAMES_MAX_ENTRIES)      /* power of two */

struct name_entry {
    uint8_t family;             /* 0 = free slot */
    uint8_t noted;              /* seen in the capture */
    uint8_t looked_up;          /* reverse DNS tried */
    uint8_t addr[16];
    char name[NAME_MAX_LEN];    /* "" = no name */
    int32_t order;              /* first-noted order, -1 if not noted */
};

struct names {
    int resolve;
    int count;
    int32_t noted;
    uint32_t *slots;            /* index + 1 into entries, 0 = empty */
    struct name_entry *entries;
};

struct names *names_new(int resolve)
{
    struct names *n = calloc(1, sizeof(*n));

    if (n == NULL)
        return NULL;
    n->resolve = resolve;
    n->slots = calloc(TABLE_SIZE, sizeof(*n->slots));
    n->entries = calloc(NAMES_MAX_ENTRIES, sizeof(*n->entries));
    if (n->slots == NULL || n->entries == NULL) {
        names_free(n);
        return NULL;
    }
    return n;
}

void names_free(struct names *n)
{
    if (n == NULL)
        return;
    free(n->slots);
    free(n->entries);
    free(n);
}

int names_count(const struct names *n)
{
    return n->count;
}

static uint32_t addr_hash(int family, const uint8_t *addr)
{
    uint32_t h = 2166136261u ^ (uint32_t)family;
    int i, len = family == 6 ? 16 : 4;

    for (i = 0; i < len; i++)
        h = (h ^ addr[i]) * 16777619u;
    return h;
}

/* Find an address; with `create`, add it (NULL when the table is full). */
static struct name_entry *find(struct names *n, int family,
                               const uint8_t *addr, int create)
{
    uint32_t i = addr_hash(family, addr) & (TABLE_SIZE - 1);
    int len = family == 6 ? 16 : 4;
    struct name_entry *e;

    while (n->slots[i] != 0) {
        e = &n->entries[n->slots[i] - 1];
        if (e->family == family && memcmp(e->addr, addr, (size_t)len) == 0)
            return e;
        i = (i + 1) & (TABLE_SIZE - 1);
    }
    if (!create || n->count == NAMES_MAX_ENTRIES)
        return NULL;
    e = &n->entries[n->count];
    e->family = (uint8_t)family;
    memcpy(e->addr, addr, (size_t)len);
    e->order = -1;
    n->slots[i] = (uint32_t)++n->count;
    return e;
}

static void set_name(struct name_entry *e, const char *name)
{
    size_t n = strlen(name);

    if (n >= sizeof(e->name))
        n = sizeof(e->name) - 1;    /* longer names are cut */
    memcpy(e->name, name, n);
    e->name[n] = '\0';
}

int names_load(struct names *n, const char *path, char *errbuf)
{
    FILE *f = fopen(path, "r");
    char line[1024], *p, *addr, *name, *save;
    uint8_t buf[16];
    int loaded = 0, lineno = 0;

    if (f == NULL) {
        snprintf(errbuf, NAMES_ERRBUF_SIZE, "%s: %s", path, strerror(errno));
        return -1;
    }
    while (fgets(line, sizeof(line), f) != NULL) {
        struct name_entry *e;
        int family;

        lineno++;
        if ((p = strchr(line, '#')) != NULL)
            *p = '\0';
        addr = strtok_r(line, " \t\r\n", &save);
        name = addr ? strtok_r(NULL, " \t\r\n", &save) : NULL;
        if (addr == NULL)
            continue;
        if (name == NULL) {
            snprintf(errbuf, NAMES_ERRBUF_SIZE, "%s:%d: an address without "
                     "a name", path, lineno);
            fclose(f);
            return -1;
        }
        if (inet_pton(AF_INET, addr, buf) == 1)
            family = 4;
        else if (inet_pton(AF_INET6, addr, buf) == 1)
            family = 6;
        else {
            snprintf(errbuf, NAMES_ERRBUF_SIZE, "%s:%d: '%.64s' is not an "
                     "IPv4 or IPv6 address", path, lineno, addr);
            fclose(f);
            return -1;
        }
        e = find(n, family, buf, 1);
        if (e == NULL)
            break;              /* table full: keep what fits */
        set_name(e, name);
        e->looked_up = 1;
        loaded++;
    }
    fclose(f);
    return loaded;
}

static void reverse_lookup(struct name_entry *e)
{
    struct sockaddr_storage ss;
    socklen_t len;
    char host[NI_MAXHOST];

    e->looked_up = 1;
    memset(&ss, 0, sizeof(ss));
    if (e->family == 4) {
        struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
        sin->sin_family = AF_INET;
        memcpy(&sin->sin_addr, e->addr, 4);
        len = sizeof(*sin);
    } else {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
        sin6->sin6_family = AF_INET6;
        memcpy(&sin6->sin6_addr, e->addr, 16);
        len = sizeof(*sin6);
    }
    if (getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host), NULL,
                    0, NI_NAMEREQD) == 0)
        set_name(e, host);
}

const char *names_lookup(struct names *n, int family, const uint8_t *addr)
{
    struct name_entry *e = find(n, family, addr, n->resolve);

    if (e == NULL)
        return NULL;
    if (!e->looked_up && n->resolve)
        reverse_lookup(e);
    return e->name[0] ? e->name : NULL;
}

void names_note(struct names *n, int family, const uint8_t *addr)
{
    struct name_entry *e = find(n, family, addr, 1);

    if (e != NULL && e->order < 0)
        e->order = n->noted++;
}

static int by_order(const void *a, const void *b)
{
    const struct name_entry *x = *(struct name_entry *const *)a;
    const struct name_entry *y = *(struct name_entry *const *)b;

    return (x->order > y->order) - (x->order < y->order);
}

int names_write(struct names *n, FILE *out)
{
    struct name_entry **list;
    char text[INET6_ADDRSTRLEN];
    int i, k = 0, written = 0;

    list = malloc((size_t)(n->count + 1) * sizeof(*list));
    if (list == NULL)
        return -1;
    for (i = 0; i < n->count; i++)
        if (n->entries[i].order >= 0)
            list[k++] = &n->entries[i];
    qsort(list, (size_t)k, sizeof(*list), by_order);
    fprintf(out, "# miruo --write-names: address name\n");
    for (i = 0; i < k; i++) {
        struct name_entry *e = list[i];
        if (!e->looked_up && n->resolve)
            reverse_lookup(e);
        if (e->name[0] == '\0')
            continue;
        inet_ntop(e->family == 6 ? AF_INET6 : AF_INET, e->addr, text,
                  sizeof(text));
        fprintf(out, "%s\t%s\n", text, e->name);
        written++;
    }
    free(list);
    return ferror(out) ? -1 : written;
}
