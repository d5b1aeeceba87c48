/* provenance: what made an output (provenance.h). The build's commit,
 * dirtiness and flags come from a header the Makefile generates,
 * provenance_build.h, rewritten only when they change, so a new commit
 * rebuilds this file and nothing else. */
#include "output/provenance.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "provenance_build.h" /* PROVENANCE_COMMIT, _DIRTY, _BUILD */
#include "scenario/ytree.h"

static const char unknown[] = "unknown";

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    return d ? memcpy(d, s, n) : NULL;
}

/* Characters that no POSIX shell treats specially anywhere in a word. */
static int shell_plain(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("_-./:=,+@%", c));
}

size_t provenance_quote(const char *word, char *buf, size_t n)
{
    size_t len = 0;
    int plain = *word != '\0';
    for (const char *s = word; *s; s++)
        plain &= shell_plain((unsigned char)*s);
        /* Appends c to buf while it fits, always counting it. */
#define PUT(c)              \
    do {                    \
        if (len + 1 < n)    \
            buf[len] = (c); \
        len++;              \
    } while (0)
    if (!plain)
        PUT('\'');
    for (const char *s = word; *s; s++) {
        if (*s == '\'') { /* end the quotes, an escaped quote, quote again */
            PUT('\'');
            PUT('\\');
            PUT('\'');
        }
        PUT(*s);
    }
    if (!plain)
        PUT('\'');
#undef PUT
    if (n)
        buf[len < n ? len : n - 1] = '\0';
    return len;
}

/* argv as one command line: `pilotsim` and each argument quoted. */
static char *command_line(int argc, char *const *argv)
{
    size_t need = strlen("pilotsim") + 1;
    for (int i = 1; i < argc; i++)
        need += provenance_quote(argv[i], NULL, 0) + 1;
    char *line = malloc(need);
    if (!line)
        return NULL;
    size_t at = (size_t)snprintf(line, need, "pilotsim");
    for (int i = 1; i < argc; i++) {
        line[at++] = ' ';
        at += provenance_quote(argv[i], line + at, need - at);
    }
    return line;
}

int provenance_init(struct provenance *p, const char *version, int argc, char *const *argv)
{
    memset(p, 0, sizeof *p);
    p->dirty = PROVENANCE_DIRTY;
    p->version = dup_str(version);
    p->commit = dup_str(PROVENANCE_COMMIT);
    p->build = dup_str(PROVENANCE_BUILD);
    p->command = command_line(argc, argv);
    if (p->version && p->commit && p->build && p->command)
        return 0;
    provenance_destroy(p);
    return -1;
}

void provenance_destroy(struct provenance *p)
{
    free(p->version);
    free(p->commit);
    free(p->command);
    free(p->build);
    p->version = p->commit = p->command = p->build = NULL;
}

void provenance_scenario(struct provenance *p, const void *text, size_t len)
{
    sha256_hex(text, len, p->scenario_sha256);
}

/* ---- JSON ---- */

/* A JSON string, escaped as report.c escapes (provenance sits below the
 * report, which writes it, so it keeps its own three lines). */
static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *c = (const unsigned char *)(s ? s : unknown); *c; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(f, "\\%c", *c);
        else if (*c < 0x20)
            fprintf(f, "\\u%04x", *c);
        else
            fputc(*c, f);
    }
    fputc('"', f);
}

void provenance_json(FILE *f, const struct provenance *p)
{
    fputs("{\"version\": ", f);
    json_str(f, p->version);
    fputs(", \"commit\": ", f);
    json_str(f, p->commit);
    fprintf(f, ", \"dirty\": %s, \"scenario_sha256\": ",
            p->dirty < 0 ? "null"
            : p->dirty   ? "true"
                         : "false");
    if (p->scenario_sha256[0])
        json_str(f, p->scenario_sha256);
    else
        fputs("null", f);
    fputs(", \"command\": ", f);
    json_str(f, p->command);
    fputs(", \"build\": ", f);
    json_str(f, p->build);
    fputc('}', f);
}

/* ---- reading it back ---- */

/* A string member of the provenance object, or "unknown". */
static char *member(const struct ytree *pv, const char *key)
{
    const struct ytree *v = pv ? ytree_get(pv, key, NULL) : NULL;
    int str = v && v->kind == YTREE_SCALAR && !(v->plain && !strcmp(v->text, "null"));
    return dup_str(str ? v->text : unknown);
}

/* The file that holds a directory's provenance: summary.json, or
 * calibrate.json for a calibration. */
