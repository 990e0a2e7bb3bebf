/*
 * options.h - the command line, parsed into one immutable configuration.
 *
 * options.c owns option parsing, range checking, the usage text and the
 * one-line errors for bad options.  Nothing else reads argv.
 */
#ifndef MIRUO_OPTIONS_H
#define MIRUO_OPTIONS_H

#include <stdint.h>

#include "dpi_http.h"

enum dpi_mode { DPI_TCP = 0, DPI_HTTP };

/* How much of the triage report is printed at exit (--report). */
enum report_level { REPORT_OFF = 0, REPORT_SHORT, REPORT_FULL };

/* How the time column is written (--time, after snoop's -t). */
enum time_mode { TIME_ABS = 0, TIME_REL, TIME_DELTA };

/* How -R treats RST segments (spec 7.5). */
enum rst_mode { RST_IGNORE = 0, RST_ABORT = 1, RST_ALL = 2 };

struct config {
    const char *device;         /* -i, NULL: first usable device */
    const char *file;           /* -f, NULL: live capture */
    char *filter;               /* remaining words joined, NULL: none */

    unsigned view_context;      /* -v N */
    uint32_t long_connect_ms;   /* -T, 0 = off */
    uint32_t long_delay_ms;     /* -t, 0 = off */
    uint32_t retransmit_ms;     /* -r, 0 = ignore retransmissions */
    uint32_t stat_interval;     /* -s seconds, 0 = only at exit */
    int syn_lookup;             /* -S */
    enum rst_mode rst_mode;     /* -R */
    int fragment_lookup;        /* -F */
    int color;                  /* -C, resolved: 0 or 1 */
    uint32_t session_limit;     /* -L, 0 = unlimited */
    uint32_t segment_limit;     /* -l, 0 = unlimited */
    enum dpi_mode dpi;          /* -m */
    int quiet;                  /* -q count */
    int all;                    /* --all */
    int live;                   /* --live (implies all) */
    struct http_config http;    /* -m http:REQ,...:RES,... header lists */

    /* Capture-file features taken from Solaris snoop. */
    const char *write_file;     /* -w: save every captured packet */
    const char *write_format;   /* --write-format: pcap, pcapng, snoop */
    uint64_t count;             /* -c: stop after N packets, 0 = no */
    uint64_t first_packet;      /* -p FIRST[,LAST]: 1-based records */
    uint64_t last_packet;       /* 0 = to the end */
    enum time_mode time_mode;   /* --time */
    int hex;                    /* -x given */
    uint32_t hex_offset;        /* -x OFF[,LEN] */
    uint32_t hex_length;        /* 0 = to the end of the packet */
    uint32_t snaplen;           /* --snaplen, 0 = default */
    int promisc;                /* -P clears it */
    uint32_t buffer_mib;        /* -B: kernel ring, MiB; 0 = libpcap's */
    int dump_filter;            /* -d */
    const char *names_file;     /* --names */
    int write_names;            /* --write-names */
    int resolve;                /* --resolve */
    int detail;                 /* --detail */
    const char *drop_user;      /* -Z: run as this user after opening */

    /* Outputs for machines. */
    const char *json_file;      /* --json[=FILE]: "-" = stdout */
    enum report_level report;   /* --report */
    int exit_status;            /* --exit-status: 3 flagged, 4 unhealthy */
    const char *flagged_file;   /* -W: the flagged sessions' packets */
    uint32_t slow_turn_ms;      /* --slow-turn: flag turns longer, 0 = off */
    const char *html_file;      /* --html: the HTML report, NULL = none */
    unsigned html_max;          /* --html-max: sessions drawn (default 50) */
};

/* Outcome of parsing: run, or exit with the given status. */
enum options_result { OPTIONS_RUN = 0, OPTIONS_EXIT_OK, OPTIONS_EXIT_USAGE };

/*
 * Parse argv into `cfg`.  Prints help/version or a one-line error itself
 * and says whether to run or exit.  `stdout_is_tty` decides the colour
 * default.
 */
enum options_result options_parse(int argc, char **argv, struct config *cfg,
                                  int stdout_is_tty);

void options_free(struct config *cfg);

#endif /* MIRUO_OPTIONS_H */
