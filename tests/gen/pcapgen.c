/*
 * pcapgen - tiny deterministic capture-file writer and packet builder.
 * See pcapgen.h.
 */
#include "pcapgen.h"

#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <arpa/inet.h>

/* ------------------------------------------------------------------ */
/* byte helpers                                                        */
/* ------------------------------------------------------------------ */

void pg_put16be(uint8_t *p, uint16_t v)
{
  p[0] = (uint8_t)(v >> 8);
  p[1] = (uint8_t)v;
}

void pg_put32be(uint8_t *p, uint32_t v)
{
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

void pg_put16le(uint8_t *p, uint16_t v)
{
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}

void pg_put32le(uint8_t *p, uint32_t v)
{
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

uint16_t pg_get16be(const uint8_t *p)
{
  return (uint16_t)((p[0] << 8) | p[1]);
}

uint32_t pg_sum(uint32_t sum, const uint8_t *buf, size_t len)
{
  size_t i;
  for (i = 0; i + 1 < len; i += 2)
    sum += (uint32_t)((buf[i] << 8) | buf[i + 1]);
  if (len & 1)
    sum += (uint32_t)(buf[len - 1] << 8);
  return sum;
}

uint16_t pg_fold(uint32_t sum)
{
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return (uint16_t)~sum;
}

int pg_addr(const char *s, uint8_t out[16])
{
  memset(out, 0, 16);
  if (inet_pton(AF_INET, s, out) == 1)
    return 4;
  if (inet_pton(AF_INET6, s, out) == 1)
    return 6;
  fprintf(stderr, "pcapgen: bad address '%s'\n", s);
  exit(2);
}

/* ------------------------------------------------------------------ */
/* writers                                                             */
/* ------------------------------------------------------------------ */

static void wr(pg_writer *w, const void *p, size_t n)
{
  if (w->err || n == 0)
    return;
  if (fwrite(p, 1, n, w->fp) != n)
    w->err = errno ? errno : EIO;
}

static void put32(pg_writer *w, uint8_t *p, uint32_t v)
{
  if (w->fmt == PG_SNOOP || (w->fmt == PG_PCAP && (w->flags & PG_F_BE)))
    pg_put32be(p, v);
  else
    pg_put32le(p, v);
}

static void put16(pg_writer *w, uint8_t *p, uint16_t v)
{
  if (w->fmt == PG_SNOOP || (w->fmt == PG_PCAP && (w->flags & PG_F_BE)))
    pg_put16be(p, v);
  else
    pg_put16le(p, v);
}

int pg_open(pg_writer *w, const char *path, int fmt, uint32_t linktype,
            uint32_t snaplen, unsigned flags)
{
  uint8_t h[64];

  memset(w, 0, sizeof(*w));
  w->fmt = fmt;
  w->flags = flags;
  w->linktype = linktype;
  w->snaplen = snaplen ? snaplen : PG_DEFAULT_SNAPLEN;
  w->path = path;
  w->fp = fopen(path, "wb");
  if (!w->fp) {
    fprintf(stderr, "mkpcap: %s: %s\n", path, strerror(errno));
    return -1;
  }

  switch (fmt) {
  case PG_PCAP:
    put32(w, h, (flags & PG_F_NSEC) ? 0xa1b23c4du : 0xa1b2c3d4u);
    put16(w, h + 4, 2);
    put16(w, h + 6, 4);
    put32(w, h + 8, 0);           /* thiszone */
    put32(w, h + 12, 0);          /* sigfigs */
    put32(w, h + 16, w->snaplen);
    put32(w, h + 20, linktype);
    wr(w, h, 24);
    break;
  case PG_PCAPNG:
    /* Section Header Block */
    put32(w, h, 0x0a0d0d0au);
    put32(w, h + 4, 28);
    put32(w, h + 8, 0x1a2b3c4du);
    put16(w, h + 12, 1);
    put16(w, h + 14, 0);
    put32(w, h + 16, 0xffffffffu); /* section length -1 */
    put32(w, h + 20, 0xffffffffu);
    put32(w, h + 24, 28);
    wr(w, h, 28);
    /* Interface Description Block, no options (=> microseconds) */
    put32(w, h, 1);
    put32(w, h + 4, 20);
    put16(w, h + 8, (uint16_t)linktype);
    put16(w, h + 10, 0);
    put32(w, h + 12, w->snaplen);
    put32(w, h + 16, 20);
    wr(w, h, 20);
    break;
  case PG_SNOOP: {
    uint32_t dl;
    if (linktype == PG_LT_ETHERNET) {
      dl = 4;
    } else {
      fprintf(stderr, "mkpcap: %s: snoop writer supports Ethernet only\n",
              path);
      fclose(w->fp);
      w->fp = NULL;
      return -1;
    }
    memcpy(h, "snoop\0\0\0", 8);
    put32(w, h + 8, 2);
    put32(w, h + 12, dl);
    wr(w, h, 16);
    break;
  }
  default:
    fprintf(stderr, "mkpcap: unknown format %d\n", fmt);
    fclose(w->fp);
    w->fp = NULL;
    return -1;
  }
  return w->err ? -1 : 0;
}

int pg_close(pg_writer *w)
{
  int rc = 0;
  if (!w->fp)
    return -1;
  if (fclose(w->fp) != 0 && !w->err)
    w->err = errno ? errno : EIO;
  w->fp = NULL;
  if (w->err) {
    fprintf(stderr, "mkpcap: %s: %s\n", w->path ? w->path : "?",
            strerror(w->err));
    rc = -1;
  }
  return rc;
}

void pg_write_raw(pg_writer *w, const void *data, size_t n)
{
  wr(w, data, n);
}

void pg_write_partial(pg_writer *w, int64_t ts_us, const uint8_t *data,
                      uint32_t caplen, uint32_t origlen, uint32_t nbytes)
{
  uint8_t h[32];
  static const uint8_t zero[4] = {0, 0, 0, 0};
  uint32_t sec, usec, pad;

  if (ts_us < 0)
    ts_us = 0;
  sec = (uint32_t)(ts_us / 1000000);
  usec = (uint32_t)(ts_us % 1000000);
  if (nbytes > caplen)
    nbytes = caplen;

  switch (w->fmt) {
  case PG_PCAP:
    put32(w, h, sec);
    put32(w, h + 4, (w->flags & PG_F_NSEC) ? usec * 1000u : usec);
    put32(w, h + 8, caplen);
    put32(w, h + 12, origlen);
    wr(w, h, 16);
    wr(w, data, nbytes);
    break;
  case PG_PCAPNG: {
    uint64_t ts = (uint64_t)ts_us;
    pad = (4 - (caplen & 3)) & 3;
    put32(w, h, 6);
    put32(w, h + 4, 32 + caplen + pad);
    put32(w, h + 8, 0);
    put32(w, h + 12, (uint32_t)(ts >> 32));
    put32(w, h + 16, (uint32_t)ts);
    put32(w, h + 20, caplen);
    put32(w, h + 24, origlen);
    wr(w, h, 28);
    wr(w, data, nbytes);
    if (nbytes == caplen) {
      wr(w, zero, pad);
      put32(w, h, 32 + caplen + pad);
      wr(w, h, 4);
    }
    break;
  }
  case PG_SNOOP:
    pad = (4 - (caplen & 3)) & 3;
    put32(w, h, origlen);
    put32(w, h + 4, caplen);
    put32(w, h + 8, 24 + caplen + pad);
    put32(w, h + 12, 0);
    put32(w, h + 16, sec);
    put32(w, h + 20, usec);
    wr(w, h, 24);
    wr(w, data, nbytes);
    if (nbytes == caplen)
      wr(w, zero, pad);
    break;
  }
}

void pg_write_rec(pg_writer *w, int64_t ts_us, const uint8_t *data,
                  uint32_t caplen, uint32_t origlen)
{
  pg_write_partial(w, ts_us, data, caplen, origlen, caplen);
}

void pg_write(pg_writer *w, int64_t ts_us, const uint8_t *data, uint32_t len)
{
  uint32_t cap = len < w->snaplen ? len : w->snaplen;
  pg_write_rec(w, ts_us, data, cap, len);
}

/* ------------------------------------------------------------------ */
/* headers                                                             */
/* ------------------------------------------------------------------ */

void pg_link_init(pg_link *l, int kind)
{
  static const uint8_t cmac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
  static const uint8_t smac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};

  memset(l, 0, sizeof(*l));
  l->kind = kind;
  memcpy(l->cmac, cmac, 6);
  memcpy(l->smac, smac, 6);
  l->af6 = 24;
  switch (kind) {
  case PG_L2_ETH:     l->linktype = PG_LT_ETHERNET; break;
  case PG_L2_SLL:     l->linktype = PG_LT_SLL; break;
  case PG_L2_SLL2:    l->linktype = PG_LT_SLL2; break;
  case PG_L2_NULL_LE: l->linktype = PG_LT_NULL; l->af6 = 30; break;
  case PG_L2_NULL_BE: l->linktype = PG_LT_NULL; break;
  case PG_L2_LOOP:    l->linktype = PG_LT_LOOP; break;
  case PG_L2_PPP:     l->linktype = PG_LT_PPP; break;
  default:            l->linktype = PG_LT_RAW; break;
  }
}

void pg_link_vlan(pg_link *l, uint16_t tpid, uint16_t vid)
{
  if (l->ntags < PG_MAXTAGS) {
    l->tpid[l->ntags] = tpid;
    l->vid[l->ntags] = vid;
    l->ntags++;
  }
}

size_t pg_l2_hdr(uint8_t *out, const pg_link *l, int from_client, int ipver,
                 uint16_t ethertype)
{
  const uint8_t *src = from_client ? l->cmac : l->smac;
  const uint8_t *dst = from_client ? l->smac : l->cmac;
  uint32_t af = ipver == 6 ? l->af6 : 2;
  size_t n = 0;
  int i;

  if (ipver == 4)
    ethertype = 0x0800;
  else if (ipver == 6)
    ethertype = 0x86dd;

  switch (l->kind) {
  case PG_L2_ETH:
    memcpy(out, dst, 6);
    memcpy(out + 6, src, 6);
    n = 12;
    for (i = 0; i < l->ntags; i++) {
      pg_put16be(out + n, l->tpid[i]);
      pg_put16be(out + n + 2, (uint16_t)(l->vid[i] & 0x0fff));
      n += 4;
    }
    pg_put16be(out + n, ethertype);
    return n + 2;
  case PG_L2_SLL:
    pg_put16be(out, from_client ? 4 : 0);   /* outgoing / to us */
    pg_put16be(out + 2, 1);                 /* ARPHRD_ETHER */
    pg_put16be(out + 4, 6);
    memcpy(out + 6, src, 6);
    out[12] = out[13] = 0;
    pg_put16be(out + 14, ethertype);
    return 16;
  case PG_L2_SLL2:
    pg_put16be(out, ethertype);
    pg_put16be(out + 2, 0);
    pg_put32be(out + 4, 2);                 /* ifindex */
    pg_put16be(out + 8, 1);                 /* ARPHRD_ETHER */
    out[10] = from_client ? 4 : 0;
    out[11] = 6;
    memcpy(out + 12, src, 6);
    out[18] = out[19] = 0;
    return 20;
  case PG_L2_NULL_LE:
    pg_put32le(out, af);
    return 4;
  case PG_L2_NULL_BE:
  case PG_L2_LOOP:
    pg_put32be(out, af);
    return 4;
  case PG_L2_PPP:
    out[0] = 0xff;
    out[1] = 0x03;
    pg_put16be(out + 2, ipver == 6 ? 0x0057 : ipver == 4 ? 0x0021 : ethertype);
    return 4;
  default:
    return 0;
  }
}

void pg_ip4_fix_csum(uint8_t *ip, size_t hlen)
{
  ip[10] = ip[11] = 0;
  pg_put16be(ip + 10, pg_fold(pg_sum(0, ip, hlen)));
}

size_t pg_ip4_hdr(uint8_t *out, const uint8_t src[4], const uint8_t dst[4],
                  uint8_t proto, uint16_t id, uint16_t flagsfrag,
                  uint8_t ttl, size_t payload_len)
{
  out[0] = 0x45;
  out[1] = 0;
  pg_put16be(out + 2, (uint16_t)(20 + payload_len));
  pg_put16be(out + 4, id);
  pg_put16be(out + 6, flagsfrag);
  out[8] = ttl;
  out[9] = proto;
  memcpy(out + 12, src, 4);
  memcpy(out + 16, dst, 4);
  pg_ip4_fix_csum(out, 20);
  return 20;
}

size_t pg_ip6_hdr(uint8_t *out, const uint8_t src[16], const uint8_t dst[16],
                  uint8_t nexthdr, uint8_t hlim, size_t payload_len)
{
  pg_put32be(out, 0x60000000u);
  pg_put16be(out + 4, (uint16_t)payload_len);
  out[6] = nexthdr;
  out[7] = hlim;
  memcpy(out + 8, src, 16);
  memcpy(out + 24, dst, 16);
  return 40;
}

size_t pg_ip6_ext(uint8_t *out, uint8_t type, uint8_t next, uint8_t len8)
{
  size_t n;

  if (type == 44) {                      /* fragment header */
    out[0] = next;
    out[1] = 0;
    pg_put16be(out + 2, 0);              /* offset 0, M = 0 */
    pg_put32be(out + 4, 0x0c0ffee0u);
    return 8;
  }
  n = ((size_t)len8 + 1) * 8;
  memset(out, 0, n);
  out[0] = next;
  out[1] = len8;
  if (type == 43) {                      /* routing: type 0, segs left 0 */
    out[2] = 0;
    out[3] = 0;
  } else {                               /* options: one PadN */
    out[2] = 1;
    out[3] = (uint8_t)(n - 4);
  }
  return n;
}

size_t pg_tcp_seg(uint8_t *out, uint16_t sport, uint16_t dport,
                  uint32_t seq, uint32_t ack, uint8_t flags, uint16_t win,
                  const uint8_t *opts, size_t optlen,
                  const uint8_t *pay, size_t paylen, uint32_t payoff)
{
  size_t olen = (optlen + 3) & ~(size_t)3;
  size_t hlen = 20 + olen;
  size_t i;

  pg_put16be(out, sport);
  pg_put16be(out + 2, dport);
  pg_put32be(out + 4, seq);
  pg_put32be(out + 8, ack);
  out[12] = (uint8_t)((hlen / 4) << 4);
  out[13] = flags;
  pg_put16be(out + 14, win);
  pg_put16be(out + 16, 0);
  pg_put16be(out + 18, 0);
  memset(out + 20, 0, olen);
  if (optlen)
    memcpy(out + 20, opts, optlen);
  for (i = 0; i < paylen; i++)
    out[hlen + i] = pay ? pay[i] : (uint8_t)('a' + (payoff + i) % 26);
  return hlen + paylen;
}

void pg_l4_csum(uint8_t *seg, size_t seglen, int ipver, uint8_t proto,
                const uint8_t *src, const uint8_t *dst, size_t csum_off)
{
  uint8_t ph[40];
  uint32_t sum;

  seg[csum_off] = seg[csum_off + 1] = 0;
  if (ipver == 4) {
    memcpy(ph, src, 4);
    memcpy(ph + 4, dst, 4);
    ph[8] = 0;
    ph[9] = proto;
    pg_put16be(ph + 10, (uint16_t)seglen);
    sum = pg_sum(0, ph, 12);
  } else {
    memcpy(ph, src, 16);
    memcpy(ph + 16, dst, 16);
    pg_put32be(ph + 32, (uint32_t)seglen);
    ph[36] = ph[37] = ph[38] = 0;
    ph[39] = proto;
    sum = pg_sum(0, ph, 40);
  }
  sum = pg_sum(sum, seg, seglen);
  pg_put16be(seg + csum_off, pg_fold(sum));
}

void pg_tcp_csum4(uint8_t *tcp, size_t seglen,
                  const uint8_t src[4], const uint8_t dst[4])
{
  pg_l4_csum(tcp, seglen, 4, 6, src, dst, 16);
}

void pg_tcp_csum6(uint8_t *tcp, size_t seglen,
                  const uint8_t src[16], const uint8_t dst[16])
{
  pg_l4_csum(tcp, seglen, 6, 6, src, dst, 16);
}

/* ------------------------------------------------------------------ */
/* options                                                             */
/* ------------------------------------------------------------------ */

pg_opts pg_o_auto(void)
{
  pg_opts o;
  memset(&o, 0, sizeof(o));
  o.autots = 1;
  return o;
}

pg_opts pg_o_none(void)
{
  pg_opts o;
  memset(&o, 0, sizeof(o));
  return o;
}

pg_opts pg_o_cat(pg_opts o, const void *b, size_t n)
{
  o.autots = 0;
  if (n > sizeof(o.b) - o.len) {
    fprintf(stderr, "pcapgen: TCP options longer than 40 bytes\n");
    exit(2);
  }
  memcpy(o.b + o.len, b, n);
  o.len = (uint8_t)(o.len + n);
  return o;
}

pg_opts pg_o_raw(const void *b, size_t n)
{
  return pg_o_cat(pg_o_none(), b, n);
}

pg_opts pg_o_syn(uint32_t tsval, uint32_t tsecr)
{
  uint8_t b[20] = {0x02, 0x04, 0x05, 0xb4,      /* mss 1460 */
                   0x04, 0x02,                  /* sackOK */
                   0x08, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0,
                   0x01,                        /* nop */
                   0x03, 0x03, 0x07};           /* wscale 7 */
  pg_put32be(b + 8, tsval);
  pg_put32be(b + 12, tsecr);
  return pg_o_raw(b, sizeof(b));
}

pg_opts pg_o_ts(uint32_t tsval, uint32_t tsecr)
{
  uint8_t b[12] = {0x01, 0x01, 0x08, 0x0a};
  pg_put32be(b + 4, tsval);
  pg_put32be(b + 8, tsecr);
  return pg_o_raw(b, sizeof(b));
}

/* ------------------------------------------------------------------ */
/* flows                                                               */
/* ------------------------------------------------------------------ */

void pg_flow_init(pg_flow *f, pg_writer *w, const pg_link *l,
                  const char *cip, uint16_t cport,
                  const char *sip, uint16_t sport)
{
  int v1, v2;

  memset(f, 0, sizeof(*f));
  f->w = w;
  f->link = *l;
  v1 = pg_addr(cip, f->ip[PG_C2S]);
  v2 = pg_addr(sip, f->ip[PG_S2C]);
  if (v1 != v2) {
    fprintf(stderr, "pcapgen: mixed address families %s / %s\n", cip, sip);
    exit(2);
  }
  f->ipver = v1;
  f->port[PG_C2S] = cport;
  f->port[PG_S2C] = sport;
  f->win[0] = f->win[1] = 65535;
  f->ipid[PG_C2S] = 0x1000;
  f->ipid[PG_S2C] = 0x2000;
  f->t0_us = PG_EPOCH_2024 * 1000000LL;
  f->ts_auto = 1;
  f->tsbase[PG_C2S] = 100;
  f->tsbase[PG_S2C] = 200;
  f->ipttl = 64;
  pg_flow_isn(f, 0x1000, 0x8000);
}

void pg_flow_isn(pg_flow *f, uint32_t cisn, uint32_t sisn)
{
  f->isn[PG_C2S] = f->nxt[PG_C2S] = cisn;
  f->isn[PG_S2C] = f->nxt[PG_S2C] = sisn;
}

void pg_flow_established(pg_flow *f)
{
  f->nxt[PG_C2S] = f->isn[PG_C2S] + 1;
  f->nxt[PG_S2C] = f->isn[PG_S2C] + 1;
}

void pg_flow_ext6(pg_flow *f, uint8_t type)
{
  if (f->next6 < (int)sizeof(f->ext6))
    f->ext6[f->next6++] = type;
}

void pg_flow_build(pg_flow *f, pg_frame *fr, int64_t t_us, int dir,
                   uint8_t flags, uint32_t seq, uint32_t ack,
                   pg_opts o, size_t paylen)
{
  const uint8_t *src = f->ip[dir];
  const uint8_t *dst = f->ip[!dir];
  size_t l2, l3, seglen, exlen = 0;
  uint8_t *tcp;
  int i;

  if (o.autots) {
    o = pg_o_none();
    if (f->ts_auto) {
      uint32_t tsval = f->tsbase[dir] + (uint32_t)(t_us / 1000);
      uint32_t tsecr = f->tslast[!dir];
      if (flags & PG_SYN)
        o = pg_o_syn(tsval, (flags & PG_ACK) ? tsecr : 0);
      else
        o = pg_o_ts(tsval, tsecr);
      f->tslast[dir] = tsval;
    }
  }

  memset(fr, 0, sizeof(*fr));
  l2 = pg_l2_hdr(fr->d, &f->link, dir == PG_C2S, f->ipver, 0);
  l3 = l2 + (f->ipver == 4 ? 20 : 40);
  if (f->ipver == 6) {
    for (i = 0; i < f->next6; i++) {
      uint8_t next = (i + 1 < f->next6) ? f->ext6[i + 1] : 6;
      exlen += pg_ip6_ext(fr->d + l3 + exlen, f->ext6[i], next, 0);
    }
  }
  tcp = fr->d + l3 + exlen;
  if (l3 + exlen + 60 + paylen > PG_MAXFRAME) {
    fprintf(stderr, "pcapgen: frame too large\n");
    exit(2);
  }
  seglen = pg_tcp_seg(tcp, f->port[dir], f->port[!dir], seq, ack, flags,
                      (flags & PG_RST) ? 0 : f->win[dir], o.b, o.len,
                      NULL, paylen,
                      seq - (f->isn[dir] + 1));
  if (f->ipver == 4) {
    pg_ip4_hdr(fr->d + l2, src, dst, 6, f->ipid[dir]++, PG_IP_DF,
               f->ipttl, seglen);
    pg_tcp_csum4(tcp, seglen, src, dst);
  } else {
    pg_ip6_hdr(fr->d + l2, src, dst, f->next6 ? f->ext6[0] : 6, f->ipttl,
               exlen + seglen);
    pg_tcp_csum6(tcp, seglen, src, dst);
  }
  fr->l3off = l2;
  fr->l4off = l3 + exlen;
  fr->len = l3 + exlen + seglen;
}

void pg_emit_buf(pg_flow *f, int64_t t_us, const uint8_t *b, size_t len)
{
  pg_write(f->w, f->t0_us + t_us, b, (uint32_t)len);
}

void pg_emit(pg_flow *f, int64_t t_us, const pg_frame *fr)
{
  pg_emit_buf(f, t_us, fr->d, fr->len);
}

void pg_pkt(pg_flow *f, int64_t t_us, int dir, uint8_t flags,
            uint32_t seq, uint32_t ack, pg_opts o, size_t paylen)
{
  pg_flow_build(f, &f->last, t_us, dir, flags, seq, ack, o, paylen);
  pg_emit(f, t_us, &f->last);
}

void pg_syn_o(pg_flow *f, int64_t t_us, uint8_t extra, pg_opts o)
{
  pg_pkt(f, t_us, PG_C2S, (uint8_t)(PG_SYN | extra), f->isn[PG_C2S], 0, o, 0);
  f->nxt[PG_C2S] = f->isn[PG_C2S] + 1;
}

void pg_syn(pg_flow *f, int64_t t_us)
{
  pg_syn_o(f, t_us, 0, pg_o_auto());
}

void pg_synack_o(pg_flow *f, int64_t t_us, uint8_t extra, pg_opts o)
{
  pg_pkt(f, t_us, PG_S2C, (uint8_t)(PG_SYN | PG_ACK | extra),
         f->isn[PG_S2C], f->nxt[PG_C2S], o, 0);
  f->nxt[PG_S2C] = f->isn[PG_S2C] + 1;
}

void pg_synack(pg_flow *f, int64_t t_us)
{
  pg_synack_o(f, t_us, 0, pg_o_auto());
}

void pg_ack_o(pg_flow *f, int64_t t_us, int dir, pg_opts o)
{
  pg_pkt(f, t_us, dir, PG_ACK, f->nxt[dir], f->nxt[!dir], o, 0);
}

void pg_ack(pg_flow *f, int64_t t_us, int dir)
{
  pg_ack_o(f, t_us, dir, pg_o_auto());
}

void pg_data_o(pg_flow *f, int64_t t_us, int dir, size_t len, pg_opts o)
{
  pg_pkt(f, t_us, dir, PG_PSH | PG_ACK, f->nxt[dir], f->nxt[!dir], o, len);
  f->nxt[dir] += (uint32_t)len;
}

void pg_data(pg_flow *f, int64_t t_us, int dir, size_t len)
{
  pg_data_o(f, t_us, dir, len, pg_o_auto());
}

void pg_fin_o(pg_flow *f, int64_t t_us, int dir, pg_opts o)
{
  pg_pkt(f, t_us, dir, PG_FIN | PG_ACK, f->nxt[dir], f->nxt[!dir], o, 0);
  f->nxt[dir] += 1;
}

void pg_fin(pg_flow *f, int64_t t_us, int dir)
{
  pg_fin_o(f, t_us, dir, pg_o_auto());
}

void pg_rst_o(pg_flow *f, int64_t t_us, int dir, pg_opts o)
{
  pg_pkt(f, t_us, dir, PG_RST | PG_ACK, f->nxt[dir], f->nxt[!dir], o, 0);
}

void pg_rst(pg_flow *f, int64_t t_us, int dir)
{
  pg_rst_o(f, t_us, dir, pg_o_auto());
}

void pg_frag4(const pg_frame *fr, size_t off, size_t n, int mf,
              pg_frame *out)
{
  const uint8_t *ip = fr->d + fr->l3off;
  size_t iplen = pg_get16be(ip + 2);
  uint8_t *oip;

  if (off + n > iplen - 20)
    n = iplen - 20 - off;
  memset(out, 0, sizeof(*out));
  memcpy(out->d, fr->d, fr->l3off + 20);
  oip = out->d + fr->l3off;
  pg_put16be(oip + 2, (uint16_t)(20 + n));
  pg_put16be(oip + 6, (uint16_t)(((off / 8) & 0x1fff) | (mf ? PG_IP_MF : 0)));
  memcpy(oip + 20, ip + 20 + off, n);
  pg_ip4_fix_csum(oip, 20);
  out->l3off = fr->l3off;
  out->l4off = off == 0 ? fr->l3off + 20 : 0;
  out->len = fr->l3off + 20 + n;
}

void pg_fix_tcp(pg_flow *f, pg_frame *fr, int dir)
{
  if (f->ipver == 4)
    pg_tcp_csum4(fr->d + fr->l4off, fr->len - fr->l4off, f->ip[dir],
                 f->ip[!dir]);
  else
    pg_tcp_csum6(fr->d + fr->l4off, fr->len - fr->l4off, f->ip[dir],
                 f->ip[!dir]);
}

void pg_data_bytes(pg_flow *f, int64_t t_us, int dir, const uint8_t *p,
                   size_t n)
{
  size_t hlen;

  pg_flow_build(f, &f->last, t_us, dir, PG_PSH | PG_ACK, f->nxt[dir],
                f->nxt[!dir], pg_o_auto(), n);
  hlen = (size_t)(f->last.d[f->last.l4off + 12] >> 4) * 4;
  memcpy(f->last.d + f->last.l4off + hlen, p, n);
  pg_fix_tcp(f, &f->last, dir);
  pg_emit(f, t_us, &f->last);
  f->nxt[dir] += (uint32_t)n;
}

/* ---- the generators' command line ------------------------------------ */

/* NAME matches a case by file name or by stem (name up to the dot) */
static int pg_matches(const char *arg, const char *name)
{
  const char *dot = strchr(name, '.');
  size_t n = dot ? (size_t)(dot - name) : strlen(name);
  return strcmp(arg, name) == 0 || (strlen(arg) == n &&
                                     strncmp(arg, name, n) == 0);
}

static int pg_run_case(const char *prog, const char *dir, const pg_case *c)
{
  char path[4096];
  int n = snprintf(path, sizeof(path), "%s/%s", dir, c->name);
  if (n < 0 || (size_t)n >= sizeof(path)) {
    fprintf(stderr, "%s: path too long\n", prog);
    return -1;
  }
  if (c->fn(path) != 0) {
    fprintf(stderr, "%s: failed to write %s\n", prog, path);
    return -1;
  }
  return 0;
}

/* Run the cases of `list` that ARG names; 1 when one failed, and
   *found set when any matched. */
static int pg_run_named(const char *prog, const char *dir, const char *arg,
                        const pg_case *list, size_t n, int *found)
{
  size_t i;
  int rc = 0;

  for (i = 0; i < n; i++) {
    if (pg_matches(arg, list[i].name)) {
      *found = 1;
      if (pg_run_case(prog, dir, &list[i]) != 0)
        rc = 1;
    }
  }
  return rc;
}

int pg_main(int argc, char **argv, const char *prog, const pg_case *cases,
            size_t ncases, const pg_case *big, size_t nbig)
{
  size_t i;
  int a, rc = 0;

  if (argc == 2 && strcmp(argv[1], "--list") == 0) {
    for (i = 0; i < ncases; i++)
      printf("%s\n", cases[i].name);
    for (i = 0; i < nbig; i++)
      printf("%s (only when named)\n", big[i].name);
    return 0;
  }
  if (argc < 2 || argv[1][0] == '\0' ||
      (argv[1][0] == '-' && argv[1][1] != '\0')) {
    fprintf(stderr, "usage: %s OUTDIR [NAME...]\n"
                    "       %s --list\n", prog, prog);
    return 2;
  }
  if (argc == 2) {
    for (i = 0; i < ncases; i++)
      if (pg_run_case(prog, argv[1], &cases[i]) != 0)
        return 1;
    return 0;
  }
  for (a = 2; a < argc; a++) {
    int found = 0;
    rc |= pg_run_named(prog, argv[1], argv[a], cases, ncases, &found);
    rc |= pg_run_named(prog, argv[1], argv[a], big, nbig, &found);
    if (!found) {
      fprintf(stderr, "%s: unknown case '%s'\n", prog, argv[a]);
      rc = 1;
    }
  }
  return rc;
}
