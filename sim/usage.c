/* usage: help texts and the usage error (usage.h). */
#include "usage.h"

#include <stdio.h>

#include "exitcode.h"

const char usage_main[] =
    "usage: pilotsim COMMAND [options]\n"
    "\n"
    "Simulates China's e-CNY pilot (Shenzhen, Xiong'an, Chengdu, Suzhou) from a\n"
    "YAML scenario and reports adoption and payment-infrastructure load.\n"
    "\n"
    "commands:\n"
    "  run SCENARIO     simulate and write summary.json, timeseries.csv, charts\n"
    "                   (--replications R: R replications with 95% intervals)\n"
    "  compare A B ...  rollout plans side by side, common random numbers\n"
    "  sweep SCENARIO   a grid of parameter values (--vary key=v1,v2,...)\n"
    "  calibrate SCENARIO --targets FILE  the scenario against published\n"
    "                   figures: calibrate.json, calibrate.md\n"
    "  check SCENARIO   validate a scenario and print a summary of it\n"
    "  plot DIR         redraw the charts of a finished run\n"
    "  bench phold      the PHOLD event-engine benchmark\n"
    "  loadtest SCENARIO  drive the infrastructure with a load profile (SLOs,\n"
    "                   capacity search, faults): loadtest.csv, summary.json\n"
    "\n"
    "options:\n"
    "  -h, --help       this help (COMMAND --help: the command's own)\n"
    "  -V, --version    print the version\n"
    "\n"
    "exit status: 0 success, 1 runtime failure, 2 usage error or bad input,\n"
    "3 an SLO failed (loadtest).\n";

const char usage_run[] =
    "usage: pilotsim run SCENARIO [options]\n"
    "\n"
    "Simulate SCENARIO and write DIR/summary.json, DIR/timeseries.csv,\n"
    "DIR/scenario.yaml (the resolved scenario) and DIR/charts/*.png|svg.\n"
    "\n"
    "  -o, --output DIR     output directory (default out/<scenario name>)\n"
    "      --seed N         random seed (overrides the scenario's `seed`)\n"
    "      --set KEY=VALUE  override a scenario value, e.g. --set sample=100\n"
    "                       or --set cities.shenzhen.population=1000 (repeatable)\n"
    "  -q, --quiet          no progress bar and no closing line\n"
    "      --no-charts      do not run gnuplot\n"
    "      --replications R run R independent replications (default 1): every\n"
    "                       metric as mean, sd and 95% interval, plus\n"
    "                       DIR/replications.csv\n"
    "      --precision P    replicate until the 95% half-width of the headline\n"
    "                       metrics is under P of their mean (e.g. 2%); R is then\n"
    "                       the minimum (default 5)\n"
    "      --max-replications N  the cap with --precision (default 100)\n"
    "  -j, --jobs J         worker processes (default: one per core)\n"
    "      --max-memory SIZE  refuse a run estimated to need more (e.g. 16G;\n"
    "                       default: the memory available now); a run over about\n"
    "                       1e11 events a worker is refused too\n"
    "  -h, --help           this help\n";

const char usage_compare[] =
    "usage: pilotsim compare A.yaml B.yaml [C.yaml ...] [options]\n"
    "\n"
    "Run each rollout plan R times with common random numbers (every plan sees\n"
    "the same people and draws in replication r) and compare them with the\n"
    "first: DIR/compare.csv, DIR/compare.md, DIR/charts/, DIR/plans/NAME/.\n"
    "Plans must share start, duration, step and cities.\n"
    "\n"
    "  -o, --output DIR     output directory (default out/compare)\n"
    "      --replications R replications per plan (default 10, at least 2)\n"
    "  -j, --jobs J         worker processes (default: one per core)\n"
    "      --seed N         random seed for every plan (default: the first plan's)\n"
    "      --set KEY=VALUE  override a value in every plan (repeatable)\n"
    "  -q, --quiet          no progress bar and no closing line\n"
    "      --no-charts      do not run gnuplot\n"
    "      --max-memory SIZE  as run\n"
    "  -h, --help           this help\n";

const char usage_sweep[] =
    "usage: pilotsim sweep SCENARIO --vary KEY=V1,V2,... [--vary ...] [options]\n"
    "\n"
    "Run SCENARIO at every point of the grid of the varied values (keys as\n"
    "--set addresses them) and write DIR/sweep.csv (one row per point: the\n"
    "values, every metric's mean and 95% interval), DIR/summary.json, each\n"
    "point's replicated run in DIR/points/POINT/ and DIR/charts/sweep-*.\n"
    "\n"
    "  --vary KEY=V1,V2,... a parameter and its values (repeatable, up to 8;\n"
    "                       the first, the charts' x axis, needs two or more)\n"
    "  --metric NAME        a metric to chart against the first key (repeatable;\n"
    "                       default total.adoption, total.payments,\n"
    "                       total.latency_ms.p99)\n"
    "  -o, --output DIR     output directory (default out/<scenario name>-sweep)\n"
    "  --replications R     replications per point (default 5)\n"
    "  -j, --jobs J         worker processes (default: one per core)\n"
    "  --seed N, --set KEY=VALUE, -q/--quiet, --no-charts, --max-memory SIZE,\n"
    "  -h/--help: as run\n";

