/*
 * decode.c - bounds-checked link / IP / TCP parsing of one frame.
 *
 * Every byte is read through the `cursor` accessors below, which check the
 * read against the end of the captured data; nothing casts a struct onto
 * packet memory.  A header that does not fit, or whose length fields are
 * impossible, makes the frame count as a header error of its layer.
 */
#include "config.h"

#include <string.h>

#include <arpa/inet.h>

#include <pcap/pcap.h>

#include "decode.h"

/* ---- bounds-checked reader ---------------------------------------------- */

struct cursor {
    const uint8_t *base;
    uint32_t len;       /* captured bytes available from base */
    uint32_t wire_len;  /* bytes the frame had on the wire (>= len) */
};

static int has(const struct cursor *c, uint32_t off, uint32_t n)
{
    return off <= c->len && n <= c->len - off;
}

static uint8_t get_u8(const struct cursor *c, uint32_t off)
{
    return c->base[off];
}

/* Unaligned big-endian loads (memcpy compiles to a load and a byte swap). */
static uint16_t get_be16(const struct cursor *c, uint32_t off)
{
    uint16_t v;

    memcpy(&v, c->base + off, sizeof(v));
    return ntohs(v);
}

static uint32_t get_be32(const struct cursor *c, uint32_t off)
{
    uint32_t v;

    memcpy(&v, c->base + off, sizeof(v));
    return ntohl(v);
}

static uint32_t get_le32(const struct cursor *c, uint32_t off)
{
    return (uint32_t)c->base[off + 3] << 24 |
           (uint32_t)c->base[off + 2] << 16 |
           (uint32_t)c->base[off + 1] << 8 | c->base[off];
}

/* ---- link layer --------------------------------------------------------- */

#define ETHERTYPE_IPV4  0x0800
#define ETHERTYPE_IPV6  0x86DD
#define ETHERTYPE_VLAN  0x8100
#define ETHERTYPE_QINQ  0x88A8
#define ETHERTYPE_QINQ2 0x9100

enum link_kind decode_link_kind(int dlt)
{
    switch (dlt) {
    case DLT_EN10MB:
        return LINK_ETHERNET;
    case DLT_LINUX_SLL:
        return LINK_SLL;
#ifdef DLT_LINUX_SLL2
    case DLT_LINUX_SLL2:
        return LINK_SLL2;
#endif
    case DLT_NULL:
        return LINK_NULL;
#ifdef DLT_LOOP
    case DLT_LOOP:
        return LINK_LOOP;
#endif
    case DLT_RAW:
        return LINK_RAW;
#ifdef DLT_IPV4
    case DLT_IPV4:
        return LINK_IPV4;
#endif
#ifdef DLT_IPV6
    case DLT_IPV6:
        return LINK_IPV6;
#endif
    default:
        return LINK_UNSUPPORTED;
    }
}

/* Network layer protocol carried by a frame, found by the link parser. */
enum l3_proto { L3_NONE, L3_IPV4, L3_IPV6, L3_BY_VERSION };

static enum l3_proto l3_from_ethertype(uint16_t type)
{
    if (type == ETHERTYPE_IPV4)
        return L3_IPV4;
    if (type == ETHERTYPE_IPV6)
        return L3_IPV6;
    return L3_NONE;
}

/* BSD address families for IPv6 differ between systems. */
static enum l3_proto l3_from_af(uint32_t af)
{
    if (af == 2)
        return L3_IPV4;
    if (af == 10 || af == 24 || af == 28 || af == 30)
        return L3_IPV6;
    return L3_NONE;
}

/*
 * Find the network header.  Returns 0 and sets *off and *proto, or -1 when
 * the link header is truncated or malformed.
 */
