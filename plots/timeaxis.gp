# timeaxis.gp: a time axis fit for print, loaded after common.gp by a chart
# whose x axis is timeseries.csv's `time` (a run's charts, compare's,
# calibrate's). It sets
#   x range   exactly the data's first to last time (no empty tail, so the
#             last tic label sits on the frame, not past it)
#   x tics    horizontal, never cut: month starts as "Apr" over "2020"
#             (every 1, 2, 3 or 6 months, at most about ten; years as
#             "2021" beyond five years) over a
#             long span; days ("12 Oct" over "2020") over weeks; hours
#             ("18:00" over "12 Oct") within three days
#   t0, t1    the range (gnuplot seconds), for markers.gp and the caller
#   xformat   the tic format (a panel without date labels sets "", then
#             this back)
#   ta_rows   the CSV's rows (when it read the CSV)
# Before loading it, set `csv` (a file whose first column is the time), or
# t0 and t1 themselves (a compare's plans: the first plan's range). Do not
# load it for a CSV without rows (stats fails on it: empty.gp draws those).
if (!exists("t0") || !exists("t1")) {
    unset xdata
    stats csv using (timecolumn(1, "%Y-%m-%dT%H:%M:%S")) nooutput
    t0 = STATS_min
    t1 = STATS_max
    ta_rows = STATS_records
    set xdata time
}
# One bucket (a run of one step): an hour either side, so the axis has a span.
if (t1 <= t0) { t0 = t0 - 3600; t1 = t1 + 3600 }
set xrange [t0:t1]
set xtics norotate nomirror
ta_span = t1 - t0
ta_day = 86400.0
if (ta_span > 120 * ta_day) {
    # Month starts: tm_year/tm_mon give the month of t0; step months so that
    # about ten tics fit.
    ta_months = int(ta_span / (30.44 * ta_day)) + 1
    ta_step = ta_months <= 10 ? 1 : ta_months <= 20 ? 2 : ta_months <= 30 ? 3 \
              : ta_months <= 60 ? 6 : 12 * (int(ta_months / 120) + 1)
    set xtics ()
    xformat = ta_step >= 12 ? "%Y" : "%b\n%Y"
    ta_y = int(tm_year(t0))
    ta_m = int(tm_mon(t0))
    # The first month start on or after t0, on a multiple of the step
    # (January, April, July, October for 3).
    do for [ta_k = 0:ta_months + 12] {
        ta_mm = ta_m + ta_k
        ta_t = strptime("%Y-%m-%d", sprintf("%d-%02d-01", ta_y + int(ta_mm / 12), ta_mm % 12 + 1))
        if (ta_t >= t0 && ta_t <= t1 && (ta_mm % 12) % ta_step == 0) {
            set xtics add (ta_t)
        }
    }
} else {
    set xtics autofreq
    if (ta_span > 3 * ta_day) {
        xformat = "%d %b\n%Y"
    } else {
        xformat = "%H:%M\n%d %b"
    }
}
set format x xformat

