/*
 * mkpcap - write the miruo test captures.
 *
 *   mkpcap OUTDIR            write every case into OUTDIR (must exist)
 *   mkpcap OUTDIR NAME...    write only the named cases; NAME is a file
 *                            name ("normal.pcap") or a stem ("normal"
 *                            = normal.pcap, normal.pcapng, normal.snoop)
 *   mkpcap --list            print the case file names
 *
 * The large cases (synflood, synflood_50k, synflood_100k, segflood,
 * pcapread_big) are written only when named.  Output is byte-identical on
 * every run.  See README for the cases.
 */
#include "pcapgen.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define C PG_C2S
#define S PG_S2C
#define US(x)  ((int64_t)(x))
#define MS(x)  ((int64_t)(x) * 1000)
#define SEC(x) ((int64_t)(x) * 1000000)

#define CLI  "10.0.0.1"
#define SRV  "10.0.0.2"
#define CLI6 "2001:db8::1"
#define SRV6 "2001:db8::2"

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

/* open PATH and set up a flow cip:cp -> sip:sp on link kind/linktype */
static int start(pg_writer *w, pg_flow *f, const char *path, int fmt,
                 unsigned flags, uint32_t snaplen, const pg_link *l,
                 const char *cip, uint16_t cp, const char *sip, uint16_t sp)
{
  if (pg_open(w, path, fmt, l->linktype, snaplen, flags) != 0)
    return -1;
  pg_flow_init(f, w, l, cip, cp, sip, sp);
  return 0;
}

static pg_link link_of(int kind)
{
  pg_link l;
  pg_link_init(&l, kind);
  return l;
}

/* The reference session (case `normal`), with optional tweaks. */
struct nparam {
  int64_t t[10];     /* per-packet offsets */
  uint8_t synx;      /* extra flags on SYN */
  uint8_t synackx;   /* extra flags on SYN/ACK */
  int     cut_last;  /* write only part of the last record */
};

static const struct nparam NORMAL = {
  {MS(0), MS(1), MS(2), MS(3), MS(4), MS(5), MS(6), MS(16), MS(17), MS(18)},
  0, 0, 0
};

static void script_normal(pg_flow *f, const struct nparam *p)
{
  if (!p)
    p = &NORMAL;
  pg_syn_o(f, p->t[0], p->synx, pg_o_syn(100, 0));
  pg_synack_o(f, p->t[1], p->synackx, pg_o_syn(200, 100));
  pg_ack_o(f, p->t[2], C, pg_o_ts(101, 200));
  pg_data_o(f, p->t[3], C, 27, pg_o_ts(300, 300));
  pg_ack_o(f, p->t[4], S, pg_o_ts(300, 300));
  pg_data_o(f, p->t[5], S, 40, pg_o_ts(300, 300));
  pg_ack_o(f, p->t[6], C, pg_o_ts(300, 300));
  pg_fin_o(f, p->t[7], C, pg_o_ts(400, 400));
  pg_fin_o(f, p->t[8], S, pg_o_ts(400, 400));
  if (p->cut_last) {
    pg_frame fr;
    pg_flow_build(f, &fr, p->t[9], C, PG_ACK, f->nxt[C], f->nxt[S],
                  pg_o_ts(300, 300), 0);
    pg_write_partial(f->w, f->t0_us + p->t[9], fr.d, (uint32_t)fr.len,
                     (uint32_t)fr.len, 30);
  } else {
    pg_ack_o(f, p->t[9], C, pg_o_ts(300, 300));
  }
}

/* handshake + request/response, automatic timestamps, starting at t */
static void open_req(pg_flow *f, int64_t t)
{
  pg_syn(f, t);
  pg_synack(f, t + MS(1));
  pg_ack(f, t + MS(2), C);
  pg_data(f, t + MS(3), C, 27);
  pg_ack(f, t + MS(4), S);
  pg_data(f, t + MS(5), S, 40);
  pg_ack(f, t + MS(6), C);
}

/* client-initiated close at t: FIN/ACK, FIN/ACK, ACK */
static void close_c(pg_flow *f, int64_t t)
{
  pg_fin(f, t, C);
  pg_fin(f, t + MS(1), S);
  pg_ack(f, t + MS(2), C);
}

/* open_req at t, close 10 ms after (10 packets, like `normal`) */
static void script_auto(pg_flow *f, int64_t t)
{
  open_req(f, t);
  close_c(f, t + MS(16));
}

static int finish(pg_writer *w)
{
  return pg_close(w);
}

/* ------------------------------------------------------------------ */
/* core decoding cases                                                 */
/* ------------------------------------------------------------------ */

/* normal session on a given link / format */
static int normal_on(const char *path, int fmt, unsigned flags, pg_link l,
                     int v6, int ext)
{
  pg_writer w;
  pg_flow f;
  if (start(&w, &f, path, fmt, flags, 0, &l, v6 ? CLI6 : CLI, 40000,
            v6 ? SRV6 : SRV, 80))
    return -1;
  if (ext) {
    pg_flow_ext6(&f, 0);
    pg_flow_ext6(&f, 60);
  }
  script_normal(&f, NULL);
  return finish(&w);
}

static int c_normal(const char *p)
{ return normal_on(p, PG_PCAP, 0, link_of(PG_L2_ETH), 0, 0); }
static int c_normal_be(const char *p)
{ return normal_on(p, PG_PCAP, PG_F_BE, link_of(PG_L2_ETH), 0, 0); }
static int c_normal_ns(const char *p)
{ return normal_on(p, PG_PCAP, PG_F_NSEC, link_of(PG_L2_ETH), 0, 0); }
static int c_normal_ng(const char *p)
{ return normal_on(p, PG_PCAPNG, 0, link_of(PG_L2_ETH), 0, 0); }
static int c_normal_snoop(const char *p)
{ return normal_on(p, PG_SNOOP, 0, link_of(PG_L2_ETH), 0, 0); }
static int c_ipv6(const char *p)
{ return normal_on(p, PG_PCAP, 0, link_of(PG_L2_ETH), 1, 0); }
static int c_ipv6_ext(const char *p)
{ return normal_on(p, PG_PCAP, 0, link_of(PG_L2_ETH), 1, 1); }

static int c_vlan(const char *p)
{
  pg_link l = link_of(PG_L2_ETH);
  pg_link_vlan(&l, 0x8100, 100);
  return normal_on(p, PG_PCAP, 0, l, 0, 0);
}

static int c_qinq(const char *p)
{
  pg_link l = link_of(PG_L2_ETH);
  pg_link_vlan(&l, 0x88a8, 200);
  pg_link_vlan(&l, 0x8100, 100);
  return normal_on(p, PG_PCAP, 0, l, 0, 0);
}

static int c_sll(const char *p)
{ return normal_on(p, PG_PCAP, 0, link_of(PG_L2_SLL), 0, 0); }
static int c_sll2(const char *p)
{ return normal_on(p, PG_PCAP, 0, link_of(PG_L2_SLL2), 0, 0); }
static int c_null_le(const char *p)
{ return normal_on(p, PG_PCAP, 0, link_of(PG_L2_NULL_LE), 0, 0); }
static int c_null_be(const char *p)
{ return normal_on(p, PG_PCAP, 0, link_of(PG_L2_NULL_BE), 0, 0); }
static int c_loop(const char *p)
{ return normal_on(p, PG_PCAP, 0, link_of(PG_L2_LOOP), 0, 0); }
static int c_raw(const char *p)
{ return normal_on(p, PG_PCAP, 0, link_of(PG_L2_NONE), 0, 0); }
static int c_raw6(const char *p)
{ return normal_on(p, PG_PCAP, 0, link_of(PG_L2_NONE), 1, 0); }
static int c_ppp(const char *p)
{ return normal_on(p, PG_PCAP, 0, link_of(PG_L2_PPP), 0, 0); }

static int c_ipv4lt(const char *p)
{
  pg_link l = link_of(PG_L2_NONE);
  l.linktype = PG_LT_IPV4;
  return normal_on(p, PG_PCAP, 0, l, 0, 0);
}

static int c_ipv6lt(const char *p)
{
  pg_link l = link_of(PG_L2_NONE);
  l.linktype = PG_LT_IPV6;
  return normal_on(p, PG_PCAP, 0, l, 1, 0);
}

/* every client data segment carries one option set */
static int c_options(const char *path)
{
  static const uint8_t mss_eol[]  = {0x02, 0x04, 0x05, 0xb4, 0x00};
  static const uint8_t sackok[]   = {0x01, 0x01, 0x04, 0x02};
  static const uint8_t sack1[]    = {0x01, 0x01, 0x05, 0x0a,
                                     0x00, 0x00, 0x80, 0x65,
                                     0x00, 0x00, 0x80, 0xc9};
  static const uint8_t sack2[]    = {0x01, 0x01, 0x05, 0x12,
                                     0x00, 0x00, 0x80, 0x65,
                                     0x00, 0x00, 0x80, 0xc9,
                                     0x00, 0x00, 0x81, 0x2d,
                                     0x00, 0x00, 0x81, 0x91};
  static const uint8_t sack3[]    = {0x01, 0x01, 0x05, 0x1a,
                                     0x00, 0x00, 0x80, 0x65,
                                     0x00, 0x00, 0x80, 0xc9,
                                     0x00, 0x00, 0x81, 0x2d,
                                     0x00, 0x00, 0x81, 0x91,
                                     0x00, 0x00, 0x81, 0xf5,
                                     0x00, 0x00, 0x82, 0x59};
  static const uint8_t wscale[]   = {0x01, 0x03, 0x03, 0x07};
  static const uint8_t k30[]      = {0x1e, 0x04, 0xab, 0xcd};
  static const uint8_t k34[]      = {0x22, 0x0a, 0x01, 0x23, 0x45, 0x67,
                                     0x89, 0xab, 0xcd, 0xef, 0x01, 0x01};
  static const uint8_t k254[]     = {0xfe, 0x06, 0x12, 0x34, 0x56, 0x78,
                                     0x01, 0x01};
  static const uint8_t k19[]      = {0x13, 0x12,
                                     0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
                                     0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,
                                     0xcc, 0xdd, 0xee, 0xff, 0x01, 0x01};
  static const uint8_t tsmax[]    = {0x01, 0x01, 0x08, 0x0a,
                                     0xff, 0xff, 0xff, 0xff,
                                     0x00, 0x00, 0x00, 0x01};
  static const uint8_t eolfirst[] = {0x00, 0xde, 0xad, 0xbe, 0xef,
                                     0x55, 0xaa, 0x55};
  static const uint8_t nops[]     = {0x01, 0x01, 0x01, 0x01};
  static const uint8_t len0[]     = {0x02, 0x00, 0x05, 0xb4};
  static const uint8_t len1[]     = {0x02, 0x01, 0x05, 0xb4};
  static const uint8_t overrun[]  = {0x01, 0x01, 0x1e, 0x0c,
                                     0xaa, 0xbb, 0xcc, 0xdd};
  static const uint8_t tslen6[]   = {0x08, 0x06, 0x00, 0x00, 0x00, 0x01,
                                     0x01, 0x01};
  static const struct { const uint8_t *b; size_t n; } set[] = {
    {mss_eol, sizeof(mss_eol)}, {sackok, sizeof(sackok)},
    {sack1, sizeof(sack1)}, {sack2, sizeof(sack2)}, {sack3, sizeof(sack3)},
    {wscale, sizeof(wscale)}, {k30, sizeof(k30)}, {k34, sizeof(k34)},
    {k254, sizeof(k254)}, {k19, sizeof(k19)}, {tsmax, sizeof(tsmax)},
    {eolfirst, sizeof(eolfirst)}, {nops, sizeof(nops)},
    {len0, sizeof(len0)}, {len1, sizeof(len1)},
    {overrun, sizeof(overrun)}, {tslen6, sizeof(tslen6)},
  };
  pg_writer w;
  pg_flow f;
  pg_link l = link_of(PG_L2_ETH);
  size_t i;
  int64_t t = MS(3);

  if (start(&w, &f, path, PG_PCAP, 0, 0, &l, CLI, 40000, SRV, 80))
    return -1;
  pg_syn(&f, 0);
  pg_synack(&f, MS(1));
  pg_ack(&f, MS(2), C);
  for (i = 0; i < sizeof(set) / sizeof(set[0]); i++) {
    pg_data_o(&f, t, C, 10, pg_o_raw(set[i].b, set[i].n));
    pg_ack(&f, t + MS(1), S);
    t += MS(2);
  }
  close_c(&f, t + MS(10));
  return finish(&w);
}

/* snaplen 54: SYN/SYN-ACK cut where the TCP options start, data cut
   where the payload starts; plus records of caplen 10, 20, 40 */