static void source_path(const char *dir, char *path, size_t n)
{
    snprintf(path, n, "%s/summary.json", dir);
    char other[4096];
    snprintf(other, sizeof other, "%s/calibrate.json", dir);
    if (access(path, F_OK) != 0 && access(other, F_OK) == 0)
        snprintf(path, n, "%s", other);
}

int provenance_read(const char *dir, struct provenance *p, FILE *err)
{
    char path[4096];
    source_path(dir, path, sizeof path);
    struct ytree_ctx c;
    struct ytree_id id;
    ytree_init(&c, err);
    c.what = "JSON document";
    const struct ytree *root = ytree_read(&c, path, NULL, &id), *run, *pv = NULL;
    if (root && (run = ytree_get(root, "run", NULL)) && run->kind == YTREE_MAP)
        pv = ytree_get(run, "provenance", NULL);
    if (pv && pv->kind != YTREE_MAP)
        pv = NULL;
    if (root && !pv)
        fprintf(err, "pilotsim: %s: no run.provenance (written by an older pilotsim?)\n", path);
    memset(p, 0, sizeof *p);
    p->version = member(pv, "version");
    p->commit = member(pv, "commit");
    p->command = member(pv, "command");
    p->build = member(pv, "build");
    const struct ytree *d = pv ? ytree_get(pv, "dirty", NULL) : NULL;
    p->dirty = !d || d->kind != YTREE_SCALAR ? -1
               : !strcmp(d->text, "true")    ? 1
               : !strcmp(d->text, "false")   ? 0
                                             : -1;
    char *h = member(pv, "scenario_sha256");
    if (h && strlen(h) == SHA256_HEX - 1 && strspn(h, "0123456789abcdef") == SHA256_HEX - 1)
        memcpy(p->scenario_sha256, h, SHA256_HEX);
    free(h);
    ytree_destroy(&c);
    if (!p->version || !p->commit || !p->command || !p->build) {
        fprintf(err, "pilotsim: out of memory reading %s\n", path);
        return -1;
    }
    return pv ? 0 : -1;
}

/* ---- one line ---- */

/* Cut s in place to at most max_chars characters and n - 1 bytes, ending
 * in "…" where cut; UTF-8 sequences stay whole. */
static void cut_line(char *s, size_t max_chars, size_t n)
{
    static const char ellipsis[] = "\xe2\x80\xa6"; /* U+2026, one character */
    size_t chars = 0, fit = 0, bytes = strlen(s);
    for (size_t i = 0; s[i]; i++)
        chars += ((unsigned char)s[i] & 0xc0) != 0x80;
    if (chars <= max_chars && bytes < n)
        return;
    /* The longest prefix of whole characters that leaves room for the
     * ellipsis (3 bytes and the NUL). */
    chars = 0;
    for (size_t i = 0; s[i];) {
        size_t j = i + 1;
        while (((unsigned char)s[j] & 0xc0) == 0x80)
            j++;
        if (chars + 2 > max_chars || j + sizeof ellipsis > n)
            break;
        chars++;
        fit = i = j;
    }
    while (fit > 0 && s[fit - 1] == ' ')
        fit--;
    if (fit + sizeof ellipsis <= n)
        memcpy(s + fit, ellipsis, sizeof ellipsis);
    else
        s[fit] = '\0';
}

void provenance_line(const struct provenance *p, char *buf, size_t n)
{
    if (n == 0)
        return;
    char line[1024], hash[48] = "";
    if (p->scenario_sha256[0])
        snprintf(hash, sizeof hash, " \xc2\xb7 scenario sha256 %.12s", p->scenario_sha256);
    const char *commit = p->commit ? p->commit : unknown;
    int hex = strcmp(commit, unknown) != 0;
    snprintf(line, sizeof line, "pilotsim %s \xc2\xb7 commit %.*s%s%s \xc2\xb7 %s",
             p->version ? p->version : unknown, hex ? 7 : (int)strlen(commit), commit,
             p->dirty == 1 ? " (dirty)" : "", hash, p->command ? p->command : unknown);
    for (char *c = line; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = ' ';
    cut_line(line, PROVENANCE_LINE_CHARS, n);
    snprintf(buf, n, "%s", line);
}

void provenance_footer(const char *dir, char *buf, size_t n)
{
    struct provenance p;
    FILE *quiet = fopen("/dev/null", "w");
    int rc = provenance_read(dir, &p, quiet ? quiet : stderr);
    if (quiet)
        fclose(quiet);
    if (rc == 0)
        provenance_line(&p, buf, n);
    else
        snprintf(buf, n, "provenance not recorded in this directory");
    provenance_destroy(&p);
}
