/*
 * pcapgen - tiny deterministic capture-file writer and packet builder
 * used by the miruo test suite (tests/gen/mkpcap.c).
 *
 * Plain C99 + libc.  Nothing here reads the clock or any random source:
 * every byte written is a function of the calls made.
 */
#ifndef PCAPGEN_H
#define PCAPGEN_H

#include <stdint.h>
#include <stddef.h>
#include <stdio.h>

/* ------------------------------------------------------------------ */
/* capture file writers                                                */
/* ------------------------------------------------------------------ */

enum pg_format {
  PG_PCAP = 0,   /* classic libpcap                                   */
  PG_PCAPNG,     /* SHB + one IDB + EPBs (us timestamps), little end. */
  PG_SNOOP       /* Solaris snoop v2 (RFC 1761), big endian          */
};

/* flags for pg_open() */
#define PG_F_BE   0x01  /* classic pcap: big-endian header and records */
#define PG_F_NSEC 0x02  /* classic pcap: nanosecond magic 0xa1b23c4d   */

/* link types (pcap LINKTYPE_* numbers) */
#define PG_LT_NULL      0
#define PG_LT_ETHERNET  1
#define PG_LT_PPP       9
#define PG_LT_RAW       101
#define PG_LT_LOOP      108
#define PG_LT_SLL       113
#define PG_LT_IPV4      228
#define PG_LT_IPV6      229
#define PG_LT_SLL2      276

#define PG_DEFAULT_SNAPLEN 65535u

/* 2024-01-01 12:00:00 UTC */
#define PG_EPOCH_2024 1704110400LL

typedef struct pg_writer {
  FILE     *fp;
  int       fmt;
  unsigned  flags;
  uint32_t  linktype;
  uint32_t  snaplen;
  int       err;       /* sticky: non-zero after any I/O error */
  const char *path;
} pg_writer;

/* Open PATH and write the file header.  snaplen 0 means the default.
   Returns 0 on success, -1 (with a message on stderr) on error. */
int  pg_open(pg_writer *w, const char *path, int fmt, uint32_t linktype,
             uint32_t snaplen, unsigned flags);
/* Close; returns 0 if every write succeeded. */
int  pg_close(pg_writer *w);

/* Write one record.  ts_us is absolute microseconds since the epoch.
   caplen = min(len, snaplen). */
void pg_write(pg_writer *w, int64_t ts_us, const uint8_t *data, uint32_t len);
/* Record with explicit caplen / original length (caplen bytes of data). */
void pg_write_rec(pg_writer *w, int64_t ts_us, const uint8_t *data,
                  uint32_t caplen, uint32_t origlen);
/* Record header claiming caplen/origlen, but only NBYTES of data are
   actually written (a file cut in the middle of a record). */
void pg_write_partial(pg_writer *w, int64_t ts_us, const uint8_t *data,
                      uint32_t caplen, uint32_t origlen, uint32_t nbytes);
/* Raw bytes, no framing. */
void pg_write_raw(pg_writer *w, const void *data, size_t n);

/* ------------------------------------------------------------------ */
/* byte helpers                                                        */
/* ------------------------------------------------------------------ */

void     pg_put16be(uint8_t *p, uint16_t v);
void     pg_put32be(uint8_t *p, uint32_t v);
void     pg_put16le(uint8_t *p, uint16_t v);
void     pg_put32le(uint8_t *p, uint32_t v);
uint16_t pg_get16be(const uint8_t *p);

/* Internet checksum over buf, starting from a partial sum. */
uint32_t pg_sum(uint32_t sum, const uint8_t *buf, size_t len);
uint16_t pg_fold(uint32_t sum);

/* Parse "10.0.0.1" / "2001:db8::1"; returns 4 or 6, exits on error. */
int      pg_addr(const char *s, uint8_t out[16]);

/* ------------------------------------------------------------------ */
/* packet builders                                                     */
/* ------------------------------------------------------------------ */

#define PG_MAXFRAME 4096

/* TCP flags */
#define PG_FIN 0x01
#define PG_SYN 0x02
#define PG_RST 0x04
#define PG_PSH 0x08
#define PG_ACK 0x10
#define PG_URG 0x20
#define PG_ECE 0x40
#define PG_CWR 0x80

/* IPv4 flags/fragment field */
#define PG_IP_DF 0x4000
#define PG_IP_MF 0x2000

/* Layer-2 framing kinds */
enum pg_l2 {
  PG_L2_ETH = 0,  /* Ethernet, optional VLAN tags                     */
  PG_L2_SLL,      /* Linux cooked v1 (16 bytes)                       */
  PG_L2_SLL2,     /* Linux cooked v2 (20 bytes)                       */
  PG_L2_NULL_LE,  /* BSD loopback, AF in little endian                */
  PG_L2_NULL_BE,  /* BSD loopback, AF in big endian                   */
  PG_L2_LOOP,     /* OpenBSD loop, AF in network order                */
  PG_L2_PPP,      /* PPP in HDLC-like framing: ff 03 + protocol       */
  PG_L2_NONE      /* raw IP                                           */
};

#define PG_MAXTAGS 16