const char usage_calibrate[] =
    "usage: pilotsim calibrate SCENARIO --targets FILE [options]\n"
    "\n"
    "Evaluate SCENARIO against the published figures of a targets file\n"
    "(docs/calibration.md): every target, fit and check, measured in each of R\n"
    "replications (the same seeds every time) as a mean with its 95% interval.\n"
    "Writes DIR/calibrate.json (observed, model, tolerance, error in\n"
    "tolerances, within; the objective over the fit targets) and\n"
    "DIR/calibrate.md (the same as a table). A target beyond the scenario's\n"
    "horizon or scope is listed as not applicable (within: null).\n"
    "With --fit it first fits the keys to the fit targets (GSL's Nelder-Mead\n"
    "simplex, the same seeds for every candidate), says which keys the targets\n"
    "do not identify, and also writes DIR/calibrated.yaml (SCENARIO with the\n"
    "fitted keys: `pilotsim run` it), DIR/calibrate.csv (every evaluation) and\n"
    "DIR/charts/calibrate.png (the best point against the published figures).\n"
    "\n"
    "  --targets FILE       the targets file (required), e.g.\n"
    "                       tests/validation/targets.yaml\n"
    "  --fit KEY=LO:HI      fit KEY (any key --set takes) within [LO, HI];\n"
    "                       repeatable, at most 8 keys\n"
    "  --max-evaluations N  at most N evaluations of R replications for the fit\n"
    "                       (default 100)\n"
    "  -o, --output DIR     output directory (default out/<scenario>-calibrate)\n"
    "  --replications R     replications (default 10)\n"
    "  -j, --jobs J         worker processes (default: one per core)\n"
    "  --seed N, --set KEY=VALUE, -q/--quiet, --no-charts, --max-memory SIZE,\n"
    "  -h/--help: as run\n";

const char usage_loadtest[] =
    "usage: pilotsim loadtest SCENARIO [options]\n"
    "\n"
    "Drive SCENARIO's operators and ledger at full scale with an open-loop\n"
    "arrival process following a load profile; write DIR/loadtest.csv,\n"
    "DIR/loadtest_resources.csv, DIR/summary.json and DIR/charts/loadtest-*.\n"
    "Rates in payments/s; durations with a unit (30s, 10m) or in seconds.\n"
    "\n"
    "  --profile P          ramp:FROM:TO:DURATION | step:FROM:TO:STEPS:HOLD |\n"
    "                       spike:BASE:PEAK:AT:LENGTH[:DURATION] | soak:RATE:DURATION\n"
    "                       (default: ramp from 10% to 150% of the nominal capacity\n"
    "                       over 10m)\n"
    "  --interval D         reporting interval (default 10s; steps for step;\n"
    "                       <= 100y, at most 10000 intervals)\n"
    "  --warmup D           warm-up at the first rate, not judged (default 30s;\n"
    "                       <= 100y)\n"
    "  --slo SPEC           e.g. 'p99<500ms,failed<0.1%': judged per step; exit 3\n"
    "                       when a step fails\n"
    "  --retries M:B:J      retries 0-10, first back-off (at most 100y), jitter 0-1\n"
    "                       (default 2:1s:1)\n"
    "  --fault R:FROM:LEN[:CAP]  resource R (an operator id or ledger) at capacity\n"
    "                       CAP (default 0, down) from FROM for LEN (repeatable,\n"
    "                       added to the scenario's outages)\n"
    "  --replications R     replications, merged; percentiles get 95% intervals\n"
    "  --find-capacity      bisect for the highest rate at which the SLO holds\n"
    "  --capacity-range LO:HI  its bracket (default: the profile's rates)\n"
    "  --capacity-duration D   each probe's soak (default 60s, at least 1s)\n"
    "  -o, --output DIR     output directory (default out/<scenario>-loadtest)\n"
    "  --seed N, --set KEY=VALUE, -q/--quiet, --no-charts, --max-memory SIZE,\n"
    "  -h/--help: as run\n"
    "\n"
    "exit status: 0 done, 1 runtime failure, 2 bad input, 3 an SLO failed (with\n"
    "--find-capacity: even the lowest rate failed).\n";

const char usage_check[] =
    "usage: pilotsim check SCENARIO [--set KEY=VALUE]...\n"
    "\n"
    "Validate SCENARIO (every error as file:line:column) and print a summary.\n"
    "Exit status 0 when valid, 2 when not.\n";

const char usage_plot[] = "usage: pilotsim plot DIR\n"
                          "\n"
                          "Redraw DIR/charts/ from DIR/timeseries.csv and DIR/scenario.yaml of a\n"
                          "finished run.\n";

const char usage_bench[] =
    "usage: pilotsim bench phold [options]\n"
    "\n"
    "PHOLD (Fujimoto 1990) on pilotsim's event engine; prints one JSON object.\n"
    "\n"
    "  --lps N          logical processes (default 1024)\n"
    "  --population M   initial events per LP (default 16)\n"
    "  --remote P       probability of sending to a random LP (default 0.25)\n"
    "  --lookahead L    minimum time increment (default 0.1)\n"
    "  --mean X         mean time increment (default 1.0)\n"
    "  --end T          simulated end time (default 1000)\n"
    "  --seed S         random seed (default 1)\n"
    "  --max-memory SIZE  as run\n";

int usage_error(const char *cmd, const char *fmt, const char *arg)
{
    fprintf(stderr, "pilotsim%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (see pilotsim %s%s--help)\n", cmd ? cmd : "", cmd ? " " : "");
    return EXITCODE_USAGE;
}
