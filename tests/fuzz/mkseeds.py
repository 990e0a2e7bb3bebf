#!/usr/bin/env python3
"""mkseeds.py - seed corpora for the miruo fuzz targets.

    mkseeds.py CAPTURE_DIR OUT_DIR

Reads every capture in CAPTURE_DIR (classic pcap in either byte order and
time resolution, pcapng, snoop; other files are used by fuzz_file only)
and writes OUT_DIR/{decode,session,file,http}/ in the input formats of
the targets (see the comment at the top of each tests/fuzz/fuzz_*.c):

  file     every capture file as it is
  decode   each distinct frame: link-kind byte + the frame
  session  Ethernet captures as length/time-step records (64 KiB max each)
  http     TCP payloads of port-80 connections, reassembled in order and
           cut into alternating client/server records, plus hand-written
           HTTP/1.x exchanges (pipelining, chunked, HEAD, 1xx, upgrades,
           long lines, NUL and escape bytes)
"""
import hashlib
import os
import struct
import sys

# pcap LINKTYPE_ -> enum link_kind (src/decode.h)
LINK_KIND = {1: 1, 113: 2, 276: 3, 0: 4, 108: 5, 101: 6, 228: 7, 229: 8}


def read_pcap(d):
    magic = d[:4]
    if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'):
        e = '<'
    elif magic in (b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d'):
        e = '>'
    else:
        return None
    nsec = magic in (b'\x4d\x3c\xb2\xa1', b'\xa1\xb2\x3c\x4d')
    if len(d) < 24:
        return None
    lt = struct.unpack(e + 'I', d[20:24])[0] & 0xFFFF
    out, p = [], 24
    while p + 16 <= len(d):
        s, f, incl, orig = struct.unpack(e + 'IIII', d[p:p + 16])
        data = d[p + 16:p + 16 + incl]
        if len(data) < incl:
            break
        out.append((s * 1000000 + (f // 1000 if nsec else f), data, orig))
        p += 16 + incl
    return lt, out


def read_pcapng(d):
    if d[:4] != b'\x0a\x0d\x0d\x0a' or len(d) < 12:
        return None
    e = '<' if d[8:12] == b'\x4d\x3c\x2b\x1a' else '>'
    lts, out, p, lt0 = [], [], 0, None
    while p + 12 <= len(d):
        typ, blen = struct.unpack(e + 'II', d[p:p + 8])
        if blen < 12 or p + blen > len(d):
            break
        body = d[p + 8:p + blen - 4]
        if typ == 1 and len(body) >= 8:
            lts.append(struct.unpack(e + 'H', body[:2])[0])
        elif typ == 6 and len(body) >= 20:
            ifc, hi, lo, incl, orig = struct.unpack(e + 'IIIII', body[:20])
            if ifc < len(lts):
                lt0 = lts[ifc] if lt0 is None else lt0
                out.append(((hi << 32) | lo, body[20:20 + incl], orig))
        p += blen
    if lt0 is None:
        return None
    return lt0, out


def read_snoop(d):
    if d[:8] != b'snoop\0\0\0' or len(d) < 16:
        return None
    if struct.unpack('>I', d[12:16])[0] != 4:
        return None
    out, p = [], 16
    while p + 24 <= len(d):
        orig, incl, rlen, _, s, us = struct.unpack('>IIIIII', d[p:p + 24])
        if rlen < 24 + incl:
            break
        out.append((s * 1000000 + us, d[p + 24:p + 24 + incl], orig))
        p += rlen
    return 1, out


def frames_of(d):
    for reader in (read_pcap, read_pcapng, read_snoop):
        r = reader(d)
        if r is not None:
            return r
    return None


def write(dirname, name, data):
    with open(os.path.join(dirname, name), 'wb') as f:
        f.write(data)


# ---- decode ------------------------------------------------------------------
WIRE_EXTRA = [(0, 0), (1, 8), (4, 9), (20, 10), (40, 11), (60, 12),
              (1460, 13), (65535, 14)]


def decode_seed(kind, data, orig):
    diff, nib = orig - len(data), 0
    if diff > 0:
        nib = 15
        for extra, n in WIRE_EXTRA:
            if extra >= diff:
                nib = n
                break
    return bytes([kind | nib << 4]) + data


# ---- session -----------------------------------------------------------------
def time_steps(diff):
    """dt codes (and filler records) that move the clock about diff us."""
    if diff < 0:
        return [], 255
    if diff < 12800:
        return [], diff // 100
    fill = []
    while diff > 600 * 1000000:
        n = min(5, diff // (600 * 1000000))
        fill.append(249 + n)
        diff -= n * 600 * 1000000
    while diff > 12200000:
        fill.append(249)
        diff -= 12200000
    if diff < 12800:
        return fill, diff // 100
    return fill, min(249, 127 + (diff + 99999) // 100000)


def session_seeds(frames, limit=65536, chunks=4):
    seeds, cur, last = [], bytearray([0]), None
    for ts, data, orig in frames:
        fill, dt = time_steps(0 if last is None else ts - last)
        last = ts
        data = data[:0x3FFF]
        diff = orig - len(data)
        hi = 0 if diff <= 0 else 1 if diff == 1 else 2 if diff <= 100 else 3
        rec = b''.join(bytes([0, 0, f]) for f in fill)
        rec += struct.pack('>HB', len(data) | hi << 14, dt) + data
        if len(cur) + len(rec) > limit:
            seeds.append(bytes(cur))
            if len(seeds) == chunks:
                return seeds
            cur = bytearray([0])
        cur += rec
    if len(cur) > 1:
        seeds.append(bytes(cur))
    return seeds


# ---- http --------------------------------------------------------------------
def tcp_payload(kind, data):
    """(src, sport, dst, dport, seq, flags, payload) of an IPv4/IPv6 TCP
    frame, or None."""
    off = {1: 14, 2: 16, 3: 20, 4: 4, 5: 4, 6: 0, 7: 0, 8: 0}.get(kind)
    if off is None:
        return None
    if kind == 1:
        while len(data) >= off and data[off - 2:off] in (b'\x81\x00',
                                                          b'\x88\xa8'):
            off += 4
    if len(data) < off + 20:
        return None
    v = data[off] >> 4
    if v == 4:
        ihl = (data[off] & 15) * 4
        total = struct.unpack('>H', data[off + 2:off + 4])[0]
        if data[off + 9] != 6 or struct.unpack(
                '>H', data[off + 6:off + 8])[0] & 0x1FFF:
            return None
        src, dst, l4, end = (data[off + 12:off + 16], data[off + 16:off + 20],
                             off + ihl, off + total)
    elif v == 6:
        if len(data) < off + 40 or data[off + 6] != 6:
            return None
        plen = struct.unpack('>H', data[off + 4:off + 6])[0]
        src, dst, l4, end = (data[off + 8:off + 24], data[off + 24:off + 40],
                             off + 40, off + 40 + plen)
    else:
        return None
    if len(data) < l4 + 20:
        return None
    sport, dport, seq = struct.unpack('>HHI', data[l4:l4 + 8])
    doff = (data[l4 + 12] >> 4) * 4
    return (src, sport, dst, dport, seq, data[l4 + 13],
            data[l4 + doff:min(end, len(data))])


def records(pieces, first=0):
    """pieces: [(direction, bytes)] -> fuzz_http input records."""
    out, turn = bytearray([first]), 0
    for d, b in pieces:
        while b:
            if turn != d:
                out += b'\0\0'
                turn = d
            out += bytes([0, min(255, len(b))]) + b[:255]
            b = b[255:]
            turn = 1 - turn
    return bytes(out)


def http_from_capture(kind, frames):
    conns = {}
    for _, data, _ in frames:
        t = tcp_payload(kind, data)
        if t is None:
            continue
        src, sport, dst, dport, seq, flags, pay = t
        if 80 not in (sport, dport):
            continue
        client = sport != 80
        key = (src, sport, dst, dport) if client else (dst, dport, src, sport)
        c = conns.setdefault(key, {'next': [None, None], 'pieces': []})
        d = 0 if client else 1
        if flags & 2:
            c['next'][d] = (seq + 1) & 0xFFFFFFFF
            continue
        if not pay:
            continue
        nxt = c['next'][d]
        if nxt is not None:
            skip = (nxt - seq) & 0xFFFFFFFF
            if skip >= 0x80000000:
                skip = 0            # a gap: take it as it comes
            if skip >= len(pay):
                continue            # a copy of bytes already fed
            pay = pay[skip:]
            seq = (seq + skip) & 0xFFFFFFFF
        c['next'][d] = (seq + len(pay)) & 0xFFFFFFFF
        c['pieces'].append((d, pay))
    return [records(c['pieces']) for c in conns.values() if c['pieces']]


CRLF = '\r\n'


def req(method, target, headers, body=b''):
    h = ''.join('%s: %s\r\n' % kv for kv in headers)
    return ('%s %s HTTP/1.1\r\n%s\r\n' % (method, target, h)).encode() + body


def res(status, headers, body=b''):
    h = ''.join('%s: %s\r\n' % kv for kv in headers)
    return ('HTTP/1.1 %s\r\n%s\r\n' % (status, h)).encode() + body


def http_texts():
    host = ('Host', 'www.example.com')
    ua = ('User-Agent', 'curl/7.88.1')
    get = req('GET', '/index.html?q=1', [host, ua, ('Accept', '*/*')])
    ok = res('200 OK', [('Server', 'test'), ('Content-Length', '5'),
                        ('Content-Type', 'text/plain')], b'hello')
    chunked = res('200 OK', [('Transfer-Encoding', 'chunked')],
                  b'5\r\nhello\r\n3;ext=1\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n')
    yield 'get_ok', [(0, get), (1, ok)]
    yield 'chunked', [(0, get), (1, chunked)]
    yield 'pipelined', [(0, get + req('HEAD', '/a', [host]) + get),
                        (1, ok + res('200 OK', [('Content-Length', '100')]) +
                         chunked)]
    yield 'post_continue', [
        (0, req('POST', '/form', [host, ('Expect', '100-continue'),
                                  ('Content-Length', '11')])),
        (1, res('100 Continue', [])), (0, b'a=1&b=2&c=3'),
        (1, res('303 See Other', [('Location', '/x'),
                                  ('Content-Length', '0')]))]
    yield 'upgrade', [
        (0, req('GET', '/ws', [host, ('Upgrade', 'websocket'),
                               ('Connection', 'Upgrade')])),
        (1, res('101 Switching Protocols', [('Upgrade', 'websocket')])),
        (0, b'\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58')]
    yield 'connect', [(0, req('CONNECT', 'example.com:443', [host])),
                      (1, res('200 Connection established', [])),
                      (0, b'\x16\x03\x01\x02\x00\x01')]
    yield 'h2_preface', [(0, b'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\x12\x04')]
    yield 'http10_close', [(0, b'GET / HTTP/1.0\r\n\r\n'),
                           (1, b'HTTP/1.0 200 OK\r\nServer: old\r\n\r\nbody '
                               b'until close')]
    yield 'long_header', [(0, req('GET', '/', [host, ('Cookie', 'c' * 3000)])),
                          (1, ok)]
    yield 'escapes', [
        (0, b'GET /\x1b[2J\x00x HTTP/1.1\r\nHost: a\x1b]0;title\x07b\r\n'
            b'X-Nul: \x00\x01\x7f\xff\r\n\r\n'),
        (1, b'HTTP/1.1 200 \x1b[31mOK\r\nServer: \x00\r\n'
            b'Content-Length: 0\r\n\r\n')]
    yield 'bad_lengths', [
        (0, req('GET', '/', [host])),
        (1, res('200 OK', [('Content-Length', '99999999999999999999999')])),
        (0, req('GET', '/', [host, ('Content-Length', '-1')])),
        (1, res('200 OK', [('Content-Length', '3'), ('Content-Length', '4')],
                b'abcd'))]
    yield 'folded_obs', [(0, b'GET / HTTP/1.1\r\nHost: a\r\n b\r\n\tc\r\n'
                             b'NoColon\r\n: empty\r\n\r\n'),
                         (1, b'HTTP/1.1 204 No Content\r\n\r\n')]
    yield 'lf_only', [(0, b'GET / HTTP/1.1\nHost: a\n\n'),
                      (1, b'HTTP/1.1 304 Not Modified\nETag: "x"\n\n')]


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: mkseeds.py CAPTURE_DIR OUT_DIR')
    src, out = sys.argv[1], sys.argv[2]
    dirs = {}
    for t in ('decode', 'session', 'file', 'http'):
        dirs[t] = os.path.join(out, t)
        os.makedirs(dirs[t], exist_ok=True)
    seen, counts = set(), dict.fromkeys(dirs, 0)

    def add(t, data):
        h = hashlib.sha1(data).hexdigest()
        if (t, h) in seen:
            return
        seen.add((t, h))
        write(dirs[t], h, data)
        counts[t] += 1

    for name in sorted(os.listdir(src)):
        path = os.path.join(src, name)
        if not os.path.isfile(path):
            continue
        with open(path, 'rb') as f:
            d = f.read()
        add('file', d)
        r = frames_of(d)
        if r is None:
            continue
        lt, frames = r
        kind = LINK_KIND.get(lt)
        if kind is None:
            continue
        for i, (_, data, orig) in enumerate(frames):
            if i < 300:
                add('decode', decode_seed(kind, data, orig))
        if kind == 1:
            for s in session_seeds(frames):
                add('session', s)
        for s in http_from_capture(kind, frames):
            add('http', s)
    for name, pieces in http_texts():
        for first in (0, 200, 240):
            add('http', records(pieces, first))
    print('seeds: ' + ', '.join('%s %d' % (t, counts[t]) for t in sorted(counts)))


if __name__ == '__main__':
    main()