static int parse_link(enum link_kind link, const struct cursor *c,
                      uint32_t *off, enum l3_proto *proto)
{
    uint16_t type;
    uint32_t af;
    int tags;

    switch (link) {
    case LINK_ETHERNET:
        /* dst(6) src(6) type(2), then 802.1Q/802.1ad tags of 4 bytes. */
        if (!has(c, 0, 14))
            return -1;
        *off = 12;
        type = get_be16(c, *off);
        for (tags = 0; type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ ||
                       type == ETHERTYPE_QINQ2; tags++) {
            if (tags == DECODE_MAX_VLAN_TAGS || !has(c, *off + 4, 2))
                return -1;
            *off += 4;
            type = get_be16(c, *off);
        }
        *off += 2;
        *proto = l3_from_ethertype(type);
        return 0;
    case LINK_SLL:
        /* packet type(2) arphrd(2) addr len(2) addr(8) protocol(2) */
        if (!has(c, 0, 16))
            return -1;
        *off = 16;
        *proto = l3_from_ethertype(get_be16(c, 14));
        return 0;
    case LINK_SLL2:
        /* protocol(2) reserved(2) ifindex(4) arphrd(2) type(1) len(1)
         * addr(8) */
        if (!has(c, 0, 20))
            return -1;
        *off = 20;
        *proto = l3_from_ethertype(get_be16(c, 0));
        return 0;
    case LINK_NULL:
        /* The family is in the writer's byte order: accept both. */
        if (!has(c, 0, 4))
            return -1;
        af = get_le32(c, 0);
        if (af > 0xFFFF)
            af = get_be32(c, 0);
        *off = 4;
        *proto = l3_from_af(af);
        return 0;
    case LINK_LOOP:
        if (!has(c, 0, 4))
            return -1;
        *off = 4;
        *proto = l3_from_af(get_be32(c, 0));
        return 0;
    case LINK_RAW:
        *off = 0;
        *proto = L3_BY_VERSION;
        return 0;
    case LINK_IPV4:
        *off = 0;
        *proto = L3_IPV4;
        return 0;
    case LINK_IPV6:
        *off = 0;
        *proto = L3_IPV6;
        return 0;
    case LINK_UNSUPPORTED:
        break;
    }
    return -1;
}

/* ---- IPv4 (RFC 791) / IPv6 (RFC 8200) ------------------------------------ */

#define IPPROTO_TCP_NUM 6

/*
 * Parse an IPv4 header at `off`.  On success returns DECODE_TCP with the
 * TCP offset and the TCP length on the wire, DECODE_OTHER for non-TCP or a
 * non-first fragment, DECODE_BAD_IP for a malformed header.
 */
static enum decode_result parse_ipv4(const struct cursor *c, uint32_t off,
                                     struct packet *pkt, uint32_t *l4_off,
                                     uint32_t *l4_wire_len)
{
    uint8_t vihl;
    uint32_t ihl, total;
    uint16_t frag;

    if (!has(c, off, 20))
        return DECODE_BAD_IP;
    vihl = get_u8(c, off);
    ihl = (uint32_t)(vihl & 0x0F) * 4;
    if (vihl >> 4 != 4 || ihl < 20 || !has(c, off, ihl))
        return DECODE_BAD_IP;
    total = get_be16(c, off + 2);
    /*
     * A total length of 0 is what TSO/GRO super-frames carry in captures;
     * trust the captured length then.  A length shorter than the header is
     * malformed.
     */
    if (total == 0)
        total = c->len - off;
    if (total < ihl || total > c->wire_len - off)
        return DECODE_BAD_IP;
    frag = get_be16(c, off + 6);
    if ((frag & 0x1FFF) != 0)
        return DECODE_OTHER;        /* later fragment: no TCP header */
    if (get_u8(c, off + 9) != IPPROTO_TCP_NUM)
        return DECODE_OTHER;
    pkt->family = 4;
    pkt->addr_len = 4;
    memset(pkt->src, 0, sizeof(pkt->src));
    memset(pkt->dst, 0, sizeof(pkt->dst));
    memcpy(pkt->src, c->base + off + 12, 4);
    memcpy(pkt->dst, c->base + off + 16, 4);
    pkt->more_fragments = (frag & 0x2000) != 0;
    pkt->ip_id = get_be16(c, off + 4);
    pkt->ttl = get_u8(c, off + 8);
    *l4_off = off + ihl;
    *l4_wire_len = total - ihl;
    return DECODE_TCP;
}

static int ipv6_is_extension(uint8_t nh)
{
    /* hop-by-hop, routing, fragment, destination options, AH, mobility,
     * HIP, shim6 (RFC 8200 section 4, RFC 7045) */
    return nh == 0 || nh == 43 || nh == 44 || nh == 60 || nh == 51 ||
           nh == 135 || nh == 139 || nh == 140;
}

/* Length of the extension header of type `nh` at `off` (RFC 8200 4.1;
 * AH counts 4-byte units, RFC 4302), or 0 if it is not captured. */
static uint32_t ipv6_ext_length(const struct cursor *c, uint32_t off,
                                uint8_t nh)
{
    if (!has(c, off, 8))
        return 0;
    if (nh == 44)
        return 8;
    if (nh == 51)
        return ((uint32_t)get_u8(c, off + 1) + 2) * 4;
    return ((uint32_t)get_u8(c, off + 1) + 1) * 8;
}

