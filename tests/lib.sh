# lib.sh: TAP helpers for the end-to-end tests. Source it; then checks via
# `check` and `status`, and `done_testing` at the end, which prints the plan.
# A script that exits before done_testing (an `exit`, a failed `cd`, a
# crash of the shell) fails: the EXIT trap adds a "not ok" and the plan,
# so prove never takes a test cut short for a passing one. `skip_all`
# skips the whole script, for a missing tool, never a missing fixture.
# $PILOTSIM is the binary under test (make test sets it).
set -u
: "${PILOTSIM:=build/pilotsim}"
cd "$(dirname "$0")/../.." || exit 1
T=0
FAILED=0
DONE=0
TMP=$(mktemp -d)
trap 'lib_exit' EXIT

lib_exit() {
  rc=$?
  rm -rf "$TMP"
  if [ "$DONE" = 0 ]; then
    T=$((T + 1))
    echo "not ok $T - the script exited (status $rc) before done_testing"
    echo "1..$T"
    exit 1
  fi
}

# check MESSAGE COMMAND...: ok when the command succeeds.
check() {
  msg=$1; shift
  T=$((T + 1))
  if "$@" >/dev/null 2>&1; then
    echo "ok $T - $msg"
  else
    echo "not ok $T - $msg"
    FAILED=$((FAILED + 1))
  fi
}

# status WANT MESSAGE COMMAND...: ok when the command exits with WANT.
status() {
  want=$1 msg=$2; shift 2
  "$@" >"$TMP/out" 2>"$TMP/err"
  got=$?
  T=$((T + 1))
  if [ "$got" = "$want" ]; then
    echo "ok $T - $msg"
  else
    echo "not ok $T - $msg (exit $got, want $want)"
    sed 's/^/#   /' "$TMP/err" | head -5
    FAILED=$((FAILED + 1))
  fi
}

# summary.json without its `run` section, canonical: what must be identical
# between two runs of the same seed.
summary_core() {
  perl -MJSON::PP -e 'local $/; my $j = decode_json(<>); delete $j->{run};
    print JSON::PP->new->canonical->encode($j)' "$1"
}

# json_get FILE PERL-EXPR: print a value, e.g. json_get f '$j->{money}{issued_fen}'
json_get() {
  perl -MJSON::PP -e 'open my $f, "<", $ARGV[0] or die; local $/; my $j = decode_json(<$f>);
    my $v = eval $ARGV[1]; print defined $v ? $v : ""' "$1" "$2"
}

done_testing() {
  DONE=1
  echo "1..$T"
  [ "$FAILED" = 0 ]
}

# skip_all REASON: skip the whole script (TAP "1..0 # SKIP").
skip_all() {
  DONE=1
  echo "1..0 # SKIP $1"
  exit 0
}

# report_pdf_check DIR [MIN_FIGURES]: one check that DIR/report.html reads
# in a real browser. Headless Chromium prints it to PDF (A4, the page's
# own print CSS) and the check fails, with the reasons as # lines, when:
# the browser fails or times out, logs anything to the page's console (a
# script error, a blocked fetch: lines with CONSOLE), the page holds a
# <script> or an image that is not a data: URI; page 1 lacks the answer
# (the first <p class="answer">, whole) or the title; the appendix's first
# heading is not at the top of page 2 (so the memo page printed on one page;
# a page without an appendix must print on one page); a figure caption of
# the HTML is not in the PDF; fewer than MIN_FIGURES (default 0) charts are
# embedded. Other kinds' tests call it on their own directories.
report_pdf_check() {
  rpc_dir=$1 rpc_min=${2:-0}
  T=$((T + 1))
  rpc_why=$(report_pdf_problems "$rpc_dir" "$rpc_min" 2>&1)
  if [ -z "$rpc_why" ]; then
    echo "ok $T - $rpc_dir/report.html prints to PDF in Chromium, memo page first"
  else
    echo "not ok $T - $rpc_dir/report.html prints to PDF in Chromium, memo page first"
    printf '%s\n' "$rpc_why" | sed 's/^/#   /' | head -20
    FAILED=$((FAILED + 1))
  fi
}

