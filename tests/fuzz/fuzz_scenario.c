/* fuzz_scenario: libFuzzer target for the scenario loader (`make fuzz`).
 *
 * The input up to its first NUL byte is written to a scenario file and
 * loaded; each NUL-separated piece after it is a `--set` argument, so the
 * fuzzer explores overrides too. A scenario that loads is also written back
 * (scenario_write) and must load again. The file lives in a private temporary
 * folder; if PILOTSIM_FUZZ_BASE names scenarios/base, it is linked there as
 * `base`, so `extends: base/...` in the seed corpus reaches the merge code. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario/scenario.h"

static char dir[64], path[96], out[96];
static FILE *sink; /* error messages go nowhere */

static void cleanup(void)
{
    char base[96];
    snprintf(base, sizeof base, "%s/base", dir);
    unlink(path);
    unlink(out);
    unlink(base);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *base = getenv("PILOTSIM_FUZZ_BASE");
    char link[96];

    (void)argc;
    (void)argv;
    snprintf(dir, sizeof dir, "/tmp/fuzz_scenario.XXXXXX");
    if (!mkdtemp(dir) || !(sink = fopen("/dev/null", "w")))
        abort();
    snprintf(path, sizeof path, "%s/s.yaml", dir);
    snprintf(out, sizeof out, "%s/w.yaml", dir);
    snprintf(link, sizeof link, "%s/base", dir);
    if (base && symlink(base, link))
        perror("symlink");
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *sets[4];
    char *copy = malloc(size + 1);
    size_t n = 0, i, file_len;
    struct scenario *s;
    FILE *f;

    if (!copy)
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    file_len = strlen(copy); /* up to the first NUL */
    for (i = file_len; i < size && n < 4; i += strlen(copy + i + 1) + 1)
        sets[n++] = copy + i + 1;
    if ((f = fopen(path, "wb"))) {
        fwrite(copy, 1, file_len, f);
        fclose(f);
    }
    if ((s = scenario_load(path, sets, n, sink))) {
        struct scenario *again;
        if ((f = fopen(out, "w"))) {
            scenario_write(s, f);
            fclose(f);
        }
        if (!(again = scenario_load(out, NULL, 0, sink)))
            abort(); /* must read back */
        scenario_free(again);
    }
    scenario_free(s);
    free(copy);
    return 0;
}