static enum decode_result parse_ipv6(const struct cursor *c, uint32_t off,
                                     struct packet *pkt, uint32_t *l4_off,
                                     uint32_t *l4_wire_len)
{
    uint32_t plen, hdr_off, ext_len, end_wire;
    uint8_t nh;
    int n;

    if (!has(c, off, 40) || get_u8(c, off) >> 4 != 6)
        return DECODE_BAD_IP;
    plen = get_be16(c, off + 4);
    if (plen == 0)                  /* jumbogram or offloaded: trust caplen */
        plen = c->len - off - 40;
    if (plen > c->wire_len - off - 40)
        return DECODE_BAD_IP;
    end_wire = off + 40 + plen;
    nh = get_u8(c, off + 6);
    pkt->more_fragments = 0;
    pkt->ip_id = 0;
    pkt->ttl = get_u8(c, off + 7);
    hdr_off = off + 40;
    for (n = 0; ipv6_is_extension(nh); n++) {
        if (n == DECODE_MAX_IPV6_EXT ||
            (ext_len = ipv6_ext_length(c, hdr_off, nh)) == 0)
            return DECODE_BAD_IP;
        if (nh == 44) {
            /* Fragment header (RFC 8200 4.5). */
            uint16_t fo = get_be16(c, hdr_off + 2);
            if ((fo & 0xFFF8) != 0)
                return DECODE_OTHER;    /* later fragment */
            pkt->more_fragments = fo & 1;
            pkt->ip_id = (uint16_t)get_be32(c, hdr_off + 4);
        }
        nh = get_u8(c, hdr_off);
        hdr_off += ext_len;
        if (hdr_off > end_wire || !has(c, hdr_off, 0))
            return DECODE_BAD_IP;
    }
    if (nh != IPPROTO_TCP_NUM)
        return DECODE_OTHER;
    pkt->family = 6;
    pkt->addr_len = 16;
    memcpy(pkt->src, c->base + off + 8, 16);
    memcpy(pkt->dst, c->base + off + 24, 16);
    *l4_off = hdr_off;
    *l4_wire_len = end_wire - hdr_off;
    return DECODE_TCP;
}

/* ---- TCP (RFC 9293 section 3.1) ----------------------------------------- */

static enum decode_result parse_tcp(const struct cursor *c, uint32_t off,
                                    uint32_t wire_len, struct packet *pkt)
{
    uint32_t doff, avail, optcap;

    if (!has(c, off, 20) || wire_len < 20)
        return DECODE_BAD_TCP;
    doff = (uint32_t)(get_u8(c, off + 12) >> 4) * 4;
    if (doff < 20 || doff > wire_len)
        return DECODE_BAD_TCP;
    /*
     * Options cut by the snap length are not an error: the segment is
     * tracked with the option bytes that were captured.
     */
    avail = c->len - off;
    optcap = (avail < doff ? avail : doff) - 20;
    pkt->sport = get_be16(c, off);
    pkt->dport = get_be16(c, off + 2);
    pkt->seq = get_be32(c, off + 4);
    pkt->ack = get_be32(c, off + 8);
    pkt->flags = get_u8(c, off + 13);
    pkt->window = get_be16(c, off + 14);
    pkt->optlen = (uint8_t)optcap;
    pkt->opts = c->base + off + 20;
    pkt->payload_len = wire_len - doff;
    if (avail > doff) {
        pkt->payload = c->base + off + doff;
        avail -= doff;
        pkt->payload_caplen = avail < pkt->payload_len ? avail
                                                       : pkt->payload_len;
    } else {
        pkt->payload = NULL;
        pkt->payload_caplen = 0;
    }
    pkt->l4_offset = off;
    return DECODE_TCP;
}

/* ---- entry point --------------------------------------------------------- */

enum decode_result decode_frame(enum link_kind link, const uint8_t *frame,
                                uint32_t caplen, uint32_t wire_len,
                                int64_t ts_us, struct packet *pkt)
{
    struct cursor c;
    enum l3_proto proto;
    enum decode_result r;
    uint32_t off = 0, l4_off = 0, l4_len = 0;

    c.base = frame;
    c.len = caplen;
    c.wire_len = wire_len < caplen ? caplen : wire_len;
    if (parse_link(link, &c, &off, &proto) != 0)
        return DECODE_BAD_L2;
    if (proto == L3_BY_VERSION) {
        if (!has(&c, off, 1))
            return DECODE_BAD_IP;
        switch (get_u8(&c, off) >> 4) {
        case 4: proto = L3_IPV4; break;
        case 6: proto = L3_IPV6; break;
        default: return DECODE_BAD_IP;
        }
    }
    if (proto == L3_IPV4)
        r = parse_ipv4(&c, off, pkt, &l4_off, &l4_len);
    else if (proto == L3_IPV6)
        r = parse_ipv6(&c, off, pkt, &l4_off, &l4_len);
    else
        return DECODE_OTHER;
    if (r != DECODE_TCP)
        return r;
    pkt->ts_us = ts_us;
    pkt->wire_len = wire_len;
    pkt->frame = frame;
    pkt->frame_caplen = caplen;
    pkt->l3_offset = off;
    return parse_tcp(&c, l4_off, l4_len, pkt);
}