# report_pdf_problems DIR MIN_FIGURES: print what is wrong (nothing when
# all is well); report_pdf_check's work. The PDF and page texts are left
# in $TMP/report-pdf.N/ for a failing test to inspect.
report_pdf_problems() {
  rpc_html=$1/report.html
  [ -s "$rpc_html" ] || { echo "no $html"; return; }
  command -v chromium >/dev/null || { echo "chromium is not installed (make test-deps)"; return; }
  command -v pdftotext >/dev/null || { echo "pdftotext is not installed (poppler-utils)"; return; }
  rpc_w=$(mktemp -d "$TMP/report-pdf.XXXXXX")
  # A profile of its own: two browsers on one profile wait for each other.
  if ! timeout 120 chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
    --user-data-dir="$rpc_w/profile" --enable-logging=stderr --v=0 \
    --print-to-pdf="$rpc_w/report.pdf" "file://$(cd "$1" && pwd)/report.html" >"$rpc_w/log" 2>&1 ||
    [ ! -s "$rpc_w/report.pdf" ]; then
    echo "chromium did not print the page:"; tail -3 "$rpc_w/log"; return
  fi
  grep 'CONSOLE' "$rpc_w/log" | sed 's/^[^]]*\] //' | head -5
  rpc_pages=$(pdfinfo "$rpc_w/report.pdf" | awk '/^Pages:/ {print $2}')
  pdftotext -f 1 -l 1 "$rpc_w/report.pdf" "$rpc_w/page1.txt"
  pdftotext -f 2 -l 2 "$rpc_w/report.pdf" "$rpc_w/page2.txt" 2>/dev/null || : >"$rpc_w/page2.txt"
  pdftotext "$rpc_w/report.pdf" "$rpc_w/all.txt"
  # The HTML's parts, as plain text with whitespace collapsed, against the
  # PDF's text collapsed the same way.
  perl -e '
    my ($html, $min, $pages, $p1, $p2, $all) = @ARGV;
    sub slurp { open my $f, "<:raw", $_[0] or die "$_[0]: $!"; local $/; <$f> }
    # Hyphens are left out on both sides: pdftotext joins a word broken
    # at a hyphen ("e-" at a line end, "CNY" on the next) into "eCNY".
    sub plain { my $s = shift; $s =~ s/<[^>]*>//g;
      my %e = (amp => "&", lt => "<", gt => ">", quot => "\"", "#39" => "\x27");
      $s =~ s/&(amp|lt|gt|quot|#39);/$e{$1}/g; $s =~ s/-//g; $s =~ s/\s+/ /g; $s =~ s/^ | $//g; $s }
    sub flat { my $s = shift; $s =~ s/-\s*//g; $s =~ s/\s+/ /g; $s }
    my $h = slurp($html);
    my ($t1, $t2, $ta) = map { flat(slurp($_)) } $p1, $p2, $all;
    print "the page holds a script\n" if $h =~ /<script/i;
    for my $src ($h =~ /\bsrc="([^"]{0,40})/g) {
      print "an image not inline: $src\n" unless $src =~ /^data:image\//;
    }
    my ($title) = $h =~ /<h1>(.*?)<\/h1>/s;
    print "page 1 lacks the title\n" unless defined $title && index($t1, plain($title)) >= 0;
    my ($answer) = $h =~ /<p class="answer">(.*?)<\/p>/s;
    if (!defined $answer) { print "the page has no answer paragraph\n" }
    elsif (index($t1, plain($answer)) < 0) { print "page 1 lacks the answer: ", plain($answer), "\n" }
    if ($h =~ /<section class="appendix">\s*<h(\d)>(.*?)<\/h\1>/s) {
      my $a = plain($2);
      print "the appendix heading \"$a\" is on page 1\n" if index($t1, $a) >= 0;
      print "the appendix heading \"$a\" is not on page 2: the memo page takes more than one page\n"
        if index($t2, $a) < 0;
    } elsif ($h =~ /<section class="appendix">/) {
      print "the appendix does not open with a heading\n";
    } elsif ($pages != 1) {
      print "the memo page (no appendix) printed on $pages pages\n";
    }
    for my $c ($h =~ /<figcaption>(.*?)<\/figcaption>/sg) {
      print "caption not in the PDF: ", plain($c), "\n" if index($ta, plain($c)) < 0;
    }
    my $n = () = $h =~ /<figure>\s*<img /g;
    print "$n charts embedded, want at least $min\n" if $n < $min;
  ' "$rpc_html" "$2" "$rpc_pages" "$rpc_w/page1.txt" "$rpc_w/page2.txt" "$rpc_w/all.txt"
}
