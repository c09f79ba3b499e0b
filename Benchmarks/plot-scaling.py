#!/usr/bin/env python3
"""Draws the scaling study (results/scaling.tsv) as an SVG of three log-log panels, without libraries.

   plot-scaling.py results/scaling.tsv scaling.svg
"""
import math
import sys
from collections import defaultdict

rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
series = defaultdict(lambda: defaultdict(list))  # sweep -> measure -> [(x, seconds)]
for sweep, x, measure, seconds, *_ in rows[1:]:
    series[sweep][measure].append((int(x), float(seconds)))

panels = [("statements", "statements per policy"), ("keys", "condition keys in one statement (policy of 10)"), ("audit", "policies per audit (2 jobs)")]
colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"]
width, height, margin = 380, 300, 55
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width * len(panels)}" height="{height + 40}" font-family="sans-serif" font-size="11">',
       f'<rect width="100%" height="100%" fill="white"/>']
for index, (sweep, title) in enumerate(panels):
    measures = series.get(sweep, {})
    points = [p for values in measures.values() for p in values]
    if not points:
        continue
    left = index * width + margin
    top, bottom, right = 30, height - margin + 30, index * width + width - 15
    xs = [max(p[0], 0) + 1 for p in points] if sweep == "keys" else [p[0] for p in points]
    ys = [max(p[1], 1e-6) for p in points]
    x0, x1 = math.log10(min(xs)), math.log10(max(xs))
    y0, y1 = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))
    def sx(x):
        x = x + 1 if sweep == "keys" else x
        return left + (math.log10(x) - x0) / max(x1 - x0, 1e-9) * (right - left)
    def sy(y):
        return bottom - (math.log10(max(y, 1e-6)) - y0) / max(y1 - y0, 1e-9) * (bottom - top)
    svg.append(f'<text x="{(left + right) / 2}" y="18" text-anchor="middle" font-weight="bold">{title}</text>')
    svg.append(f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" fill="none" stroke="#888"/>')
    for decade in range(int(y0), int(y1) + 1):
        y = sy(10 ** decade)
        label = f"{10 ** decade:g} s"
        svg.append(f'<line x1="{left}" y1="{y}" x2="{right}" y2="{y}" stroke="#eee"/><text x="{left - 4}" y="{y + 4}" text-anchor="end">{label}</text>')
    for x in sorted(set(p[0] for p in points)):
        svg.append(f'<text x="{sx(x)}" y="{bottom + 14}" text-anchor="middle">{x}</text>')
    for number, (measure, values) in enumerate(sorted(measures.items())):
        values.sort()
        color = colors[number % len(colors)]
        path = " ".join(f"{'M' if i == 0 else 'L'}{sx(x):.1f},{sy(y):.1f}" for i, (x, y) in enumerate(values))
        svg.append(f'<path d="{path}" fill="none" stroke="{color}" stroke-width="1.6"/>')
        for x, y in values:
            svg.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="2.2" fill="{color}"/>')
        svg.append(f'<text x="{left + 6}" y="{top + 14 + 13 * number}" fill="{color}">{measure}</text>')
svg.append("</svg>")
open(sys.argv[2], "w").write("\n".join(svg) + "\n")
