/*
 * decode.h - bounds-checked parsing of one captured frame.
 *
 * The decoder owns the link, IP and TCP header parsing.  It turns the bytes
 * of one frame into a `struct packet` view (addresses, ports, TCP fields,
 * option bytes and payload pointers into the frame) and never prints or
 * touches session state.  Every read is checked against the captured
 * length; malformed headers are reported per layer so the caller can count
 * them.
 */
#ifndef MIRUO_DECODE_H
#define MIRUO_DECODE_H

#include <stdint.h>

/* Link types we decode (libpcap DLT_ values are mapped onto these). */
enum link_kind {
    LINK_UNSUPPORTED = 0,
    LINK_ETHERNET,
    LINK_SLL,           /* Linux cooked v1 */
    LINK_SLL2,          /* Linux cooked v2 */
    LINK_NULL,          /* BSD loopback, AF in either byte order */
    LINK_LOOP,          /* OpenBSD loopback, AF in network order */
    LINK_RAW,           /* raw IP, version from the first nibble */
    LINK_IPV4,
    LINK_IPV6
};

/* Result of decoding one frame. */
enum decode_result {
    DECODE_TCP = 0,     /* a TCP segment: `struct packet` is filled */
    DECODE_OTHER,       /* not TCP (ARP, UDP, later fragment...): ignore */
    DECODE_BAD_L2,      /* link-layer header malformed or truncated */
    DECODE_BAD_IP,      /* IPv4/IPv6 header malformed or truncated */
    DECODE_BAD_TCP      /* TCP header malformed or truncated */
};

/* TCP flag bits (RFC 9293 section 3.1, RFC 3168 for ECE/CWR). */
#define TH_FIN  0x01
#define TH_SYN  0x02
#define TH_RST  0x04
#define TH_PUSH 0x08
#define TH_ACK  0x10
#define TH_URG  0x20
#define TH_ECE  0x40
#define TH_CWR  0x80

#define TCP_MAX_OPTLEN 40

/* Caps on header chains, so hostile frames cost bounded work. */
#define DECODE_MAX_VLAN_TAGS 8
#define DECODE_MAX_IPV6_EXT  16

/* A decoded TCP segment; pointers point into the caller's frame. */
struct packet {
    int64_t ts_us;              /* capture time, microseconds since epoch */
    uint32_t wire_len;          /* original frame length, link header incl. */
    uint8_t family;             /* 4 or 6 */
    uint8_t addr_len;           /* 4 or 16 */
    uint8_t src[16];
    uint8_t dst[16];
    uint16_t sport;
    uint16_t dport;
    uint32_t seq;
    uint32_t ack;
    uint16_t window;
    uint8_t flags;
    uint8_t more_fragments;     /* IPv4 MF bit or IPv6 fragment M bit */
    uint8_t optlen;             /* bytes of TCP options captured */
    const uint8_t *opts;
    uint32_t payload_len;       /* TCP payload length on the wire */
    uint32_t payload_caplen;    /* of which captured */
    const uint8_t *payload;
    uint16_t ip_id;
    uint8_t ttl;                /* IPv4 TTL / IPv6 hop limit */
    const uint8_t *frame;       /* the whole captured frame */
    uint32_t frame_caplen;
    uint32_t l3_offset;         /* where the IP header starts in frame */
    uint32_t l4_offset;         /* where the TCP header starts in frame */
};

/* Header fields of one frame, for --detail (whatever could be read). */
struct frame_detail {
    int has_eth;
    uint8_t eth_src[6];
    uint8_t eth_dst[6];
    uint16_t ethertype;         /* after any VLAN tags; also SLL protocol */
    int nvlan;
    uint16_t vlan[DECODE_MAX_VLAN_TAGS];
    int has_ip;                 /* 4 or 6 */
    uint8_t ip_hlen;            /* IPv4 header bytes */
    uint8_t tos;                /* IPv4 TOS / IPv6 traffic class */
    uint16_t ip_len;            /* IPv4 total / IPv6 payload length */
    uint16_t ip_id;
    uint8_t df, mf;
    uint16_t frag_offset;       /* bytes */
    uint8_t ttl;                /* TTL / hop limit */
    uint8_t proto;              /* protocol / next header */
    uint16_t ip_checksum;
    uint32_t flow_label;
    uint8_t src[16];
    uint8_t dst[16];
    int has_tcp;
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t tcp_hlen;
    uint8_t flags;
    uint16_t window;
    uint16_t tcp_checksum;
    uint16_t urgent;
};

/* Read the header fields of a frame (bounds-checked, best effort). */
void decode_detail(enum link_kind link, const uint8_t *frame,
                   uint32_t caplen, struct frame_detail *d);

/* Map a libpcap DLT_ value to the decoder's link kind. */
enum link_kind decode_link_kind(int dlt);

/*
 * Decode one frame.  `frame` holds `caplen` captured bytes of a frame that
 * was `wire_len` bytes on the wire.  On DECODE_TCP `pkt` is filled; any
 * other result leaves it partially written.
 */
enum decode_result decode_frame(enum link_kind link, const uint8_t *frame,
                                uint32_t caplen, uint32_t wire_len,
                                int64_t ts_us, struct packet *pkt);

#endif /* MIRUO_DECODE_H */
