/*
 * liveload.c - TCP request/response load over real sockets, for
 * bench/live.sh (live capture drops, miruo vs tcpdump).
 *
 *   liveload server PORT [WORKERS]
 *   liveload client HOST PORT SECONDS CONNS [REQUEST_BYTES RESPONSE_BYTES
 *                   [NEWCONN_PCT [KEEPALIVE_REQS]]]
 *
 * Protocol: a request starts with a 16-byte header in network byte order
 * (magic "LLQ1", total request length, response length, flags) and is
 * padded to REQUEST_BYTES (default 200, at least 16).  The server answers
 * with RESPONSE_BYTES bytes (default 2000); when the request has the CLOSE
 * flag it closes the connection once the response is written.  The server
 * closes first, as an HTTP/1.0 server does, so TIME_WAIT stays on the
 * server and the client never runs out of local ports.
 *
 * The server runs WORKERS processes (default 1), each with its own
 * SO_REUSEPORT listening socket and one edge-triggered epoll loop.
 *
 * The client keeps CONNS connections busy from one epoll loop, for
 * SECONDS seconds.  NEWCONN_PCT percent of the connection slots (default
 * 50) open a new connection for every request; the others keep their
 * connection for KEEPALIVE_REQS requests (default 100), then the server
 * closes it and the slot reconnects.  No pipelining: one request at a time
 * per connection.  At the end it lets requests in flight finish (at most
 * 2 s), closes everything and prints one line:
 *
 *   liveload client: SECONDS s, N requests (R/s), C connections, B bytes
 *   out, B bytes in, E errors
 *
 * Plain C99 + POSIX/Linux (epoll) and libc only:
 *   gcc -O2 -Wall -Wextra -o liveload liveload.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HDR_LEN         16
#define MAGIC           0x4c4c5131u     /* "LLQ1" */
#define FLAG_CLOSE      1u
#define MAX_MSG         (16u << 20)     /* request or response, bytes */
#define MAX_EVENTS      512
#define GRACE_SEC       2.0

static void die(const char *what)
{
    perror(what);
    exit(1);
}

static unsigned long parse_ul(const char *s, const char *what,
                              unsigned long lo, unsigned long hi)
{
    char *end;
    unsigned long v;

    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) {
        fprintf(stderr, "liveload: bad %s '%s' (%lu..%lu)\n", what, s, lo,
                hi);
        exit(2);
    }
    return v;
}

static double now_sec(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void raise_nofile(void)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static void nodelay(int fd)
{
    int one = 1;

    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* ------------------------------------------------------------------ */
/* server */

struct sconn {
    unsigned char hdr[HDR_LEN];
    uint32_t got;               /* bytes of the current request read */
    uint32_t need;              /* its total length, once the header is in */
    uint32_t resp_left;         /* response bytes still to write */
    uint32_t resp_len;
    int close_after;
    int open;
};

static struct sconn *sconns;
static size_t n_sconns;
static unsigned char *resp_buf;
static size_t resp_buf_len;
static unsigned char scratch[65536];

static struct sconn *sconn_get(int fd)
{
    if ((size_t)fd >= n_sconns) {
        size_t n = n_sconns ? n_sconns : 1024;
        while (n <= (size_t)fd)
            n *= 2;
        sconns = realloc(sconns, n * sizeof(*sconns));
        if (sconns == NULL)
            die("realloc");
        memset(sconns + n_sconns, 0, (n - n_sconns) * sizeof(*sconns));
        n_sconns = n;
    }
    return &sconns[fd];
}

static void sconn_close(int fd)
{
    sconns[fd].open = 0;
    close(fd);
}

/* Make the shared response buffer at least `len` bytes (all the same). */
static void need_resp_buf(uint32_t len)
{
    size_t n = len < sizeof(scratch) ? sizeof(scratch) : len;

    if (n <= resp_buf_len)
        return;
    free(resp_buf);
    resp_buf = malloc(n);
    if (resp_buf == NULL)
        die("malloc");
    memset(resp_buf, 'r', n);
    resp_buf_len = n;
}

/*
 * Move connection `fd` on as far as it goes without blocking: write the
 * pending response, then read the next request.  Edge-triggered, so it
 * loops until a read or write would block.  Reads never go past the end
 * of the current request, so no bytes are left over between requests.
 */
static void server_drive(int fd)
{
    struct sconn *c = &sconns[fd];

    for (;;) {
        ssize_t n;

        if (c->resp_left > 0) {
            size_t chunk = c->resp_left < resp_buf_len ? c->resp_left
                                                       : resp_buf_len;
            n = write(fd, resp_buf, chunk);
            if (n < 0) {
                if (errno == EAGAIN || errno == EINTR)
                    return;
                sconn_close(fd);
                return;
            }
            c->resp_left -= (uint32_t)n;
            if (c->resp_left > 0)
                continue;
            if (c->close_after) {
                sconn_close(fd);
                return;
            }
            c->got = 0;
            c->need = 0;
        }
        if (c->got < HDR_LEN)
            n = read(fd, c->hdr + c->got, HDR_LEN - c->got);
        else {
            uint32_t left = c->need - c->got;
            n = read(fd, scratch, left < sizeof(scratch) ? left
                                                          : sizeof(scratch));
        }
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR)
                return;
            sconn_close(fd);
            return;
        }
        if (n == 0) {           /* the client closed */
            sconn_close(fd);
            return;
        }
        c->got += (uint32_t)n;
        if (c->got == HDR_LEN && c->need == 0) {
            c->need = get32(c->hdr + 4);
            c->resp_len = get32(c->hdr + 8);
            c->close_after = (get32(c->hdr + 12) & FLAG_CLOSE) != 0;
            if (get32(c->hdr) != MAGIC || c->need < HDR_LEN ||
                c->need > MAX_MSG || c->resp_len > MAX_MSG) {
                sconn_close(fd);
                return;
            }
            need_resp_buf(c->resp_len);
        }
        if (c->need != 0 && c->got == c->need) {
            c->resp_left = c->resp_len;
            if (c->resp_left == 0) {
                if (c->close_after) {
                    sconn_close(fd);
                    return;
                }
                c->got = 0;
                c->need = 0;
            }
        }
    }
}

