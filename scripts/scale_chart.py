#!/usr/bin/env python3
"""Draw docs/scale.svg from the criterion output of benches/scale.rs, and
print Markdown tables for BENCHMARKS.md.

Usage:
    cargo bench --bench scale            # about 15 minutes, a few GB
    python3 scripts/scale_chart.py [--criterion DIR] [--memory FILE] [--out PATH]

Reads target/criterion/<group>/<function>/<parameter>/new/{estimates,benchmark}.json
(the median, divided by the benchmark's Elements throughput: ns per decision,
per change, or per call) and target/scale-memory.json (written by the bench's
memory step). Draws one standalone SVG of six small log-x panels, and prints
one Markdown table per group plus the memory and two-thread lines to stdout.
Missing data is skipped and reported on stderr. Python 3.11, stdlib only;
the same input always gives a byte-identical SVG.
"""

from __future__ import annotations

import argparse
import json
import math
import pathlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape

REPO = pathlib.Path(__file__).resolve().parent.parent

# Groups of benches/scale.rs: (group, parameter name, expected parameters,
# functions in table order).
GROUPS = [
    ("scale_users", "users", [1_000, 10_000, 100_000, 1_000_000],
     ["authorize", "authorize_cold", "accessible", "apply_grant_and_revoke", "build"]),
    ("scale_grants", "grants (1,000,000 users)", [1_000_000, 3_000_000, 10_000_000],
     ["authorize"]),
    ("scale_depth", "folder depth", [1, 4, 16, 64], ["authorize", "accessible"]),
    ("scale_teams", "teams per user", [1, 4, 16, 64], ["authorize", "accessible"]),
    ("scale_tenants", "tenants", [1, 10, 100, 1_000, 10_000], ["authorize", "accessible"]),
    ("scale_threads", "threads", [1, 2], ["authorize"]),
]

# What one element of a function's throughput is.
ELEMENT = {
    "authorize": ("decision", "decisions"),
    "authorize_cold": ("decision", "decisions"),
    "apply_grant_and_revoke": ("change", "changes"),
    "accessible": ("call", "calls"),
    "build": ("build", "builds"),
}

# Per decision at 1,000,000 users, on the standard benchmark's 10,000 random
# requests (DESIGN.md section 5); the cold run is reported against it too.
TARGET_AUTHORIZE_NS = 150.0
TARGET_BUILD_NS = 3e9  # build at 1,000,000 users
# Per user with 3 memberships, besides the text of its name (the host's
# choice: 13 bytes here, 36 for a UUID); the full figure is printed as well.
TARGET_BYTES_PER_USER = 64.0
TARGET_BYTES_PER_GRANT = 24.0
TARGET_THREAD_SCALING = 1.8


def warn(message: str) -> None:
    print(f"scale_chart: {message}", file=sys.stderr)


# ---------------------------------------------------------------- data


@dataclass
class Point:
    parameter: float
    median_ns: float
    elements: int

    @property
    def per_element(self) -> float:
        return self.median_ns / self.elements


def number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and value > 0 else None


def load_criterion(root: pathlib.Path) -> dict[tuple[str, str], dict[float, Point]]:
    """(group, function) -> parameter -> point, for the groups of GROUPS."""
    data: dict[tuple[str, str], dict[float, Point]] = {}
    if not root.is_dir():
        warn(f"no criterion directory {root}")
        return data
    for group, *_ in GROUPS:
        for estimates in sorted((root / group).glob("*/*/new/estimates.json")):
            where = estimates.parent.parent.relative_to(root).as_posix()
            try:
                median = float(json.loads(estimates.read_text())["median"]["point_estimate"])
                meta_path = estimates.parent / "benchmark.json"
                meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
            except (OSError, ValueError, KeyError, TypeError) as error:
                warn(f"skipping {where}: {error}")
                continue
            function = str(meta.get("function_id") or estimates.parent.parent.parent.name)
            parameter = number(str(meta.get("value_str") or estimates.parent.parent.name))
            if parameter is None or not (median > 0 and math.isfinite(median)):
                warn(f"skipping {where}: no numeric parameter or median")
                continue
            throughput = meta.get("throughput") or {}
            elements = throughput.get("Elements") if isinstance(throughput, dict) else None
            if not isinstance(elements, int) or elements <= 0:
                if function in ("authorize", "authorize_cold", "apply_grant_and_revoke"):
                    warn(f"{where} has no Elements throughput: its whole median is one element")
                elements = 1
            data.setdefault((group, function), {})[parameter] = Point(parameter, median, elements)
    for group, _, expected, functions in GROUPS:
        for function in functions:
            have = data.get((group, function), {})
            missing = [p for p in expected if p not in have]
            if len(missing) == len(expected):
                warn(f"no data for {group}/{function}")
            elif missing:
                warn(f"no data for {group}/{function}/" + ",".join(str(p) for p in missing))
    return data