typedef struct pg_link {
  int      kind;                  /* enum pg_l2 */
  uint32_t linktype;              /* written into the file header */
  uint8_t  cmac[6], smac[6];      /* client / server MAC */
  int      ntags;                 /* Ethernet VLAN tags, outermost first */
  uint16_t tpid[PG_MAXTAGS];
  uint16_t vid[PG_MAXTAGS];
  uint32_t af6;                   /* AF_INET6 value for NULL/LOOP (24/30) */
} pg_link;

/* Fill *l for a given framing kind with fixed MACs and sensible
   defaults (linktype chosen from the kind; raw IP defaults to 101). */
void   pg_link_init(pg_link *l, int kind);
void   pg_link_vlan(pg_link *l, uint16_t tpid, uint16_t vid);

/* Write the L2 header for direction (from_client != 0: client->server)
   and IP version (4/6), or ethertype when ipver is 0 (Ethernet/SLL only,
   `ethertype` then used as is).  Returns its length. */
size_t pg_l2_hdr(uint8_t *out, const pg_link *l, int from_client, int ipver,
                 uint16_t ethertype);

/* IPv4 header, 20 bytes, correct checksum.  payload_len = bytes after it. */
size_t pg_ip4_hdr(uint8_t *out, const uint8_t src[4], const uint8_t dst[4],
                  uint8_t proto, uint16_t id, uint16_t flagsfrag,
                  uint8_t ttl, size_t payload_len);
void   pg_ip4_fix_csum(uint8_t *ip, size_t hlen);

/* IPv6 fixed header, 40 bytes.  payload_len includes extension hdrs. */
size_t pg_ip6_hdr(uint8_t *out, const uint8_t src[16], const uint8_t dst[16],
                  uint8_t nexthdr, uint8_t hlim, size_t payload_len);

/* IPv6 extension header of protocol `type` (0 hop-by-hop, 43 routing,
   44 fragment, 60 destination options) with next header `next`.
   len8 is the Hdr Ext Len field ((len8+1)*8 bytes total); ignored for
   the fragment header (always 8 bytes, offset 0, M=0, id 0x0c0ffee0).
   Options are filled with PadN.  Returns its length. */
size_t pg_ip6_ext(uint8_t *out, uint8_t type, uint8_t next, uint8_t len8);

/* TCP header + options + payload.  Payload bytes are
   'a' + ((payoff + i) % 26) when pay == NULL.  Checksum left 0; use
   pg_tcp_csum4/6 after the IP header is in place. */
size_t pg_tcp_seg(uint8_t *out, uint16_t sport, uint16_t dport,
                  uint32_t seq, uint32_t ack, uint8_t flags, uint16_t win,
                  const uint8_t *opts, size_t optlen,
                  const uint8_t *pay, size_t paylen, uint32_t payoff);
void   pg_tcp_csum4(uint8_t *tcp, size_t seglen,
                    const uint8_t src[4], const uint8_t dst[4]);
void   pg_tcp_csum6(uint8_t *tcp, size_t seglen,
                    const uint8_t src[16], const uint8_t dst[16]);
/* generic L4 checksum (UDP 6/17 or TCP) with the pseudo header;
   csum_off is the checksum field offset inside the segment */
void   pg_l4_csum(uint8_t *seg, size_t seglen, int ipver, uint8_t proto,
                  const uint8_t *src, const uint8_t *dst, size_t csum_off);

/* ------------------------------------------------------------------ */
/* TCP options                                                          */
/* ------------------------------------------------------------------ */

typedef struct pg_opts {
  uint8_t autots;     /* 1: let the flow decide (see pg_flow)          */
  uint8_t len;        /* bytes used in b (padded to 4 by the builder)  */
  uint8_t b[40];
} pg_opts;

pg_opts pg_o_auto(void);                 /* flow default               */
pg_opts pg_o_none(void);                 /* explicitly no options      */
pg_opts pg_o_raw(const void *b, size_t n);
/* SYN layout: mss=1460, sackOK, timestamp v e, nop, wscale=7 (20 B) */
pg_opts pg_o_syn(uint32_t tsval, uint32_t tsecr);
/* nop nop timestamp v e (12 B) */
pg_opts pg_o_ts(uint32_t tsval, uint32_t tsecr);
/* append raw bytes to an option set */
pg_opts pg_o_cat(pg_opts o, const void *b, size_t n);

/* ------------------------------------------------------------------ */
/* frames and sessions                                                 */
/* ------------------------------------------------------------------ */

typedef struct pg_frame {
  size_t  len;
  size_t  l3off;     /* offset of the IP header */
  size_t  l4off;     /* offset of the TCP header */
  uint8_t d[PG_MAXFRAME];
} pg_frame;

enum { PG_C2S = 0, PG_S2C = 1 };

