# compare-adoption.gp: wallet adoption per city in percent, every plan with
# its 95% band, the panels on one scale (arguments: compare-common.gp).
dir = ARG1; out = ARG2; plans = ARG3; ids = ARG4; names = ARG5; labels = ARG6; notes = ARG7
markers = ARG8; provenance = ARG9
chart = "compare-adoption.gp"
what = "Wallet adoption by city: plans compared"
col = "adoption"; scale = 100; logy = 0; ylab = "Population with a wallet"; yfmt = "%g%%"
here = ARG0[1:strlen(ARG0) - strlen(chart)]
load here . "compare-common.gp"
