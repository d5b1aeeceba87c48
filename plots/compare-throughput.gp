# compare-throughput.gp: e-CNY payments per second (bucket mean) per city,
# every plan with its 95% band, the panels on one scale (arguments:
# compare-common.gp).
dir = ARG1; out = ARG2; plans = ARG3; ids = ARG4; names = ARG5; labels = ARG6; notes = ARG7
markers = ARG8; provenance = ARG9
chart = "compare-throughput.gp"
what = "e-CNY payment throughput by city: plans compared"
col = "tps_mean"; scale = 1; logy = 0; ylab = "e-CNY payments per second"; yfmt = "%g"
here = ARG0[1:strlen(ARG0) - strlen(chart)]
load here . "compare-common.gp"
