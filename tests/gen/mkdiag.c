/*
 * mkdiag - write the captures that test miruo's diagnosis (tests/t-diag.sh).
 *
 *   mkdiag OUTDIR            write every case into OUTDIR (must exist)
 *   mkdiag OUTDIR NAME...    only these; NAME is a file name or its stem
 *   mkdiag --list            print the case file names
 *
 * Built on pcapgen (tests/gen/pcapgen.[ch]); output is byte-identical on
 * every run.  Every capture is Ethernet, starts 2024-01-01 12:00:00 UTC,
 * client 10.0.0.1:40000 (a second session uses port 40001), server
 * 10.0.0.2:80, ISNs 0x1000/0x8000, TTL 64 unless said otherwise.  SYNs carry
 * mss 1460, sackOK, TS, nop, wscale 7; other segments nop, nop, TS.  Times
 * below are from the first packet; "seg N" is the N-th client data segment
 * of 1000 bytes.
 *
 * Retransmissions and holes (the tap is close to the client)
 *   rx_rto           seg 1, 2 at 10 ms; server ACKs seg 1 only (30 ms);
 *                    seg 2 resent 1.2 s after its original (RTO; the tap
 *                    saw the original: lost after the tap); the server
 *                    ACKs it and answers 30 ms later (100 B); close
 *   rx_fast          seg 1..5 at 10.0-10.4 ms; the server ACKs seg 1 at
 *                    30 ms, then 3 duplicate ACKs (ack = seq of seg 2, no
 *                    data, same window); seg 2 resent at 30.5 ms; close
 *   rx_spurious      seg 1 at 10 ms, ACKed at 30 ms; resent at 1.21 s
 *                    anyway (the ACK was lost between tap and client)
 *   rx_tlp           seg 1..3 at 10.0-10.2 ms, no ACK; seg 3 resent 50 ms
 *                    later (tail-loss probe); one ACK for all; close
 *   lost_before_tap  seg 1, seg 3 (seg 2 never seen), ACK + dup ACK; seg 2
 *                    300 ms after seg 3 (hole filled late: lost before the
 *                    tap); close
 *   reorder          seg 1, seg 3, seg 2, 1 ms apart (reordering); close
 *   lost_before_tap_lan
 *                    a LAN (handshake 50 us + 50 us): seg 1 at 10 ms, seg 3,
 *                    4, 5 (seg 2 not seen) 10 us apart; the server ACKs seg 1
 *                    and sends 3 duplicate ACKs 100 us later; seg 2 arrives
 *                    after them, 150 us after the hole (a fast retransmission
 *                    of a segment lost before the tap: 1.5 round trips, and
 *                    after the receiver reported the hole; but sooner than
 *                    the 10 ms below which miruo calls a hole reordering);
 *                    close
 *
 * Capture artefacts
 *   dupframe         every frame written twice, 50 us apart, same IP ID
 *                    (as -i any or a SPAN port does).  Session 40000:
 *                    handshake, 100 B request, 200 B answer, close (clean).
 *                    Session 40001 (from 100 ms): handshake, request,
 *                    answer, then the server's RST/ACK: 2 client (SYN,
 *                    request) and 2 server (SYN/ACK, answer) sequence-
 *                    bearing frames are doubled
 *   dupframe_rto     every frame written twice as above; seg 1..3 at
 *                    10 ms, seg 1 lost after the tap; the server sends 2
 *                    duplicate ACKs (for seg 2 and 3: fewer than the 3 of
 *                    a fast retransmit); seg 1 resent after a 1.2 s RTO;
 *                    server RST at the end
 *   tso              one 1460 B segment (= the MSS, not over it), then 3
 *                    client segments of 5840 B (TSO super-segments); the
 *                    MSS announced in the SYN/ACK is 1460; close
 *
 * Windows and silences
 *   zerowin_stall    request; the server sends 4 x 1000 B; the client ACKs
 *                    with window 0 at 14 ms; 1-byte zero-window probes by
 *                    the server at 0.514, 1.014, 1.514 and 2.014 s, each
 *                    answered at +0.1 ms with window 0 but the last, which
 *                    opens the window (zero window 2.0001 s); the server
 *                    sends the rest; close
 *   keepalive_idle   request/answer, then keep-alives from the client at
 *                    10, 20, 30 s (0 B, 1 B, 0 B at snd_nxt - 1) each ACKed;
 *                    close at 31 s
 *   turn             request at 10 ms, server ACK at 11 ms, answer at
 *                    1.510 s (server think 1.5 s); close
 *   rwnd             no window scaling; the server advertises 4000 bytes;
 *                    the client sends 4 x 1000 B (bytes in flight = window)
 *                    then 1 s of silence until the server's ACK; close
 *   waiting_ack      look-alike of rwnd: window 65535, 2 x 1000 B in flight,
 *                    then 1 s of silence until the ACK
 *
 * RSTs, handshake, one-way
 *   injected_rst     request/answer, 30.0 s idle, then a RST/ACK "from the
 *                    server" with TTL 250 (everything else TTL 64)
 *   normal_rst       the same RST with the server's TTL 64
 *   handshake_split  SYN at 0, SYN/ACK at 0.4 ms, ACK at 30.4 ms (30 ms
 *                    after the SYN/ACK); request/answer; close
 *   oneway           client to server only: SYN, ACK, 100 B at 2 ms and
 *                    50 ms, FIN at 100 ms
 */