static int listen_on(unsigned port)
{
    struct sockaddr_in sa;
    int fd, one = 1;

    fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0)
        die("socket");
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) < 0)
        die("SO_REUSEPORT");
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_ANY);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
        die("bind");
    if (listen(fd, 65535) < 0)
        die("listen");
    return fd;
}

static void server_worker(int lfd)
{
    struct epoll_event ev, events[MAX_EVENTS];
    int ep = epoll_create1(0);

    if (ep < 0)
        die("epoll_create1");
    need_resp_buf(0);
    ev.events = EPOLLIN | EPOLLET;
    ev.data.fd = lfd;
    if (epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev) < 0)
        die("epoll_ctl");
    for (;;) {
        int i, n = epoll_wait(ep, events, MAX_EVENTS, -1);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            die("epoll_wait");
        }
        for (i = 0; i < n; i++) {
            int fd = events[i].data.fd;

            if (fd == lfd) {
                for (;;) {
                    int cfd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
                    struct sconn *c;

                    if (cfd < 0)
                        break;  /* EAGAIN, or a transient error */
                    nodelay(cfd);
                    c = sconn_get(cfd);
                    memset(c, 0, sizeof(*c));
                    c->open = 1;
                    ev.events = EPOLLIN | EPOLLOUT | EPOLLET;
                    ev.data.fd = cfd;
                    if (epoll_ctl(ep, EPOLL_CTL_ADD, cfd, &ev) < 0) {
                        sconn_close(cfd);
                        continue;
                    }
                    server_drive(cfd);
                }
                continue;
            }
            if ((size_t)fd < n_sconns && sconns[fd].open)
                server_drive(fd);
        }
    }
}

static int server_main(int argc, char **argv)
{
    unsigned port, workers, w;

    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: liveload server PORT [WORKERS]\n");
        return 2;
    }
    port = (unsigned)parse_ul(argv[2], "port", 1, 65535);
    workers = argc > 3 ? (unsigned)parse_ul(argv[3], "workers", 1, 64) : 1;
    raise_nofile();
    signal(SIGPIPE, SIG_IGN);
    for (w = 1; w < workers; w++) {
        pid_t pid = fork();
        if (pid < 0)
            die("fork");
        if (pid == 0) {
            /* A worker ends with the first process. */
            prctl(PR_SET_PDEATHSIG, SIGTERM);
            if (getppid() == 1)
                _exit(0);
            server_worker(listen_on(port));
            _exit(1);
        }
    }
    {
        int lfd = listen_on(port);
        printf("liveload server: listening on port %u, %u worker%s\n", port,
               workers, workers == 1 ? "" : "s");
        fflush(stdout);
        server_worker(lfd);
    }
    return 1;
}

/* ------------------------------------------------------------------ */
/* client */

enum { S_IDLE, S_CONNECTING, S_SENDING, S_RECEIVING, S_DRAINING };

struct slot {
    int fd;
    int state;
    int newconn;                /* one request per connection */
    uint32_t reqs_on_conn;      /* requests sent on this connection */
    uint32_t off;               /* bytes of the request sent / response read */
    int last;                   /* the request in flight has CLOSE */
};