def load_memory(path: pathlib.Path) -> dict[str, float]:
    try:
        raw = json.loads(path.read_text())
    except FileNotFoundError:
        warn(f"no memory figures ({path} is missing; run `cargo bench --bench scale -- scale_memory`)")
        return {}
    except (OSError, ValueError) as error:
        warn(f"skipping {path}: {error}")
        return {}
    if not isinstance(raw, dict):
        warn(f"skipping {path}: not a JSON object")
        return {}
    return {k: float(v) for k, v in raw.items()
            if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)}


def thread_scaling(data) -> float | None:
    points = data.get(("scale_threads", "authorize"), {})
    if 1 not in points or 2 not in points:
        return None
    one, two = points[1], points[2]
    return (two.elements / two.median_ns) / (one.elements / one.median_ns)


# ---------------------------------------------------------------- formats


def fmt_time(ns: float) -> str:
    """3 significant digits in ns, µs, ms or s."""
    rounded = float(f"{ns:.3g}")
    for scale, unit in ((1e9, "s"), (1e6, "ms"), (1e3, "µs")):
        if rounded >= scale:
            return f"{rounded / scale:.3g} {unit}"
    return f"{rounded:.3g} ns"


def fmt_count(value: float) -> str:
    """1k, 10k, 1M, 3M, 64: for axis ticks."""
    for scale, unit in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= scale:
            return f"{value / scale:.3g}{unit}"
    return f"{value:.3g}"


def fmt_int(value: float) -> str:
    return f"{value:,.0f}"