#include "pcapgen.h"

#include <stdlib.h>
#include <string.h>

#define C PG_C2S
#define S PG_S2C
#define US(x)  ((int64_t)(x))
#define MS(x)  ((int64_t)(x) * 1000)
#define SEC(x) ((int64_t)(x) * 1000000)

#define CLI "10.0.0.1"
#define SRV "10.0.0.2"
#define DATA (PG_PSH | PG_ACK)

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

/* Open PATH (classic pcap, Ethernet) and set up flow 10.0.0.1:cport ->
   10.0.0.2:80 on it. */
static int start(pg_writer *w, pg_flow *f, const char *path, uint16_t cport)
{
  pg_link l;

  pg_link_init(&l, PG_L2_ETH);
  if (pg_open(w, path, PG_PCAP, l.linktype, 0, 0) != 0)
    return -1;
  pg_flow_init(f, w, &l, CLI, cport, SRV, 80);
  return 0;
}

/* A second flow on the same writer. */
static void another(pg_flow *g, pg_writer *w, uint16_t cport)
{
  pg_link l;

  pg_link_init(&l, PG_L2_ETH);
  pg_flow_init(g, w, &l, CLI, cport, SRV, 80);
  g->ipid[C] = 0x3000;
  g->ipid[S] = 0x4000;
}

#define FLOW(path, port)                                                  \
  pg_writer w;                                                            \
  pg_flow f;                                                              \
  if (start(&w, &f, (path), (port)) != 0)                                 \
    return -1

/* SYN at t, SYN/ACK at t + 1 ms, ACK at t + 2 ms */
static void handshake(pg_flow *f, int64_t t)
{
  pg_syn(f, t);
  pg_synack(f, t + MS(1));
  pg_ack(f, t + MS(2), C);
}

/* client-initiated close at t: FIN/ACK, FIN/ACK, ACK */
static void close_c(pg_flow *f, int64_t t)
{
  pg_fin(f, t, C);
  pg_fin(f, t + MS(1), S);
  pg_ack(f, t + MS(2), C);
}

/* Data at an explicit sequence number (a copy, or a segment after a
   hole); the sender's next sequence number is not changed. */
static void seg_at(pg_flow *f, int64_t t, int dir, uint32_t seq, size_t len)
{
  pg_pkt(f, t, dir, DATA, seq, f->nxt[!dir], pg_o_auto(), len);
}

/* A pure ACK with an explicit acknowledgement number. */
static void ack_to(pg_flow *f, int64_t t, int dir, uint32_t ack)
{
  pg_pkt(f, t, dir, PG_ACK, f->nxt[dir], ack, pg_o_auto(), 0);
}

/* Write the frame just built again, `after` microseconds later: the same
   frame captured twice. */
static void again(pg_flow *f, int64_t t, int64_t after)
{
  pg_emit(f, t + after, &f->last);
}

/* A data segment too long for pcapgen's frame buffer (a TSO super-
   segment), built from pcapgen's pieces in a buffer of our own; advances
   the sender's sequence number, IP ID and timestamps like pg_data. */