static int c_truncated(const char *path)
{
  pg_writer w;
  pg_flow f;
  pg_frame fr;
  pg_link l = link_of(PG_L2_ETH);

  if (start(&w, &f, path, PG_PCAP, 0, 54, &l, CLI, 40000, SRV, 80))
    return -1;
  f.ts_auto = 0;
  pg_syn_o(&f, 0, 0, pg_o_syn(100, 0));
  pg_synack_o(&f, MS(1), 0, pg_o_syn(200, 100));
  pg_ack_o(&f, MS(2), C, pg_o_none());
  pg_data_o(&f, MS(3), C, 27, pg_o_none());
  pg_ack_o(&f, MS(4), S, pg_o_none());
  /* the same would-be client segment, cut short three ways */
  pg_flow_build(&f, &fr, MS(5), C, PG_PSH | PG_ACK, f.nxt[C], f.nxt[S],
                pg_o_none(), 10);
  pg_write_rec(&w, f.t0_us + MS(5), fr.d, 10, (uint32_t)fr.len);
  pg_write_rec(&w, f.t0_us + MS(6), fr.d, 20, (uint32_t)fr.len);
  pg_write_rec(&w, f.t0_us + MS(7), fr.d, 40, (uint32_t)fr.len);
  pg_data_o(&f, MS(8), S, 40, pg_o_none());
  pg_ack_o(&f, MS(9), C, pg_o_none());
  pg_fin_o(&f, MS(19), C, pg_o_none());
  pg_fin_o(&f, MS(20), S, pg_o_none());
  pg_ack_o(&f, MS(21), C, pg_o_none());
  return finish(&w);
}

/* rebuild the TCP checksum of a frame after patching */
static void fix_tcp(pg_flow *f, pg_frame *fr, int dir)
{
  pg_tcp_csum4(fr->d + fr->l4off, fr->len - fr->l4off, f->ip[dir],
               f->ip[!dir]);
}

static int c_bad_headers(const char *path)
{
  pg_writer w;
  pg_flow f, h, v;
  pg_frame fr;
  pg_link l = link_of(PG_L2_ETH), l9 = link_of(PG_L2_ETH);
  uint8_t b[PG_MAXFRAME];
  uint8_t a6[16], z6[16];
  size_t n, i, ip, l4;
  uint8_t *ipp;
  const struct nparam *np = &NORMAL;
  int64_t t;

  if (start(&w, &f, path, PG_PCAP, 0, 0, &l, CLI, 40000, SRV, 80))
    return -1;
  /* h: another flow used for hostile packets that must not disturb f */
  pg_flow_init(&h, &w, &l, "10.0.0.3", 40001, SRV, 80);
  pg_flow_established(&h);
  for (i = 0; i < 9; i++)
    pg_link_vlan(&l9, 0x8100, (uint16_t)(i + 1));
  pg_flow_init(&v, &w, &l9, "10.0.0.5", 40002, SRV, 80);
  pg_flow_established(&v);

  pg_syn_o(&f, np->t[0], 0, pg_o_syn(100, 0));
  pg_synack_o(&f, np->t[1], 0, pg_o_syn(200, 100));
  pg_ack_o(&f, np->t[2], C, pg_o_ts(101, 200));

  /* same flow, bad TCP data offsets 0, 1, 4 (10 payload bytes) */
  t = np->t[2] + US(100);
  {
    static const uint8_t doff[3] = {0, 1, 4};
    for (i = 0; i < 3; i++) {
      pg_flow_build(&f, &fr, t, C, PG_PSH | PG_ACK, f.nxt[C], f.nxt[S],
                    pg_o_none(), 10);
      fr.d[fr.l4off + 12] = (uint8_t)(doff[i] << 4);
      fix_tcp(&f, &fr, C);
      pg_emit(&f, t, &fr);
      t += US(100);
    }
  }
  /* same flow, data offset 15 with only the 20-byte header present */
  pg_flow_build(&f, &fr, t, C, PG_ACK, f.nxt[C], f.nxt[S], pg_o_none(), 0);
  fr.d[fr.l4off + 12] = 0xf0;
  fix_tcp(&f, &fr, C);
  pg_emit(&f, t, &fr);

  pg_data_o(&f, np->t[3], C, 27, pg_o_ts(300, 300));

  /* same flow, IPv4 IHL 3 and IHL 15 (no options present) */
  t = np->t[3] + US(100);
  pg_flow_build(&f, &fr, t, C, PG_ACK, f.nxt[C], f.nxt[S], pg_o_none(), 0);
  fr.d[fr.l3off] = 0x43;
  pg_ip4_fix_csum(fr.d + fr.l3off, 20);
  pg_emit(&f, t, &fr);
  t += US(100);
  pg_flow_build(&f, &fr, t, C, PG_ACK, f.nxt[C], f.nxt[S], pg_o_none(), 0);
  fr.d[fr.l3off] = 0x4f;
  pg_ip4_fix_csum(fr.d + fr.l3off, 20);
  pg_emit(&f, t, &fr);

  pg_ack_o(&f, np->t[4], S, pg_o_ts(300, 300));

  /* other flow: IP total length 0, total length > frame */
  t = np->t[4] + US(100);
  pg_flow_build(&h, &fr, t, C, PG_PSH | PG_ACK, h.nxt[C], h.nxt[S],
                pg_o_none(), 10);
  pg_put16be(fr.d + fr.l3off + 2, 0);
  pg_ip4_fix_csum(fr.d + fr.l3off, 20);
  pg_emit(&h, t, &fr);
  t += US(100);
  pg_flow_build(&h, &fr, t, C, PG_PSH | PG_ACK, h.nxt[C], h.nxt[S],
                pg_o_none(), 10);
  pg_put16be(fr.d + fr.l3off + 2, 1500);
  pg_ip4_fix_csum(fr.d + fr.l3off, 20);
  pg_emit(&h, t, &fr);

  pg_data_o(&f, np->t[5], S, 40, pg_o_ts(300, 300));

  /* IPv6 with a chain of 70 destination-options headers, then TCP */
  t = np->t[5] + US(100);
  pg_addr(CLI6, a6);
  pg_addr(SRV6, z6);
  n = pg_l2_hdr(b, &l, 1, 6, 0);
  ip = n;
  n += 40;
  for (i = 0; i < 70; i++)
    n += pg_ip6_ext(b + n, 60, i + 1 < 70 ? 60 : 6, 0);
  l4 = n;
  n += pg_tcp_seg(b + n, 40003, 80, 0x1000, 0, PG_SYN, 65535, NULL, 0,
                  NULL, 0, 0);
  pg_ip6_hdr(b + ip, a6, z6, 60, 64, n - ip - 40);
  pg_l4_csum(b + l4, n - l4, 6, 6, a6, z6, 16);
  pg_emit_buf(&f, t, b, n);
  t += US(100);

  /* IPv6 hop-by-hop header claiming 2048 bytes in a 28-byte payload */
  n = pg_l2_hdr(b, &l, 1, 6, 0);
  ip = n;
  n += 40;
  n += pg_ip6_ext(b + n, 0, 6, 0);
  b[ip + 40 + 1] = 255;
  n += pg_tcp_seg(b + n, 40004, 80, 0x1000, 0, PG_SYN, 65535, NULL, 0,
                  NULL, 0, 0);
  pg_ip6_hdr(b + ip, a6, z6, 0, 64, n - ip - 40);
  pg_emit_buf(&f, t, b, n);

  pg_ack_o(&f, np->t[6], C, pg_o_ts(300, 300));

  /* 9 stacked 802.1Q tags around an otherwise fine TCP segment */
  t = np->t[6] + US(100);
  pg_pkt(&v, t, C, PG_PSH | PG_ACK, v.nxt[C], v.nxt[S], pg_o_none(), 10);
  t += US(100);

  /* a 5-byte Ethernet frame */
  {
    static const uint8_t five[5] = {0x02, 0x00, 0x00, 0x00, 0x00};
    pg_emit_buf(&f, t, five, sizeof(five));
    t += US(100);
  }

  /* ARP request 10.0.0.1 asks for 10.0.0.2 */
  n = 0;
  memset(b, 0xff, 6);
  memcpy(b + 6, l.cmac, 6);
  pg_put16be(b + 12, 0x0806);
  pg_put16be(b + 14, 1);
  pg_put16be(b + 16, 0x0800);
  b[18] = 6;
  b[19] = 4;
  pg_put16be(b + 20, 1);
  memcpy(b + 22, l.cmac, 6);
  memcpy(b + 28, f.ip[C], 4);
  memset(b + 32, 0, 6);
  memcpy(b + 38, f.ip[S], 4);
  n = 42;
  pg_emit_buf(&f, t, b, n);
  t += US(100);

  /* UDP 10.0.0.1:5353 -> 10.0.0.2:53, 12 bytes */
  n = pg_l2_hdr(b, &l, 1, 4, 0);
  ip = n;
  ipp = b + ip;
  l4 = ip + 20;
  pg_put16be(b + l4, 5353);
  pg_put16be(b + l4 + 2, 53);
  pg_put16be(b + l4 + 4, 8 + 12);
  for (i = 0; i < 12; i++)
    b[l4 + 8 + i] = (uint8_t)('A' + i);
  pg_ip4_hdr(ipp, f.ip[C], f.ip[S], 17, 0x3000, PG_IP_DF, 64, 20);
  pg_l4_csum(b + l4, 20, 4, 17, f.ip[C], f.ip[S], 6);
  n = l4 + 20;
  pg_emit_buf(&f, t, b, n);
  t += US(100);

  /* ICMP echo request 10.0.0.1 -> 10.0.0.2, 8 data bytes */
  n = pg_l2_hdr(b, &l, 1, 4, 0);
  ip = n;
  l4 = ip + 20;
  b[l4] = 8;
  b[l4 + 1] = 0;
  b[l4 + 2] = b[l4 + 3] = 0;
  pg_put16be(b + l4 + 4, 0x1234);
  pg_put16be(b + l4 + 6, 1);
  for (i = 0; i < 8; i++)
    b[l4 + 8 + i] = (uint8_t)i;
  pg_put16be(b + l4 + 2, pg_fold(pg_sum(0, b + l4, 16)));
  pg_ip4_hdr(b + ip, f.ip[C], f.ip[S], 1, 0x3001, 0, 64, 16);
  n = l4 + 16;
  pg_emit_buf(&f, t, b, n);

  pg_fin_o(&f, np->t[7], C, pg_o_ts(400, 400));
  pg_fin_o(&f, np->t[8], S, pg_o_ts(400, 400));
  pg_ack_o(&f, np->t[9], C, pg_o_ts(300, 300));
  return finish(&w);
}

/* a flow on Ethernet/IPv4 10.0.0.1:40000 -> 10.0.0.2:80 */
#define FLOW(path) \
  pg_writer w; pg_flow f; pg_link l = link_of(PG_L2_ETH); \
  if (start(&w, &f, (path), PG_PCAP, 0, 0, &l, CLI, 40000, SRV, 80)) \
    return -1

static int c_midstream(const char *path)
{
  FLOW(path);
  pg_flow_isn(&f, 0x12340000u, 0x56780000u);
  pg_flow_established(&f);
  pg_data(&f, 0, C, 100);
  pg_data(&f, MS(1), S, 200);
  pg_data(&f, MS(2), C, 50);
  pg_data(&f, MS(3), S, 300);
  pg_ack(&f, MS(4), C);
  close_c(&f, MS(14));
  return finish(&w);
}

static int c_midstream_rst(const char *path)
{
  FLOW(path);
  pg_flow_isn(&f, 0x12340000u, 0x56780000u);
  pg_flow_established(&f);
  pg_data(&f, 0, C, 100);
  pg_data(&f, MS(1), S, 200);
  pg_data(&f, MS(2), C, 50);
  pg_rst_o(&f, MS(3), S, pg_o_none());
  return finish(&w);
}

static int c_ecn(const char *path)
{
  struct nparam p = NORMAL;
  FLOW(path);
  p.synx = PG_ECE | PG_CWR;
  p.synackx = PG_ECE;
  script_normal(&f, &p);
  return finish(&w);
}

static int c_unclosed(const char *path)
{
  FLOW(path);
  open_req(&f, 0);
  return finish(&w);
}

static int c_twoflows(const char *path)
{
  pg_flow g;
  FLOW(path);
  pg_flow_init(&g, &w, &l, CLI, 40001, SRV, 80);
  pg_flow_isn(&g, 0x2000, 0x9000);
  pg_syn(&f, 0);
  pg_syn(&g, US(500));
  pg_synack(&f, MS(1));
  pg_synack(&g, US(1500));
  pg_ack(&f, MS(2), C);
  pg_ack(&g, US(2500), C);
  pg_data(&f, MS(3), C, 27);
  pg_data(&g, US(3500), C, 30);
  pg_ack(&f, MS(4), S);
  pg_ack(&g, US(4500), S);
  pg_data(&f, MS(5), S, 40);
  pg_data(&g, US(5500), S, 50);
  pg_ack(&f, MS(6), C);
  pg_ack(&g, US(6500), C);
  pg_fin(&f, MS(16), C);
  pg_fin(&g, US(16500), C);
  pg_fin(&f, MS(17), S);
  pg_fin(&g, US(17500), S);
  pg_ack(&f, MS(18), C);
  pg_ack(&g, US(18500), C);
  return finish(&w);
}