typedef struct pg_flow {
  pg_writer *w;
  pg_link    link;
  int        ipver;           /* 4 or 6 */
  uint8_t    ip[2][16];       /* [PG_C2S] client, [PG_S2C] server */
  uint16_t   port[2];
  uint32_t   isn[2];          /* default 0x1000 / 0x8000 */
  uint32_t   nxt[2];          /* next sequence number each side sends */
  uint16_t   win[2];          /* advertised window, default 65535 */
  uint16_t   ipid[2];         /* next IPv4 id for each side */
  int64_t    t0_us;           /* absolute time of offset 0 */
  /* automatic options (used when a packet's opts are pg_o_auto()):
     ts_auto: SYNs get pg_o_syn(), others nop,nop,timestamp with
     tsval = tsbase[dir] + t/1000 and tsecr = last tsval from the peer */
  int        ts_auto;
  uint32_t   tsbase[2];
  uint32_t   tslast[2];
  /* IPv6 extension headers inserted before TCP (list of types) */
  int        next6;
  uint8_t    ext6[8];
  uint8_t    ipttl;
  pg_frame   last;            /* copy of the most recently built frame */
} pg_flow;

/* Create a flow: client cip:cport -> server sip:sport over link l,
   writing to w, time offsets relative to PG_EPOCH_2024. */
void pg_flow_init(pg_flow *f, pg_writer *w, const pg_link *l,
                  const char *cip, uint16_t cport,
                  const char *sip, uint16_t sport);
/* set ISNs (and reset next sequence numbers to them) */
void pg_flow_isn(pg_flow *f, uint32_t cisn, uint32_t sisn);
/* pretend the handshake happened already: nxt = isn + 1 */
void pg_flow_established(pg_flow *f);
/* add IPv6 extension header type (0, 43, 44, 60), in order */
void pg_flow_ext6(pg_flow *f, uint8_t type);

/* Build (not write) one TCP frame into *fr; updates ip id and the
   timestamp bookkeeping but not the sequence numbers.  The window is
   f->win[dir], except 0 on segments carrying RST. */
void pg_flow_build(pg_flow *f, pg_frame *fr, int64_t t_us, int dir,
                   uint8_t flags, uint32_t seq, uint32_t ack,
                   pg_opts o, size_t paylen);
/* Write a frame at offset t_us (microseconds from the flow's t0). */
void pg_emit(pg_flow *f, int64_t t_us, const pg_frame *fr);
/* Write an arbitrary frame buffer at offset t_us with the writer's
   snaplen applied. */
void pg_emit_buf(pg_flow *f, int64_t t_us, const uint8_t *b, size_t len);

/* Script helpers.  Every function builds, writes and remembers the
   frame in f->last.  ack numbers are the peer's next sequence number. */
void pg_pkt(pg_flow *f, int64_t t_us, int dir, uint8_t flags,
            uint32_t seq, uint32_t ack, pg_opts o, size_t paylen);
void pg_syn(pg_flow *f, int64_t t_us);
void pg_syn_o(pg_flow *f, int64_t t_us, uint8_t extra, pg_opts o);
void pg_synack(pg_flow *f, int64_t t_us);
void pg_synack_o(pg_flow *f, int64_t t_us, uint8_t extra, pg_opts o);
void pg_ack(pg_flow *f, int64_t t_us, int dir);
void pg_ack_o(pg_flow *f, int64_t t_us, int dir, pg_opts o);
/* PSH/ACK with len payload bytes; advances the sender's seq */
void pg_data(pg_flow *f, int64_t t_us, int dir, size_t len);
void pg_data_o(pg_flow *f, int64_t t_us, int dir, size_t len, pg_opts o);
/* FIN/ACK; advances the sender's seq by one */
void pg_fin(pg_flow *f, int64_t t_us, int dir);
void pg_fin_o(pg_flow *f, int64_t t_us, int dir, pg_opts o);
/* RST/ACK (seq = sender's next, ack = peer's next) */
void pg_rst(pg_flow *f, int64_t t_us, int dir);
void pg_rst_o(pg_flow *f, int64_t t_us, int dir, pg_opts o);

/* PSH/ACK carrying the n given payload bytes (n <= 1460); advances the
   sender's seq.  The frame is remembered in f->last. */
void pg_data_bytes(pg_flow *f, int64_t t_us, int dir, const uint8_t *p,
                   size_t n);
/* Recompute the TCP checksum of a built frame (IPv4 or IPv6 flow, no
   extension headers) after its bytes were patched. */
void pg_fix_tcp(pg_flow *f, pg_frame *fr, int dir);

/* IPv4 fragment of a built frame: the IP payload bytes [off, off+n)
   of fr go into out with the MF flag as given (off multiple of 8). */
void pg_frag4(const pg_frame *fr, size_t off, size_t n, int mf,
              pg_frame *out);

/* ---- the generators' command line ------------------------------------ */

/* A named case: writes one capture file at `path`, 0 on success. */
typedef struct {
  const char *name;
  int (*fn)(const char *path);
} pg_case;

/* PROG OUTDIR [NAME...] writes every case (none of `big`) into OUTDIR,
   or the named ones (a file name or its stem; big ones too); PROG --list
   lists them.  Returns the exit status: 0, 1 on a failure or an unknown
   name, 2 on a usage error. */
int pg_main(int argc, char **argv, const char *prog, const pg_case *cases,
            size_t ncases, const pg_case *big, size_t nbig);

#endif