static void big_data(pg_flow *f, int64_t t, int dir, size_t len)
{
  static uint8_t buf[PG_MAXFRAME + 65536];
  uint32_t tsval = f->tsbase[dir] + (uint32_t)(t / 1000);
  pg_opts o = pg_o_ts(tsval, f->tslast[!dir]);
  size_t l2, seglen;
  uint8_t *tcp;

  if (len > 65535 - 20 - 32)
    len = 65535 - 20 - 32;
  f->tslast[dir] = tsval;
  l2 = pg_l2_hdr(buf, &f->link, dir == PG_C2S, 4, 0);
  tcp = buf + l2 + 20;
  seglen = pg_tcp_seg(tcp, f->port[dir], f->port[!dir], f->nxt[dir],
                      f->nxt[!dir], DATA, f->win[dir], o.b, o.len, NULL, len,
                      f->nxt[dir] - (f->isn[dir] + 1));
  pg_ip4_hdr(buf + l2, f->ip[dir], f->ip[!dir], 6, f->ipid[dir]++, PG_IP_DF,
             f->ipttl, seglen);
  pg_tcp_csum4(tcp, seglen, f->ip[dir], f->ip[!dir]);
  pg_emit_buf(f, t, buf, l2 + 20 + seglen);
  f->nxt[dir] += (uint32_t)len;
}

/* SYN options without window scaling: mss 1460, sackOK, TS, nop, nop */
static pg_opts syn_noscale(uint32_t tsval, uint32_t tsecr)
{
  uint8_t b[20] = {0x02, 0x04, 0x05, 0xb4, 0x04, 0x02,
                   0x08, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x01};
  pg_put32be(b + 8, tsval);
  pg_put32be(b + 12, tsecr);
  return pg_o_raw(b, 18);
}

/* ------------------------------------------------------------------ */
/* retransmissions and holes                                           */
/* ------------------------------------------------------------------ */

static int c_rx_rto(const char *path)
{
  uint32_t s2;
  FLOW(path, 40000);
  handshake(&f, 0);
  pg_data(&f, MS(10), C, 1000);
  s2 = f.nxt[C];
  pg_data(&f, US(10100), C, 1000);
  ack_to(&f, MS(30), S, s2);                 /* seg 1 only */
  seg_at(&f, US(1210100), C, s2, 1000);      /* RTO, 1.2 s later */
  pg_ack(&f, US(1210200), S);
  pg_data(&f, US(1240100), S, 100);          /* answer 30 ms later */
  pg_ack(&f, US(1240200), C);
  close_c(&f, MS(1300));
  return pg_close(&w);
}

static int c_rx_fast(const char *path)
{
  uint32_t s2;
  int i;
  FLOW(path, 40000);
  handshake(&f, 0);
  pg_data(&f, MS(10), C, 1000);
  s2 = f.nxt[C];
  for (i = 1; i < 5; i++)
    pg_data(&f, MS(10) + US(100) * i, C, 1000);
  ack_to(&f, MS(30), S, s2);                 /* seg 1 */
  for (i = 1; i <= 3; i++)                   /* for seg 3, 4, 5 */
    ack_to(&f, MS(30) + US(100) * (i + 1), S, s2);
  seg_at(&f, US(30500), C, s2, 1000);        /* fast retransmit */
  pg_ack(&f, US(50500), S);
  close_c(&f, MS(60));
  return pg_close(&w);
}

static int c_rx_spurious(const char *path)
{
  uint32_t s1;
  FLOW(path, 40000);
  handshake(&f, 0);
  s1 = f.nxt[C];
  pg_data(&f, MS(10), C, 1000);
  pg_ack(&f, MS(30), S);                     /* seg 1 ACKed */
  seg_at(&f, MS(1210), C, s1, 1000);         /* resent anyway */
  pg_ack(&f, MS(1230), S);                   /* duplicate ACK (D-SACK) */
  close_c(&f, MS(1300));
  return pg_close(&w);
}

