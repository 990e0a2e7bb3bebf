/*
 * fuzz_decode.c - libFuzzer target: one frame through the decoder.
 *
 * Input: byte 0 chooses the link type (low nibble modulo 9, the values of
 * enum link_kind, LINK_UNSUPPORTED included) and how much longer than the
 * captured bytes the frame was on the wire (high nibble); the rest is the
 * captured frame.  decode_frame() and decode_detail() must stay inside it,
 * and a decoded TCP segment must point inside it too.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond)
{
    if (!cond)
        abort();
}

static int inside(const uint8_t *frame, uint32_t caplen, const uint8_t *p,
                  uint32_t n)
{
    return p >= frame && p <= frame + caplen &&
           n <= (uint32_t)(frame + caplen - p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint32_t extra_wire[16] = {
        0, 0, 0, 0, 0, 0, 0, 0, 1, 4, 20, 40, 60, 1460, 65535, 0x7fffffffu
    };
    enum link_kind link;
    struct packet pkt;
    struct frame_detail d;
    const uint8_t *frame;
    uint32_t caplen, wire_len;
    enum decode_result r;

    if (size < 1 || size > 0x10000)
        return 0;
    link = (enum link_kind)((data[0] & 0x0F) % 9);
    frame = data + 1;
    caplen = (uint32_t)(size - 1);
    wire_len = caplen + extra_wire[data[0] >> 4];
    if (wire_len < caplen)
        wire_len = 0xFFFFFFFFu;

    memset(&pkt, 0xA5, sizeof(pkt));
    r = decode_frame(link, frame, caplen, wire_len, 1700000000000000LL,
                     &pkt);
    check(r == DECODE_TCP || r == DECODE_OTHER || r == DECODE_BAD_L2 ||
          r == DECODE_BAD_IP || r == DECODE_BAD_TCP);
    if (r == DECODE_TCP) {
        check(pkt.family == 4 || pkt.family == 6);
        check(pkt.optlen <= TCP_MAX_OPTLEN);
        check(inside(frame, caplen, pkt.opts, pkt.optlen));
        check(pkt.payload_caplen <= pkt.payload_len);
        if (pkt.payload_caplen > 0)
            check(inside(frame, caplen, pkt.payload, pkt.payload_caplen));
        check(pkt.frame == frame && pkt.frame_caplen == caplen);
        check(pkt.l3_offset <= caplen && pkt.l4_offset + 20 <= caplen);
        check(pkt.l3_offset < pkt.l4_offset);
    }
    decode_detail(link, frame, caplen, &d);
    check(d.nvlan >= 0 && d.nvlan <= DECODE_MAX_VLAN_TAGS);
    check(d.has_ip == 0 || d.has_ip == 4 || d.has_ip == 6);
    /* A frame decoded as TCP also has readable TCP header fields. */
    if (r == DECODE_TCP)
        check(d.has_tcp && d.sport == pkt.sport && d.dport == pkt.dport &&
              d.seq == pkt.seq && d.flags == pkt.flags);
    return 0;
}
