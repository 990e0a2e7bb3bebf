/*
 * options.c - command line parsing (spec section 2, decisions.md #11).
 *
 * Parsing follows the original: GNU long-only rules (long names with one or
 * two dashes, unambiguous prefixes), POSIX mode (the first non-option word
 * starts the filter expression), last value wins except -q, which counts.
 * Unlike the original, every bad value is a one-line error on stderr that
 * names the option and the value, and exits 1.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "options.h"

static const char usage_text[] =
"usage: miruo [option] [expression]\n"
"  option\n"
"   -h, --help                     # help\n"
"   -V, --version                  # version\n"
"   -i, --interface=dev            # eth0,bond0,any... Default: first up non-loopback device\n"
"   -f, --file=file                # read a pcap or pcapng file ('-' = stdin) instead of capturing\n"
"   -v, --view-data=NUM            # also print NUM segments around each printed one\n"
"   -T, --long-connect=time[ms]    # Threshold of connection time for lookup. Default 0ms(off)\n"
"   -t, --long-delay=time[ms]      # Threshold of long delay time for lookup. Default 0ms(off)\n"
"   -r, --retransmit=time[ms]      # Threshold of retransmit time for lookup. Default 1000ms\n"
"   -s, --stat=interval[sec]       # statistics view interval. Default 0sec(off)\n"
"   -S, --syn=[0|1]                # syn retransmit lookup mode.default=1. 0=ignore 1=lookup\n"
"   -R, --rst=[0|1|2]              # rst lookup mode.default=1. 0=ignore 1=abort only 2=all\n"
"   -F, --fragment=[0|1]           # ip fragment lookup. default=1\n"
"   -C, --color=[0|1]              # color 0=off 1=on. Default: on when stdout is a terminal\n"
"   -L, --session-limit=NUM        # active session limit. Default 1024 (0=unlimited)\n"
"   -l, --segment-limit=NUM        # active segment limit. Default 65536 (0=unlimited)\n"
"   -m, --dpi-mode=mode            # deep packet inspection mode: tcp (default) or http\n"
"   -q, --quiet                    # compact layout for 80 columns (-qq: no error break)\n"
"       --all                      # all session lookup\n"
"       --live                     # live mode(all segment lookup)\n"
"\n"
"  expression: see man tcpdump\n"
"\n"
"  ex)\n"
"    miruo -i eth0 -s 10 2>statistics.log\n"
"    miruo -i eth0 host 192.168.0.100 and port 80\n"
"    miruo -i eth0 -T5000 src host 192.168.0.1\n"
"    miruo -C0 --all -f dump.pcap\n";

static void print_version(void)
{
    printf("%7s version %s\n", PACKAGE, PACKAGE_VERSION);
    printf("%s\n", pcap_lib_version());
}

/* Long options.  Both the documented and the original's real names work. */
enum { OPT_ALL = 256, OPT_LIVE };

static const struct option long_options[] = {
    { "help",          no_argument,       NULL, 'h' },
    { "version",       no_argument,       NULL, 'V' },
    { "interface",     required_argument, NULL, 'i' },
    { "file",          required_argument, NULL, 'f' },
    { "view-data",     required_argument, NULL, 'v' },
    { "long-connect",  required_argument, NULL, 'T' },
    { "long-delay",    required_argument, NULL, 't' },
    { "retransmit",    required_argument, NULL, 'r' },
    { "stat",          required_argument, NULL, 's' },
    { "stat-interval", required_argument, NULL, 's' },
    { "syn",           required_argument, NULL, 'S' },
    { "rst",           required_argument, NULL, 'R' },
    { "fragment",      required_argument, NULL, 'F' },
    { "flagment",      required_argument, NULL, 'F' },
    { "color",         required_argument, NULL, 'C' },
    { "session-limit", required_argument, NULL, 'L' },
    { "limit-session", required_argument, NULL, 'L' },
    { "segment-limit", required_argument, NULL, 'l' },
    { "limit-segment", required_argument, NULL, 'l' },
    { "dpi-mode",      required_argument, NULL, 'm' },
    { "quiet",         no_argument,       NULL, 'q' },
    { "all",           no_argument,       NULL, OPT_ALL },
    { "live",          no_argument,       NULL, OPT_LIVE },
    { NULL, 0, NULL, 0 }
};

static const char short_options[] = "+:hVi:f:v:T:t:r:s:S:R:F:C:L:l:m:q";

/* The long name that belongs to a short option, for error messages. */
static const char *long_name_of(int c)
{
    const struct option *o;

    for (o = long_options; o->name != NULL; o++)
        if (o->val == c)
            return o->name;
    return "?";
}

static void option_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static void option_error(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "miruo: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, ". Try 'miruo -h'.\n");
}

/*
 * Parse a decimal number in [0, max].  Accepts an optional '+', rejects
 * anything else (signs, suffixes, empty strings, overflow).
 */
static int parse_number(int opt, const char *arg, unsigned long max,
                        const char *what, unsigned long *out)
{
    const char *p = arg;
    unsigned long v = 0;
    char name[64];

    if (*p == '+')
        p++;
    if (*p == '\0')
        goto bad;
    for (; *p != '\0'; p++) {
        if (*p < '0' || *p > '9')
            goto bad;
        if (v > (max - (unsigned long)(*p - '0')) / 10)
            goto bad;
        v = v * 10 + (unsigned long)(*p - '0');
    }
    *out = v;
    return 0;
bad:
    snprintf(name, sizeof(name), "-%c (--%s)", opt, long_name_of(opt));
    fprintf(stderr, "miruo: %s: invalid value '%s' (expected %s, 0 to %lu)."
            " Try 'miruo -h'.\n", name, arg, what, max);
    return -1;
}