static int c_rx_tlp(const char *path)
{
  uint32_t s3;
  FLOW(path, 40000);
  handshake(&f, 0);
  pg_data(&f, MS(10), C, 1000);
  pg_data(&f, US(10100), C, 1000);
  s3 = f.nxt[C];
  pg_data(&f, US(10200), C, 1000);
  seg_at(&f, US(60200), C, s3, 1000);        /* probe: last segment again */
  pg_ack(&f, MS(80), S);
  close_c(&f, MS(100));
  return pg_close(&w);
}

static int c_lost_before_tap(const char *path)
{
  uint32_t a;
  FLOW(path, 40000);
  handshake(&f, 0);
  a = f.nxt[C];
  seg_at(&f, MS(10), C, a, 1000);            /* seg 1 */
  seg_at(&f, US(10200), C, a + 2000, 1000);  /* seg 3: seg 2 not seen */
  f.nxt[C] = a + 3000;
  ack_to(&f, MS(30), S, a + 1000);
  ack_to(&f, US(30200), S, a + 1000);        /* duplicate ACK for seg 3 */
  seg_at(&f, US(310200), C, a + 1000, 1000); /* seg 2, 300 ms later */
  pg_ack(&f, US(330200), S);
  close_c(&f, MS(400));
  return pg_close(&w);
}

static int c_reorder(const char *path)
{
  uint32_t a;
  FLOW(path, 40000);
  handshake(&f, 0);
  a = f.nxt[C];
  seg_at(&f, MS(10), C, a, 1000);            /* seg 1 */
  seg_at(&f, MS(11), C, a + 2000, 1000);     /* seg 3 */
  seg_at(&f, MS(12), C, a + 1000, 1000);     /* seg 2, 1 ms later */
  f.nxt[C] = a + 3000;
  pg_ack(&f, MS(30), S);
  close_c(&f, MS(40));
  return pg_close(&w);
}

static int c_lost_before_tap_lan(const char *path)
{
  uint32_t a;
  int i;
  FLOW(path, 40000);
  pg_syn(&f, 0);
  pg_synack(&f, US(50));
  pg_ack(&f, US(100), C);
  a = f.nxt[C];
  seg_at(&f, MS(10), C, a, 1000);                      /* seg 1 */
  for (i = 2; i < 5; i++)                              /* seg 3, 4, 5 */
    seg_at(&f, MS(10) + US(10) * (i - 1), C, a + 1000 * (uint32_t)i, 1000);
  f.nxt[C] = a + 5000;
  ack_to(&f, US(10100), S, a + 1000);                  /* seg 1 */
  for (i = 1; i <= 3; i++)                             /* seg 3, 4, 5 */
    ack_to(&f, US(10100) + US(10) * i, S, a + 1000);
  seg_at(&f, US(10160), C, a + 1000, 1000);            /* seg 2 */
  pg_ack(&f, US(10260), S);
  close_c(&f, MS(20));
  return pg_close(&w);
}

/* ------------------------------------------------------------------ */
/* capture artefacts                                                   */
/* ------------------------------------------------------------------ */

/* Each call's frame is written again 50 us later. */
#define TWICE(fl, t, call) do { call; again((fl), (t), 50); } while (0)

static int c_dupframe(const char *path)
{
  pg_flow g;
  int64_t t;
  FLOW(path, 40000);
  another(&g, &w, 40001);
  /* clean session */
  TWICE(&f, 0, pg_syn(&f, 0));
  TWICE(&f, MS(1), pg_synack(&f, MS(1)));
  TWICE(&f, MS(2), pg_ack(&f, MS(2), C));
  TWICE(&f, MS(3), pg_data(&f, MS(3), C, 100));
  TWICE(&f, MS(4), pg_ack(&f, MS(4), S));
  TWICE(&f, MS(5), pg_data(&f, MS(5), S, 200));
  TWICE(&f, MS(6), pg_ack(&f, MS(6), C));
  TWICE(&f, MS(16), pg_fin(&f, MS(16), C));
  TWICE(&f, MS(17), pg_fin(&f, MS(17), S));
  TWICE(&f, MS(18), pg_ack(&f, MS(18), C));
  /* aborted session */
  t = MS(100);
  TWICE(&g, t, pg_syn(&g, t));
  TWICE(&g, t + MS(1), pg_synack(&g, t + MS(1)));
  TWICE(&g, t + MS(2), pg_ack(&g, t + MS(2), C));
  TWICE(&g, t + MS(3), pg_data(&g, t + MS(3), C, 100));
  TWICE(&g, t + MS(4), pg_ack(&g, t + MS(4), S));
  TWICE(&g, t + MS(5), pg_data(&g, t + MS(5), S, 200));
  TWICE(&g, t + MS(6), pg_ack(&g, t + MS(6), C));
  TWICE(&g, t + MS(16), pg_rst(&g, t + MS(16), S));
  return pg_close(&w);
}

