/*
 * community_id.c - Community ID v1 flow hashes (community_id.h).
 *
 * Owns the spec's hash input layout and endpoint ordering, a compact
 * SHA-1 after RFC 3174 and the base64 encoding of RFC 4648.  Everything
 * works on the caller's buffers: no allocation, no state between calls.
 */
#include "config.h"

#include <string.h>

#include "community_id.h"

/* ---- SHA-1 (RFC 3174) --------------------------------------------------- */

#define SHA1_BLOCK 64

static uint32_t rol32(uint32_t x, unsigned n)
{
    return x << n | x >> (32 - n);
}

/* RFC 3174 section 6.1: process one 512-bit block into H0..H4. */
static void sha1_block(uint32_t h[5], const uint8_t *p)
{
    uint32_t w[80], a, b, c, d, e, f, k, t;
    unsigned i;

    for (i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (i = 16; i < 80; i++)
        w[i] = rol32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    a = h[0];
    b = h[1];
    c = h[2];
    d = h[3];
    e = h[4];
    for (i = 0; i < 80; i++) {
        if (i < 20) {
            f = (b & c) | (~b & d);
            k = 0x5A827999u;
        } else if (i < 40) {
            f = b ^ c ^ d;
            k = 0x6ED9EBA1u;
        } else if (i < 60) {
            f = (b & c) | (b & d) | (c & d);
            k = 0x8F1BBCDCu;
        } else {
            f = b ^ c ^ d;
            k = 0xCA62C1D6u;
        }
        t = rol32(a, 5) + f + e + w[i] + k;
        e = d;
        d = c;
        c = rol32(b, 30);
        b = a;
        a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
}

void community_id_sha1(const void *data, size_t len, uint8_t digest[20])
{
    uint32_t h[5] = {
        0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u
    };
    const uint8_t *p = data;
    uint8_t last[2 * SHA1_BLOCK];
    uint64_t bits = (uint64_t)len * 8;
    size_t rest, n, i;

    for (; len >= SHA1_BLOCK; len -= SHA1_BLOCK, p += SHA1_BLOCK)
        sha1_block(h, p);
    /* Padding (RFC 3174 section 4): a 1 bit, zeros, the 64-bit length. */
    rest = len;
    memset(last, 0, sizeof(last));
    if (rest > 0)
        memcpy(last, p, rest);
    last[rest] = 0x80;
    n = rest + 1 + 8 <= SHA1_BLOCK ? SHA1_BLOCK : 2 * SHA1_BLOCK;
    for (i = 0; i < 8; i++)
        last[n - 1 - i] = (uint8_t)(bits >> (8 * i));
    sha1_block(h, last);
    if (n > SHA1_BLOCK)
        sha1_block(h, last + SHA1_BLOCK);
    for (i = 0; i < 5; i++) {
        digest[4 * i] = (uint8_t)(h[i] >> 24);
        digest[4 * i + 1] = (uint8_t)(h[i] >> 16);
        digest[4 * i + 2] = (uint8_t)(h[i] >> 8);
        digest[4 * i + 3] = (uint8_t)h[i];
    }
}

/* ---- base64 (RFC 4648 section 4, with padding) -------------------------- */

static size_t base64(const uint8_t *in, size_t len, char *out)
{
    static const char abc[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i, o = 0;

    for (i = 0; i + 2 < len; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 |
                     in[i + 2];
        out[o++] = abc[v >> 18 & 63];
        out[o++] = abc[v >> 12 & 63];
        out[o++] = abc[v >> 6 & 63];
        out[o++] = abc[v & 63];
    }
    if (i < len) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t)in[i + 1] << 8;
        out[o++] = abc[v >> 18 & 63];
        out[o++] = abc[v >> 12 & 63];
        out[o++] = i + 1 < len ? abc[v >> 6 & 63] : '=';
        out[o++] = '=';
    }
    out[o] = '\0';
    return o;
}

/* ---- Community ID v1 ---------------------------------------------------- */

#define IPPROTO_TCP_NUMBER 6

void community_id_seeded(uint16_t seed, int family, const uint8_t *saddr,
                         uint16_t sport, const uint8_t *daddr,
                         uint16_t dport, char out[COMMUNITY_ID_SIZE])
{
    /* seed(2) saddr daddr proto(1) pad(1) sport(2) dport(2), all in
     * network order (spec, "Technical details"). */
    uint8_t buf[2 + 16 + 16 + 1 + 1 + 2 + 2], digest[20];
    size_t alen = family == 6 ? 16 : 4, n = 0;
    const uint8_t *a = saddr, *b = daddr;
    uint16_t pa = sport, pb = dport;
    int c = memcmp(saddr, daddr, alen);

    /* The smaller endpoint first: address, then port (the spec's
     * is_ordered(): saddr < daddr, or equal addresses and sport < dport),
     * so both directions of a flow hash alike. */
    if (c > 0 || (c == 0 && sport > dport)) {
        a = daddr;
        b = saddr;
        pa = dport;
        pb = sport;
    }
    buf[n++] = (uint8_t)(seed >> 8);
    buf[n++] = (uint8_t)seed;
    memcpy(buf + n, a, alen);
    n += alen;
    memcpy(buf + n, b, alen);
    n += alen;
    buf[n++] = IPPROTO_TCP_NUMBER;
    buf[n++] = 0;
    buf[n++] = (uint8_t)(pa >> 8);
    buf[n++] = (uint8_t)pa;
    buf[n++] = (uint8_t)(pb >> 8);
    buf[n++] = (uint8_t)pb;
    community_id_sha1(buf, n, digest);
    out[0] = '1';
    out[1] = ':';
    base64(digest, sizeof(digest), out + 2);
}

void community_id(int family, const uint8_t *saddr, uint16_t sport,
                  const uint8_t *daddr, uint16_t dport,
                  char out[COMMUNITY_ID_SIZE])
{
    community_id_seeded(0, family, saddr, sport, daddr, dport, out);
}
