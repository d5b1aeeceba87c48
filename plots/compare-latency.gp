# compare-latency.gp: 99th-percentile payment latency per city, every plan
# with its 95% band, on one log scale for every panel (arguments:
# compare-common.gp).
dir = ARG1; out = ARG2; plans = ARG3; ids = ARG4; names = ARG5; labels = ARG6; notes = ARG7
markers = ARG8; provenance = ARG9
chart = "compare-latency.gp"
what = "Payment latency p99 by city: plans compared"
col = "latency_p99_ms"; scale = 1; logy = 1; ylab = "End-to-end latency p99 (ms, log scale)"
yfmt = "%g"
here = ARG0[1:strlen(ARG0) - strlen(chart)]
load here . "compare-common.gp"
