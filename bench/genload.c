/*
 * genload.c - deterministic synthetic TCP workloads for benchmarking miruo.
 *
 * Writes a classic pcap file (microsecond timestamps, DLT_EN10MB) of
 * Ethernet / IPv4 / TCP frames with correct lengths and IPv4 header
 * checksums (TCP checksums are left zero).  Every TCP segment carries the
 * timestamps option, as Linux sends them; SYNs carry mss, sackOK,
 * timestamps and wscale.  Full-size frames are 1514 bytes (MSS 1448).
 *
 *   genload web N FILE           N short HTTP-like sessions (~20 packets)
 *   genload bulk P K FILE        K long sessions, P packets in total
 *   genload concurrent P C [S] FILE
 *                                C sessions open at once, P packets in total;
 *                                with S, S sessions in waves of C
 *   genload synflood S FILE      S unanswered SYNs, then one real session
 *
 * FILE may be - for standard output.  The seed is fixed (override with
 * GENLOAD_SEED=n), so the same command always writes the same bytes.
 * Plain C99 and libc only:  cc -O2 -o genload genload.c
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* output */

static FILE *out;
static unsigned char obuf[1 << 22];
static size_t olen;
static uint64_t n_packets, n_bytes;

static void flush_out(void)
{
    if (olen && fwrite(obuf, 1, olen, out) != olen) {
        perror("genload: write");
        exit(1);
    }
    olen = 0;
}

static unsigned char *reserve(size_t n)
{
    if (olen + n > sizeof obuf)
        flush_out();
    olen += n;
    return obuf + olen - n;
}

static void put32le(unsigned char *p, uint32_t v)
{
    p[0] = v & 0xff; p[1] = (v >> 8) & 0xff;
    p[2] = (v >> 16) & 0xff; p[3] = (uint8_t)(v >> 24);
}

static void put16be(unsigned char *p, uint32_t v)
{
    p[0] = (v >> 8) & 0xff; p[1] = v & 0xff;
}

static void put32be(unsigned char *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24); p[1] = (v >> 16) & 0xff;
    p[2] = (v >> 8) & 0xff; p[3] = v & 0xff;
}

static void write_file_header(void)
{
    unsigned char *h = reserve(24);

    put32le(h, 0xa1b2c3d4);             /* microsecond pcap, little end */
    h[4] = 2; h[5] = 0; h[6] = 4; h[7] = 0;
    put32le(h + 8, 0);                  /* thiszone */
    put32le(h + 12, 0);                 /* sigfigs */
    put32le(h + 16, 65535);             /* snaplen */
    put32le(h + 20, 1);                 /* DLT_EN10MB */
}

/* ------------------------------------------------------------------ */
/* randomness: xorshift64*, fixed seed */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545f4914f6cdd1dULL) >> 32);
}

static uint32_t rnd_range(uint32_t lo, uint32_t hi)   /* [lo, hi] */
{
    return lo + rnd() % (hi - lo + 1);
}

/* ------------------------------------------------------------------ */
/* frames */

#define F_FIN 0x01
#define F_SYN 0x02
#define F_RST 0x04
#define F_PSH 0x08
#define F_ACK 0x10

#define MSS       1448                  /* 1514-byte frames with TS option */
#define C2S       0
#define S2C       1

struct flow {
    uint32_t cip, sip;                  /* host byte order */
    uint16_t cport, sport;
    uint32_t cisn, sisn;                /* initial sequence numbers */
    uint32_t cts, sts;                  /* TCP timestamp clocks */
};

static unsigned char payload[65536];    /* filler bytes, copied into frames */
static uint16_t ip_id;

