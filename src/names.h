/*
 * names.h - address-to-name table (snoop's -n / .names files, --resolve).
 *
 * names.c owns a bounded hash table from IPv4/IPv6 addresses to names,
 * loaded from files in /etc/hosts format, optionally filled by reverse
 * DNS (--resolve, cached), and written back for --write-names.
 */
#ifndef MIRUO_NAMES_H
#define MIRUO_NAMES_H

#include <stdint.h>
#include <stdio.h>

#define NAMES_MAX_ENTRIES 65536
#define NAMES_ERRBUF_SIZE 256

struct names;

struct names *names_new(int resolve);
void names_free(struct names *n);

/* Load "address name [aliases...]" lines; '#' starts a comment.  Returns
 * the number of entries read, or -1 with errbuf set. */
int names_load(struct names *n, const char *path, char *errbuf);

/* The name of an address (family 4 or 6), or NULL.  With --resolve an
 * unknown address is looked up once and the answer cached. */
const char *names_lookup(struct names *n, int family, const uint8_t *addr);

/* Remember an address seen in the capture (for --write-names). */
void names_note(struct names *n, int family, const uint8_t *addr);

/* Write "address name" for every noted address that has a name, in the
 * order first seen.  Returns the number written, or -1. */
int names_write(struct names *n, FILE *out);

int names_count(const struct names *n);

#endif /* MIRUO_NAMES_H */
