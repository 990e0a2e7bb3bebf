/*
 * mkpcap - write the miruo test captures.
 *
 *   mkpcap OUTDIR            write every case into OUTDIR (must exist)
 *   mkpcap OUTDIR NAME...    write only the named cases; NAME is a file
 *                            name ("normal.pcap") or a stem ("normal"
 *                            = normal.pcap, normal.pcapng, normal.snoop)
 *   mkpcap --list            print the case file names
 *
 * Output is byte-identical on every run.  See README for the cases.
 */
#include "pcapgen.h"

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
/* table and main                                                      */
/* ------------------------------------------------------------------ */

static const struct {
  const char *name;
  int (*fn)(const char *path);
} cases[] = {
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
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* NAME matches a case by file name or by stem (name up to the dot) */
static int matches(const char *arg, const char *name)
{
  const char *dot = strchr(name, '.');
  size_t n = dot ? (size_t)(dot - name) : strlen(name);
  return strcmp(arg, name) == 0 || (strlen(arg) == n &&
                                     strncmp(arg, name, n) == 0);
}

static int run(const char *dir, size_t i)
{
  char path[4096];
  int n = snprintf(path, sizeof(path), "%s/%s", dir, cases[i].name);
  if (n < 0 || (size_t)n >= sizeof(path)) {
    fprintf(stderr, "mkpcap: path too long\n");
    return -1;
  }
  if (cases[i].fn(path) != 0) {
    fprintf(stderr, "mkpcap: failed to write %s\n", path);
    return -1;
  }
  return 0;
}

int main(int argc, char **argv)
{
  size_t i;
  int a, rc = 0;

  if (argc == 2 && strcmp(argv[1], "--list") == 0) {
    for (i = 0; i < NCASES; i++)
      printf("%s\n", cases[i].name);
    return 0;
  }
  if (argc < 2 || argv[1][0] == '\0' ||
      (argv[1][0] == '-' && argv[1][1] != '\0')) {
    fprintf(stderr, "usage: mkpcap OUTDIR [NAME...]\n"
                    "       mkpcap --list\n");
    return 2;
  }
  if (argc == 2) {
    for (i = 0; i < NCASES; i++)
      if (run(argv[1], i) != 0)
        return 1;
    return 0;
  }
  for (a = 2; a < argc; a++) {
    int found = 0;
    for (i = 0; i < NCASES; i++) {
      if (matches(argv[a], cases[i].name)) {
        found = 1;
        if (run(argv[1], i) != 0)
          rc = 1;
      }
    }
    if (!found) {
      fprintf(stderr, "mkpcap: unknown case '%s'\n", argv[a]);
      rc = 1;
    }
  }
  return rc;
}
