/*
 * fuzz_http.c - libFuzzer target: the HTTP/1.x inspector (-m http).
 *
 * Input: byte 0 picks the -m value (mostly "http:%:%", the one that shows
 * every field; also "http" and a list of names).  Then records of
 *     ctl len data[len]
 * fed alternately to the client->server and server->client directions of
 * one http_session (an empty record just passes the turn).  ctl bit 0:
 * report a sequence gap in that direction first; bits 1-3: the segment
 * was longer on the wire than captured (a snap length cut); bits 4-7:
 * how far the capture clock moves.  A short last record takes what is
 * left.  Every DPI line handed out must be a NUL-terminated string of
 * printable ASCII of the length given.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dpi_http.h"
#include "options.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const argv_every[] = {
    "miruo", "-m", "http:%:%", NULL
};
static const char *const argv_default[] = {
    "miruo", "-m", "http", NULL
};
static const char *const argv_names[] = {
    "miruo", "-m", "http:User-Agent,Referer,Cookie,Content-Length:"
    "Content-Type,Server,Transfer-Encoding,Set-Cookie", NULL
};

static struct config cfgs[3];
static int ready;

static void emit(void *ctx, const char *line, size_t len)
{
    size_t i;

    (void)ctx;
    if (line == NULL || line[len] != '\0' || strlen(line) != len ||
        len > 4096)
        abort();
    for (i = 0; i < len; i++)
        if ((unsigned char)line[i] < 0x20 || (unsigned char)line[i] > 0x7e)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint32_t cut[8] = { 0, 0, 0, 0, 1, 7, 1000, 0x10000000u };
    struct http_session *hs;
    const struct config *cfg;
    int64_t ts = 1704110400LL * 1000000;
    size_t pos = 1;
    int dir = 0;

    if (!ready) {
        fuzz_parse(&cfgs[0], argv_every);
        fuzz_parse(&cfgs[1], argv_default);
        fuzz_parse(&cfgs[2], argv_names);
        if (cfgs[0].dpi != DPI_HTTP || cfgs[1].dpi != DPI_HTTP ||
            cfgs[2].dpi != DPI_HTTP)
            abort();
        ready = 1;
    }
    if (size < 1)
        return 0;
    cfg = &cfgs[data[0] < 192 ? 0 : data[0] < 224 ? 1 : 2];
    /* Exact size, so that ASan sees a write past the structure. */
    hs = malloc(http_session_size());
    if (hs == NULL)
        abort();
    http_session_init(hs);
    while (pos + 2 <= size) {
        uint8_t ctl = data[pos];
        uint32_t len = data[pos + 1];
        uint8_t *copy;

        pos += 2;
        if (len > size - pos)
            len = (uint32_t)(size - pos);
        ts += (int64_t)(ctl >> 4) * (ctl >> 4) * 7919;
        if (ctl & 1)
            http_session_gap(hs, dir);
        if (len > 0) {
            copy = malloc(len);
            if (copy == NULL)
                abort();
            memcpy(copy, data + pos, len);
            http_session_feed(hs, &cfg->http, dir, ts, copy, len,
                              len + cut[(ctl >> 1) & 7], emit, NULL);
            free(copy);
        }
        pos += len;
        dir = !dir;
    }
    free(hs);
    return 0;
}