static struct {
    struct slot *slots;
    unsigned n;
    int ep;
    struct sockaddr_in addr;
    unsigned char *req_keep, *req_close;
    uint32_t req_len, resp_len, keepalive_reqs;
    int stopping;
    unsigned active;            /* slots with a socket */
    unsigned long long requests, connections, errors;
    unsigned long long bytes_out, bytes_in;
    unsigned *retry;            /* slots to (re)connect at the next turn */
    unsigned *todo;             /* the ones being connected this turn */
    unsigned n_retry;
} cl;

static void slot_close(struct slot *s)
{
    if (s->fd >= 0) {
        close(s->fd);       /* also drops it from the epoll set */
        s->fd = -1;
        cl.active--;
    }
    s->state = S_IDLE;
}

/* Close, and connect again at the next turn unless stopping. */
static void slot_recycle(struct slot *s)
{
    slot_close(s);
    if (!cl.stopping)
        cl.retry[cl.n_retry++] = (unsigned)(s - cl.slots);
}

/*
 * After a read or write that returned n < 0: 1 when the slot is done with
 * for now (the socket would block, or it failed and was recycled).
 */
static int slot_io_failed(struct slot *s, ssize_t n)
{
    if (n >= 0)
        return 0;
    if (errno != EAGAIN && errno != EINTR) {
        cl.errors++;
        slot_recycle(s);
    }
    return 1;
}

static void slot_connect(struct slot *s)
{
    struct epoll_event ev;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

    if (fd < 0) {
        cl.errors++;
        cl.retry[cl.n_retry++] = (unsigned)(s - cl.slots);
        return;
    }
    nodelay(fd);
    if (connect(fd, (struct sockaddr *)&cl.addr, sizeof(cl.addr)) < 0 &&
        errno != EINPROGRESS) {
        cl.errors++;
        close(fd);
        cl.retry[cl.n_retry++] = (unsigned)(s - cl.slots);
        return;
    }
    s->fd = fd;
    s->state = S_CONNECTING;
    s->reqs_on_conn = 0;
    cl.active++;
    ev.events = EPOLLIN | EPOLLOUT | EPOLLET;
    ev.data.u32 = (uint32_t)(s - cl.slots);
    if (epoll_ctl(cl.ep, EPOLL_CTL_ADD, fd, &ev) < 0)
        die("epoll_ctl");
}

/* Start the next request on the connection. */
static void slot_request(struct slot *s)
{
    s->state = S_SENDING;
    s->off = 0;
    s->reqs_on_conn++;
    s->last = s->newconn || s->reqs_on_conn >= cl.keepalive_reqs;
}

static void client_drive(struct slot *s, uint32_t events)
{
    for (;;) {
        ssize_t n;

        switch (s->state) {
        case S_CONNECTING: {
            int err = 0;
            socklen_t len = sizeof(err);

            if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
                return;
            if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 ||
                err != 0) {
                cl.errors++;
                slot_recycle(s);
                return;
            }
            cl.connections++;
            slot_request(s);
            break;
        }
        case S_SENDING: {
            const unsigned char *req = s->last ? cl.req_close : cl.req_keep;

            n = write(s->fd, req + s->off, cl.req_len - s->off);
            if (slot_io_failed(s, n))
                return;
            cl.bytes_out += (unsigned long long)n;
            s->off += (uint32_t)n;
            if (s->off == cl.req_len) {
                s->state = S_RECEIVING;
                s->off = 0;
            }
            break;
        }
        case S_RECEIVING:
        case S_DRAINING:
            n = read(s->fd, scratch, sizeof(scratch));
            if (slot_io_failed(s, n))
                return;
            if (n == 0) {
                if (s->state == S_RECEIVING && s->off < cl.resp_len)
                    cl.errors++;        /* closed before the response */
                slot_recycle(s);
                return;
            }
            cl.bytes_in += (unsigned long long)n;
            if (s->state == S_DRAINING)
                break;          /* unexpected bytes after the response */
            s->off += (uint32_t)n;
            if (s->off < cl.resp_len)
                break;
            cl.requests++;
            if (s->last)
                s->state = S_DRAINING;      /* the server closes */
            else if (cl.stopping) {
                slot_close(s);
                return;
            } else
                slot_request(s);
            break;
        default:
            return;
        }
    }
}

static unsigned char *make_request(uint32_t len, uint32_t resp, uint32_t fl)
{
    unsigned char *r = malloc(len);

    if (r == NULL)
        die("malloc");
    memset(r, 'q', len);
    put32(r, MAGIC);
    put32(r + 4, len);
    put32(r + 8, resp);
    put32(r + 12, fl);
    return r;
}