static int c_timestamps_back(const char *path)
{
  struct nparam p = NORMAL;
  FLOW(path);
  p.t[4] = p.t[3] - SEC(2);   /* S->C ACK stamped 2 s before the data */
  script_normal(&f, &p);
  return finish(&w);
}

static int c_trunc_record(const char *path)
{
  struct nparam p = NORMAL;
  FLOW(path);
  p.cut_last = 1;
  script_normal(&f, &p);
  return finish(&w);
}

static int c_hdr_only(const char *path)
{
  pg_writer w;
  if (pg_open(&w, path, PG_PCAP, PG_LT_ETHERNET, 0, 0))
    return -1;
  return finish(&w);
}

static int c_empty(const char *path)
{
  FILE *fp = fopen(path, "wb");
  if (!fp || fclose(fp) != 0) {
    perror(path);
    return -1;
  }
  return 0;
}

static int c_garbage(const char *path)
{
  uint8_t b[256];
  uint32_t x = 12345u;
  size_t i;
  FILE *fp = fopen(path, "wb");
  if (!fp) {
    perror(path);
    return -1;
  }
  for (i = 0; i < sizeof(b); i++) {
    x = x * 1103515245u + 12345u;
    b[i] = (uint8_t)(x >> 16);
  }
  if (fwrite(b, 1, sizeof(b), fp) != sizeof(b) || fclose(fp) != 0) {
    perror(path);
    return -1;
  }
  return 0;
}

/* ------------------------------------------------------------------ */
/* lookup cases                                                        */
/* ------------------------------------------------------------------ */

/* two 100-byte client segments, ACK, the first resent after `delay` */
static int retrans_after(const char *path, int64_t delay)
{
  pg_frame first;
  FLOW(path);
  pg_syn(&f, 0);
  pg_synack(&f, MS(1));
  pg_ack(&f, MS(2), C);
  pg_data(&f, MS(3), C, 100);
  first = f.last;
  pg_data(&f, MS(4), C, 100);
  pg_ack(&f, MS(5), S);
  pg_emit(&f, MS(3) + delay, &first);
  pg_ack(&f, MS(3) + delay + MS(1), S);
  close_c(&f, MS(3) + delay + MS(11));
  return finish(&w);
}

static int c_retrans(const char *p)      { return retrans_after(p, MS(1500)); }
static int c_retrans_999(const char *p)  { return retrans_after(p, MS(999)); }
static int c_retrans_1001(const char *p) { return retrans_after(p, MS(1001)); }

static int c_retrans_repack(const char *path)
{
  FLOW(path);
  pg_syn(&f, 0);
  pg_synack(&f, MS(1));
  pg_ack(&f, MS(2), C);
  pg_data(&f, MS(3), C, 100);
  pg_data(&f, MS(4), C, 100);
  pg_data(&f, MS(5), C, 100);
  pg_ack(&f, MS(6), S);
  /* bytes 50..249 again, 1.5 s after the segment holding byte 50 */
  pg_pkt(&f, MS(1503), C, PG_PSH | PG_ACK, f.isn[C] + 1 + 50, f.nxt[S],
         pg_o_auto(), 200);
  pg_ack(&f, MS(1504), S);
  close_c(&f, MS(1514));
  return finish(&w);
}

static int c_synretrans(const char *path)
{
  pg_frame syn;
  FLOW(path);
  pg_syn(&f, 0);
  syn = f.last;
  pg_emit(&f, SEC(1), &syn);      /* identical copy */
  pg_syn(&f, SEC(3));             /* new timestamp value */
  pg_synack(&f, SEC(3) + MS(1));
  pg_ack(&f, SEC(3) + MS(2), C);
  close_c(&f, SEC(3) + MS(12));
  return finish(&w);
}

static int c_synack_retrans(const char *path)
{
  pg_frame sa;
  FLOW(path);
  pg_syn(&f, 0);
  pg_synack(&f, MS(1));
  sa = f.last;
  pg_emit(&f, MS(1001), &sa);     /* identical copy, 1 s later */
  pg_ack(&f, MS(1002), C);
  pg_data(&f, MS(1003), C, 27);
  pg_ack(&f, MS(1004), S);
  pg_data(&f, MS(1005), S, 40);
  pg_ack(&f, MS(1006), C);
  close_c(&f, MS(1016));
  return finish(&w);
}

static int c_keepalive(const char *path)
{
  int64_t t = MS(6);
  int i;
  FLOW(path);
  open_req(&f, 0);
  for (i = 0; i < 3; i++) {
    t += SEC(75);
    /* probe: seq = snd_nxt - 1, 0 bytes (1st, 3rd) or 1 byte (2nd) */
    pg_pkt(&f, t, C, PG_ACK, f.nxt[C] - 1, f.nxt[S], pg_o_auto(),
           i == 1 ? 1 : 0);
    pg_ack(&f, t + MS(1), S);
  }
  close_c(&f, t + SEC(1));
  return finish(&w);
}

static int c_zerowin(const char *path)
{
  int i;
  FLOW(path);
  pg_syn(&f, 0);
  pg_synack(&f, MS(1));
  pg_ack(&f, MS(2), C);
  pg_data(&f, MS(3), C, 100);
  f.win[S] = 0;
  pg_ack(&f, MS(4), S);
  for (i = 1; i <= 4; i++) {
    /* 1-byte zero-window probe (next byte), answered with window 0 */
    pg_pkt(&f, SEC(i) + MS(4), C, PG_ACK, f.nxt[C], f.nxt[S], pg_o_auto(),
           1);
    pg_ack(&f, SEC(i) + MS(5), S);
  }
  f.win[S] = 65535;
  pg_ack(&f, MS(4500), S);        /* window update */
  pg_data(&f, MS(4501), C, 100);
  pg_ack(&f, MS(4502), S);
  close_c(&f, MS(4512));
  return finish(&w);
}

static int c_ooo(const char *path)
{
  uint32_t base;
  FLOW(path);
  pg_syn(&f, 0);
  pg_synack(&f, MS(1));
  pg_ack(&f, MS(2), C);
  base = f.nxt[C];
  pg_pkt(&f, MS(3), C, PG_PSH | PG_ACK, base, f.nxt[S], pg_o_auto(), 100);
  pg_pkt(&f, US(3500), S, PG_ACK, f.nxt[S], base + 100, pg_o_auto(), 0);
  pg_pkt(&f, MS(4), C, PG_PSH | PG_ACK, base + 200, f.nxt[S], pg_o_auto(),
         100);                                           /* C */
  pg_pkt(&f, US(4500), S, PG_ACK, f.nxt[S], base + 100, pg_o_auto(), 0);
  pg_pkt(&f, MS(9), C, PG_PSH | PG_ACK, base + 100, f.nxt[S], pg_o_auto(),
         100);                                           /* B */
  f.nxt[C] = base + 300;
  pg_ack(&f, US(9500), S);
  close_c(&f, MS(20));
  return finish(&w);
}

static int c_rst(const char *path)
{
  FLOW(path);
  open_req(&f, 0);
  pg_rst_o(&f, MS(16), S, pg_o_none());
  return finish(&w);
}

static int c_rst_afterfin(const char *path)
{
  FLOW(path);
  open_req(&f, 0);
  pg_fin(&f, MS(16), C);
  pg_ack(&f, MS(17), S);
  pg_rst_o(&f, MS(18), S, pg_o_none());
  return finish(&w);
}

static int c_rst_finwait1(const char *path)
{
  FLOW(path);
  open_req(&f, 0);
  pg_fin(&f, MS(16), C);
  pg_pkt(&f, MS(17), S, PG_RST, f.nxt[S], 0, pg_o_none(), 0);
  return finish(&w);
}

static int c_rst_refused(const char *path)
{
  FLOW(path);
  pg_syn(&f, 0);
  pg_pkt(&f, MS(1), S, PG_RST | PG_ACK, 0, f.nxt[C], pg_o_none(), 0);
  return finish(&w);
}

static int c_frag(const char *path)
{
  pg_frame seg, fr;
  size_t iplen;
  FLOW(path);
  pg_syn(&f, 0);
  pg_synack(&f, MS(1));
  pg_ack(&f, MS(2), C);
  pg_flow_build(&f, &seg, MS(3), C, PG_PSH | PG_ACK, f.nxt[C], f.nxt[S],
                pg_o_auto(), 1200);
  f.nxt[C] += 1200;
  iplen = seg.len - seg.l3off - 20;               /* 32 + 1200 */
  pg_frag4(&seg, 0, 480, 1, &fr);
  pg_emit(&f, MS(3), &fr);
  pg_frag4(&seg, 480, 480, 1, &fr);
  pg_emit(&f, MS(3) + US(10), &fr);
  pg_frag4(&seg, 960, iplen - 960, 0, &fr);
  pg_emit(&f, MS(3) + US(20), &fr);
  pg_ack(&f, MS(4), S);
  close_c(&f, MS(14));
  return finish(&w);
}

static int c_slow(const char *path)
{
  FLOW(path);
  pg_syn(&f, 0);
  pg_synack(&f, MS(1));
  pg_ack(&f, MS(2), C);
  pg_data(&f, MS(3), C, 27);
  pg_ack(&f, MS(4), S);
  pg_data(&f, MS(2004), S, 40);   /* exactly 2.000 s after its ACK */
  pg_ack(&f, MS(2005), C);
  close_c(&f, MS(2015));
  return finish(&w);
}

static int c_longconn(const char *path)
{
  FLOW(path);
  pg_syn(&f, 0);
  pg_synack(&f, MS(1));
  pg_ack(&f, MS(2), C);
  pg_data(&f, MS(3), C, 27);
  pg_ack(&f, MS(4), S);
  pg_data(&f, MS(1500), S, 40);
  pg_ack(&f, MS(1501), C);
  close_c(&f, MS(3500));          /* last packet at 3.502 */
  return finish(&w);
}

static int c_dupconn(const char *path)
{
  FLOW(path);
  pg_syn(&f, 0);
  pg_synack(&f, MS(1));
  pg_ack(&f, MS(2), C);
  pg_flow_isn(&f, 0x5000, 0x9000);
  script_auto(&f, MS(1002));
  return finish(&w);
}

static int c_timeout_halfopen(const char *path)
{
  pg_flow g;
  FLOW(path);
  pg_syn(&f, 0);
  pg_flow_init(&g, &w, &l, "10.0.0.3", 40001, "10.0.0.4", 80);
  script_auto(&g, SEC(40));
  return finish(&w);
}

/* one of the 20 steps of a pool session */
static void pool_step(pg_flow *f, int i, int64_t t)
{
  if (i == 0)
    pg_syn(f, t);
  else if (i == 1)
    pg_synack(f, t);
  else if (i == 2)
    pg_ack(f, t, C);
  else if (i < 17)
    pg_data(f, t, (i & 1) ? C : S, (i & 1) ? 50 : 100);
  else if (i == 17)
    pg_fin(f, t, C);
  else if (i == 18)
    pg_fin(f, t, S);
  else
    pg_ack(f, t, C);
}

static int c_pool(const char *path)
{
  pg_flow g[3];
  pg_writer w;
  pg_link l = link_of(PG_L2_ETH);
  int i, k;

  if (pg_open(&w, path, PG_PCAP, l.linktype, 0, 0))
    return -1;
  for (k = 0; k < 3; k++) {
    pg_flow_init(&g[k], &w, &l, CLI, (uint16_t)(40000 + k), SRV, 80);
    pg_flow_isn(&g[k], 0x1000 + 0x100000u * (uint32_t)k,
                0x8000 + 0x100000u * (uint32_t)k);
  }
  for (i = 0; i < 20; i++)
    for (k = 0; k < 3; k++)
      pool_step(&g[k], i, MS(3 * i + k));
  return finish(&w);
}

/* ------------------------------------------------------------------ */
/* hostile cases (tests/t-hostile.sh)                                  */
/* ------------------------------------------------------------------ */

/* a client segment of flow f with its TCP data offset set to doff */
static void emit_doff(pg_flow *f, int64_t t, uint8_t doff, pg_opts o,
                      size_t paylen)
{
  pg_frame fr;
  pg_flow_build(f, &fr, t, C, PG_PSH | PG_ACK, f->nxt[C], f->nxt[S], o,
                paylen);
  fr.d[fr.l4off + 12] = (uint8_t)(doff << 4);
  pg_fix_tcp(f, &fr, C);
  pg_emit(f, t, &fr);
}

/* TCP data offsets 0-4 and past the segment (7 TCP header errors), then
   client segments whose options are malformed in every other way */
