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
"       --slow-turn=time[ms]       # flag a request/response turn longer than time\n"
"       --all                      # all session lookup\n"
"       --live                     # live mode(all segment lookup)\n"
"  capture files (after Solaris snoop)\n"
"   -w, --write=file               # save every captured packet (pcap)\n"
"       --write-format=fmt         # pcap (default), pcapng or snoop\n"
"   -c, --count=NUM                # stop after NUM packets\n"
"   -p, --packets=FIRST[,LAST]     # only records FIRST..LAST of a file\n"
"       --time=abs|rel|delta       # clock, since first packet, since previous\n"
"   -x, --hex=OFF[,LEN]            # hex+ASCII dump of each printed packet\n"
"       --snaplen=NUM              # capture at most NUM bytes per packet\n"
"   -P, --no-promisc               # do not put the interface in promiscuous mode\n"
"   -B, --buffer-size=MiB          # kernel capture ring (default 8, 0 = libpcap's)\n"
"   -d, --dump-filter              # print the compiled filter and exit\n"
"       --names=file               # address names (/etc/hosts format)\n"
"       --write-names              # write FILE.names for a -f capture, exit\n"
"       --resolve                  # look up names of addresses (DNS)\n"
"       --detail                   # print link, IP and TCP header fields\n"
"   -Z, --relinquish-privileges=user # run as user once the capture is open\n"
"  outputs for machines\n"
"   -W, --write-flagged=file       # save the flagged sessions' packets (pcapng)\n"
"       --json[=file]              # one JSON object per shown session (stdout)\n"
"       --report=off|short|full    # triage report on stderr at exit. Default short\n"
"       --exit-status              # exit 3 if sessions were flagged, 4 if capture lost data\n"
"       --html=file                # self-contained HTML report with graphs, at exit\n"
"       --html-max=NUM             # sessions drawn in it, worst first. Default 50\n"
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
enum {
    OPT_ALL = 256, OPT_LIVE, OPT_WRITE_FORMAT, OPT_TIME, OPT_SNAPLEN,
    OPT_NAMES, OPT_WRITE_NAMES, OPT_RESOLVE, OPT_DETAIL, OPT_JSON,
    OPT_REPORT, OPT_EXIT_STATUS, OPT_SLOW_TURN, OPT_HTML, OPT_HTML_MAX
};

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
    { "write",         required_argument, NULL, 'w' },
    { "write-format",  required_argument, NULL, OPT_WRITE_FORMAT },
    { "count",         required_argument, NULL, 'c' },
    { "packets",       required_argument, NULL, 'p' },
    { "time",          required_argument, NULL, OPT_TIME },
    { "hex",           required_argument, NULL, 'x' },
    { "snaplen",       required_argument, NULL, OPT_SNAPLEN },
    { "no-promisc",    no_argument,       NULL, 'P' },
    { "buffer-size",   required_argument, NULL, 'B' },
    { "dump-filter",   no_argument,       NULL, 'd' },
    { "names",         required_argument, NULL, OPT_NAMES },
    { "write-names",   no_argument,       NULL, OPT_WRITE_NAMES },
    { "resolve",       no_argument,       NULL, OPT_RESOLVE },
    { "detail",        no_argument,       NULL, OPT_DETAIL },
    { "relinquish-privileges", required_argument, NULL, 'Z' },
    { "json",          optional_argument, NULL, OPT_JSON },
    { "report",        required_argument, NULL, OPT_REPORT },
    { "exit-status",   no_argument,       NULL, OPT_EXIT_STATUS },
    { "write-flagged", required_argument, NULL, 'W' },
    { "slow-turn",     required_argument, NULL, OPT_SLOW_TURN },
    { "html",          required_argument, NULL, OPT_HTML },
    { "html-max",      required_argument, NULL, OPT_HTML_MAX },
    { NULL, 0, NULL, 0 }
};

