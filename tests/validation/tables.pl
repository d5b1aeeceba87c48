# tables.pl: the tables of docs/validation.md (tests/validation/report.sh).
# Perl with JSON::PP, core Perl: build-essential installs it (dpkg-dev
# depends on perl), as the end-to-end tests' lib.sh already relies on.
#
#   perl tables.pl closed BLOCK ROWS.tsv
#     the rows of one block of the closed-form checks (test_row in
#     tests/test.h: block, what, closed form, measured, gap, tolerance,
#     yes/no) as a Markdown table; then a line "N M" (rows, misses) on
#     stderr for the summary.
#   perl tables.pl targets CALIBRATE.json POINTS.tsv [in-scope]
#     `pilotsim calibrate`'s targets as a Markdown table (every target, or
#     with `in-scope` only those the scenario measures; no table when none
#     is left), and for the chart
#     POINTS.tsv: index, id, error, interval in tolerances (cut to +-5),
#     role, within, and the error as text when it was cut.
#     Then on stderr one line per target: role, within (yes, no, -), id,
#     error, so that report.sh can count and list the misses.
#
# Numbers are printed with printf only: the same bytes on every run.
use strict;
use warnings;
use JSON::PP;

# A figure for a reader: thousands separated above 1000, else 5 digits.
sub fig {
    my ($x) = @_;
    return "n/a" if !defined $x || $x eq "" || $x =~ /nan/i;
    if (abs($x) >= 1000) {
        my $s = sprintf("%.0f", $x);
        1 while $s =~ s/^(-?\d+)(\d{3})/$1,$2/;
        return $s;
    }
    return sprintf("%.5g", $x);
}

# An error in tolerances: two decimals, or three digits when it is huge.
sub err { my ($e) = @_; return abs($e) < 1000 ? sprintf("%+.2f", $e) : sprintf("%+.3g", $e) }

# The chart's range of errors: beyond it a point is drawn at the edge.
my $CLIP = 5;
sub clip { my ($x) = @_; return $x > $CLIP ? $CLIP : $x < -$CLIP ? -$CLIP : $x }

sub closed {
    my ($block, $file) = @_;
    open(my $in, "<", $file) or die "tables.pl: $file: $!\n";
    my ($n, $miss) = (0, 0);
    print "| check | closed form | model | gap | tolerance | within |\n";
    print "|---|---:|---:|---:|---:|---|\n";
    while (my $line = <$in>) {
        chomp $line;
        my ($b, $what, $cf, $got, $gap, $tol, $ok) = split /\t/, $line;
        next unless defined $ok && $b eq $block;
        $n++;
        $miss++ if $ok ne "yes";
        printf "| %s | %s | %s | %s | %s | %s |\n", $what, $cf, $got, $gap, $tol,
            $ok eq "yes" ? "yes" : "**no**";
    }
    print STDERR "$n $miss\n";
}

# A target's tolerance in its own unit: calibrate.json's tolerance_value,
# else from the text ("10%" of the value, "2 points" 0.02).
sub tolerance_units {
    my ($t) = @_;
    return $t->{tolerance_value} if defined num($t->{tolerance_value});
    my $tol = $t->{tolerance} // "";
    return $1 / 100 * abs($t->{observed}) if $tol =~ /^\s*([0-9.eE+-]+)\s*%\s*$/;
    return $1 / 100 if $tol =~ /^\s*([0-9.eE+-]+)\s*points?\s*$/;
    return undef;
}

sub num { my ($x) = @_; return defined $x && !ref $x && $x =~ /^-?[0-9.eE+-]+$/ ? $x : undef }

sub targets {
    my ($file, $points, $scope_only) = @_;
    open(my $in, "<", $file) or die "tables.pl: $file: $!\n";
    local $/;
    my $j = decode_json(<$in>);
    open(my $pts, ">", $points) or die "tables.pl: $points: $!\n";
    my $i = 0;
    my $head = "| target | role | observed | model mean | 95% interval | tolerance | error | within |\n"
        . "|---|---|---:|---:|---|---|---:|---|\n";
    for my $t (@{$j->{targets}}) {
        my $within = $t->{within};
        my $measured = defined $within;
        next if $scope_only && !$measured;
        my $m = $t->{model} // {};
        my $tol = ref $t->{tolerance} ? "" : ($t->{tolerance} // "");
        my $unit = defined $t->{unit} && !ref $t->{unit} ? " $t->{unit}" : "";
        my $ok = !$measured ? "-" : $within ? "yes" : "no";
        my ($mean, $lo, $hi, $err) = map { num($_) } $m->{mean}, $m->{ci_lo}, $m->{ci_hi},
            $t->{error};
        my $why = $t->{not_applicable} // "out of the scenario's scope or horizon";
        print $head;
        $head = "";
        printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $t->{id}, $t->{role},
            fig($t->{observed}) . $unit, $measured ? fig($mean) . $unit : "not measured",
            $measured && defined $lo ? fig($lo) . " to " . fig($hi) : "",
            $tol, $measured && defined $err ? err($err) : "",
            $ok eq "yes" ? "yes" : $ok eq "no" ? "**no**" : "n/a: $why";
        print STDERR join("\t", $t->{role}, $ok, $t->{id},
            defined $err ? err($err) : ""), "\n";
        my $u = tolerance_units($t);
        next unless $measured && defined $err && defined $lo && $u;
        $i++;
        my ($elo, $ehi) = (($lo - $t->{observed}) / $u, ($hi - $t->{observed}) / $u);
        printf $pts "%d\t%s\t%.6g\t%.6g\t%.6g\t%s\t%s\t%s\n", $i, $t->{id}, clip($err),
            clip($elo), clip($ehi), $t->{role}, $ok, abs($err) > $CLIP ? err($err) : "";
    }
    close($pts) or die "tables.pl: $points: $!\n";
}

my $mode = shift @ARGV // "";
if ($mode eq "closed" && @ARGV == 2) {
    closed(@ARGV);
} elsif ($mode eq "targets" && (@ARGV == 2 || @ARGV == 3)) {
    targets($ARGV[0], $ARGV[1], ($ARGV[2] // "") eq "in-scope");
} else {
    die "usage: tables.pl closed BLOCK ROWS.tsv | targets CALIBRATE.json POINTS.tsv [in-scope]\n";
}
