/* cli: option values (cli.h). */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int cli_parse_u64(const char *s, uint64_t *out) {
    char *end;
    errno = 0;
    /* strtoull would take "-1" as 2^64 - 1 */
    if (!*s || *s == '-')
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

int cli_parse_double(const char *s, double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || v != v)
        return -1;
    *out = v;
    return 0;
}

int cli_parse_count(const char *s, unsigned max, unsigned *out) {
    uint64_t v;
    if (cli_parse_u64(s, &v) < 0 || v < 1 || v > max)
        return -1;
    *out = (unsigned)v;
    return 0;
}

int cli_parse_share(const char *s, double *out) {
    char buf[64];
    size_t len = strlen(s);
    int percent = len > 0 && s[len - 1] == '%';
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, s, len + 1);
    if (percent)
        buf[len - 1] = '\0';
    double v;
    if (cli_parse_double(buf, &v) < 0)
        return -1;
    if (percent)
        v /= 100;
    if (!(v > 0 && v < 1))
        return -1;
    *out = v;
    return 0;
}