static const char short_options[] =
    "+:hVi:f:v:T:t:r:s:S:R:F:C:L:l:m:qw:c:p:x:PB:dZ:W:";

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
/* "-T (--long-connect)" for short options, "--snaplen" for long-only. */
static const char *option_label(int c, char *buf, size_t size)
{
    if (c < 256)
        snprintf(buf, size, "-%c (--%s)", c, long_name_of(c));
    else
        snprintf(buf, size, "--%s", long_name_of(c));
    return buf;
}

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
    option_label(opt, name, sizeof(name));
    fprintf(stderr, "miruo: %s: invalid value '%s' (expected %s, 0 to %lu)."
            " Try 'miruo -h'.\n", name, arg, what, max);
    return -1;
}

/* "A" or "A,B": two numbers, the second optional (0 when absent). */
static int parse_pair(int opt, const char *arg, unsigned long max,
                      const char *what, unsigned long *a, unsigned long *b)
{
    char first[32];
    const char *comma = strchr(arg, ',');
    size_t n = comma ? (size_t)(comma - arg) : strlen(arg);

    *b = 0;
    if (n >= sizeof(first))
        n = sizeof(first) - 1;
    memcpy(first, arg, n);
    first[n] = '\0';
    if (comma == NULL)
        return parse_number(opt, arg, max, what, a);
    if (parse_number(opt, first, max, what, a) < 0 ||
        parse_number(opt, comma + 1, max, what, b) < 0)
        return -1;
    return 0;
}

static int parse_choice(const char *opt, const char *arg,
                        const char *const *choices, int *out)
{
    int i;

    for (i = 0; choices[i] != NULL; i++) {
        if (strcmp(arg, choices[i]) == 0) {
            *out = i;
            return 0;
        }
    }
    fprintf(stderr, "miruo: %s: unknown value '%s' (supported:", opt, arg);
    for (i = 0; choices[i] != NULL; i++)
        fprintf(stderr, "%s %s", i ? "," : "", choices[i]);
    fprintf(stderr, "). Try 'miruo -h'.\n");
    return -1;
}