static int parse_dpi_mode(const char *arg, struct config *cfg)
{
    if (strcmp(arg, "tcp") == 0) {
        cfg->dpi = DPI_TCP;
        return 0;
    }
    if (strcmp(arg, "http") == 0 || strncmp(arg, "http:", 5) == 0) {
        cfg->dpi = DPI_HTTP;
        return 0;
    }
    fprintf(stderr, "miruo: -m (--dpi-mode): unknown mode '%s' (supported: "
            "tcp, http, http:REQ,...[:RES,...]). Try 'miruo -h'.\n", arg);
    return -1;
}

/* Join the filter words with single spaces, as the original does. */
static char *join_words(int n, char **words)
{
    size_t len = 1;
    char *s;
    int i;

    for (i = 0; i < n; i++)
        len += strlen(words[i]) + 1;
    s = malloc(len);
    if (s == NULL)
        return NULL;
    s[0] = '\0';
    for (i = 0; i < n; i++) {
        if (i > 0)
            strcat(s, " ");
        strcat(s, words[i]);
    }
    return s;
}

#define MAX_MS      4294967295UL
#define MAX_COUNT   4294967295UL

enum options_result options_parse(int argc, char **argv, struct config *cfg,
                                  int stdout_is_tty)
{
    unsigned long v;
    int c, color = -1;

    memset(cfg, 0, sizeof(*cfg));
    cfg->retransmit_ms = 1000;
    cfg->syn_lookup = 1;
    cfg->rst_mode = RST_ABORT;
    cfg->fragment_lookup = 1;
    cfg->session_limit = 1024;
    cfg->segment_limit = 65536;
    cfg->dpi = DPI_TCP;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long_only(argc, argv, short_options, long_options,
                                 NULL)) != -1) {
        switch (c) {
        case 'h':
            print_version();
            fputs(usage_text, stdout);
            return OPTIONS_EXIT_OK;
        case 'V':
            print_version();
            return OPTIONS_EXIT_OK;
        case 'i':
            cfg->device = optarg;
            break;
        case 'f':
            cfg->file = optarg;
            break;
        case 'v':
            if (parse_number(c, optarg, 65535, "a count", &v) < 0)
                return OPTIONS_EXIT_USAGE;
            cfg->view_context = (unsigned)v;
            break;
        case 'T':
        case 't':
        case 'r':
            if (parse_number(c, optarg, MAX_MS, "milliseconds", &v) < 0)
                return OPTIONS_EXIT_USAGE;
            if (c == 'T')
                cfg->long_connect_ms = (uint32_t)v;
            else if (c == 't')
                cfg->long_delay_ms = (uint32_t)v;
            else
                cfg->retransmit_ms = (uint32_t)v;
            break;
        case 's':
            if (parse_number(c, optarg, 86400, "seconds", &v) < 0)
                return OPTIONS_EXIT_USAGE;
            cfg->stat_interval = (uint32_t)v;
            break;
        case 'S':
        case 'F':
        case 'C':
            /* As in the original, any non-zero value means on. */
            if (parse_number(c, optarg, MAX_COUNT, "0 or 1", &v) < 0)
                return OPTIONS_EXIT_USAGE;
            if (c == 'S')
                cfg->syn_lookup = v != 0;
            else if (c == 'F')
                cfg->fragment_lookup = v != 0;
            else
                color = v != 0;
            break;
        case 'R':
            /* As in the original, values above 2 behave as 2. */
            if (parse_number(c, optarg, MAX_COUNT, "0, 1 or 2", &v) < 0)
                return OPTIONS_EXIT_USAGE;
            cfg->rst_mode = v >= 2 ? RST_ALL : (enum rst_mode)v;
            break;
        case 'L':
        case 'l':
            if (parse_number(c, optarg, 100000000, "a count", &v) < 0)
                return OPTIONS_EXIT_USAGE;
            if (c == 'L')
                cfg->session_limit = (uint32_t)v;
            else
                cfg->segment_limit = (uint32_t)v;
            break;
        case 'm':
            if (parse_dpi_mode(optarg, cfg) < 0)
                return OPTIONS_EXIT_USAGE;
            break;
        case 'q':
            cfg->quiet++;
            break;
        case OPT_ALL:
            cfg->all = 1;
            break;
        case OPT_LIVE:
            cfg->live = 1;
            cfg->all = 1;
            break;
        case ':':
            if (optopt != 0)
                option_error("option -%c (--%s) requires a value", optopt,
                             long_name_of(optopt));
            else
                option_error("option '%s' requires a value",
                             argv[optind - 1]);
            return OPTIONS_EXIT_USAGE;
        default:
            if (optopt != 0 && optopt != '?')
                option_error("unknown option '-%c'", optopt);
            else
                option_error("unknown or ambiguous option '%s'",
                             argv[optind - 1]);
            return OPTIONS_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        cfg->filter = join_words(argc - optind, argv + optind);
        if (cfg->filter == NULL) {
            fprintf(stderr, "miruo: out of memory\n");
            return OPTIONS_EXIT_USAGE;
        }
    }
    cfg->color = color >= 0 ? color : stdout_is_tty;
    return OPTIONS_RUN;
}

void options_free(struct config *cfg)
{
    free(cfg->filter);
    cfg->filter = NULL;
}
