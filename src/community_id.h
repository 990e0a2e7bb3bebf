/*
 * community_id.h - Community ID flow hashes, and the SHA-1 behind them.
 *
 * community_id.c owns the Community ID v1 of a TCP connection (Corelight's
 * community-id-spec, https://github.com/corelight/community-id-spec), the
 * same string Zeek, Suricata, Arkime and Wireshark compute for the flow,
 * so a session in miruo's JSON lines can be joined with their records.
 * It carries its own SHA-1 (RFC 3174) and base64 (RFC 4648, section 4).
 */
#ifndef MIRUO_COMMUNITY_ID_H
#define MIRUO_COMMUNITY_ID_H

#include <stddef.h>
#include <stdint.h>

/* "1:" + 28 base64 characters + NUL fits with room to spare. */
#define COMMUNITY_ID_SIZE 64

/*
 * The Community ID v1 of a TCP flow with seed 0 (the default of every
 * tool that implements it).  `family` is 4 or 6; the addresses are 4 or 16
 * bytes in network order, the ports in host order.  Either direction of
 * the connection gives the same string.
 */
void community_id(int family, const uint8_t *saddr, uint16_t sport,
                  const uint8_t *daddr, uint16_t dport,
                  char out[COMMUNITY_ID_SIZE]);

/* The same with an explicit seed (the spec's "seed" input, 0..65535). */
void community_id_seeded(uint16_t seed, int family, const uint8_t *saddr,
                         uint16_t sport, const uint8_t *daddr,
                         uint16_t dport, char out[COMMUNITY_ID_SIZE]);

/* SHA-1 (RFC 3174) of `len` bytes. */
void community_id_sha1(const void *data, size_t len, uint8_t digest[20]);

#endif /* MIRUO_COMMUNITY_ID_H */
