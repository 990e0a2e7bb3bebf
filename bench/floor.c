/*
 * floor.c - the benchmark floor: the least work any pcap-based TCP session
 * monitor must do per packet.
 *
 * Reads a capture file with libpcap (pcap_open_offline + pcap_loop),
 * parses Ethernet / IPv4 / TCP with bounds checks and does one hash lookup
 * per packet in an open-addressing table keyed by the 4-tuple, with both
 * directions of a connection on the same key (insert if absent).  Prints
 * the packet, TCP-packet and session counts at the end.
 *
 *   cc -O2 -o floor floor.c -lpcap
 *   floor [-b BYTES | -r] FILE
 *
 * -b opens the file with stdio and a BYTES-sized buffer (setvbuf) before
 * handing it to pcap_fopen_offline; without it libpcap's stdio stream
 * reads 4 KiB at a time.  -r reads the records the way miruo does
 * (src/pcapfile.c): 256 KiB pread(2) blocks, each record handed on in
 * place, no libpcap (classic little-endian microsecond pcap only).  The
 * benchmark's floor is the plain form; the others are for information.
 */
#define _DEFAULT_SOURCE         /* u_char etc. for pcap.h under -std=c99 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include <pcap/pcap.h>

struct key {
    uint32_t a_ip, b_ip;        /* endpoints ordered: (a_ip, a_port) < (b..) */
    uint16_t a_port, b_port;
};

struct slot {
    struct key k;
    uint32_t used;              /* 0 = empty */
    uint32_t packets;
};

static struct slot *table;
static size_t mask;             /* capacity - 1, capacity a power of two */
static size_t entries;
static uint64_t n_packets, n_tcp, n_bad;

static inline uint64_t hash_key(const struct key *k)
{
    uint64_t x = ((uint64_t)k->a_ip << 32 | k->b_ip) * 0x9e3779b97f4a7c15ULL;
    uint64_t y = ((uint64_t)k->a_port << 16 | k->b_port) ^ (x >> 29);

    y *= 0xbf58476d1ce4e5b9ULL;
    return y ^ (y >> 32);
}

static inline int key_eq(const struct key *a, const struct key *b)
{
    return a->a_ip == b->a_ip && a->b_ip == b->b_ip &&
           a->a_port == b->a_port && a->b_port == b->b_port;
}

static void grow(void)
{
    size_t old_cap = mask + 1, i;
    struct slot *old = table;

    table = calloc(old_cap * 2, sizeof *table);
    if (!table) {
        perror("floor");
        exit(1);
    }
    mask = old_cap * 2 - 1;
    for (i = 0; i < old_cap; i++) {
        if (old[i].used) {
            size_t j = hash_key(&old[i].k) & mask;
            while (table[j].used)
                j = (j + 1) & mask;
            table[j] = old[i];
        }
    }
    free(old);
}

/* The one lookup per packet: find the session, insert it if absent. */
static struct slot *lookup(const struct key *k)
{
    size_t i = hash_key(k) & mask;

    for (;;) {
        struct slot *s = &table[i];
        if (!s->used) {
            if ((entries + 1) * 2 > mask + 1) {
                grow();
                return lookup(k);
            }
            s->k = *k;
            s->used = 1;
            entries++;
            return s;
        }
        if (key_eq(&s->k, k))
            return s;
        i = (i + 1) & mask;
    }
}