static int c_hostile_tcp(const char *path)
{
  static const uint8_t o_unk0[]   = {0x63, 0x00, 0x01, 0x01};
  static const uint8_t o_ts0[]    = {0x08, 0x00, 0x01, 0x01};
  static const uint8_t o_sack0[]  = {0x05, 0x00, 0x01, 0x01};
  static const uint8_t o_sack1[]  = {0x05, 0x01, 0x01, 0x01};
  static const uint8_t o_sack2[]  = {0x05, 0x02, 0x01, 0x01};
  static const uint8_t o_sack3[]  = {0x05, 0x03, 0x00, 0x01};
  static const uint8_t o_ws1[]    = {0x03, 0x01, 0x01, 0x01};
  static const uint8_t o_sok3[]   = {0x04, 0x03, 0x01, 0x01};
  static const uint8_t o_kind29[] = {0x1d, 0xff, 0x01, 0x02};
  static const uint8_t o_last[]   = {0x01, 0x01, 0x01, 0x02};
  uint8_t big[40];
  pg_writer w;
  pg_flow f;
  pg_link l = link_of(PG_L2_ETH);
  int64_t t;
  size_t i;
  struct { const uint8_t *b; size_t n; } set[16];
  size_t nset = 0;
  uint8_t sack255[40], nop40[40], eol40[40], k30_40[40], ts_over[40],
          mss_cut[40];

  if (start(&w, &f, path, PG_PCAP, 0, 0, &l, CLI, 40000, SRV, 80))
    return -1;
  pg_syn(&f, 0);
  pg_synack(&f, MS(1));
  pg_ack(&f, MS(2), C);
  t = MS(3);
  for (i = 0; i <= 4; i++) {              /* data offsets 0..4 */
    emit_doff(&f, t, (uint8_t)i, pg_o_none(), 10);
    t += US(100);
  }
  emit_doff(&f, t, 6, pg_o_none(), 0);    /* 24 > 20 bytes of TCP */
  t += US(100);
  memset(big, 0x01, sizeof(big));         /* 20 B of NOPs: 40 B of TCP */
  emit_doff(&f, t, 15, pg_o_raw(big, 20), 0);   /* 60 > 40 */
  t += US(100);

  memset(sack255, 0x01, 40);
  sack255[0] = 0x05; sack255[1] = 0xff;
  memset(nop40, 0x01, 40);
  memset(eol40, 0x00, 40);
  memset(k30_40, 0xab, 40);
  k30_40[0] = 0x1e; k30_40[1] = 40;       /* exactly fills the area */
  memset(ts_over, 0x01, 40);
  ts_over[32] = 0x08; ts_over[33] = 0x0a; /* needs 10, 8 left */
  memset(mss_cut, 0x01, 40);
  mss_cut[38] = 0x02; mss_cut[39] = 0x04; /* value missing */
#define ADD(a, len) (set[nset].b = (a), set[nset].n = (len), nset++)
  ADD(o_unk0, 4); ADD(o_ts0, 4); ADD(o_sack0, 4); ADD(o_sack1, 4);
  ADD(o_sack2, 4); ADD(o_sack3, 4); ADD(o_ws1, 4); ADD(o_sok3, 4);
  ADD(o_kind29, 4); ADD(o_last, 4); ADD(sack255, 40); ADD(nop40, 40);
  ADD(eol40, 40); ADD(k30_40, 40); ADD(ts_over, 40); ADD(mss_cut, 40);
#undef ADD
  for (i = 0; i < nset; i++) {
    pg_data_o(&f, t, C, 10, pg_o_raw(set[i].b, set[i].n));
    pg_ack(&f, t + US(500), S);
    t += MS(1);
  }
  close_c(&f, t + MS(10));
  return finish(&w);
}

/* emit an IPv4 frame of flow f after fixing its header checksum */
static void emit_v4(pg_flow *f, int64_t t, pg_frame *fr)
{
  pg_ip4_fix_csum(fr->d + fr->l3off, (size_t)(fr->d[fr->l3off] & 15) * 4 >= 20
                  ? (size_t)(fr->d[fr->l3off] & 15) * 4 : 20);
  pg_emit(f, t, fr);
}

/* IPv6 frame: Ethernet, fixed header, the given extension headers
   (types[i], each 8 bytes unless len8[i]), then a bare TCP SYN of tcplen
   bytes (0 = none).  plen_override: payload length field, -1 = correct. */
static size_t v6_chain(uint8_t *b, const pg_link *l, const uint8_t *types,
                       const uint8_t *len8, size_t ntypes, int final_nh,
                       size_t tcplen, long plen_override, uint16_t sport)
{
  uint8_t a6[16], z6[16];
  size_t n, ip, i, l4;

  pg_addr(CLI6, a6);
  pg_addr(SRV6, z6);
  n = pg_l2_hdr(b, l, 1, 6, 0);
  ip = n;
  n += 40;
  for (i = 0; i < ntypes; i++) {
    uint8_t next = i + 1 < ntypes ? types[i + 1] : (uint8_t)final_nh;
    if (types[i] == 51) {                 /* AH: 4-byte units, + 2 */
      memset(b + n, 0, 12);
      b[n] = next;
      b[n + 1] = 1;                       /* (1 + 2) * 4 = 12 bytes */
      n += 12;
    } else {
      n += pg_ip6_ext(b + n, types[i], next, len8 ? len8[i] : 0);
    }
    if (n > PG_MAXFRAME - 100)
      break;
  }
  l4 = n;
  if (tcplen >= 20) {
    n += pg_tcp_seg(b + n, sport, 80, 0x1000, 0, PG_SYN, 65535, NULL, 0,
                    NULL, 0, 0);
    pg_l4_csum(b + l4, n - l4, 6, 6, a6, z6, 16);
  }
  pg_ip6_hdr(b + ip, a6, z6, ntypes ? types[0] : (uint8_t)final_nh, 64,
             plen_override >= 0 ? (size_t)plen_override : n - ip - 40);
  return n;
}

/* IPv4 IHL < 5, bad versions, total lengths 0 / short / past the frame;
   IPv6 extension chains: too long, looping, exactly at the limit, one
   past it, overrunning; around a normal session */
static int c_hostile_ip(const char *path)
{
  uint8_t b[PG_MAXFRAME], types[80];
  uint8_t one_len[1] = {200};
  pg_writer w;
  pg_flow f, h;
  pg_frame fr;
  pg_link l = link_of(PG_L2_ETH);
  const struct nparam *np = &NORMAL;
  int64_t t;
  size_t i, n;

  if (start(&w, &f, path, PG_PCAP, 0, 0, &l, CLI, 40000, SRV, 80))
    return -1;
  pg_flow_init(&h, &w, &l, "10.0.0.3", 40001, SRV, 80);
  pg_flow_established(&h);
  f.ts_auto = 0;
  pg_syn_o(&f, np->t[0], 0, pg_o_syn(100, 0));
  pg_synack_o(&f, np->t[1], 0, pg_o_syn(200, 100));
  pg_ack_o(&f, np->t[2], C, pg_o_ts(101, 200));

  t = np->t[2] + US(50);
  /* IPv4 IHL 0..4: 5 IP errors */
  for (i = 0; i <= 4; i++) {
    pg_flow_build(&h, &fr, t, C, PG_PSH | PG_ACK, h.nxt[C], h.nxt[S],
                  pg_o_none(), 10);
    fr.d[fr.l3off] = (uint8_t)(0x40 | i);
    emit_v4(&h, t, &fr);
    t += US(10);
  }
  /* version 5, and version 6 under the IPv4 EtherType: 2 IP errors */
  for (i = 0; i < 2; i++) {
    pg_flow_build(&h, &fr, t, C, PG_PSH | PG_ACK, h.nxt[C], h.nxt[S],
                  pg_o_none(), 10);
    fr.d[fr.l3off] = i ? 0x65 : 0x55;
    emit_v4(&h, t, &fr);
    t += US(10);
  }
  /* total length 19 (< IHL), 1500 and 65535 in a 64-byte frame: 3 IP
     errors; 39 (TCP cut to 19 bytes): 1 TCP error */
  {
    static const uint16_t tl[4] = {19, 1500, 65535, 39};
    for (i = 0; i < 4; i++) {
      pg_flow_build(&h, &fr, t, C, PG_PSH | PG_ACK, h.nxt[C], h.nxt[S],
                    pg_o_none(), 10);
      pg_put16be(fr.d + fr.l3off + 2, tl[i]);
      emit_v4(&h, t, &fr);
      t += US(10);
    }
  }
  /* total length 41 in a frame carrying 10 payload bytes (the rest is
     link padding): a valid 1-byte segment of flow h */
  pg_flow_build(&h, &fr, t, C, PG_PSH | PG_ACK, h.nxt[C], h.nxt[S],
                pg_o_none(), 10);
  pg_put16be(fr.d + fr.l3off + 2, 41);
  emit_v4(&h, t, &fr);
  t += US(10);

  pg_data_o(&f, np->t[3], C, 27, pg_o_ts(300, 300));
  t = np->t[3] + US(50);

  /* IPv6: 64 destination-options headers (> 16): IP error */
  for (i = 0; i < 64; i++)
    types[i] = 60;
  n = v6_chain(b, &l, types, NULL, 64, 6, 20, -1, 40010);
  pg_emit_buf(&f, t, b, n);
  t += US(10);
  /* a looping chain: routing, dest-opts, routing, ... 40 times */
  for (i = 0; i < 40; i++)
    types[i] = (i & 1) ? 60 : 43;
  n = v6_chain(b, &l, types, NULL, 40, 43, 20, -1, 40011);
  pg_emit_buf(&f, t, b, n);
  t += US(10);
  /* exactly 16: hop-by-hop, AH, 14 dest-opts, then TCP: accepted */
  types[0] = 0;
  types[1] = 51;
  for (i = 2; i < 16; i++)
    types[i] = 60;
  n = v6_chain(b, &l, types, NULL, 16, 6, 20, -1, 40012);
  pg_emit_buf(&f, t, b, n);
  t += US(10);
  /* 17: IP error */
  types[16] = 60;
  n = v6_chain(b, &l, types, NULL, 17, 6, 20, -1, 40013);
  pg_emit_buf(&f, t, b, n);
  t += US(10);
  /* one dest-opts header of 1608 bytes: with a payload length of 28
     (past the payload), with payload length 0 (jumbo/offload: the
     captured length counts) and cut by the snap length (past the
     captured bytes): 3 IP errors */
  types[0] = 60;
  n = v6_chain(b, &l, types, one_len, 1, 6, 20, 28, 40014);
  pg_emit_buf(&f, t, b, (size_t)(14 + 40 + 8 + 20));
  t += US(10);
  n = v6_chain(b, &l, types, one_len, 1, 6, 20, 0, 40015);
  pg_emit_buf(&f, t, b, (size_t)(14 + 40 + 8 + 20));
  t += US(10);
  n = v6_chain(b, &l, types, one_len, 1, 6, 20, -1, 40016);
  pg_write_rec(&w, f.t0_us + t, b, 14 + 40 + 8 + 20, (uint32_t)n);
  t += US(10);
  /* payload length 4000 in a 68-byte payload: IP error */
  n = v6_chain(b, &l, types, NULL, 1, 6, 20, 4000, 40017);
  pg_emit_buf(&f, t, b, n);
  t += US(10);
  /* chain ending exactly at the end of the frame, no TCP: TCP error */
  n = v6_chain(b, &l, types, NULL, 1, 6, 0, -1, 40018);
  pg_emit_buf(&f, t, b, n);
  t += US(10);
  /* a non-first fragment, and No Next Header (59): ignored */
  types[0] = 44;
  n = v6_chain(b, &l, types, NULL, 1, 6, 20, -1, 40019);
  pg_put16be(b + 14 + 40 + 2, 0x0100);    /* offset 32 */
  pg_emit_buf(&f, t, b, n);
  t += US(10);
  n = v6_chain(b, &l, types, NULL, 0, 59, 0, -1, 40020);
  pg_emit_buf(&f, t, b, n);

  pg_ack_o(&f, np->t[4], S, pg_o_ts(300, 300));
  pg_data_o(&f, np->t[5], S, 40, pg_o_ts(300, 300));
  pg_ack_o(&f, np->t[6], C, pg_o_ts(300, 300));
  pg_fin_o(&f, np->t[7], C, pg_o_ts(400, 400));
  pg_fin_o(&f, np->t[8], S, pg_o_ts(400, 400));
  pg_ack_o(&f, np->t[9], C, pg_o_ts(300, 300));
  return finish(&w);
}

/* 1200 B client segment as overlapping IPv4 fragments, a resent first
   fragment, fragments at absurd offsets (8191 * 8), and a first
   fragment too short for the TCP header (1 TCP error) */