def fmt_plain(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def fmt_rate(per_second: float) -> str:
    rounded = float(f"{per_second:.3g}")
    for scale, unit in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if rounded >= scale:
            return f"{rounded / scale:.3g} {unit} "
    return f"{rounded:.3g} "


def verdict(value: float, target: float, at_most: bool = True) -> str:
    return "met" if (value <= target if at_most else value >= target) else "missed"


# ---------------------------------------------------------------- markdown


def markdown(data, memory: dict[str, float]) -> str:
    lines: list[str] = []
    for group, parameter_name, _, functions in GROUPS:
        present = [f for f in functions if data.get((group, f))]
        present += sorted(f for (g, f) in data if g == group and f not in functions)
        if not present:
            continue
        lines += [f"#### `{group}`", "",
                  f"| function | {parameter_name} | median per element | throughput |",
                  "|---|---:|---:|---:|"]
        for function in present:
            one, many = ELEMENT.get(function, ("element", "elements"))
            for parameter, point in sorted(data[(group, function)].items()):
                per = point.per_element
                lines.append(
                    f"| `{function}` | {fmt_int(parameter)} | {fmt_time(per)} per {one} "
                    f"| {fmt_rate(1e9 / per)}{many}/s |")
        lines.append("")
    targets = []
    top = data.get(("scale_users", "authorize"), {}).get(1_000_000)
    if top:
        targets.append(f"`authorize` at 1,000,000 users (10,000 random requests, the standard "
                       f"benchmark's method): {fmt_time(top.per_element)} per decision "
                       f"(target ≤ 150 ns, {verdict(top.per_element, TARGET_AUTHORIZE_NS)})")
    cold = data.get(("scale_users", "authorize_cold"), {}).get(1_000_000)
    if cold:
        over = "under" if cold.per_element <= TARGET_AUTHORIZE_NS else "over"
        targets.append(f"`authorize_cold` at 1,000,000 users (1,000,000 distinct random "
                       f"requests, a stricter reading): {fmt_time(cold.per_element)} per "
                       f"decision ({over} 150 ns)")
    top = data.get(("scale_users", "build"), {}).get(1_000_000)
    if top:
        targets.append(f"`build` at 1,000,000 users: {fmt_time(top.per_element)} "
                       f"(target ≤ 3 s, {verdict(top.per_element, TARGET_BUILD_NS)})")
    if targets:
        lines += ["Targets: " + "; ".join(targets) + ".", ""]
    if memory:
        parts = []
        if "bytes_per_user" in memory:
            value = memory["bytes_per_user"]
            name = memory.get("name_bytes", 0.0)
            parts.append(f"{value - name:.1f} bytes per user besides its name's text "
                         f"(3 memberships; target ≤ 64, "
                         f"{verdict(value - name, TARGET_BYTES_PER_USER)}), {value:.1f} with "
                         f"a {name:.0f}-byte name")
        if "bytes_per_grant" in memory:
            value = memory["bytes_per_grant"]
            parts.append(f"{value:.1f} bytes per grant (target ≤ 24, "
                         f"{verdict(value, TARGET_BYTES_PER_GRANT)})")
        heap = memory.get("heap_bytes_1m_users_10m_grants")
        if heap is not None:
            resident = memory.get("resident_bytes")
            parts.append(f"1,000,000 users and 10,000,000 grants: {heap / 1e6:,.0f} MB of heap"
                         + (f", {resident / 1e6:,.0f} MB resident" if resident else ""))
        if parts:
            lines += ["Memory: " + "; ".join(parts) + ".", ""]
    scaling = thread_scaling(data)
    if scaling is not None:
        lines += [f"Two threads sharing one `Policy` (1,000,000 users, 10,000,000 grants): "
                  f"{scaling:.2f}× the decisions per second of one thread "
                  f"(target ≥ 1.8×, {verdict(scaling, TARGET_THREAD_SCALING, at_most=False)}).", ""]
    if not lines:
        lines = ["No scale benchmark data found.", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------- svg

WIDTH, HEIGHT = 900, 600
COLUMNS, ROWS = 3, 2
TOP, BOTTOM = 46, 52  # title above the panels, footer below
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
COLORS = ["#1f6fb4", "#e0701b", "#2a8f3c"]
MARKERS = ["circle", "diamond", "square"]
TEXT, MUTED, GRID, TARGET = "#222222", "#666666", "#e6e6e6", "#c0392b"


@dataclass
class Series:
    name: str
    points: list[tuple[float, float]]


@dataclass
class Panel:
    title: str
    xlabel: str
    ylabel: str
    series: list[Series]
    ylog: bool = False
    ytick: Callable[[float], str] = fmt_plain
    point_label: Callable[[float], str] = fmt_plain
    target: tuple[float, str] | None = None
    # A second, smaller line under an x tick (or None).
    xtick2: Callable[[float], str | None] = lambda x: None


def f(value: float) -> str:
    """A coordinate: one decimal, no "-0.0", so output is stable."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def text_el(x, y, content, size=11, anchor="start", fill=TEXT, weight=None, extra="") -> str:
    attrs = f'x="{f(x)}" y="{f(y)}" font-size="{size}" fill="{fill}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if weight:
        attrs += f' font-weight="{weight}"'
    return f"<text {attrs}{extra}>{escape(content)}</text>"


HALO = ' stroke="#ffffff" stroke-width="3" paint-order="stroke"'


def text_width(text: str, size: float) -> float:
    """A generous estimate of a label's width in a sans-serif font."""
    return 0.6 * size * len(text)


def text_box(x: float, y: float, text: str, size: float, anchor: str):
    width = text_width(text, size)
    x1 = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return (x1, y - 0.75 * size, x1 + width, y + 0.2 * size)


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def marker(kind: str, x: float, y: float, color: str) -> str:
    if kind == "diamond":
        r = 4.2
        return (f'<path d="M{f(x)},{f(y - r)} L{f(x + r)},{f(y)} L{f(x)},{f(y + r)} '
                f'L{f(x - r)},{f(y)} Z" fill="{color}" stroke="#ffffff" stroke-width="1"/>')
    if kind == "square":
        r = 3.2
        return (f'<rect x="{f(x - r)}" y="{f(y - r)}" width="{f(2 * r)}" height="{f(2 * r)}" '
                f'fill="{color}" stroke="#ffffff" stroke-width="1"/>')
    return f'<circle cx="{f(x)}" cy="{f(y)}" r="3.5" fill="{color}" stroke="#ffffff" stroke-width="1"/>'


def nice_step(raw: float) -> float:
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * magnitude >= raw:
            return factor * magnitude
    return 10 * magnitude


def log_ticks(low: float, high: float) -> list[float]:
    """Decades in [low, high]; with 2 and 5 between when there are few."""
    ticks = [10.0 ** e for e in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)]
    inside = [t for t in ticks if low <= t <= high]
    for multiples in ((1, 2, 5), (1, 2, 3, 4, 5, 6, 7, 8, 9)):
        if len(inside) >= 3:
            break
        inside = [m * t for t in ticks for m in multiples if low <= m * t <= high]
    return inside


def draw_panel(panel: Panel, x0: float, y0: float, w: float, h: float) -> list[str]:
    out = ["<g>"]
    out.append(text_el(x0 + w / 2, y0 + 16, panel.title, size=12.5, anchor="middle", weight="600"))
    left, right, top, bottom = x0 + 58, x0 + w - 16, y0 + 28, y0 + h - 40
    series = [s for s in panel.series if s.points]
    if not series:
        out.append(f'<rect x="{f(left)}" y="{f(top)}" width="{f(right - left)}" '
                   f'height="{f(bottom - top)}" fill="#fafafa" stroke="{GRID}"/>')
        out.append(text_el((left + right) / 2, (top + bottom) / 2, "not measured", size=11,
                           anchor="middle", fill=MUTED))
        out.append("</g>")
        return out

    xs = sorted({x for s in series for x, _ in s.points})
    ys = [y for s in series for _, y in s.points]
    # x: log, padded so the outer points sit inside the frame.
    lx0, lx1 = math.log10(xs[0]), math.log10(xs[-1])
    if lx1 - lx0 < 1e-9:
        lx0, lx1 = lx0 - 0.5, lx1 + 0.5
    pad = (lx1 - lx0) * 0.08
    lx0, lx1 = lx0 - pad, lx1 + pad

    def px(x: float) -> float:
        return left + (math.log10(x) - lx0) / (lx1 - lx0) * (right - left)

    # y: log or linear from zero, with room for the target and labels.
    span = ys + ([panel.target[0]] if panel.target else [])
    if panel.ylog:
        ly0, ly1 = math.log10(min(span)), math.log10(max(span))
        if ly1 - ly0 < 0.3:
            middle = (ly0 + ly1) / 2
            ly0, ly1 = middle - 0.15, middle + 0.15
        pad = (ly1 - ly0) * 0.12
        ly0, ly1 = ly0 - pad, ly1 + pad * 1.6
        yticks = log_ticks(10 ** ly0, 10 ** ly1)

        def py(y: float) -> float:
            return bottom - (math.log10(y) - ly0) / (ly1 - ly0) * (bottom - top)
    else:
        step = nice_step(max(span) * 1.18 / 4)
        ymax = math.ceil(max(span) * 1.18 / step) * step
        yticks = [i * step for i in range(int(round(ymax / step)) + 1)]

        def py(y: float) -> float:
            return bottom - y / ymax * (bottom - top)

    # Frame, grid and ticks.
    out.append(f'<rect x="{f(left)}" y="{f(top)}" width="{f(right - left)}" '
               f'height="{f(bottom - top)}" fill="#ffffff" stroke="#bbbbbb"/>')
    for t in yticks:
        y = py(t)
        if t > 0 and top - 0.5 <= y <= bottom + 0.5:
            out.append(f'<line x1="{f(left)}" y1="{f(y)}" x2="{f(right)}" y2="{f(y)}" stroke="{GRID}"/>')
        out.append(text_el(left - 5, y + 3.5, panel.ytick(t), size=9.5, anchor="end", fill=MUTED))
    for t in xs:
        x = px(t)
        out.append(f'<line x1="{f(x)}" y1="{f(top)}" x2="{f(x)}" y2="{f(bottom)}" stroke="{GRID}"/>')
        out.append(f'<line x1="{f(x)}" y1="{f(bottom)}" x2="{f(x)}" y2="{f(bottom + 4)}" stroke="#999999"/>')
        out.append(text_el(x, bottom + 15, fmt_count(t), size=9.5, anchor="middle", fill=MUTED))
        second = panel.xtick2(t)
        if second:
            out.append(text_el(x, bottom + 25, second, size=8, anchor="middle", fill=COLORS[0]))
    shift = 8 if any(panel.xtick2(t) for t in xs) else 0
    out.append(text_el((left + right) / 2, bottom + 31 + shift, panel.xlabel + " (log scale)",
                       size=10.5, anchor="middle", fill=TEXT))
    cy = (top + bottom) / 2
    out.append(text_el(x0 + 13, cy, panel.ylabel, size=10.5, anchor="middle", fill=TEXT,
                       extra=f' transform="rotate(-90 {f(x0 + 13)} {f(cy)})"'))

    # Labels are placed where they overlap nothing placed before them:
    # the legend, the markers, the target's label, earlier value labels.
    occupied: list[tuple[float, float, float, float]] = []

    def place(candidates, text: str, size: float):
        """The first (x, y, anchor) whose box is free and inside the frame."""
        for x, y, anchor in candidates:
            box = text_box(x, y, text, size, anchor)
            inside = left < box[0] and box[2] < right and top < box[1] and box[3] < bottom
            if inside and not any(overlap(box, other) for other in occupied):
                break
        else:
            x, y, anchor = candidates[0]
        occupied.append(text_box(x, y, text, size, anchor))
        return x, y, anchor

    legend = []
    if len(panel.series) > 1:
        ly = top + 12
        for index, s in enumerate(panel.series):
            color, kind = COLORS[index % len(COLORS)], MARKERS[index % len(MARKERS)]
            name = s.name + ("" if s.points else " (not measured)")
            legend.append(marker(kind, left + 10, ly - 3.5, color))
            legend.append(text_el(left + 18, ly, name, size=9.5, fill=TEXT, extra=HALO))
            occupied.append((left + 4, ly - 9, left + 18 + text_width(name, 9.5), ly + 3))
            ly += 13
    for s in series:
        for x, y in s.points:
            occupied.append((px(x) - 5, py(y) - 5, px(x) + 5, py(y) + 5))

    # Target.
    if panel.target:
        value, label = panel.target
        y = py(value)
        out.append(f'<line x1="{f(left)}" y1="{f(y)}" x2="{f(right)}" y2="{f(y)}" '
                   f'stroke="{TARGET}" stroke-width="1.2" stroke-dasharray="5 4"/>')
        x, ty, anchor = place([(left + 4, y - 4, "start"), (right - 4, y - 4, "end"),
                               (left + 4, y + 12, "start"), (right - 4, y + 12, "end")], label, 9.5)
        out.append(text_el(x, ty, label, size=9.5, anchor=anchor, fill=TARGET, extra=HALO))

    # Series: lines, markers, value labels (first series above, second below,
    # or beside when that is taken).
    labels = []
    for index, s in enumerate(series):
        color, kind = COLORS[index % len(COLORS)], MARKERS[index % len(MARKERS)]
        points = sorted(s.points)
        if len(points) > 1:
            path = " ".join(f"{f(px(x))},{f(py(y))}" for x, y in points)
            out.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="1.8"/>')
        for x, y in points:
            out.append(marker(kind, px(x), py(y), color))
        for x, y in points:
            cx, cy, text = px(x), py(y), panel.point_label(y)
            anchor = "middle"
            if cx < left + 22:
                anchor, lx = "start", cx - 4
            elif cx > right - 22:
                anchor, lx = "end", cx + 4
            else:
                lx = cx
            above, below = (lx, cy - 7, anchor), (lx, cy + 15, anchor)
            vertical = [above, below] if index % 2 == 0 else [below, above]
            candidates = vertical + [(cx + 7, cy + 3, "start"), (cx - 7, cy + 3, "end"),
                                     (cx + 6, cy - 6, "start"), (cx - 6, cy - 6, "end"),
                                     (cx + 6, cy + 12, "start"), (cx - 6, cy + 12, "end")]
            lx, ly, anchor = place(candidates, text, 9)
            labels.append(text_el(lx, ly, text, size=9, anchor=anchor, fill=color, extra=HALO))
    out += labels + legend
    out.append("</g>")
    return out


def series_of(data, group: str, function: str, name: str, x=lambda p: p) -> Series:
    points = data.get((group, function), {})
    return Series(name, [(x(p), point.per_element) for p, point in sorted(points.items())])


def panels(data) -> list[Panel]:
    def authorize(group: str, title: str, xlabel: str) -> Panel:
        return Panel(title, xlabel, "ns per decision",
                     [series_of(data, group, "authorize", "authorize")])

    users_at = {10 * users for users in data.get(("scale_users", "authorize"), {})}

    return [
        Panel("authorize: users and grants", "grants in the model", "ns per decision",
              [series_of(data, "scale_users", "authorize", "users grow, 10 grants each",
                         x=lambda users: users * 10),
               series_of(data, "scale_grants", "authorize", "grants grow, 1M users"),
               series_of(data, "scale_users", "authorize_cold",
                         "users grow, 1M distinct requests (cold caches)",
                         x=lambda users: users * 10)],
              target=(TARGET_AUTHORIZE_NS, "target 150 ns at 1M users"),
              xtick2=lambda grants: f"{fmt_count(grants / 10)} users" if grants in users_at else None),
        authorize("scale_depth", "authorize: folder depth (100k users)", "folders, workspace to flow"),
        authorize("scale_teams", "authorize: teams per user (100k users)", "teams per user"),
        authorize("scale_tenants", "authorize: tenants (100k users)", "tenants"),
        Panel("build: users (10 grants each)", "users", "time per build",
              [series_of(data, "scale_users", "build", "build")],
              ylog=True, ytick=lambda v: fmt_time(v), point_label=fmt_time,
              target=(TARGET_BUILD_NS, "target 3 s at 1M users")),
        Panel("accessible and apply: users", "users", "time per call or change",
              [series_of(data, "scale_users", "accessible", "accessible, per call"),
               series_of(data, "scale_users", "apply_grant_and_revoke", "apply, per change")],
              ylog=True, ytick=lambda v: fmt_time(v), point_label=fmt_time),
    ]


def footer(data, memory: dict[str, float]) -> list[str]:
    lines = []
    parts = []
    if "bytes_per_user" in memory:
        value, name = memory["bytes_per_user"], memory.get("name_bytes", 0.0)
        parts.append(f"{value - name:.1f} bytes per user + its name's text (target ≤ 64)")
    if "bytes_per_grant" in memory:
        parts.append(f"{memory['bytes_per_grant']:.1f} bytes per grant (target ≤ 24)")
    if "heap_bytes_1m_users_10m_grants" in memory:
        parts.append(f"{memory['heap_bytes_1m_users_10m_grants'] / 1e6:,.0f} MB of heap "
                     "for 1M users and 10M grants")
    if parts:
        lines.append("Memory: " + "  ·  ".join(parts))
    scaling = thread_scaling(data)
    if scaling is not None:
        lines.append(f"Two threads sharing one Policy (1M users, 10M grants): {scaling:.2f}× "
                     "the decisions per second of one thread (target ≥ 1.8×)")
    return lines or ["Memory and two-thread figures not measured."]


def svg(data, memory: dict[str, float]) -> str:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FONT}">',
        "<title>clearance: cost as the model grows (benches/scale.rs)</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        text_el(WIDTH / 2, 24, "clearance: cost as the model grows", size=16, anchor="middle",
                weight="600"),
        text_el(WIDTH / 2, 40, "medians of benches/scale.rs; authorize = random requests, "
                "ns per decision; one axis grows at a time", size=10.5, anchor="middle",
                fill=MUTED),
    ]
    cell_w = WIDTH / COLUMNS
    cell_h = (HEIGHT - TOP - BOTTOM) / ROWS
    for index, panel in enumerate(panels(data)):
        row, column = divmod(index, COLUMNS)
        if not any(s.points for s in panel.series):
            warn(f"panel '{panel.title}' has no data")
        out += draw_panel(panel, column * cell_w, TOP + row * cell_h, cell_w, cell_h)
    out.append(f'<line x1="20" y1="{HEIGHT - BOTTOM + 12}" x2="{WIDTH - 20}" '
               f'y2="{HEIGHT - BOTTOM + 12}" stroke="{GRID}"/>')
    lines = footer(data, memory)
    for index, line in enumerate(lines):
        y = HEIGHT - 9 - 15 * (len(lines) - 1 - index)
        out.append(text_el(WIDTH / 2, y, line, size=11, anchor="middle"))
    out.append("</svg>")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--criterion", type=pathlib.Path, default=REPO / "target" / "criterion",
                        help="criterion output directory (default: target/criterion)")
    parser.add_argument("--memory", type=pathlib.Path, default=None,
                        help="memory figures (default: scale-memory.json beside the criterion directory)")
    parser.add_argument("--out", type=pathlib.Path, default=REPO / "docs" / "scale.svg",
                        help="SVG to write (default: docs/scale.svg)")
    args = parser.parse_args()
    memory_path = args.memory or args.criterion.parent / "scale-memory.json"

    data = load_criterion(args.criterion)
    memory = load_memory(memory_path)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="\n") as file:
        file.write(svg(data, memory))
    warn(f"wrote {args.out}")
    sys.stdout.write(markdown(data, memory))
    return 0


if __name__ == "__main__":
    sys.exit(main())