static uint16_t ip_checksum(const unsigned char *p)
{
    uint32_t s = 0;
    int i;

    for (i = 0; i < 20; i += 2)
        s += (uint32_t)(p[i] << 8 | p[i + 1]);
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

/*
 * One frame.  data == NULL copies len filler bytes.  The TCP timestamp
 * value is the sender's clock at ts_us (1 ms ticks), the echo the peer's.
 */
static void emit(const struct flow *f, int dir, uint64_t ts_us,
                 uint32_t seq, uint32_t ack, int flags,
                 const unsigned char *data, unsigned len)
{
    unsigned optlen = (flags & F_SYN) ? 20 : 12;
    unsigned tcplen = 20 + optlen;
    unsigned iplen = 20 + tcplen + len;
    unsigned framelen = 14 + iplen;
    unsigned char *r = reserve(16 + framelen);
    unsigned char *e = r + 16, *ip = e + 14, *tcp = ip + 20, *o = tcp + 20;
    uint32_t src = dir == C2S ? f->cip : f->sip;
    uint32_t dst = dir == C2S ? f->sip : f->cip;
    uint32_t tsval = (uint32_t)(ts_us / 1000) + (dir == C2S ? f->cts : f->sts);
    uint32_t tsecr = (uint32_t)(ts_us / 1000) + (dir == C2S ? f->sts : f->cts);

    put32le(r, (uint32_t)(ts_us / 1000000));
    put32le(r + 4, (uint32_t)(ts_us % 1000000));
    put32le(r + 8, framelen);
    put32le(r + 12, framelen);

    /* Ethernet: locally administered MACs, client ..01, server ..02 */
    memcpy(e, dir == C2S ? "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01"
                         : "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02",
           12);
    e[12] = 0x08; e[13] = 0x00;

    ip[0] = 0x45; ip[1] = 0;
    put16be(ip + 2, iplen);
    put16be(ip + 4, ip_id++);
    ip[6] = 0x40; ip[7] = 0;            /* DF */
    ip[8] = 64; ip[9] = 6;
    ip[10] = ip[11] = 0;
    put32be(ip + 12, src);
    put32be(ip + 16, dst);
    put16be(ip + 10, ip_checksum(ip));

    put16be(tcp, dir == C2S ? f->cport : f->sport);
    put16be(tcp + 2, dir == C2S ? f->sport : f->cport);
    put32be(tcp + 4, seq);
    put32be(tcp + 8, (flags & F_ACK) ? ack : 0);
    tcp[12] = (unsigned char)((tcplen / 4) << 4);
    tcp[13] = (unsigned char)flags;
    put16be(tcp + 14, (flags & F_SYN) ? 64240 : 502);
    tcp[16] = tcp[17] = 0;              /* checksum left zero */
    tcp[18] = tcp[19] = 0;
    if (flags & F_SYN) {
        o[0] = 2; o[1] = 4; put16be(o + 2, MSS + 12);       /* mss 1460 */
        o[4] = 4; o[5] = 2;                                 /* sackOK */
        o[6] = 8; o[7] = 10;                                /* timestamps */
        put32be(o + 8, tsval);
        put32be(o + 12, (flags & F_ACK) ? tsecr : 0);
        o[16] = 1;                                          /* nop */
        o[17] = 3; o[18] = 3; o[19] = 7;                    /* wscale 7 */
    } else {
        o[0] = 1; o[1] = 1; o[2] = 8; o[3] = 10;
        put32be(o + 4, tsval);
        put32be(o + 8, tsecr);
    }
    memcpy(o + optlen, data ? data : payload, len);

    n_packets++;
    n_bytes += framelen;
}

/*
 * Client number c -> an IPv4 address, injective for c < 200 * 2^24: the
 * first octet is one of 200 (11..210, 127 replaced by 211), the other
 * three a bijection of c / 200 + 1, so clients spread over the unicast space
 * as on the Internet.  (Tools that hash on the first octets, such as
 * tcpdump's address cache, would degrade on a single /8.)
 */
static uint32_t client_addr(uint32_t c)
{
    uint32_t o1 = 11 + c % 200, m = ((c / 200 + 1) * 2654435761u) & 0xffffff;

    if (o1 == 127)
        o1 = 211;
    return o1 << 24 | m;
}

#define CLIENTS 65536                   /* distinct client addresses */

/*
 * Session i: client CLIENTS-pool address i % CLIENTS, its ports taken in
 * turn from 32768 (so no two sessions share a 4-tuple before i reaches
 * CLIENTS * 28232); the server one of 16 in 192.0.2.0/24, port 80.
 */
static void make_flow(struct flow *f, uint32_t i, uint32_t server)
{
    f->cip = client_addr(i % CLIENTS);
    f->cport = (uint16_t)(32768 + (i / CLIENTS) % 28232);
    f->sip = 0xc0000200u | (1 + server % 254);     /* 192.0.2.x */
    f->sport = 80;
    f->cisn = rnd();
    f->sisn = rnd();
    f->cts = rnd() & 0x7fffffff;
    f->sts = rnd() & 0x7fffffff;
}

/* ------------------------------------------------------------------ */
/* web: short HTTP-like sessions, scheduled in time order with a heap */

#define MAXSTEPS 40

struct step {
    uint32_t dt_us;                     /* after the previous step */
    uint32_t seq, ack;
    uint16_t len;
    uint8_t dir, flags;
    const char *data;                   /* payload bytes, NULL = filler */
};

struct session {
    struct flow f;
    uint64_t next_us;                   /* time of steps[cur] */
    int cur, n;
    struct step s[MAXSTEPS];
};

static char request_text[512];
static unsigned request_len;
/* responses by number of segments (1-3) and length of the last one, in
 * steps of 8 bytes from 600 to MSS; built when first needed */
#define LAST_MIN  600
#define LAST_STEP 8
static char *response_text[3][(MSS - LAST_MIN) / LAST_STEP + 1];

static void build_messages(void)
{
    static const char pad[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    unsigned i;
    int n;

    for (i = 0; i < sizeof payload; i++)
        payload[i] = (unsigned char)pad[i % (sizeof pad - 1)];
    n = snprintf(request_text, sizeof request_text,
                 "GET /static/app/index.html HTTP/1.1\r\n"
                 "Host: www.example.com\r\n"
                 "User-Agent: Mozilla/5.0 (X11; Linux x86_64) genload/1.0\r\n"
                 "Accept: text/html,application/xhtml+xml,*/*;q=0.8\r\n"
                 "Accept-Language: en-US,en;q=0.5\r\n"
                 "Accept-Encoding: gzip, deflate\r\n"
                 "Connection: keep-alive\r\n"
                 "Cookie: session=");
    while (n < 296) {
        request_text[n] = pad[n % 62];
        n++;
    }
    memcpy(request_text + n, "\r\n\r\n", 4);
    request_len = (unsigned)n + 4;
}

/* The text of a response of nseg segments, the last one about last bytes
 * long (rounded down to LAST_STEP); *total gets its length. */
static const char *response(int nseg, unsigned last, unsigned *total)
{
    unsigned q = (last - LAST_MIN) / LAST_STEP;
    char **t = &response_text[nseg - 1][q];
    static const char fmt[] = "HTTP/1.1 200 OK\r\nServer: genload\r\n"
        "Content-Type: text/html\r\nContent-Length: %5u\r\n\r\n";
    int h;

    *total = (unsigned)(nseg - 1) * MSS + LAST_MIN + q * LAST_STEP;
    if (!*t) {
        if (!(*t = malloc(*total + 1))) {
            perror("genload");
            exit(1);
        }
        h = snprintf(*t, *total, fmt, 0u);      /* fixed width: %5u */
        snprintf(*t, *total, fmt, *total - (unsigned)h);
        memcpy(*t + h, payload, *total - (unsigned)h);
    }
    return *t;
}

static void add(struct session *s, uint32_t dt, int dir, int flags,
                uint32_t seq, uint32_t ack, unsigned len, const char *data)
{
    struct step *p = &s->s[s->n++];

    p->dt_us = dt; p->dir = (uint8_t)dir; p->flags = (uint8_t)flags;
    p->seq = seq; p->ack = ack; p->len = (uint16_t)len;
    p->data = data;
}

/*
 * Handshake, two request/response exchanges (keep-alive), the client
 * ACKing every response segment, and a four-way close: 18-22 packets.
 * With retrans, the first response segment of the first exchange is sent
 * again 1.2 s later (lost, then retransmitted on RTO), which makes miruo
 * flag the session [retransmit] with its default -r 1000.
 */
static void build_web(struct session *s, uint32_t i, int retrans)
{
    uint32_t rtt = rnd_range(200, 4000);        /* us */
    uint32_t half = rtt / 2;
    uint32_t cs, ss;                            /* next seq, each side */
    int ex;

    make_flow(&s->f, i, i % 16);
    s->n = 0;
    s->cur = 0;
    cs = s->f.cisn;
    ss = s->f.sisn;
    add(s, 0, C2S, F_SYN, cs, 0, 0, NULL);
    cs++;
    add(s, half, S2C, F_SYN | F_ACK, ss, cs, 0, NULL);
    ss++;
    add(s, half, C2S, F_ACK, cs, ss, 0, NULL);
    for (ex = 0; ex < 2; ex++) {
        int nseg = (int)rnd_range(1, 3), k;
        unsigned total, off = 0;
        const char *text = response(nseg, rnd_range(LAST_MIN, MSS), &total);

        add(s, ex == 0 ? 20 : rnd_range(1000, 50000), C2S, F_ACK | F_PSH,
            cs, ss, request_len, request_text);
        cs += request_len;
        add(s, half, S2C, F_ACK, ss, cs, 0, NULL);
        for (k = 0; k < nseg; k++) {
            unsigned len = total - off < MSS ? total - off : MSS;
            int last_seg = k == nseg - 1;

            add(s, k == 0 ? rnd_range(100, 8000) : 12, S2C,
                F_ACK | (last_seg ? F_PSH : 0), ss, cs, len, text + off);
            if (retrans && ex == 0 && k == 0) {
                /* the segment was lost: the RTO fires after 1.2 s */
                add(s, 1200000, S2C, F_ACK | (last_seg ? F_PSH : 0), ss, cs,
                    len, text + off);
            }
            ss += len;
            off += len;
            add(s, half, C2S, F_ACK, cs, ss, 0, NULL);
        }
    }
    add(s, rnd_range(100, 3000), C2S, F_FIN | F_ACK, cs, ss, 0, NULL);
    cs++;
    add(s, half, S2C, F_ACK, ss, cs, 0, NULL);
    add(s, 30, S2C, F_FIN | F_ACK, ss, cs, 0, NULL);
    ss++;
    add(s, half, C2S, F_ACK, cs, ss, 0, NULL);
}

static void emit_step(const struct session *s)
{
    const struct step *p = &s->s[s->cur];

    emit(&s->f, p->dir, s->next_us, p->seq, p->ack, p->flags,
         (const unsigned char *)p->data, p->len);
}

/* min-heap of active sessions by next_us */
static struct session **heap;
static size_t heap_n;

static void heap_push(struct session *s)
{
    size_t i = heap_n++;

    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (heap[p]->next_us <= s->next_us)
            break;
        heap[i] = heap[p];
        i = p;
    }
    heap[i] = s;
}

static void heap_sift_down(void)
{
    struct session *s = heap[0];
    size_t i = 0;

    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= heap_n)
            break;
        if (c + 1 < heap_n && heap[c + 1]->next_us < heap[c]->next_us)
            c++;
        if (heap[c]->next_us >= s->next_us)
            break;
        heap[i] = heap[c];
        i = c;
    }
    heap[i] = s;
}

