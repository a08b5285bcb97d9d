#!/usr/bin/env python3
"""Print the median of every criterion benchmark measured so far.

Usage: cargo bench --bench authorize && python3 scripts/medians.py [filter]

Criterion's console line shows a confidence interval around the mean; our
BENCHMARKS.md records medians, which it keeps in
target/criterion/<group>/<id>/new/estimates.json.
"""
import json
import pathlib
import sys

root = pathlib.Path(__file__).resolve().parent.parent / "target" / "criterion"
wanted = sys.argv[1] if len(sys.argv) > 1 else ""
for estimates in sorted(root.glob("**/new/estimates.json")):
    bench = estimates.parent.parent.relative_to(root).as_posix()
    if wanted not in bench:
        continue
    median_ns = json.loads(estimates.read_text())["median"]["point_estimate"]
    benchmark = json.loads((estimates.parent / "benchmark.json").read_text())
    throughput = benchmark.get("throughput") or {}
    elements = throughput.get("Elements")
    line = f"{bench:40} median {median_ns:12.2f} ns"
    if elements:
        per = median_ns / elements
        line += f"  = {per:.2f} ns per element, {1e3 / per:.1f} M elements/s"
    print(line)