static int c_hostile_frag(const char *path)
{
  pg_frame seg, fr;
  size_t iplen;
  FLOW(path);
  pg_syn(&f, 0);
  pg_synack(&f, MS(1));
  pg_ack(&f, MS(2), C);
  pg_flow_build(&f, &seg, MS(3), C, PG_PSH | PG_ACK, f.nxt[C], f.nxt[S],
                pg_o_auto(), 1200);
  f.nxt[C] += 1200;
  iplen = seg.len - seg.l3off - 20;
  pg_frag4(&seg, 0, 480, 1, &fr);
  pg_emit(&f, MS(3), &fr);
  pg_frag4(&seg, 240, 480, 1, &fr);               /* overlaps both */
  pg_emit(&f, MS(3) + US(10), &fr);
  pg_frag4(&seg, 480, iplen - 480, 0, &fr);
  pg_emit(&f, MS(3) + US(20), &fr);
  pg_frag4(&seg, 0, 480, 1, &fr);                 /* first one again */
  pg_emit(&f, MS(3) + US(30), &fr);
  /* offset 8191 * 8 = 65528: past any datagram, with and without MF */
  pg_frag4(&seg, 480, 100, 0, &fr);
  pg_put16be(fr.d + fr.l3off + 6, 0x1fff);
  pg_ip4_fix_csum(fr.d + fr.l3off, 20);
  pg_emit(&f, MS(3) + US(40), &fr);
  pg_put16be(fr.d + fr.l3off + 6, 0x1fff | PG_IP_MF);
  pg_ip4_fix_csum(fr.d + fr.l3off, 20);
  pg_emit(&f, MS(3) + US(50), &fr);
  /* a first fragment of 8 bytes: half a TCP header */
  pg_frag4(&seg, 0, 8, 1, &fr);
  pg_emit(&f, MS(3) + US(60), &fr);
  pg_ack(&f, MS(4), S);
  close_c(&f, MS(14));
  return finish(&w);
}

/* records of 0..maxlen-1 bytes (the link header cut short), then the
   reference session on the same link */
static int short_frames(const char *path, int kind, size_t maxlen,
                        int with_l3_only)
{
  pg_writer w;
  pg_flow f;
  pg_link l = link_of(kind);
  uint8_t b[64];
  size_t i, n;

  if (start(&w, &f, path, PG_PCAP, 0, 0, &l, CLI, 40000, SRV, 80))
    return -1;
  n = pg_l2_hdr(b, &l, 1, 4, 0);
  for (i = 0; i < maxlen; i++)
    pg_write_rec(&w, f.t0_us + US(i), b, (uint32_t)i, (uint32_t)i);
  if (with_l3_only) {
    /* the whole link header, nothing after it: an IP error; the same
       with ARP's EtherType: ignored */
    pg_write_rec(&w, f.t0_us + US(maxlen), b, (uint32_t)n, (uint32_t)n);
    pg_put16be(b + n - 2, 0x0806);
    pg_write_rec(&w, f.t0_us + US(maxlen + 1), b, (uint32_t)n, (uint32_t)n);
  }
  f.t0_us += MS(1);
  script_normal(&f, NULL);
  return finish(&w);
}

static int c_short_eth(const char *p)
{ return short_frames(p, PG_L2_ETH, 14, 1); }
static int c_short_sll(const char *p)
{ return short_frames(p, PG_L2_SLL, 16, 1); }
static int c_short_sll2(const char *p)
{ return short_frames(p, PG_L2_SLL2, 20, 0); }

static int vlan_stack(const char *p, int ntags)
{
  pg_link l = link_of(PG_L2_ETH);
  int i;
  for (i = 0; i < ntags; i++)
    pg_link_vlan(&l, i == 0 ? 0x88a8 : (i == 1 ? 0x9100 : 0x8100),
                 (uint16_t)(100 + i));
  return normal_on(p, PG_PCAP, 0, l, 0, 0);
}

static int c_vlan8(const char *p) { return vlan_stack(p, 8); }
static int c_vlan9(const char *p) { return vlan_stack(p, 9); }

/* both directions' sequence numbers cross 2^32 mid-session; with
   `resend`, the client segment that crosses is sent again 1.5 s later */
static int seqwrap(const char *path, int resend)
{
  pg_frame crossing;
  FLOW(path);
  pg_flow_isn(&f, 0xFFFFFF00u, 0xFFFFFFF0u);
  pg_syn(&f, 0);
  pg_synack(&f, MS(1));
  pg_ack(&f, MS(2), C);
  pg_data(&f, MS(3), C, 100);         /* ffffff01..ffffff64 */
  pg_data(&f, MS(4), C, 100);         /* ffffff65..ffffffc8 */
  pg_data(&f, MS(5), C, 100);         /* ffffffc9..0000002c: crosses */
  crossing = f.last;
  pg_data(&f, MS(6), C, 100);         /* 0000002d.. */
  pg_ack(&f, MS(7), S);
  pg_data(&f, MS(8), S, 100);         /* fffffff1..00000054: crosses */
  pg_data(&f, MS(9), S, 100);
  pg_ack(&f, MS(10), C);
  if (resend) {
    pg_emit(&f, MS(1505), &crossing);
    pg_ack(&f, MS(1506), S);
  }
  close_c(&f, MS(1520));
  return finish(&w);
}

static int c_seqwrap(const char *p) { return seqwrap(p, 0); }
static int c_seqwrap_retrans(const char *p) { return seqwrap(p, 1); }

/* the same ports used three times: closed, new ISNs 2 s later (the
   closed entry still absorbs stragglers), and again 40 s later */
static int c_portreuse(const char *path)
{
  FLOW(path);
  script_auto(&f, 0);
  pg_flow_isn(&f, 0x40000000u, 0x50000000u);
  script_auto(&f, SEC(2));
  pg_flow_isn(&f, 0x80000000u, 0x90000000u);
  script_auto(&f, SEC(42));
  return finish(&w);
}

/* every one of the 256 flag bytes from the client of one flow, ordered
   so that miruo processes each: the 112 that neither reset nor open a
   connection on the established session (4-byte payload on even flag
   bytes), then the 16 that open one (each with a new ISN: a new
   connection), then the 128 with RST, each after a plain SYN with a new
   ISN (a reset connection absorbs everything but a new SYN) */
static int c_allflags(const char *path)
{
  int i, k = 0;
  int64_t t = MS(3);
  FLOW(path);
  pg_syn(&f, 0);
  pg_synack(&f, MS(1));
  pg_ack(&f, MS(2), C);
  for (i = 0; i < 256; i++) {
    if ((i & PG_RST) || (i & (PG_SYN | PG_ACK | PG_FIN)) == PG_SYN)
      continue;
    pg_pkt(&f, t, C, (uint8_t)i, f.nxt[C], f.nxt[S], pg_o_auto(),
           (i & 1) ? 0 : 4);
    t += MS(1);
  }
  for (i = 0; i < 256; i++) {
    if ((i & PG_RST) || (i & (PG_SYN | PG_ACK | PG_FIN)) != PG_SYN)
      continue;
    pg_pkt(&f, t, C, (uint8_t)i, 0x100000u * (uint32_t)++k, 0,
           pg_o_auto(), 0);
    t += MS(1);
  }
  for (i = 0; i < 256; i++) {
    uint32_t isn = 0x100000u * (uint32_t)++k;
    if (!(i & PG_RST))
      continue;
    pg_pkt(&f, t, C, PG_SYN, isn, 0, pg_o_auto(), 0);
    pg_pkt(&f, t + US(500), C, (uint8_t)i, isn + 1, 0, pg_o_auto(),
           (i & 1) ? 0 : 4);
    t += MS(1);
  }
  return finish(&w);
}

/* request, then the response +3 days later; the rest of the session
   continues from there */
static int c_ts_days(const char *path)
{
  int64_t d3 = SEC(3 * 86400);
  FLOW(path);
  pg_syn(&f, 0);
  pg_synack(&f, MS(1));
  pg_ack(&f, MS(2), C);
  pg_data(&f, MS(3), C, 27);
  pg_ack(&f, MS(4), S);
  pg_data(&f, d3 + MS(5), S, 40);
  pg_ack(&f, d3 + MS(6), C);
  close_c(&f, d3 + MS(16));
  return finish(&w);
}

/* time going backwards: 10 s back mid-session, and the last packet
   stamped an hour before the first */
static int c_ts_back_far(const char *path)
{
  struct nparam p = NORMAL;
  FLOW(path);
  p.t[5] = p.t[4] - SEC(10);
  p.t[9] = -SEC(3600);
  script_normal(&f, &p);
  return finish(&w);
}

/* an HTTP request whose X-Long field line is 64 KiB, sent as 1400-byte
   segments, then a second field and a response */
static int c_http_longline(const char *path)
{
  static const char head[] = "GET /long HTTP/1.1\r\nHost: www.example.com"
                             "\r\nX-Long: ";
  static const char tail[] = "\r\nUser-Agent: after-the-long-line\r\n\r\n";
  static const char resp[] = "HTTP/1.1 200 OK\r\nServer: test\r\n"
                             "Content-Length: 0\r\n\r\n";
  size_t total = sizeof(head) - 1 + 65536 + sizeof(tail) - 1, off, n;
  uint8_t *req = malloc(total);
  int64_t t = MS(3);
  FLOW(path);
  if (req == NULL)
    return -1;
  memcpy(req, head, sizeof(head) - 1);
  for (off = 0; off < 65536; off++)
    req[sizeof(head) - 1 + off] = (uint8_t)('A' + off % 26);
  memcpy(req + sizeof(head) - 1 + 65536, tail, sizeof(tail) - 1);
  pg_syn(&f, 0);
  pg_synack(&f, MS(1));
  pg_ack(&f, MS(2), C);
  for (off = 0; off < total; off += n) {
    n = total - off < 1400 ? total - off : 1400;
    pg_data_bytes(&f, t, C, req + off, n);
    t += US(100);
    if ((off / 1400) % 4 == 3)
      pg_ack(&f, t, S);
  }
  free(req);
  pg_ack(&f, t + MS(1), S);
  pg_data_bytes(&f, t + MS(2), S, (const uint8_t *)resp, sizeof(resp) - 1);
  pg_ack(&f, t + MS(3), C);
  close_c(&f, t + MS(10));
  return finish(&w);
}

/* NUL bytes and terminal escape sequences (clear screen, set window
   title) in request lines, field lines and the status line */
static int c_http_escape(const char *path)
{
  static const char req1[] =
    "GET /\x1b[2J?t=\x1b]0;pwned\x07 HTTP/1.1\r\n"
    "Host: evil\x1b[2J.example\r\n"
    "User-Agent: a\0b\x1b]0;title\x07z\r\n"
    "X-Ctl: \x01\x7f\xff\r\n\r\n";
  static const char res1[] =
    "HTTP/1.1 200 \x1b[31mOK\0\r\n"
    "Server: \x1b]0;srv\x07\r\n"
    "Content-Length: 4\r\n\r\n\x1b[2J";
  static const char req2[] =
    "GE\x1bT / HTTP/1.1\r\nHost: x\r\n\r\n"
    "GET /ok HTTP/1.1\r\nHost: \0\0\0\r\nCookie: \x1b[5m\r\n\r\n";
  static const char res2[] =
    "HTTP/1.1 404 Not\x1b[0m Found\r\nContent-Length: 0\r\n\r\n";
  FLOW(path);
  pg_syn(&f, 0);
  pg_synack(&f, MS(1));
  pg_ack(&f, MS(2), C);
  pg_data_bytes(&f, MS(3), C, (const uint8_t *)req1, sizeof(req1) - 1);
  pg_ack(&f, MS(4), S);
  pg_data_bytes(&f, MS(5), S, (const uint8_t *)res1, sizeof(res1) - 1);
  pg_ack(&f, MS(6), C);
  pg_data_bytes(&f, MS(7), C, (const uint8_t *)req2, sizeof(req2) - 1);
  pg_ack(&f, MS(8), S);
  pg_data_bytes(&f, MS(9), S, (const uint8_t *)res2, sizeof(res2) - 1);
  pg_ack(&f, MS(10), C);
  close_c(&f, MS(20));
  return finish(&w);
}

/* ---- hostile files ---- */

static void lcg_fill(uint8_t *b, size_t n, uint32_t seed)
{
  size_t i;
  for (i = 0; i < n; i++) {
    seed = seed * 1103515245u + 12345u;
    b[i] = (uint8_t)(seed >> 16);
  }
}

/* a pcap header followed by 4 KiB of random bytes */
static int c_pcap_random(const char *path)
{
  pg_writer w;
  uint8_t b[4096];
  if (pg_open(&w, path, PG_PCAP, PG_LT_ETHERNET, 0, 0))
    return -1;
  lcg_fill(b, sizeof(b), 4242u);
  pg_write_raw(&w, b, sizeof(b));
  return finish(&w);
}

/* the reference session, then 8 bytes of a 16-byte record header */
static int c_trunc_rechdr(const char *path)
{
  static const uint8_t half[8] = {0x40, 0xa9, 0x92, 0x65, 0, 0, 0, 0};
  FLOW(path);
  script_normal(&f, NULL);
  pg_write_raw(&w, half, sizeof(half));
  return finish(&w);
}

/* file snap length 64, every record holding its whole frame (caplen up
   to 106 > 64) */
static int c_caplen_gt_snaplen(const char *path)
{
  pg_writer w;
  pg_flow f;
  pg_link l = link_of(PG_L2_ETH);
  if (start(&w, &f, path, PG_PCAP, 0, 64, &l, CLI, 40000, SRV, 80))
    return -1;
  w.snaplen = PG_DEFAULT_SNAPLEN;        /* the header said 64 */
  script_normal(&f, NULL);
  return finish(&w);
}

