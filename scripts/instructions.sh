#!/usr/bin/env bash
# Instructions per decision on the standard model, counted by cachegrind
# (deterministic, unlike wall time on a shared machine). Each mode of
# benches/instructions.rs runs with 1 and with 11 passes of 10,000
# decisions; the difference over 100,000 is one decision, the model's build
# cancelled out.
#
#   scripts/instructions.sh                 # random team admin effective
#   scripts/instructions.sh random team     # some modes
#   scripts/instructions.sh denied suspended effective_team  # the other
#                                           # single cases of benches/authorize.rs
#
# Needs valgrind. Record the figures in BENCHMARKS.md with the commit.
set -euo pipefail
cd "$(dirname "$0")/.."
modes=("$@")
[ ${#modes[@]} -gt 0 ] || modes=(random team admin effective)
bin=$(cargo bench --bench instructions --no-run 2>&1 |
    sed -n 's/.*Executable benches\/instructions.rs (\(.*\))/\1/p')
[ -x "$bin" ] || { echo "could not build benches/instructions.rs" >&2; exit 1; }
count() {
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
        "$bin" "$1" "$2" 2>&1 | sed -n 's/.*I *refs: *\([0-9,]*\).*/\1/p' | tr -d ,
}
for mode in "${modes[@]}"; do
    one=$(count "$mode" 1)
    eleven=$(count "$mode" 11)
    awk -v m="$mode" -v a="$one" -v b="$eleven" \
        'BEGIN { printf "%-10s %8.2f instructions per decision\n", m, (b - a) / 100000 }'
done
