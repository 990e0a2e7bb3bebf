/*
 * snoopfile.h - reader for Solaris snoop version 2 capture files.
 *
 * The snoop reader owns the RFC 1761 file format: the 16-byte file header
 * (magic "snoop\0\0\0", version, datalink) and the packet records that
 * follow it.  It checks every length field against the file and a fixed
 * record size limit, keeps one reusable record buffer, and hands out the
 * packet bytes with their time stamp and lengths.  It does not decode the
 * packets and does not open or close the FILE it reads from.
 */
#ifndef MIRUO_SNOOPFILE_H
#define MIRUO_SNOOPFILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SNOOP_ERRBUF_SIZE 256

#define SNOOP_MAGIC_LEN   8     /* "snoop\0\0\0" */
#define SNOOP_HDR_LEN     16    /* magic + version + datalink */
#define SNOOP_REC_HDR_LEN 24    /* six 32-bit fields per record */

/* Largest included length accepted (libpcap's MAXIMUM_SNAPLEN). */
#define SNOOP_MAX_CAPLEN  262144u
/* Largest record length accepted: header, data and up to 3 padding. */
#define SNOOP_MAX_RECORD  (SNOOP_REC_HDR_LEN + SNOOP_MAX_CAPLEN + 3u)

/* RFC 1761 datalink code of Ethernet. */
#define SNOOP_DL_ETHERNET 4u

struct snoop_reader;

/*
 * Recognise a snoop file from its first `len` bytes.  Returns 1 when the
 * 8-byte magic matches, 0 otherwise (also when len < 8).
 */
int snoop_magic_matches(const uint8_t *buf, size_t len);

/*
 * Start reading a snoop file from `f`.  The caller may already have read
 * the first `pre_len` bytes for format detection; they are passed in `pre`
 * (pre may be NULL when pre_len is 0) and are consumed before `f`.  Reads
 * and checks the file header.  Returns NULL with a one-line message in
 * errbuf (SNOOP_ERRBUF_SIZE bytes) on error.  The FILE is not closed by
 * snoop_close().
 */
struct snoop_reader *snoop_open(FILE *f, const uint8_t *pre, size_t pre_len,
                                char *errbuf);

/* libpcap DLT_ value for the file's datalink, or -1 if there is none. */
int snoop_dlt(const struct snoop_reader *r);

/* The raw RFC 1761 datalink code from the file header. */
unsigned snoop_datalink(const struct snoop_reader *r);

/*
 * Read the next record.  Returns 1 and fills *ts_us (microseconds since
 * the epoch), *data (valid until the next call or snoop_close), *caplen
 * and *wire_len (*caplen <= *wire_len); 0 at a clean end of file; -1 with
 * a message naming the 1-based record number in errbuf.  After -1 every
 * further call returns -1 with the same message.
 */
int snoop_next(struct snoop_reader *r, int64_t *ts_us, const uint8_t **data,
               uint32_t *caplen, uint32_t *wire_len, char *errbuf);

/* Records returned so far. */
uint64_t snoop_records(const struct snoop_reader *r);

/* Cumulative drop count of the last record returned (0 before any). */
uint32_t snoop_drops(const struct snoop_reader *r);

/* Free the reader (NULL is allowed).  Does not fclose the FILE. */
void snoop_close(struct snoop_reader *r);

#endif /* MIRUO_SNOOPFILE_H */