/* the reference session, then a record claiming 256 MiB */
static int c_caplen_huge(const char *path)
{
  uint8_t b[64];
  FLOW(path);
  script_normal(&f, NULL);
  memset(b, 0, sizeof(b));
  pg_write_partial(&w, f.t0_us + MS(20), b, 0x10000000u, 0x10000000u, 64);
  return finish(&w);
}

/* handshake and a request whose records' original length (20) is below
   their captured length */
static int c_caplen_gt_len(const char *path)
{
  static const uint8_t fl[4] = {PG_SYN, PG_SYN | PG_ACK, PG_ACK,
                                PG_PSH | PG_ACK};
  pg_frame fr;
  int i;
  FLOW(path);
  for (i = 0; i < 4; i++) {
    int dir = i == 1 ? S : C;
    pg_flow_build(&f, &fr, MS(i), dir, fl[i], i == 1 ? f.isn[S] : f.nxt[C],
                  i == 0 ? 0 : f.nxt[!dir], pg_o_auto(), i == 3 ? 27 : 0);
    pg_write_rec(&w, f.t0_us + MS(i), fr.d, (uint32_t)fr.len, 20);
    if (i == 0)
      f.nxt[C] = f.isn[C] + 1;
    if (i == 1)
      f.nxt[S] = f.isn[S] + 1;
  }
  return finish(&w);
}

/* snoop files: one good record, then a bad one (variant v) */
static int bogus_snoop(const char *path, int v)
{
  pg_writer w;
  pg_flow f;
  pg_link l = link_of(PG_L2_ETH);
  uint8_t h[24], body[300];
  uint32_t orig = 74, incl = 74, rlen = 100;

  if (start(&w, &f, path, PG_SNOOP, 0, 0, &l, CLI, 40000, SRV, 80))
    return -1;
  pg_syn(&f, 0);                          /* record 1: fine */
  memset(body, 0x5a, sizeof(body));
  switch (v) {
  case 1: rlen = 20; break;               /* record length < header */
  case 2: orig = 60; break;               /* included > original */
  case 3: incl = orig = 300000; rlen = 24 + 300000; break; /* > limit */
  case 4: rlen = 24 + 40; break;          /* too short for included */
  case 5: rlen = 0x7ffffff0u; break;      /* record length > limit */
  case 6: break;                          /* header cut to 10 bytes */
  case 7: rlen = 24 + 74 + 200; break;    /* ends 200 B into padding */
  case 8: break;                          /* data cut after 40 bytes */
  default: break;
  }
  pg_put32be(h, orig);
  pg_put32be(h + 4, incl);
  pg_put32be(h + 8, rlen);
  pg_put32be(h + 12, 0);
  pg_put32be(h + 16, (uint32_t)PG_EPOCH_2024);
  pg_put32be(h + 20, 1000);
  pg_write_raw(&w, h, v == 6 ? 10 : 24);
  if (v == 7)
    pg_write_raw(&w, body, 80);
  else if (v == 8)
    pg_write_raw(&w, body, 40);
  else if (v != 6 && v != 3 && v != 5)
    pg_write_raw(&w, body, 76);
  return finish(&w);
}

static int c_bogus1_snoop(const char *p) { return bogus_snoop(p, 1); }
static int c_bogus2_snoop(const char *p) { return bogus_snoop(p, 2); }
static int c_bogus3_snoop(const char *p) { return bogus_snoop(p, 3); }
static int c_bogus4_snoop(const char *p) { return bogus_snoop(p, 4); }
static int c_bogus5_snoop(const char *p) { return bogus_snoop(p, 5); }
static int c_bogus6_snoop(const char *p) { return bogus_snoop(p, 6); }
static int c_bogus7_snoop(const char *p) { return bogus_snoop(p, 7); }
static int c_bogus8_snoop(const char *p) { return bogus_snoop(p, 8); }

/* a snoop file of datalink 8 (FDDI): refused at open */
static int c_fddi_snoop(const char *path)
{
  uint8_t h[16];
  FILE *fp = fopen(path, "wb");
  if (!fp) {
    perror(path);
    return -1;
  }
  memcpy(h, "snoop\0\0\0", 8);
  pg_put32be(h + 8, 2);
  pg_put32be(h + 12, 8);
  if (fwrite(h, 1, sizeof(h), fp) != sizeof(h) || fclose(fp) != 0) {
    perror(path);
    return -1;
  }
  return 0;
}

/* pcapng: the reference session's first two packets, then a block whose
   length field is bogus (variant v) */
static int bogus_pcapng(const char *path, int v)
{
  pg_writer w;
  pg_flow f;
  pg_link l = link_of(PG_L2_ETH);
  uint8_t h[32], body[64];
  uint32_t blen = 0x7ffffff0u;

  if (start(&w, &f, path, PG_PCAPNG, 0, 0, &l, CLI, 40000, SRV, 80))
    return -1;
  pg_syn(&f, 0);
  pg_synack(&f, MS(1));
  memset(body, 0, sizeof(body));
  switch (v) {
  case 1: blen = 0x7ffffff0u; break;      /* huge */
  case 2: blen = 8; break;                /* below the 12-byte minimum */
  case 3: blen = 32 + 64 + 2; break;      /* not a multiple of 4 */
  default: blen = 32 + 64; break;         /* right, but trailer wrong */
  }
  pg_put32le(h, 6);
  pg_put32le(h + 4, blen);
  pg_put32le(h + 8, 0);
  pg_put32le(h + 12, 0);
  pg_put32le(h + 16, 0);
  pg_put32le(h + 20, 64);
  pg_put32le(h + 24, 64);
  pg_write_raw(&w, h, 28);
  pg_write_raw(&w, body, 64);
  pg_put32le(h, v == 4 ? 12345 : 32 + 64);   /* trailing length */
  pg_write_raw(&w, h, 4);
  return finish(&w);
}

static int c_ng_blocklen_huge(const char *p) { return bogus_pcapng(p, 1); }
static int c_ng_blocklen_short(const char *p) { return bogus_pcapng(p, 2); }
static int c_ng_blocklen_odd(const char *p) { return bogus_pcapng(p, 3); }
static int c_ng_trailer(const char *p) { return bogus_pcapng(p, 4); }

/* pcapng: the reference session stamped 2^64 - 2^32 microseconds after
   the epoch (year 586,000: more seconds than fit a 64-bit count of
   microseconds), 1 ms apart */
static int c_ng_ts_huge(const char *path)
{
  pg_writer w;
  pg_flow f, g;
  pg_writer sink;
  pg_link l = link_of(PG_L2_ETH);
  uint8_t h[28];
  static const uint8_t zero[4] = {0, 0, 0, 0};
  int i;

  if (start(&w, &f, path, PG_PCAPNG, 0, 0, &l, CLI, 40000, SRV, 80))
    return -1;
  /* build the reference session's frames through a flow that writes
     nowhere (a writer in error state drops everything) */
  memset(&sink, 0, sizeof(sink));
  sink.fmt = PG_PCAPNG;
  sink.err = 1;
  pg_flow_init(&g, &sink, &l, CLI, 40000, SRV, 80);
  for (i = 0; i < 10; i++) {
    pg_frame *fr;
    uint64_t ts = 0xFFFFFFFF00000000ull + (uint64_t)i * 1000u;
    uint32_t len, pad;
    switch (i) {
    case 0: pg_syn(&g, 0); break;
    case 1: pg_synack(&g, MS(1)); break;
    case 2: pg_ack(&g, MS(2), C); break;
    case 3: pg_data(&g, MS(3), C, 27); break;
    case 4: pg_ack(&g, MS(4), S); break;
    case 5: pg_data(&g, MS(5), S, 40); break;
    case 6: pg_ack(&g, MS(6), C); break;
    case 7: pg_fin(&g, MS(16), C); break;
    case 8: pg_fin(&g, MS(17), S); break;
    default: pg_ack(&g, MS(18), C); break;
    }
    fr = &g.last;
    len = (uint32_t)fr->len;
    pad = (4 - (len & 3)) & 3;
    pg_put32le(h, 6);
    pg_put32le(h + 4, 32 + len + pad);
    pg_put32le(h + 8, 0);
    pg_put32le(h + 12, (uint32_t)(ts >> 32));
    pg_put32le(h + 16, (uint32_t)ts);
    pg_put32le(h + 20, len);
    pg_put32le(h + 24, len);
    pg_write_raw(&w, h, 28);
    pg_write_raw(&w, fr->d, len);
    pg_write_raw(&w, zero, pad);
    pg_put32le(h, 32 + len + pad);
    pg_write_raw(&w, h, 4);
  }
  (void)f;
  return finish(&w);
}

/* ---- the pcap record reader (src/pcapfile.c) against libpcap ---- */

/* miruo reads the records of a classic pcap file itself when the file is
   a regular file, in 256 KiB pread blocks; from a pipe libpcap reads
   them.  These cases (tests/t-files.sh runs each both ways) cover what
   libpcap does with odd records and records across the block ends. */

#define RD_BLOCK 262144u   /* the reader's block; libpcap's MAXIMUM_SNAPLEN */

/* a flow that builds frames and writes nothing (a writer in error state
   drops everything): each frame is taken from g->last */
static void sink_flow(pg_writer *sink, pg_flow *g, uint16_t cport)
{
  pg_link l = link_of(PG_L2_ETH);
  memset(sink, 0, sizeof(*sink));
  sink->fmt = PG_PCAP;
  sink->snaplen = PG_DEFAULT_SNAPLEN;
  sink->err = 1;
  pg_flow_init(g, sink, &l, CLI, cport, SRV, 80);
}

/* frame i (0..9) of the reference session at t, built through g; the
   steps must come in order */
static const pg_frame *normal_step(pg_flow *g, int i, int64_t t)
{
  switch (i) {
  case 0: pg_syn(g, t); break;
  case 1: pg_synack(g, t); break;
  case 2: pg_ack(g, t, C); break;
  case 3: pg_data(g, t, C, 27); break;
  case 4: pg_ack(g, t, S); break;
  case 5: pg_data(g, t, S, 40); break;
  case 6: pg_ack(g, t, C); break;
  case 7: pg_fin(g, t, C); break;
  case 8: pg_fin(g, t, S); break;
  default: pg_ack(g, t, C); break;
  }
  return &g->last;
}

/* classic pcap, Ethernet; the header's snap length as given (0 too) */
static int open_rd(pg_writer *w, const char *path, unsigned flags,
                   uint32_t snaplen)
{
  uint8_t b[4];
  if (pg_open(w, path, PG_PCAP, PG_LT_ETHERNET,
              snaplen ? snaplen : PG_DEFAULT_SNAPLEN, flags))
    return -1;
  if (snaplen == 0) {
    pg_put32le(b, 0);
    if (fseek(w->fp, 16, SEEK_SET) != 0 || fwrite(b, 1, 4, w->fp) != 4 ||
        fseek(w->fp, 0, SEEK_END) != 0)
      w->err = EIO;
  }
  return 0;
}

/* One record with raw time fields (seconds, and micro- or nanoseconds as
   the file has them), in the file's byte order: captured length caplen,
   wire length len, and the first nbytes of the record: the frame, then
   trailer bytes 0x80 | (k * 37) up to caplen. */
static void rec_raw(pg_writer *w, uint32_t sec, uint32_t frac,
                    uint32_t caplen, uint32_t len, const pg_frame *fr,
                    uint32_t nbytes)
{
  uint8_t h[16], pat[4096];
  uint32_t v[4], n, k;
  int i;

  v[0] = sec;
  v[1] = frac;
  v[2] = caplen;
  v[3] = len;
  for (i = 0; i < 4; i++) {
    if (w->flags & PG_F_BE)
      pg_put32be(h + 4 * i, v[i]);
    else
      pg_put32le(h + 4 * i, v[i]);
  }
  pg_write_raw(w, h, 16);
  n = nbytes < fr->len ? nbytes : (uint32_t)fr->len;
  pg_write_raw(w, fr->d, n);
  for (k = 0; k < sizeof(pat); k++)
    pat[k] = (uint8_t)(0x80 | (k * 37));
  while (n < nbytes) {
    k = nbytes - n < sizeof(pat) ? nbytes - n : (uint32_t)sizeof(pat);
    pg_write_raw(w, pat, k);
    n += k;
  }
}

#define RD_SEC(t)  ((uint32_t)(PG_EPOCH_2024 + (t) / 1000000))
#define RD_USEC(t) ((uint32_t)((t) % 1000000))

/* the frame as a record of caplen bytes (0: the frame's length; more:
   a trailer) at offset t (us), in the file's unit */
static void rec_at(pg_writer *w, int64_t t, const pg_frame *fr,
                   uint32_t caplen)
{
  uint32_t us = RD_USEC(t);
  if (caplen == 0)
    caplen = (uint32_t)fr->len;
  rec_raw(w, RD_SEC(t), (w->flags & PG_F_NSEC) ? us * 1000u : us, caplen,
          caplen, fr, caplen);
}

/* nanosecond files: three reference sessions 40 ms apart (ports 40000-
   40002), stamped at odd microseconds with sub-microsecond parts: x.999
   ms + 999 ns shows whether nanoseconds are cut (libpcap) or rounded */