#define WEB_START_US  1700000000000000ULL   /* 2023-11-14 22:13:20 UTC */

static void gen_web(uint64_t nsess)
{
    /* at most ~1.25 s * 2000 starts/s open at once; size generously */
    size_t cap = 8192, nfree = 0;
    struct session **freel = malloc(cap * sizeof *freel);
    uint64_t i = 0, start = WEB_START_US, nretrans = 0;

    heap = malloc(cap * sizeof *heap);
    if (!heap || !freel) {
        perror("genload");
        exit(1);
    }
    while (i < nsess || heap_n) {
        if (i < nsess && (!heap_n || start <= heap[0]->next_us)) {
            struct session *s;
            int rt = rnd() % 100 == 0;

            if (nfree)
                s = freel[--nfree];
            else if (!(s = malloc(sizeof *s))) {
                perror("genload");
                exit(1);
            }
            if (heap_n == cap) {
                cap *= 2;
                heap = realloc(heap, cap * sizeof *heap);
                freel = realloc(freel, cap * sizeof *freel);
                if (!heap || !freel) {
                    perror("genload");
                    exit(1);
                }
            }
            nretrans += rt;
            build_web(s, (uint32_t)i, rt);
            s->next_us = start;
            heap_push(s);
            i++;
            /* about 2000 session starts per second: 100 to 900 us apart */
            start += rnd_range(100, 900);
        } else {
            struct session *s = heap[0];

            emit_step(s);
            if (++s->cur == s->n) {
                heap[0] = heap[--heap_n];
                freel[nfree++] = s;
            } else {
                s->next_us += s->s[s->cur].dt_us;
                heap[0] = s;
            }
            if (heap_n)
                heap_sift_down();
        }
    }
    fprintf(stderr, "genload: web: %llu sessions, %llu with a retransmission\n",
            (unsigned long long)nsess, (unsigned long long)nretrans);
}

