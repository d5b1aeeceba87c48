/* Unit tests of provenance: the command line quoted so a shell gives back
 * the same words, the JSON object read back by provenance_read (and
 * calibrate.json's when there is no summary.json), the refusals of a
 * directory without provenance, and the one-line form cut to a chart's
 * width with UTF-8 kept whole. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/provenance.h"
#include "test.h"

/* Write text to dir/name. */
static int put(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

/* p's provenance object inside a summary.json's run section in dir. */
static int put_summary(const char *dir, const char *name, const struct provenance *p)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs("{\n  \"schema_version\": 1,\n  \"run\": {\"version\": \"x\", \"provenance\": ", f);
    provenance_json(f, p);
    fputs("},\n  \"cities\": {}\n}\n", f);
    return fclose(f);
}

/* Characters in a UTF-8 string; -1 when a sequence is cut. */
static long utf8_chars(const char *s)
{
    long n = 0;
    for (const unsigned char *c = (const unsigned char *)s; *c;) {
        int len = *c < 0x80 ? 1 : *c >= 0xf0 ? 4 : *c >= 0xe0 ? 3 : 2;
        for (int i = 1; i < len; i++)
            if ((c[i] & 0xc0) != 0x80)
                return -1;
        c += len;
        n++;
    }
    return n;
}

static void test_quote(void)
{
    char buf[64];
    provenance_quote("out/x-1.yaml", buf, sizeof buf);
    check(!strcmp(buf, "out/x-1.yaml"), "a plain word stays plain (%s)", buf);
    provenance_quote("adoption.bass.p=0.01", buf, sizeof buf);
    check(!strcmp(buf, "adoption.bass.p=0.01"), "a --set value stays plain (%s)", buf);
    provenance_quote("it's a $HOME", buf, sizeof buf);
    check(!strcmp(buf, "'it'\\''s a $HOME'"), "quotes, spaces and $ single-quoted (%s)", buf);
    provenance_quote("", buf, sizeof buf);
    check(!strcmp(buf, "''"), "the empty word is '' (%s)", buf);
    size_t need = provenance_quote("a b c d", buf, 4);
    check(need == 9 && !strcmp(buf, "'a "), "a short buffer: cut, the length needed (%zu)", need);
}