static int parse_dpi_mode(const char *arg, struct config *cfg)
{
    char err[HTTP_ERRBUF_SIZE];
    int enabled;

    if (http_config_parse(arg, &cfg->http, &enabled, err) < 0) {
        option_error("-m (--dpi-mode): %s", err);
        return -1;
    }
    cfg->dpi = enabled ? DPI_HTTP : DPI_TCP;
    return 0;
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
    static const char *const time_modes[] = { "abs", "rel", "delta", NULL };
    static const char *const formats[] = { "pcap", "pcapng", "snoop", NULL };
    static const char *const reports[] = { "off", "short", "full", NULL };
    unsigned long v, v2;
    int c, color = -1, choice;

    memset(cfg, 0, sizeof(*cfg));
    cfg->retransmit_ms = 1000;
    cfg->syn_lookup = 1;
    cfg->rst_mode = RST_ABORT;
    cfg->fragment_lookup = 1;
    cfg->session_limit = 1024;
    cfg->segment_limit = 65536;
    cfg->dpi = DPI_TCP;
    cfg->promisc = 1;
    /* miruo does more per packet than a dumper: a ring four times
     * libpcap's 2 MiB rides out longer scheduling gaps (bench/LIVE.md). */
    cfg->buffer_mib = 8;
    cfg->write_format = NULL;       /* pcap for -w, pcapng for -W */
    cfg->report = REPORT_SHORT;
    cfg->html_max = 50;             /* HTML_MAX_DEFAULT */

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
        case 'w':
            cfg->write_file = optarg;
            break;
        case OPT_WRITE_FORMAT:
            if (parse_choice("--write-format", optarg, formats, &choice) < 0)
                return OPTIONS_EXIT_USAGE;
            cfg->write_format = formats[choice];
            break;
        case 'c':
            if (parse_number(c, optarg, MAX_COUNT, "a packet count", &v) < 0)
                return OPTIONS_EXIT_USAGE;
            cfg->count = v;
            break;
        case 'p':
            if (parse_pair(c, optarg, MAX_COUNT, "packet numbers FIRST[,LAST]",
                           &v, &v2) < 0)
                return OPTIONS_EXIT_USAGE;
            if (v == 0 || (v2 != 0 && v2 < v)) {
                option_error("-p (--packets): invalid range '%s' (packets "
                             "are numbered from 1, FIRST <= LAST)", optarg);
                return OPTIONS_EXIT_USAGE;
            }
            cfg->first_packet = v;
            cfg->last_packet = v2;
            break;
        case OPT_TIME:
            if (parse_choice("--time", optarg, time_modes, &choice) < 0)
                return OPTIONS_EXIT_USAGE;
            cfg->time_mode = (enum time_mode)choice;
            break;
        case 'x':
            if (parse_pair(c, optarg, 262144, "bytes OFF[,LEN]", &v, &v2) < 0)
                return OPTIONS_EXIT_USAGE;
            cfg->hex = 1;
            cfg->hex_offset = (uint32_t)v;
            cfg->hex_length = (uint32_t)v2;
            break;
        case OPT_SNAPLEN:
            if (parse_number(c, optarg, 262144, "bytes", &v) < 0)
                return OPTIONS_EXIT_USAGE;
            if (v < 14) {
                option_error("--snaplen: invalid value '%s' (at least 14 "
                             "bytes)", optarg);
                return OPTIONS_EXIT_USAGE;
            }
            cfg->snaplen = (uint32_t)v;
            break;
        case 'P':
            cfg->promisc = 0;
            break;
        case 'B':
            if (parse_number(c, optarg, 4096, "MiB", &v) < 0)
                return OPTIONS_EXIT_USAGE;
            cfg->buffer_mib = (uint32_t)v;
            break;
        case 'd':
            cfg->dump_filter = 1;
            break;
        case OPT_NAMES:
            cfg->names_file = optarg;
            break;
        case OPT_WRITE_NAMES:
            cfg->write_names = 1;
            break;
        case OPT_RESOLVE:
            cfg->resolve = 1;
            break;
        case OPT_DETAIL:
            cfg->detail = 1;
            break;
        case 'Z':
            cfg->drop_user = optarg;
            break;
        case OPT_JSON:
            cfg->json_file = optarg ? optarg : "-";
            break;
        case OPT_REPORT:
            if (parse_choice("--report", optarg, reports, &choice) < 0)
                return OPTIONS_EXIT_USAGE;
            cfg->report = (enum report_level)choice;
            break;
        case OPT_EXIT_STATUS:
            cfg->exit_status = 1;
            break;
        case 'W':
            cfg->flagged_file = optarg;
            break;
        case OPT_SLOW_TURN:
            if (parse_number(c, optarg, MAX_MS, "milliseconds", &v) < 0)
                return OPTIONS_EXIT_USAGE;
            cfg->slow_turn_ms = (uint32_t)v;
            break;
        case OPT_HTML:
            cfg->html_file = optarg;
            break;
        case OPT_HTML_MAX:          /* 1 .. HTML_MAX_LIMIT */
            if (parse_number(c, optarg, 10000, "a count", &v) < 0)
                return OPTIONS_EXIT_USAGE;
            if (v == 0) {
                option_error("--html-max: invalid value '%s' (1 to 10000)",
                             optarg);
                return OPTIONS_EXIT_USAGE;
            }
            cfg->html_max = (unsigned)v;
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
            if (optopt != 0) {
                char name[64];
                option_error("option %s requires a value",
                             option_label(optopt, name, sizeof(name)));
            } else
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
    if (cfg->write_names && cfg->file == NULL) {
        option_error("--write-names needs a capture file (-f FILE)");
        return OPTIONS_EXIT_USAGE;
    }
    cfg->color = color >= 0 ? color : stdout_is_tty;
    return OPTIONS_RUN;
}

void options_free(struct config *cfg)
{
    free(cfg->filter);
    cfg->filter = NULL;
}