/* ------------------------------------------------------------------ */
/* bulk and concurrent: sessions opened first, round-robin data, closed */

struct rr {
    struct flow f;
    uint32_t cs, ss;            /* next client / server sequence */
    uint32_t budget;            /* middle packets still to send */
    uint32_t phase;             /* bulk: position in D D A */
};

/* Sessions base .. base + n - 1 (distinct 4-tuples), 3 packets each. */
static void open_all(struct rr *r, uint32_t n, uint32_t base, uint64_t *t,
                     uint32_t gap)
{
    uint32_t i;

    for (i = 0; i < n; i++) {
        struct flow *f = &r[i].f;

        make_flow(f, base + i, (base + i) % 16);
        r[i].cs = f->cisn;
        r[i].ss = f->sisn;
        emit(f, C2S, *t, r[i].cs++, 0, F_SYN, NULL, 0);
        *t += gap;
        emit(f, S2C, *t, r[i].ss++, r[i].cs, F_SYN | F_ACK, NULL, 0);
        *t += gap;
        emit(f, C2S, *t, r[i].cs, r[i].ss, F_ACK, NULL, 0);
        *t += gap;
    }
}

/* client FIN, server FIN/ACK, client ACK */
static void close_all(struct rr *r, uint32_t n, uint64_t *t, uint32_t gap)
{
    uint32_t i;

    for (i = 0; i < n; i++) {
        struct flow *f = &r[i].f;

        emit(f, C2S, *t, r[i].cs++, r[i].ss, F_FIN | F_ACK, NULL, 0);
        *t += gap;
        emit(f, S2C, *t, r[i].ss++, r[i].cs, F_FIN | F_ACK, NULL, 0);
        *t += gap;
        emit(f, C2S, *t, r[i].cs, r[i].ss, F_ACK, NULL, 0);
        *t += gap;
    }
}