static int c_dupframe_rto(const char *path)
{
  uint32_t s1;
  FLOW(path, 40000);
  TWICE(&f, 0, pg_syn(&f, 0));
  TWICE(&f, MS(1), pg_synack(&f, MS(1)));
  TWICE(&f, MS(2), pg_ack(&f, MS(2), C));
  s1 = f.nxt[C];
  TWICE(&f, MS(10), pg_data(&f, MS(10), C, 1000));     /* lost after tap */
  TWICE(&f, US(10100), pg_data(&f, US(10100), C, 1000));
  TWICE(&f, US(10200), pg_data(&f, US(10200), C, 1000));
  /* two duplicate ACKs (seg 2 and 3 arrived, seg 1 did not) */
  TWICE(&f, US(30100), ack_to(&f, US(30100), S, s1));
  TWICE(&f, US(30200), ack_to(&f, US(30200), S, s1));
  /* no third duplicate ACK: the client times out */
  TWICE(&f, MS(1210), seg_at(&f, MS(1210), C, s1, 1000));
  TWICE(&f, MS(1230), pg_ack(&f, MS(1230), S));
  TWICE(&f, MS(1240), pg_rst(&f, MS(1240), S));
  return pg_close(&w);
}

static int c_tso(const char *path)
{
  int i;
  FLOW(path, 40000);
  handshake(&f, 0);
  pg_data(&f, MS(10), C, 1460);              /* exactly the MSS */
  for (i = 0; i < 3; i++)
    big_data(&f, MS(11) + US(100) * i, C, 5840);
  pg_ack(&f, MS(30), S);
  pg_data(&f, MS(31), S, 100);
  pg_ack(&f, MS(32), C);
  close_c(&f, MS(40));
  return pg_close(&w);
}

/* ------------------------------------------------------------------ */
/* windows and silences                                                */
/* ------------------------------------------------------------------ */

static int c_zerowin_stall(const char *path)
{
  int i;
  FLOW(path, 40000);
  handshake(&f, 0);
  pg_data(&f, MS(3), C, 100);
  for (i = 0; i < 4; i++)
    pg_data(&f, MS(10) + US(100) * i, S, 1000);
  f.win[C] = 0;
  pg_ack(&f, MS(14), C);                     /* the client stops reading */
  for (i = 1; i <= 4; i++) {
    int64_t t = MS(14) + MS(500) * i;
    /* 1-byte probe (the next byte; not counted as sent) */
    pg_pkt(&f, t, S, PG_ACK, f.nxt[S], f.nxt[C], pg_o_auto(), 1);
    if (i == 4)
      f.win[C] = 65535;                      /* the application read */
    pg_ack(&f, t + US(100), C);
  }
  pg_data(&f, MS(2015), S, 1000);
  pg_data(&f, US(2015100), S, 1000);
  pg_ack(&f, MS(2016), C);
  close_c(&f, MS(2030));
  return pg_close(&w);
}

static int c_keepalive_idle(const char *path)
{
  int i;
  FLOW(path, 40000);
  handshake(&f, 0);
  pg_data(&f, MS(3), C, 100);
  pg_data(&f, MS(5), S, 200);
  pg_ack(&f, MS(6), C);
  for (i = 1; i <= 3; i++) {
    int64_t t = MS(6) + SEC(10) * i;
    pg_pkt(&f, t, C, PG_ACK, f.nxt[C] - 1, f.nxt[S], pg_o_auto(),
           i == 2 ? 1 : 0);
    pg_ack(&f, t + US(100), S);
  }
  close_c(&f, MS(31006));
  return pg_close(&w);
}