/* ---- header fields for --detail -------------------------------------------- */

static void detail_ipv4(const struct cursor *c, uint32_t off,
                        struct frame_detail *d, uint32_t *l4)
{
    uint16_t frag;

    if (!has(c, off, 20))
        return;
    d->has_ip = 4;
    d->ip_hlen = (uint8_t)((get_u8(c, off) & 0x0F) * 4);
    d->tos = get_u8(c, off + 1);
    d->ip_len = get_be16(c, off + 2);
    d->ip_id = get_be16(c, off + 4);
    frag = get_be16(c, off + 6);
    d->df = (frag & 0x4000) != 0;
    d->mf = (frag & 0x2000) != 0;
    d->frag_offset = (uint16_t)((frag & 0x1FFF) * 8);
    d->ttl = get_u8(c, off + 8);
    d->proto = get_u8(c, off + 9);
    d->ip_checksum = get_be16(c, off + 10);
    memcpy(d->src, c->base + off + 12, 4);
    memcpy(d->dst, c->base + off + 16, 4);
    if (d->ip_hlen >= 20 && d->frag_offset == 0)
        *l4 = off + d->ip_hlen;
}

static void detail_ipv6(const struct cursor *c, uint32_t off,
                        struct frame_detail *d, uint32_t *l4)
{
    uint32_t hdr_off = off + 40;
    uint8_t nh;
    int n;

    if (!has(c, off, 40))
        return;
    d->has_ip = 6;
    d->tos = (uint8_t)(get_be16(c, off) >> 4);
    d->flow_label = get_be32(c, off) & 0xFFFFF;
    d->ip_len = get_be16(c, off + 4);
    d->ttl = get_u8(c, off + 7);
    memcpy(d->src, c->base + off + 8, 16);
    memcpy(d->dst, c->base + off + 24, 16);
    nh = get_u8(c, off + 6);
    for (n = 0; ipv6_is_extension(nh) && n < DECODE_MAX_IPV6_EXT; n++) {
        uint32_t len = ipv6_ext_length(c, hdr_off, nh);
        if (len == 0)
            return;
        nh = get_u8(c, hdr_off);
        hdr_off += len;
    }
    d->proto = nh;
    if (!ipv6_is_extension(nh))
        *l4 = hdr_off;
}

void decode_detail(enum link_kind link, const uint8_t *frame,
                   uint32_t caplen, struct frame_detail *d)
{
    struct cursor c;
    enum l3_proto proto;
    uint32_t off = 0, l4 = 0, i;

    memset(d, 0, sizeof(*d));
    c.base = frame;
    c.len = caplen;
    c.wire_len = caplen;
    if (parse_link(link, &c, &off, &proto) != 0)
        return;
    if (link == LINK_ETHERNET) {
        d->has_eth = 1;
        memcpy(d->eth_dst, frame, 6);
        memcpy(d->eth_src, frame + 6, 6);
        /* Each tag: TPID(2) TCI(2) before the final EtherType. */
        for (i = 14; i + 2 < off && d->nvlan < DECODE_MAX_VLAN_TAGS; i += 4)
            d->vlan[d->nvlan++] = get_be16(&c, i) & 0x0FFF;
        d->ethertype = get_be16(&c, off - 2);
    } else if (link == LINK_SLL) {
        d->ethertype = get_be16(&c, 14);
    } else if (link == LINK_SLL2) {
        d->ethertype = get_be16(&c, 0);
    }
    if (proto == L3_BY_VERSION && has(&c, off, 1))
        proto = get_u8(&c, off) >> 4 == 6 ? L3_IPV6 : L3_IPV4;
    if (proto == L3_IPV4)
        detail_ipv4(&c, off, d, &l4);
    else if (proto == L3_IPV6)
        detail_ipv6(&c, off, d, &l4);
    if (l4 == 0 || d->proto != IPPROTO_TCP_NUM || !has(&c, l4, 20))
        return;
    d->has_tcp = 1;
    d->sport = get_be16(&c, l4);
    d->dport = get_be16(&c, l4 + 2);
    d->seq = get_be32(&c, l4 + 4);
    d->ack = get_be32(&c, l4 + 8);
    d->tcp_hlen = (uint8_t)((get_u8(&c, l4 + 12) >> 4) * 4);
    d->flags = get_u8(&c, l4 + 13);
    d->window = get_be16(&c, l4 + 14);
    d->tcp_checksum = get_be16(&c, l4 + 16);
    d->urgent = get_be16(&c, l4 + 18);
}
