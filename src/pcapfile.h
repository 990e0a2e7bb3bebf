/*
 * pcapfile.h - fast reader for the records of classic pcap files.
 *
 * libpcap reads a savefile through a 4 KiB stdio stream and copies every
 * record twice (into the stream's buffer, then into its own) with two
 * fread() calls per record.  On a large file on a fast disk that is most
 * of the time a monitor spends.  This reader owns the records of a classic
 * pcap file (magic a1b2c3d4 or a1b23c4d, either byte order) that is a
 * regular file: it reads large blocks into one buffer with pread(2) and
 * hands out each record in place.  The file header is checked by libpcap
 * (pcap_fopen_offline), which also tells the byte order, the snapshot
 * length and the link type; this reader starts at the first record.
 *
 * Every record header is checked as libpcap 1.10 checks it, with the same
 * messages: a captured length above 262144 is an error, one above the
 * snapshot length is cut to it, a short header or body is a truncated
 * file.  It does not decode the packets.
 */
#ifndef MIRUO_PCAPFILE_H
#define MIRUO_PCAPFILE_H

#include <stddef.h>
#include <stdint.h>

#define PCAPFILE_ERRBUF_SIZE 256
#define PCAPFILE_HDR_LEN     24         /* the file header */

struct pcap_reader;

/*
 * The classic pcap magic numbers: 1 when the first 4 bytes of a file are
 * one of them (microsecond or nanosecond, either byte order), and then
 * *nsec says whether time stamps are in nanoseconds.
 */
int pcapfile_magic(const uint8_t *buf, size_t len, int *nsec);

/*
 * Read the records of the open file `fd` from offset PCAPFILE_HDR_LEN.
 * `swapped`: the file's byte order is not the host's; `nsec`: time stamps
 * in nanoseconds; `snapshot`: libpcap's snapshot length for the file.
 * The fd is not closed by pcapfile_close().  NULL: out of memory.
 */
struct pcap_reader *pcapfile_open(int fd, int swapped, int nsec,
                                  uint32_t snapshot);

/* One record; `data` stays valid until the next call. */
struct pcap_record {
    const uint8_t *data;
    int64_t sec, usec;          /* as libpcap 1.10 reads them: signed
                                 * 32-bit in host byte order, unsigned
                                 * when swapped; usec is nanoseconds /
                                 * 1000 in nsec files */
    uint32_t caplen, wire_len;
};

/*
 * The next record: 1 and *rec; 0 at the end of the file; -1 with a
 * one-line message in errbuf (PCAPFILE_ERRBUF_SIZE bytes).
 */
int pcapfile_next(struct pcap_reader *r, struct pcap_record *rec,
                  char *errbuf);

/*
 * Up to `max` records (at least 1) that all stay valid until the next
 * call: the count, 0 at the end of the file, -1 as pcapfile_next().
 */
int pcapfile_next_batch(struct pcap_reader *r, struct pcap_record *recs,
                        unsigned max, char *errbuf);

/* File offset of the next record (for the progress line). */
uint64_t pcapfile_offset(const struct pcap_reader *r);

void pcapfile_close(struct pcap_reader *r);

#endif /* MIRUO_PCAPFILE_H */
