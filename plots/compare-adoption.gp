# compare-adoption.gp: wallet adoption per city, every plan with its 95% band.
dir = ARG1; out = ARG2; title = ARG3; ids = ARG4; names = ARG5; labels = ARG6; notes = ARG7
chart = "compare-adoption.gp"
what = "Wallet adoption by city: plans compared"
col = "adoption"; scale = 100; logy = 0; ylab = "Population with a wallet (%)"
here = ARG0[1:strlen(ARG0) - strlen(chart)]
load here . "compare-common.gp"
