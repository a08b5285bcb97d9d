#!/usr/bin/env python3
"""Prints the side-by-side benchmark medians and their ratios as a Markdown table.

Run after `cargo bench --manifest-path compare/Cargo.toml`:

    python3 compare/ratios.py [CRITERION_DIR]

CRITERION_DIR defaults to compare/target/criterion (or $CARGO_TARGET_DIR/criterion
when that is set). Reads each benchmark's `new/benchmark.json` (its id) and
`new/estimates.json` (its median), so only the latest run counts. Each engine
is timed minutes after the others: for ratios measured by alternation, run
`cargo bench --manifest-path compare/Cargo.toml --bench alternating`.
"""

import json
import os
import sys
from pathlib import Path

GROUP = "side_by_side"
CASES = [
    "allowed_team_folder",
    "denied_no_relation",
    "org_admin",
    "suspended",
    "batch_10k_random",
]
# (benchmark function id, column header, ratio column header)
ENGINES = [
    ("clearance", "clearance", None),
    ("cedar", "cedar-policy (policy per grant)", "cedar/clearance"),
    ("cedar_attributes", "cedar-policy (grants in entities)", "cedar_attributes/clearance"),
    ("cedar_fixed_paths", "cedar-policy (fixed paths, flows only)", "cedar_fixed_paths/clearance"),
    ("casbin", "casbin", "casbin/clearance"),
]


def criterion_dir() -> Path:
    if len(sys.argv) > 1:
        return Path(sys.argv[1])
    target = os.environ.get("CARGO_TARGET_DIR")
    if target:
        return Path(target) / "criterion"
    return Path(__file__).resolve().parent / "target" / "criterion"


def medians(root: Path) -> dict:
    """{(case, engine): median in nanoseconds} for every side-by-side benchmark."""
    found = {}
    for benchmark in root.glob("**/new/benchmark.json"):
        meta = json.loads(benchmark.read_text())
        group = meta.get("group_id", "")
        if not group.startswith(GROUP + "/"):
            continue
        case = group[len(GROUP) + 1 :]
        estimates = json.loads((benchmark.parent / "estimates.json").read_text())
        found[(case, meta.get("function_id"))] = estimates["median"]["point_estimate"]
    return found


def duration(ns: float) -> str:
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def ratio(slow, fast) -> str:
    if slow is None or fast is None or fast == 0:
        return "–"
    return f"{slow / fast:,.0f}×"


def main() -> int:
    root = criterion_dir()
    found = medians(root)
    if not found:
        print(f"no {GROUP} results under {root}: run "
              "`cargo bench --manifest-path compare/Cargo.toml` first", file=sys.stderr)
        return 1
    header = ["case"] + [label for _, label, _ in ENGINES]
    header += [ratio_label for _, _, ratio_label in ENGINES if ratio_label]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for case in CASES:
        times = {engine: found.get((case, engine)) for engine, _, _ in ENGINES}
        cells = [f"`{case}`"]
        cells += [duration(times[engine]) if times[engine] is not None else "–" for engine, _, _ in ENGINES]
        cells += [
            ratio(times[engine], times["clearance"]) for engine, _, ratio_label in ENGINES if ratio_label
        ]
        print("| " + " | ".join(cells) + " |")
    print()
    print("Medians per call; `batch_10k_random` is one pass over 10,000 requests "
          "(divide by 10,000 for one request).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