static inline uint16_t rd16(const u_char *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t rd32(const u_char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

static void on_packet(u_char *user, const struct pcap_pkthdr *h,
                      const u_char *p)
{
    uint32_t caplen = h->caplen, ihl, doff, src, dst;
    uint16_t sport, dport;
    const u_char *ip, *tcp;
    struct key k;

    (void)user;
    n_packets++;
    if (caplen < 14 || rd16(p + 12) != 0x0800)
        goto bad;
    ip = p + 14;
    caplen -= 14;
    if (caplen < 20 || (ip[0] >> 4) != 4)
        goto bad;
    ihl = (uint32_t)(ip[0] & 0x0f) * 4;
    if (ihl < 20 || caplen < ihl || rd16(ip + 2) < ihl || ip[9] != 6)
        goto bad;
    if (rd16(ip + 6) & 0x1fff)              /* not a first fragment */
        goto bad;
    tcp = ip + ihl;
    caplen -= ihl;
    if (caplen < 20)
        goto bad;
    doff = (uint32_t)(tcp[12] >> 4) * 4;
    if (doff < 20 || caplen < doff)
        goto bad;
    src = rd32(ip + 12);
    dst = rd32(ip + 16);
    sport = rd16(tcp);
    dport = rd16(tcp + 2);
    if (src < dst || (src == dst && sport < dport)) {
        k.a_ip = src; k.a_port = sport; k.b_ip = dst; k.b_port = dport;
    } else {
        k.a_ip = dst; k.a_port = dport; k.b_ip = src; k.b_port = sport;
    }
    lookup(&k)->packets++;
    n_tcp++;
    return;
bad:
    n_bad++;
}

/* -r: miruo's way of reading a classic pcap file. */
static int read_blocks(const char *file)
{
    enum { BLOCK = 256 * 1024, MAXREC = 16 + 262144 };
    static u_char buf[BLOCK + MAXREC];
    size_t have = 0, pos = 0;
    off_t off = 24;                     /* the records, after the header */
    int fd = open(file, O_RDONLY);
    struct pcap_pkthdr h;
    ssize_t n;
    uint32_t v[4];

    if (fd < 0) {
        perror(file);
        return 1;
    }
    for (;;) {
        while (have - pos >= 16) {
            memcpy(v, buf + pos, sizeof(v));
            if (v[2] > 262144) {
                fprintf(stderr, "floor: %s: bad record\n", file);
                return 1;
            }
            if (have - pos < 16 + v[2])
                break;
            h.ts.tv_sec = v[0];
            h.ts.tv_usec = v[1];
            h.caplen = v[2];
            h.len = v[3];
            on_packet(NULL, &h, buf + pos + 16);
            pos += 16 + v[2];
        }
        memmove(buf, buf + pos, have - pos);
        off += (off_t)pos;
        have -= pos;
        pos = 0;
        n = pread(fd, buf + have, BLOCK, off + (off_t)have);
        if (n < 0) {
            perror(file);
            return 1;
        }
        if (n == 0)
            break;
        have += (size_t)n;
    }
    close(fd);
    return 0;
}

int main(int argc, char **argv)
{
    char err[PCAP_ERRBUF_SIZE];
    const char *file;
    long bufsize = 0;
    pcap_t *p;
    int blocks = 0;

    if (argc == 3 && strcmp(argv[1], "-r") == 0) {
        blocks = 1;
        argv++;
        argc--;
    }
    if (argc == 4 && strcmp(argv[1], "-b") == 0) {
        bufsize = strtol(argv[2], NULL, 10);
        argv += 2;
        argc -= 2;
    }
    if (argc != 2) {
        fputs("usage: floor [-b BYTES | -r] FILE\n", stderr);
        return 2;
    }
    file = argv[1];
    if (bufsize > 0) {
        FILE *f = fopen(file, "rb");
        if (!f || setvbuf(f, NULL, _IOFBF, (size_t)bufsize) != 0) {
            perror(file);
            return 1;
        }
        p = pcap_fopen_offline(f, err);
    } else {
        p = pcap_open_offline(file, err);
    }
    if (!p) {
        fprintf(stderr, "floor: %s\n", err);
        return 1;
    }
    if (pcap_datalink(p) != DLT_EN10MB) {
        fprintf(stderr, "floor: %s: not Ethernet\n", file);
        return 1;
    }
    mask = 1023;
    table = calloc(mask + 1, sizeof *table);
    if (!table) {
        perror("floor");
        return 1;
    }
    if (blocks) {
        if (read_blocks(file) != 0)     /* libpcap checked the header */
            return 1;
    } else if (pcap_loop(p, -1, on_packet, NULL) == -1) {
        fprintf(stderr, "floor: %s\n", pcap_geterr(p));
        return 1;
    }
    pcap_close(p);
    printf("%llu packets, %llu tcp, %llu other, %zu sessions\n",
           (unsigned long long)n_packets, (unsigned long long)n_tcp,
           (unsigned long long)n_bad, entries);
    return 0;
}