static struct rr *alloc_rr(uint32_t n, uint64_t total, uint32_t fixed)
{
    struct rr *r = calloc(n, sizeof *r);
    uint64_t mid = total - (uint64_t)n * fixed;
    uint32_t i;

    if (!r) {
        perror("genload");
        exit(1);
    }
    for (i = 0; i < n; i++)
        r[i].budget = (uint32_t)(mid / n + (i < mid % n));
    return r;
}

/*
 * bulk: K uploads of full-size segments (1514-byte frames), the server
 * ACKing every second segment (delayed ACK), round-robin across sessions
 * at about 10 Gbit/s (1.2 us apart).
 */
static void gen_bulk(uint64_t total, uint32_t k)
{
    struct rr *r;
    uint64_t t = WEB_START_US, left;
    uint32_t i;

    if (total < (uint64_t)k * 6 + k) {
        fprintf(stderr, "genload: bulk needs at least 7 packets a session\n");
        exit(2);
    }
    r = alloc_rr(k, total, 6);
    open_all(r, k, 0, &t, 20);
    left = total - (uint64_t)k * 6;
    while (left) {
        for (i = 0; i < k; i++) {
            struct rr *s = &r[i];

            if (!s->budget)
                continue;
            if (s->phase == 2 || (s->budget == 1 && s->phase == 1)) {
                emit(&s->f, S2C, t, s->ss, s->cs, F_ACK, NULL, 0);
                s->phase = 0;
            } else {
                emit(&s->f, C2S, t, s->cs, s->ss,
                     F_ACK | (s->phase ? F_PSH : 0), NULL, MSS);
                s->cs += MSS;
                s->phase++;
            }
            s->budget--;
            left--;
            t += 1 + (n_packets % 5 == 0);      /* ~1.2 us per packet */
        }
    }
    close_all(r, k, &t, 20);
    free(r);
    fprintf(stderr, "genload: bulk: %u sessions\n", k);
}

/*
 * concurrent: C sessions opened first (3 packets each), then data
 * round-robin across all of them (client request, server response,
 * alternately, 100-400 bytes, each ACKing the other), then all closed
 * (3 packets each), so all C sessions are open at once.  With S > C the
 * same is done in S / C waves of C sessions (each wave P * C / S packets):
 * S sessions in all, the same packets per session, C open at once.
 */