static int ns_file(const char *path, unsigned flags)
{
  static const int64_t t[10] = {0, 1999, 2999, 3500, 4001, 5999, 6000,
                                16000, 17999, 18999};
  static const uint32_t sub[10] = {500, 999, 999, 1, 250, 999, 0, 999,
                                   998, 999};
  pg_writer w, sink;
  pg_flow g;
  int i, j;

  if (open_rd(&w, path, flags | PG_F_NSEC, 0))
    return -1;
  for (j = 0; j < 3; j++) {
    sink_flow(&sink, &g, (uint16_t)(40000 + j));
    for (i = 0; i < 10; i++) {
      int64_t at = MS(40) * j + t[i];
      const pg_frame *fr = normal_step(&g, i, at);
      rec_raw(&w, RD_SEC(at), RD_USEC(at) * 1000u + sub[i],
              (uint32_t)fr->len, (uint32_t)fr->len, fr, (uint32_t)fr->len);
    }
  }
  return finish(&w);
}

static int c_pcapread_ns_be(const char *p) { return ns_file(p, PG_F_BE); }
static int c_pcapread_ns_le(const char *p) { return ns_file(p, 0); }

/* header snap length 60; the reference session's records hold the whole
   frame (66..106 bytes, the 4th 70000 with a trailer), except the 7th
   (captured 60 of 66) and the 8th (59 of 66); then a SYN of port 40001
   whose record is cut: v 1: captured length 74, 40 bytes there (inside
   the snap length); v 2: captured length 106 (a trailer), 80 bytes there */
static int snap60(const char *path, int v)
{
  pg_writer w, sink;
  pg_flow g;
  int i;

  if (open_rd(&w, path, 0, 60))
    return -1;
  sink_flow(&sink, &g, 40000);
  for (i = 0; i < 10; i++) {
    const pg_frame *fr = normal_step(&g, i, NORMAL.t[i]);
    uint32_t cap = (uint32_t)fr->len;
    if (i == 3)
      cap = 70000;
    if (i == 6 || i == 7) {
      cap = i == 6 ? 60 : 59;
      rec_raw(&w, RD_SEC(NORMAL.t[i]), RD_USEC(NORMAL.t[i]), cap,
              (uint32_t)fr->len, fr, cap);
    } else {
      rec_at(&w, NORMAL.t[i], fr, cap);
    }
  }
  sink_flow(&sink, &g, 40001);
  pg_syn(&g, MS(20));
  if (v == 1)
    rec_raw(&w, RD_SEC(MS(20)), RD_USEC(MS(20)), 74, 74, &g.last, 40);
  else
    rec_raw(&w, RD_SEC(MS(20)), RD_USEC(MS(20)), 106, 106, &g.last, 80);
  return finish(&w);
}

static int c_pcapread_snap60(const char *p) { return snap60(p, 1); }
static int c_pcapread_snap60_tail(const char *p) { return snap60(p, 2); }

/* the reference session whose 4th record claims `bad` captured bytes
   (and holds them, trailer bytes after the frame, or only the frame when
   bad is near 2^32), on a header snap length `snaplen` */
static int caplen_over(const char *path, uint32_t snaplen, uint32_t bad)
{
  pg_writer w, sink;
  pg_flow g;
  int i;

  if (open_rd(&w, path, 0, snaplen))
    return -1;
  sink_flow(&sink, &g, 40000);
  for (i = 0; i < 10; i++) {
    const pg_frame *fr = normal_step(&g, i, NORMAL.t[i]);
    uint32_t us = RD_USEC(NORMAL.t[i]);
    if (i != 3)
      rec_at(&w, NORMAL.t[i], fr, 0);
    else
      rec_raw(&w, RD_SEC(NORMAL.t[i]), us, bad, bad, fr,
              bad > 0x10000000u ? (uint32_t)fr->len : bad);
  }
  return finish(&w);
}

static int c_pcapread_caplen300k(const char *p)
{
  return caplen_over(p, PG_DEFAULT_SNAPLEN, 300000u);
}

static int c_pcapread_caplen262145(const char *p)
{
  return caplen_over(p, 0, RD_BLOCK + 1);
}

/* 16 + caplen wraps around 2^32 in 32-bit arithmetic */
static int c_pcapread_caplen_wrap(const char *p)
{
  return caplen_over(p, PG_DEFAULT_SNAPLEN, 0xFFFFFFF8u);
}

/* big-endian nanosecond header, snap length 0, no records */
static int c_pcapread_hdronly(const char *path)
{
  pg_writer w;
  if (open_rd(&w, path, PG_F_BE | PG_F_NSEC, 0))
    return -1;
  return finish(&w);
}

/* big-endian reference session, then 3 bytes of a record header */
static int c_pcapread_cuthdr(const char *path)
{
  static const uint8_t cut[3] = {0x65, 0x92, 0xa9};
  pg_writer w;
  pg_flow f;
  pg_link l = link_of(PG_L2_ETH);
  if (start(&w, &f, path, PG_PCAP, PG_F_BE, 0, &l, CLI, 40000, SRV, 80))
    return -1;
  script_normal(&f, NULL);
  pg_write_raw(&w, cut, sizeof(cut));
  return finish(&w);
}

/* the reference session with time fields that are negative as libpcap's
   signed 32-bit fields: packet 2 second 0xFFFFFFFF, 3 fraction
   4000000000, 4 second 0x80000000, 5 second 0x7FFFFFFF, 6 fraction
   0x80000000, 7 a fraction of 1 s + 1 us (more than a second) */
static int topbit(const char *path, unsigned flags)
{
  pg_writer w, sink;
  pg_flow g;
  int i, ns = (flags & PG_F_NSEC) != 0;

  if (open_rd(&w, path, flags, 0))
    return -1;
  sink_flow(&sink, &g, 40000);
  for (i = 0; i < 10; i++) {
    const pg_frame *fr = normal_step(&g, i, NORMAL.t[i]);
    uint32_t sec = RD_SEC(NORMAL.t[i]), frac = RD_USEC(NORMAL.t[i]);
    if (ns)
      frac *= 1000u;
    switch (i) {
    case 1: sec = 0xFFFFFFFFu; break;
    case 2: frac = 4000000000u; break;
    case 3: sec = 0x80000000u; frac = 0; break;
    case 4: sec = 0x7FFFFFFFu; break;
    case 5: frac = 0x80000000u; break;
    case 6: frac = ns ? 1000001000u : 1000001u; break;
    default: break;
    }
    rec_raw(&w, sec, frac, (uint32_t)fr->len, (uint32_t)fr->len, fr,
            (uint32_t)fr->len);
  }
  return finish(&w);
}

static int c_pcapread_topbit(const char *p) { return topbit(p, 0); }
static int c_pcapread_topbit_be(const char *p) { return topbit(p, PG_F_BE); }
static int c_pcapread_topbit_ns(const char *p) { return topbit(p, PG_F_NSEC); }
static int c_pcapread_topbit_ns_be(const char *p)
{
  return topbit(p, PG_F_BE | PG_F_NSEC);
}

/* header snap length 0 (libpcap: 262144); one session: handshake, client
   100 B, client 1000 B in a record of exactly 262144 bytes (a trailer),
   ACK, server 40 B, server 500 B and 300 B in two such records back to
   back, ACK, close (13 records) */
static int c_pcapread_jumbo(const char *path)
{
  pg_writer w, sink;
  pg_flow g;

  if (open_rd(&w, path, 0, 0))
    return -1;
  sink_flow(&sink, &g, 40000);
  pg_syn(&g, 0);                  rec_at(&w, 0, &g.last, 0);
  pg_synack(&g, MS(1));           rec_at(&w, MS(1), &g.last, 0);
  pg_ack(&g, MS(2), C);           rec_at(&w, MS(2), &g.last, 0);
  pg_data(&g, MS(3), C, 100);     rec_at(&w, MS(3), &g.last, 0);
  pg_data(&g, MS(4), C, 1000);    rec_at(&w, MS(4), &g.last, RD_BLOCK);
  pg_ack(&g, MS(5), S);           rec_at(&w, MS(5), &g.last, 0);
  pg_data(&g, MS(6), S, 40);      rec_at(&w, MS(6), &g.last, 0);
  pg_data(&g, MS(7), S, 500);     rec_at(&w, MS(7), &g.last, RD_BLOCK);
  pg_data(&g, MS(8), S, 300);     rec_at(&w, MS(8), &g.last, RD_BLOCK);
  pg_ack(&g, MS(9), C);           rec_at(&w, MS(9), &g.last, 0);
  pg_fin(&g, MS(16), C);          rec_at(&w, MS(16), &g.last, 0);
  pg_fin(&g, MS(17), S);          rec_at(&w, MS(17), &g.last, 0);
  pg_ack(&g, MS(18), C);          rec_at(&w, MS(18), &g.last, 0);
  return finish(&w);
}

/* the reference session; v 1: the last record is padded (a trailer) so
   that the file ends exactly at the end of the first read block (24 +
   262144 bytes); v 2: the 9th is padded so that the 10th record's header
   starts 8 bytes before that end, and the file ends 30 bytes into that
   record's 66 */
static int blockend(const char *path, int v)
{
  pg_writer w, sink;
  pg_flow g;
  int i;
  long off;

  if (open_rd(&w, path, 0, 0))
    return -1;
  sink_flow(&sink, &g, 40000);
  for (i = 0; i < 10; i++) {
    const pg_frame *fr = normal_step(&g, i, NORMAL.t[i]);
    uint32_t cap = (uint32_t)fr->len;
    if ((v == 1 && i == 9) || (v == 2 && i == 8)) {
      off = ftell(w.fp);
      if (off < 0)
        return -1;
      cap = (uint32_t)(24 + RD_BLOCK - (uint32_t)off - 16 - (v == 2 ? 8 : 0));
    }
    if (v == 2 && i == 9)
      rec_raw(&w, RD_SEC(NORMAL.t[i]), RD_USEC(NORMAL.t[i]), cap, cap, fr,
              30);
    else
      rec_at(&w, NORMAL.t[i], fr, cap);
  }
  return finish(&w);
}

static int c_pcapread_blockend(const char *p) { return blockend(p, 1); }
static int c_pcapread_blockcut(const char *p) { return blockend(p, 2); }

/* ---- floods: written only when named (mkpcap DIR synflood) ---- */

/* n SYNs from distinct addresses and ports, 100 us apart, to
   10.0.0.2:80; 40 s after the last one a real session from
   10.0.0.1:40000 whose first data segment is resent 1.5 s later */
static int synflood_n(const char *path, uint32_t n)
{
  pg_writer w;
  pg_flow f;
  pg_link l = link_of(PG_L2_ETH);
  uint8_t b[128], src[4], dst[4] = {10, 0, 0, 2};
  uint32_t i;
  size_t len, ip, l4;
  int64_t t0 = PG_EPOCH_2024 * 1000000LL, last = 0;
  pg_frame first;

  if (start(&w, &f, path, PG_PCAP, 0, 0, &l, CLI, 40000, SRV, 80))
    return -1;
  for (i = 0; i < n; i++) {
    src[0] = 10;
    src[1] = (uint8_t)(1 + (i >> 16));
    src[2] = (uint8_t)(i >> 8);
    src[3] = (uint8_t)i;
    len = pg_l2_hdr(b, &l, 1, 4, 0);
    ip = len;
    l4 = ip + 20;
    len = l4 + pg_tcp_seg(b + l4, (uint16_t)(1024 + i % 64000), 80,
                          i * 2654435761u, 0, PG_SYN, 65535, NULL, 0, NULL,
                          0, 0);
    pg_ip4_hdr(b + ip, src, dst, 6, (uint16_t)i, PG_IP_DF, 64, len - l4);
    pg_tcp_csum4(b + l4, len - l4, src, dst);
    last = (int64_t)i * 100;
    pg_write(&w, t0 + last, b, (uint32_t)len);
  }
  f.t0_us = t0 + last + SEC(40);
  pg_syn(&f, 0);
  pg_synack(&f, MS(1));
  pg_ack(&f, MS(2), C);
  pg_data(&f, MS(3), C, 100);
  first = f.last;
  pg_data(&f, MS(4), C, 100);
  pg_ack(&f, MS(5), S);
  pg_emit(&f, MS(1503), &first);
  pg_ack(&f, MS(1504), S);
  close_c(&f, MS(1514));
  return finish(&w);
}

static int c_synflood(const char *p) { return synflood_n(p, 500000u); }
static int c_synflood_50k(const char *p) { return synflood_n(p, 50000u); }
static int c_synflood_100k(const char *p) { return synflood_n(p, 100000u); }

/* one session of 100,000 client data segments (100 B, 10 us apart),
   every 10th ACKed, then closed */
