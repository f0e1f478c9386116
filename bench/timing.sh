# Shared by the lab benchmarks (service_lab.sh, audit_lab.sh): wall-clock
# timing and medians. Source it; it defines functions only.
log() { echo "  $*" >&2; }
now() { date +%s.%N; }
# elapsed START END: seconds between two `now` readings, two decimals.
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b - a}'; }
# median: of the numbers on standard input (two decimals when averaged), "n/a" for none.
median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "n/a"; else if (NR%2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}'; }