static void gen_concurrent(uint64_t total, uint32_t c, uint32_t s_all)
{
    struct rr *r;
    uint64_t t = WEB_START_US, left, wave_total;
    uint32_t i, w, waves = s_all / c;

    if (s_all % c != 0 || total < (uint64_t)s_all * 6) {
        fprintf(stderr, "genload: concurrent needs S a multiple of C and "
                "P >= 6 * S\n");
        exit(2);
    }
    for (w = 0; w < waves; w++) {
        wave_total = total / waves + (w == waves - 1 ? total % waves : 0);
        r = alloc_rr(c, wave_total, 6);
        open_all(r, c, w * c, &t, 2);
        left = wave_total - (uint64_t)c * 6;
        while (left) {
            for (i = 0; i < c; i++) {
                struct rr *s = &r[i];
                unsigned len = 100 + (s->ss + s->cs) % 301;

                if (!s->budget)
                    continue;
                if (s->phase == 0) {
                    emit(&s->f, C2S, t, s->cs, s->ss, F_ACK | F_PSH, NULL,
                         len);
                    s->cs += len;
                } else {
                    emit(&s->f, S2C, t, s->ss, s->cs, F_ACK | F_PSH, NULL,
                         len);
                    s->ss += len;
                }
                s->phase ^= 1;
                s->budget--;
                left--;
                t += 2;
            }
        }
        close_all(r, c, &t, 2);
        free(r);
    }
    fprintf(stderr, "genload: concurrent: %u sessions, %u open at once\n",
            s_all, c);
}

/*
 * synflood: S SYNs from distinct sources to one server at 100k/s, never
 * answered, then one real session whose first response segment is
 * retransmitted 1.2 s later.
 */
static void gen_synflood(uint64_t nsyn)
{
    struct session *s = malloc(sizeof *s);
    uint64_t t = WEB_START_US, i;
    struct flow f;

    for (i = 0; i < nsyn; i++) {
        make_flow(&f, 0, 0);
        f.cip = client_addr((uint32_t)i + 1);   /* spoofed: one per SYN */
        f.cport = (uint16_t)(1024 + rnd() % 64512);
        emit(&f, C2S, t, f.cisn, 0, F_SYN, NULL, 0);
        t += 10;
    }
    if (!s) {
        perror("genload");
        exit(1);
    }
    build_web(s, 0, 1);
    s->f.sip = 0xc0000201u;
    s->next_us = t + 1000;
    for (s->cur = 0; s->cur < s->n; s->cur++) {
        if (s->cur)
            s->next_us += s->s[s->cur].dt_us;
        emit_step(s);
    }
    free(s);
    fprintf(stderr, "genload: synflood: %llu SYNs, then 1 real session\n",
            (unsigned long long)nsyn);
}

/* ------------------------------------------------------------------ */

static void usage(void)
{
    fputs("usage: genload web N FILE            N short HTTP-like sessions\n"
          "       genload bulk P K FILE         K long sessions, P packets\n"
          "       genload concurrent P C [S] FILE\n"
          "                                     C sessions open at once (S in all,\n"
          "                                     in waves of C; default S = C), P packets\n"
          "       genload synflood S FILE       S unanswered SYNs + 1 session\n"
          "FILE may be -; GENLOAD_SEED=n changes the fixed seed.\n", stderr);
    exit(2);
}

static uint64_t num(const char *s)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);

    if (*s < '0' || *s > '9' || *end) {
        fprintf(stderr, "genload: not a number: %s\n", s);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    const char *file;
    const char *seed = getenv("GENLOAD_SEED");

    if (argc < 4)
        usage();
    if (seed && *seed)
        rng_state ^= num(seed) * 0x9e3779b97f4a7c15ULL + 1;
    build_messages();
    file = argv[argc - 1];
    out = strcmp(file, "-") ? fopen(file, "wb") : stdout;
    if (!out) {
        perror(file);
        return 1;
    }
    write_file_header();
    if (!strcmp(argv[1], "web") && argc == 4) {
        gen_web(num(argv[2]));
    } else if (!strcmp(argv[1], "bulk") && argc == 5) {
        uint64_t k = num(argv[3]);
        if (!k || k > 1000000)
            usage();
        gen_bulk(num(argv[2]), (uint32_t)k);
    } else if (!strcmp(argv[1], "concurrent") && (argc == 5 || argc == 6)) {
        uint64_t c = num(argv[3]), all = argc == 6 ? num(argv[4]) : c;
        if (!c || c > (1u << 24) || all < c || all > (1u << 24))
            usage();
        gen_concurrent(num(argv[2]), (uint32_t)c, (uint32_t)all);
    } else if (!strcmp(argv[1], "synflood") && argc == 4) {
        gen_synflood(num(argv[2]));
    } else {
        usage();
    }
    flush_out();
    if (out != stdout ? fclose(out) != 0 : fflush(out) != 0) {
        perror(file);
        return 1;
    }
    fprintf(stderr, "genload: %llu packets, %llu bytes of frames\n",
            (unsigned long long)n_packets, (unsigned long long)n_bytes);
    return 0;
}
