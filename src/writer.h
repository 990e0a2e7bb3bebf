/*
 * writer.h - save packets to a capture file: pcap, pcapng or snoop.
 *
 * The writer owns the on-disk encoding of saved packets in the three
 * formats miruo writes: classic pcap, pcapng (one section, one interface,
 * microsecond time stamps) and Solaris snoop version 2 (RFC 1761,
 * Ethernet only).  It buffers with stdio; after writer_flush() returns 0
 * the file on disk is complete and readable.  It never decodes packets.
 */
#ifndef MIRUO_WRITER_H
#define MIRUO_WRITER_H

#include <stdint.h>

#define WRITER_ERRBUF_SIZE 256

/* Largest snaplen / captured length written (libpcap's MAXIMUM_SNAPLEN). */
#define WRITER_MAX_SNAPLEN 262144u

enum writer_format { WRITER_PCAP, WRITER_PCAPNG, WRITER_SNOOP };

struct writer;

/* Parse "pcap", "pcapng" or "snoop" into *fmt.  Returns 0, or -1. */
int writer_format_parse(const char *name, enum writer_format *fmt);

/* The name writer_format_parse() accepts for fmt. */
const char *writer_format_name(enum writer_format fmt);

/*
 * Create or truncate `path` ("-" means standard output) and write the file
 * header.  dlt is the libpcap DLT_ value of the packets; snaplen goes into
 * the header (0 means WRITER_MAX_SNAPLEN; larger values are clamped to
 * it).  Supported link types: EN10MB, LINUX_SLL, LINUX_SLL2, NULL, LOOP,
 * RAW, IPV4, IPV6; snoop supports EN10MB only.  Returns NULL with a
 * one-line message in errbuf (WRITER_ERRBUF_SIZE bytes) on error.  No
 * message of this module names the file: callers prefix it.
 */
struct writer *writer_open(const char *path, enum writer_format fmt, int dlt,
                           uint32_t snaplen, char *errbuf);

/*
 * Append one packet.  ts_us is microseconds since the epoch (>= 0; pcap
 * and snoop also need it below 2^32 seconds).  caplen must not exceed the
 * snaplen; a wire_len below caplen is raised to caplen.  comment may be
 * NULL; for pcapng a non-empty comment becomes an opt_comment on the
 * Enhanced Packet Block (Wireshark's frame.comment, at most 65535 bytes
 * of UTF-8 kept); pcap and snoop ignore it.  Returns 0, or -1 with
 * errbuf set.  After a write error every later call fails too.
 */
int writer_write(struct writer *w, int64_t ts_us, const uint8_t *data,
                 uint32_t caplen, uint32_t wire_len, const char *comment,
                 char *errbuf);

/* fflush: after 0 the file is complete and valid.  -1 on a write error. */
int writer_flush(struct writer *w, char *errbuf);

/*
 * Flush and close (standard output is flushed, not closed), and free w
 * (NULL is allowed).  Returns -1 with errbuf set if any write failed.
 */
int writer_close(struct writer *w, char *errbuf);

/* Packets written so far. */
uint64_t writer_count(const struct writer *w);

#endif /* MIRUO_WRITER_H */