static int client_main(int argc, char **argv)
{
    struct epoll_event events[MAX_EVENTS];
    struct addrinfo hints, *ai;
    double seconds, t0, deadline, end, t;
    unsigned pct, i;
    int rc;

    if (argc < 6 || argc > 10 || argc == 7) {
        fprintf(stderr, "usage: liveload client HOST PORT SECONDS CONNS "
                "[REQUEST_BYTES RESPONSE_BYTES [NEWCONN_PCT "
                "[KEEPALIVE_REQS]]]\n");
        return 2;
    }
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    rc = getaddrinfo(argv[2], argv[3], &hints, &ai);
    if (rc != 0) {
        fprintf(stderr, "liveload: %s:%s: %s\n", argv[2], argv[3],
                gai_strerror(rc));
        return 2;
    }
    memcpy(&cl.addr, ai->ai_addr, sizeof(cl.addr));
    freeaddrinfo(ai);
    parse_ul(argv[3], "port", 1, 65535);
    seconds = (double)parse_ul(argv[4], "seconds", 1, 86400);
    cl.n = (unsigned)parse_ul(argv[5], "conns", 1, 1000000);
    cl.req_len = argc > 6 ? (uint32_t)parse_ul(argv[6], "request bytes",
                                               HDR_LEN, MAX_MSG) : 200;
    cl.resp_len = argc > 7 ? (uint32_t)parse_ul(argv[7], "response bytes",
                                                0, MAX_MSG) : 2000;
    pct = argc > 8 ? (unsigned)parse_ul(argv[8], "newconn percent", 0, 100)
                   : 50;
    cl.keepalive_reqs = argc > 9 ? (uint32_t)parse_ul(argv[9],
                                   "keep-alive requests", 1, 1u << 30) : 100;
    raise_nofile();
    signal(SIGPIPE, SIG_IGN);
    cl.req_keep = make_request(cl.req_len, cl.resp_len, 0);
    cl.req_close = make_request(cl.req_len, cl.resp_len, FLAG_CLOSE);
    cl.slots = calloc(cl.n, sizeof(*cl.slots));
    cl.retry = calloc(cl.n, sizeof(*cl.retry));
    cl.todo = calloc(cl.n, sizeof(*cl.todo));
    if (cl.slots == NULL || cl.retry == NULL || cl.todo == NULL)
        die("calloc");
    cl.ep = epoll_create1(0);
    if (cl.ep < 0)
        die("epoll_create1");
    for (i = 0; i < cl.n; i++) {
        cl.slots[i].fd = -1;
        /* pct of the slots, spread evenly, open a connection per request */
        cl.slots[i].newconn = (i + 1) * pct / 100 != i * pct / 100;
        cl.retry[cl.n_retry++] = i;
    }

    t0 = now_sec();
    deadline = t0 + seconds;
    end = deadline + GRACE_SEC;
    for (;;) {
        unsigned todo = cl.n_retry, *q = cl.retry;
        int n;

        /* (Re)connect the slots that need it; a failure queues it again. */
        cl.retry = cl.todo;
        cl.todo = q;
        cl.n_retry = 0;
        if (!cl.stopping)
            for (i = 0; i < todo; i++)
                slot_connect(&cl.slots[q[i]]);
        t = now_sec();
        if (!cl.stopping && t >= deadline) {
            /* Every open slot has a request in flight or is being closed
             * by the server: let them finish, start nothing new. */
            cl.stopping = 1;
            cl.n_retry = 0;
        }
        if (cl.stopping && (cl.active == 0 || t >= end))
            break;
        n = epoll_wait(cl.ep, events, MAX_EVENTS,
                       cl.n_retry ? 1 : 100);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            die("epoll_wait");
        }
        for (i = 0; i < (unsigned)n; i++) {
            struct slot *s = &cl.slots[events[i].data.u32];
            if (s->fd >= 0)
                client_drive(s, events[i].events);
        }
    }
    for (i = 0; i < cl.n; i++)
        slot_close(&cl.slots[i]);
    printf("liveload client: %.2f s, %llu requests (%.1f/s), %llu "
           "connections, %llu bytes out, %llu bytes in, %llu errors\n",
           seconds, cl.requests, (double)cl.requests / seconds,
           cl.connections, cl.bytes_out, cl.bytes_in, cl.errors);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "server") == 0)
        return server_main(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "client") == 0)
        return client_main(argc, argv);
    fprintf(stderr,
            "usage: liveload server PORT [WORKERS]\n"
            "       liveload client HOST PORT SECONDS CONNS "
            "[REQUEST_BYTES RESPONSE_BYTES [NEWCONN_PCT [KEEPALIVE_REQS]]]\n");
    return 2;
}
