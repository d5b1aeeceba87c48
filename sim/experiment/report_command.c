/* report_command: `pilotsim report DIR` (report_command.h). */
#include "experiment/report_command.h"

#include <assert.h>
#include <stddef.h>

#include "exitcode.h"
#include "experiment/command.h"
#include "experiment/compare_memo.h"
#include "experiment/mpi_farm.h"
#include "experiment/calibrate_report.h"
#include "experiment/sweep_report.h"
#include "loadtest/loadtest_report.h"
#include "output/doc.h"
#include "output/outdir.h"
#include "output/run_report.h"

/* Each kind's builder (KIND_report_build, in its owner's room). */
static const struct {
    enum outdir_kind kind;
    int (*build)(const char *dir, struct doc *d, FILE *err);
} builders[] = {
    {OUTDIR_KIND_RUN, run_report_build},
    {OUTDIR_KIND_COMPARE, compare_memo_build},
    {OUTDIR_KIND_SWEEP, sweep_report_build},
    {OUTDIR_KIND_LOADTEST, loadtest_report_build},
    {OUTDIR_KIND_CALIBRATE, calibrate_report_build},
};

int report_command_run(const char *dir, FILE *err)
{
    /* Before the lock: outdir_open would create a missing directory. */
    enum outdir_kind kind = outdir_kind(dir, err);
    if (kind == OUTDIR_KIND_NONE)
        return EXITCODE_USAGE;
    int (*build)(const char *, struct doc *, FILE *) = NULL;
    for (size_t i = 0; i < sizeof builders / sizeof builders[0]; i++)
        if (builders[i].kind == kind)
            build = builders[i].build;
    assert(build); /* every kind outdir_kind names has its builder */
    struct outdir d;
    int rc = command_own_output(&d, dir, NULL, 0, 0);
    if (rc >= 0)
        return rc;
    rc = EXITCODE_OK;
    if (mpi_farm_rank() == 0) {
        struct doc *doc = doc_new("");
        if (!doc || build(dir, doc, err) < 0)
            rc = doc ? EXITCODE_USAGE : EXITCODE_RUNTIME;
        else if (doc_write_html(doc, dir, err) < 0)
            rc = EXITCODE_RUNTIME;
        if (!doc)
            fprintf(err, "pilotsim: out of memory building %s/report.html\n", dir);
        doc_free(doc);
    }
    outdir_close(&d);
    return rc;
}