static void test_init(struct provenance *p)
{
    char *argv[] = {"/usr/local/bin/pilotsim", "run", "my plan.yaml", "--set", "name=it's", NULL};
    int rc = provenance_init(p, "9.9.9", 5, argv);
    check(rc == 0, "provenance_init");
    check(!strcmp(p->command, "pilotsim run 'my plan.yaml' --set 'name=it'\\''s'"),
          "the command line, quoted to paste back (%s)", p->command);
    check(!strcmp(p->version, "9.9.9") && p->commit[0] && p->build[0] && p->dirty >= -1 &&
              p->dirty <= 1 && p->scenario_sha256[0] == '\0',
          "version, commit '%s', dirty %d, build '%s'; no scenario yet", p->commit, p->dirty,
          p->build);
    provenance_scenario(p, "abc", 3);
    check(!strcmp(p->scenario_sha256,
                  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
          "the scenario's hash is SHA-256 of its bytes");
}

static void test_read(const char *dir, const struct provenance *p)
{
    struct provenance q;
    check(put_summary(dir, "summary.json", p) == 0, "summary.json written");
    int rc = provenance_read(dir, &q, stderr);
    check(rc == 0 && !strcmp(q.version, p->version) && !strcmp(q.commit, p->commit) &&
              q.dirty == p->dirty && !strcmp(q.scenario_sha256, p->scenario_sha256) &&
              !strcmp(q.command, p->command) && !strcmp(q.build, p->build),
          "provenance_read gives back what provenance_json wrote (%s)", q.command);
    provenance_destroy(&q);

    struct provenance none = *p; /* no scenario, dirtiness unknown */
    none.scenario_sha256[0] = '\0';
    none.dirty = -1;
    put_summary(dir, "summary.json", &none);
    rc = provenance_read(dir, &q, stderr);
    check(rc == 0 && q.dirty == -1 && q.scenario_sha256[0] == '\0',
          "null dirty and scenario read back as unknown");
    provenance_destroy(&q);

    put(dir, "summary.json", "{\"schema_version\": 1, \"run\": {\"version\": \"0.1.0\"}}\n");
    FILE *devnull = fopen("/dev/null", "w");
    rc = provenance_read(dir, &q, devnull);
    check(rc == -1 && !strcmp(q.commit, "unknown") && !strcmp(q.command, "unknown"),
          "a summary without provenance: -1, every field unknown");
    provenance_destroy(&q);

    char path[512];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    unlink(path);
    put_summary(dir, "calibrate.json", p);
    rc = provenance_read(dir, &q, stderr);
    check(rc == 0 && !strcmp(q.command, p->command),
          "no summary.json: calibrate.json's provenance");
    provenance_destroy(&q);
    snprintf(path, sizeof path, "%s/calibrate.json", dir);
    unlink(path);
    rc = provenance_read(dir, &q, devnull);
    check(rc == -1 && !strcmp(q.version, "unknown"), "an empty directory: -1, unknown");
    char footer[512], line[512];
    provenance_footer(dir, footer, sizeof footer);
    check(!strcmp(footer, "provenance not recorded in this directory"),
          "a footer without a record says so (%s)", footer);
    put_summary(dir, "summary.json", p);
    provenance_footer(dir, footer, sizeof footer);
    provenance_line(p, line, sizeof line);
    check(!strcmp(footer, line), "a footer with a record is its provenance line");
    snprintf(path, sizeof path, "%s/summary.json", dir);
    unlink(path);
    provenance_destroy(&q);
    fclose(devnull);
}

static void test_line(struct provenance *p)
{
    char line[512];
    free(p->commit);
    p->commit = strdup("1a2b3c4d5e6f");
    p->dirty = 1;
    free(p->command);
    p->command = strdup("pilotsim run scenarios/x.yaml -o out/x");
    provenance_line(p, line, sizeof line);
    check(!strcmp(line, "pilotsim 9.9.9 \xc2\xb7 commit 1a2b3c4 (dirty) \xc2\xb7 scenario sha256 "
                        "ba7816bf8f01 \xc2\xb7 pilotsim run scenarios/x.yaml -o out/x"),
          "the line: version, short commit, dirty, short hash, command (%s)", line);

    free(p->command);
    p->command = malloc(400);
    memset(p->command, 'w', 399);
    p->command[399] = '\0';
    p->command[150] = '\n';
    provenance_line(p, line, sizeof line);
    long n = utf8_chars(line);
    check(n == PROVENANCE_LINE_CHARS && strstr(line, "\xe2\x80\xa6") == line + strlen(line) - 3,
          "a long command is cut to %d characters, ending in an ellipsis (%ld)",
          PROVENANCE_LINE_CHARS, n);
    check(!strchr(line, '\n'), "no control character on the line");
    for (size_t size = 1; size < 40; size++) {
        char small[40];
        memset(small, 'X', sizeof small);
        provenance_line(p, small, size);
        if (strlen(small) >= size || utf8_chars(small) < 0) {
            check(0, "a buffer of %zu bytes: '%s'", size, small);
            return;
        }
    }
    check(1, "buffers of 1 to 39 bytes: cut inside, UTF-8 whole");
}

int main(void)
{
    test_plan(5 + 4 + 8 + 4);
    char dir[] = "/tmp/pilotsim-test-provenance-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    struct provenance p;
    test_quote();
    test_init(&p);
    test_read(dir, &p);
    test_line(&p);
    provenance_destroy(&p);
    rmdir(dir);
    return test_done();
}