static int c_turn(const char *path)
{
  FLOW(path, 40000);
  handshake(&f, 0);
  pg_data(&f, MS(10), C, 100);
  pg_ack(&f, MS(11), S);
  pg_data(&f, MS(1510), S, 200);             /* 1.5 s of server think */
  pg_ack(&f, MS(1511), C);
  close_c(&f, MS(1520));
  return pg_close(&w);
}

/* handshake without window scaling, the server's window `swin` */
static void handshake_noscale(pg_flow *f, uint16_t swin)
{
  f->win[S] = swin;
  pg_syn_o(f, 0, 0, syn_noscale(100, 0));
  pg_synack_o(f, MS(1), 0, syn_noscale(201, 100));
  f->tslast[S] = 201;
  pg_ack(f, MS(2), C);
}

static int window_case(const char *path, uint16_t swin, int nseg)
{
  int i;
  FLOW(path, 40000);
  handshake_noscale(&f, swin);
  for (i = 0; i < nseg; i++)
    pg_data(&f, MS(10) + US(100) * i, C, 1000);
  pg_ack(&f, MS(1010) + US(100) * (nseg - 1), S);   /* 1 s later */
  pg_data(&f, MS(1020), C, 100);
  pg_ack(&f, MS(1021), S);
  close_c(&f, MS(1030));
  return pg_close(&w);
}

static int c_rwnd(const char *p)        { return window_case(p, 4000, 4); }
static int c_waiting_ack(const char *p) { return window_case(p, 65535, 2); }

/* ------------------------------------------------------------------ */
/* RSTs, handshake, one-way                                            */
/* ------------------------------------------------------------------ */

static int rst_case(const char *path, uint8_t rst_ttl)
{
  FLOW(path, 40000);
  handshake(&f, 0);
  pg_data(&f, MS(10), C, 100);
  pg_data(&f, MS(20), S, 200);
  pg_ack(&f, MS(21), C);
  f.ipttl = rst_ttl;
  pg_rst(&f, MS(30021), S);                  /* after 30.0 s idle */
  return pg_close(&w);
}

static int c_injected_rst(const char *p) { return rst_case(p, 250); }
static int c_normal_rst(const char *p)   { return rst_case(p, 64); }

static int c_handshake_split(const char *path)
{
  FLOW(path, 40000);
  pg_syn(&f, 0);
  pg_synack(&f, US(400));
  pg_ack(&f, US(30400), C);
  pg_data(&f, MS(31), C, 100);
  pg_data(&f, MS(32), S, 200);
  pg_ack(&f, MS(33), C);
  close_c(&f, MS(40));
  return pg_close(&w);
}

static int c_oneway(const char *path)
{
  FLOW(path, 40000);
  pg_syn(&f, 0);
  f.nxt[S] = f.isn[S] + 1;                   /* its SYN/ACK is unseen */
  pg_ack(&f, MS(1), C);
  pg_data(&f, MS(2), C, 100);
  pg_data(&f, MS(50), C, 100);
  pg_fin(&f, MS(100), C);
  return pg_close(&w);
}

/* ------------------------------------------------------------------ */
/* table and main                                                      */
/* ------------------------------------------------------------------ */

static const pg_case cases[] = {
  {"rx_rto.pcap", c_rx_rto},
  {"rx_fast.pcap", c_rx_fast},
  {"rx_spurious.pcap", c_rx_spurious},
  {"rx_tlp.pcap", c_rx_tlp},
  {"lost_before_tap.pcap", c_lost_before_tap},
  {"reorder.pcap", c_reorder},
  {"lost_before_tap_lan.pcap", c_lost_before_tap_lan},
  {"dupframe.pcap", c_dupframe},
  {"dupframe_rto.pcap", c_dupframe_rto},
  {"tso.pcap", c_tso},
  {"zerowin_stall.pcap", c_zerowin_stall},
  {"keepalive_idle.pcap", c_keepalive_idle},
  {"turn.pcap", c_turn},
  {"rwnd.pcap", c_rwnd},
  {"waiting_ack.pcap", c_waiting_ack},
  {"injected_rst.pcap", c_injected_rst},
  {"normal_rst.pcap", c_normal_rst},
  {"handshake_split.pcap", c_handshake_split},
  {"oneway.pcap", c_oneway},
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

int main(int argc, char **argv)
{
  return pg_main(argc, argv, "mkdiag", cases, NCASES, NULL, 0);
}