static int c_segflood(const char *path)
{
  uint32_t i;
  FLOW(path);
  f.ts_auto = 0;
  pg_syn(&f, 0);
  pg_synack(&f, MS(1));
  pg_ack(&f, MS(2), C);
  for (i = 0; i < 100000u; i++) {
    pg_data(&f, MS(3) + (int64_t)i * 10, C, 100);
    if (i % 10 == 9)
      pg_ack(&f, MS(3) + (int64_t)i * 10 + 5, S);
  }
  close_c(&f, SEC(2));
  return finish(&w);
}

/* pcapread_big.pcap: 8000 sessions, 0.5 ms apart, from 10.1.x.y:(10000 +
   i), in records straddling some 33 read blocks.  Each: handshake, a
   client request of 20..219 B, a server response of 0..599 B (1460 B
   every 50th; 0: a bare ACK), client close.  Every 16th (i % 16 == 5)
   resends its request 1.2 s later and answers after that (flagged:
   retransmission); every 20th (i % 20 == 7) ends with a server RST/ACK
   after the response.  63,700 records in time order.  Near the end of
   each 256 KiB read block (file offsets 24 + k * 262144) a record is
   padded with a trailer so that the next record's header starts exactly
   d bytes before it, d cycling through 0 1 2 7 8 15 16 17 66 -1 -17: the
   block ends between records, inside a header, right after one, one byte
   before the end of a record (-1). */
#define BIG_SESSIONS 8000u
#define BIG_PADMAX   1600u     /* > the largest record (16 + 1526) */

struct big_rec {
  int64_t  t;
  uint32_t n;                  /* order of creation: ties keep it */
  uint32_t len;
  uint8_t *d;
};

struct big_set {
  struct big_rec *r;
  size_t n, cap;
};

static int big_add(struct big_set *b, int64_t t, const pg_frame *fr)
{
  struct big_rec *r;
  if (b->n == b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 65536;
    r = realloc(b->r, cap * sizeof(*r));
    if (!r)
      return -1;
    b->r = r;
    b->cap = cap;
  }
  r = &b->r[b->n];
  r->t = t;
  r->n = (uint32_t)b->n;
  r->len = (uint32_t)fr->len;
  r->d = malloc(fr->len);
  if (!r->d)
    return -1;
  memcpy(r->d, fr->d, fr->len);
  b->n++;
  return 0;
}

static int big_cmp(const void *a, const void *b)
{
  const struct big_rec *x = a, *y = b;
  if (x->t != y->t)
    return x->t < y->t ? -1 : 1;
  return x->n < y->n ? -1 : x->n > y->n;
}

static int big_session(struct big_set *b, uint32_t i, uint32_t *lcg)
{
  pg_writer sink;
  pg_flow g;
  pg_link l = link_of(PG_L2_ETH);
  char cip[32];
  int64_t t = (int64_t)i * 500, t2 = t;
  size_t q, r;
  pg_frame req;
  int rc = 0;

  *lcg = *lcg * 1103515245u + 12345u;
  q = 20 + (*lcg >> 16) % 200;
  *lcg = *lcg * 1103515245u + 12345u;
  r = i % 50 == 17 ? 1460 : (*lcg >> 16) % 600;
  memset(&sink, 0, sizeof(sink));
  sink.fmt = PG_PCAP;
  sink.snaplen = PG_DEFAULT_SNAPLEN;
  sink.err = 1;
  snprintf(cip, sizeof(cip), "10.1.%u.%u", i >> 8, i & 255);
  pg_flow_init(&g, &sink, &l, cip, (uint16_t)(10000 + i), SRV, 80);
  pg_flow_isn(&g, i * 2654435761u, ~i * 40503u);
  pg_syn(&g, t);                 rc |= big_add(b, t, &g.last);
  pg_synack(&g, t + 100);        rc |= big_add(b, t + 100, &g.last);
  pg_ack(&g, t + 200, C);        rc |= big_add(b, t + 200, &g.last);
  pg_data(&g, t + 300, C, q);    rc |= big_add(b, t + 300, &g.last);
  req = g.last;
  if (i % 16 == 5) {
    t2 = t + MS(1200);
    rc |= big_add(b, t2 + 300, &req);
  }
  if (r)
    pg_data(&g, t2 + 400, S, r);
  else
    pg_ack(&g, t2 + 400, S);
  rc |= big_add(b, t2 + 400, &g.last);
  if (i % 20 == 7) {
    pg_rst(&g, t2 + 500, S);     rc |= big_add(b, t2 + 500, &g.last);
    return rc;
  }
  pg_fin(&g, t2 + 500, C);       rc |= big_add(b, t2 + 500, &g.last);
  pg_fin(&g, t2 + 600, S);       rc |= big_add(b, t2 + 600, &g.last);
  pg_ack(&g, t2 + 700, C);       rc |= big_add(b, t2 + 700, &g.last);
  return rc;
}

static int c_pcapread_big(const char *path)
{
  /* where the record after a padded one starts: d bytes before a block
     end (d < 0: after it, the padded record crossing it by -d bytes) */
  static const int32_t dist[11] = {0, 1, 2, 7, 8, 15, 16, 17, 66, -1, -17};
  struct big_set b = {NULL, 0, 0};
  pg_writer w;
  pg_frame fr;
  uint64_t off = 24, target;
  uint32_t i, lcg = 777u, k = 1, pad;
  int rc = 0;

  for (i = 0; i < BIG_SESSIONS && rc == 0; i++)
    rc = big_session(&b, i, &lcg);
  if (rc == 0) {
    qsort(b.r, b.n, sizeof(b.r[0]), big_cmp);
    rc = open_rd(&w, path, 0, PG_DEFAULT_SNAPLEN);
  }
  for (i = 0; rc == 0 && i < b.n; i++) {
    uint32_t rlen = 16 + b.r[i].len;
    target = (uint64_t)((int64_t)24 + (int64_t)k * RD_BLOCK -
                        dist[(k - 1) % 11]);
    pad = 0;
    if (off + rlen > target) {          /* cannot happen: rlen < PADMAX */
      fprintf(stderr, "mkpcap: %s: missed block %u\n", path, k);
      w.err = EINVAL;
      break;
    }
    if (target - (off + rlen) < BIG_PADMAX) {
      pad = (uint32_t)(target - (off + rlen));
      k++;
    }
    fr.len = b.r[i].len;
    memcpy(fr.d, b.r[i].d, b.r[i].len);
    rec_at(&w, b.r[i].t, &fr, b.r[i].len + pad);
    off += rlen + pad;
  }
  for (i = 0; i < b.n; i++)
    free(b.r[i].d);
  free(b.r);
  if (rc != 0) {
    fprintf(stderr, "mkpcap: %s: out of memory\n", path);
    return -1;
  }
  return finish(&w);
}

/* ------------------------------------------------------------------ */
/* table and main                                                      */
/* ------------------------------------------------------------------ */

static const pg_case cases[] = {
  {"normal.pcap", c_normal},
  {"normal_be.pcap", c_normal_be},
  {"normal_ns.pcap", c_normal_ns},
  {"normal.pcapng", c_normal_ng},
  {"normal.snoop", c_normal_snoop},
  {"options.pcap", c_options},
  {"ipv6.pcap", c_ipv6},
  {"ipv6_ext.pcap", c_ipv6_ext},
  {"vlan.pcap", c_vlan},
  {"qinq.pcap", c_qinq},
  {"sll.pcap", c_sll},
  {"sll2.pcap", c_sll2},
  {"null_le.pcap", c_null_le},
  {"null_be.pcap", c_null_be},
  {"loop.pcap", c_loop},
  {"raw.pcap", c_raw},
  {"raw6.pcap", c_raw6},
  {"ipv4lt.pcap", c_ipv4lt},
  {"ipv6lt.pcap", c_ipv6lt},
  {"ppp.pcap", c_ppp},
  {"truncated.pcap", c_truncated},
  {"bad_headers.pcap", c_bad_headers},
  {"midstream.pcap", c_midstream},
  {"midstream_rst.pcap", c_midstream_rst},
  {"ecn.pcap", c_ecn},
  {"unclosed.pcap", c_unclosed},
  {"twoflows.pcap", c_twoflows},
  {"timestamps_back.pcap", c_timestamps_back},
  {"trunc_record.pcap", c_trunc_record},
  {"hdr_only.pcap", c_hdr_only},
  {"empty.pcap", c_empty},
  {"garbage.bin", c_garbage},
  {"retrans.pcap", c_retrans},
  {"retrans_999.pcap", c_retrans_999},
  {"retrans_1001.pcap", c_retrans_1001},
  {"retrans_repack.pcap", c_retrans_repack},
  {"synretrans.pcap", c_synretrans},
  {"synack_retrans.pcap", c_synack_retrans},
  {"keepalive.pcap", c_keepalive},
  {"zerowin.pcap", c_zerowin},
  {"ooo.pcap", c_ooo},
  {"rst.pcap", c_rst},
  {"rst_afterfin.pcap", c_rst_afterfin},
  {"rst_finwait1.pcap", c_rst_finwait1},
  {"rst_refused.pcap", c_rst_refused},
  {"frag.pcap", c_frag},
  {"slow.pcap", c_slow},
  {"longconn.pcap", c_longconn},
  {"dupconn.pcap", c_dupconn},
  {"timeout_halfopen.pcap", c_timeout_halfopen},
  {"pool.pcap", c_pool},
  {"hostile_tcp.pcap", c_hostile_tcp},
  {"hostile_ip.pcap", c_hostile_ip},
  {"hostile_frag.pcap", c_hostile_frag},
  {"short_eth.pcap", c_short_eth},
  {"short_sll.pcap", c_short_sll},
  {"short_sll2.pcap", c_short_sll2},
  {"vlan8.pcap", c_vlan8},
  {"vlan9.pcap", c_vlan9},
  {"seqwrap.pcap", c_seqwrap},
  {"seqwrap_retrans.pcap", c_seqwrap_retrans},
  {"portreuse.pcap", c_portreuse},
  {"allflags.pcap", c_allflags},
  {"ts_days.pcap", c_ts_days},
  {"ts_back_far.pcap", c_ts_back_far},
  {"http_longline.pcap", c_http_longline},
  {"http_escape.pcap", c_http_escape},
  {"pcap_random.pcap", c_pcap_random},
  {"trunc_rechdr.pcap", c_trunc_rechdr},
  {"caplen_gt_snaplen.pcap", c_caplen_gt_snaplen},
  {"caplen_huge.pcap", c_caplen_huge},
  {"caplen_gt_len.pcap", c_caplen_gt_len},
  {"bogus1.snoop", c_bogus1_snoop},
  {"bogus2.snoop", c_bogus2_snoop},
  {"bogus3.snoop", c_bogus3_snoop},
  {"bogus4.snoop", c_bogus4_snoop},
  {"bogus5.snoop", c_bogus5_snoop},
  {"bogus6.snoop", c_bogus6_snoop},
  {"bogus7.snoop", c_bogus7_snoop},
  {"bogus8.snoop", c_bogus8_snoop},
  {"fddi.snoop", c_fddi_snoop},
  {"ng_blocklen_huge.pcapng", c_ng_blocklen_huge},
  {"ng_blocklen_short.pcapng", c_ng_blocklen_short},
  {"ng_blocklen_odd.pcapng", c_ng_blocklen_odd},
  {"ng_trailer.pcapng", c_ng_trailer},
  {"ng_ts_huge.pcapng", c_ng_ts_huge},
  {"pcapread_ns_be.pcap", c_pcapread_ns_be},
  {"pcapread_ns_le.pcap", c_pcapread_ns_le},
  {"pcapread_snap60.pcap", c_pcapread_snap60},
  {"pcapread_snap60_tail.pcap", c_pcapread_snap60_tail},
  {"pcapread_caplen300k.pcap", c_pcapread_caplen300k},
  {"pcapread_caplen262145.pcap", c_pcapread_caplen262145},
  {"pcapread_caplen_wrap.pcap", c_pcapread_caplen_wrap},
  {"pcapread_hdronly.pcap", c_pcapread_hdronly},
  {"pcapread_cuthdr.pcap", c_pcapread_cuthdr},
  {"pcapread_topbit.pcap", c_pcapread_topbit},
  {"pcapread_topbit_be.pcap", c_pcapread_topbit_be},
  {"pcapread_topbit_ns.pcap", c_pcapread_topbit_ns},
  {"pcapread_topbit_ns_be.pcap", c_pcapread_topbit_ns_be},
  {"pcapread_jumbo.pcap", c_pcapread_jumbo},
  {"pcapread_blockend.pcap", c_pcapread_blockend},
  {"pcapread_blockcut.pcap", c_pcapread_blockcut},
};

/* Large cases, written only when named: mkpcap OUTDIR synflood ... */
static const pg_case big_cases[] = {
  {"synflood.pcap", c_synflood},
  {"synflood_50k.pcap", c_synflood_50k},
  {"synflood_100k.pcap", c_synflood_100k},
  {"segflood.pcap", c_segflood},
  {"pcapread_big.pcap", c_pcapread_big},
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))
#define NBIG (sizeof(big_cases) / sizeof(big_cases[0]))

int main(int argc, char **argv)
{
  return pg_main(argc, argv, "mkpcap", cases, NCASES, big_cases, NBIG);
}
