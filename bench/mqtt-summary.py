#!/usr/bin/env python3
"""Medians and spreads of a bench/mqtt-vs-mosquitto.sh directory, as the Markdown rows of docs/performance.md.

Usage: bench/mqtt-summary.py bench/results/mqtt-vs-mosquitto-<stamp>
Each cell is the median of the runs with (min-max); the ratio is Herald / Mosquitto of the medians.
"""
import glob
import json
import statistics
import sys

FIGURES = {
    "mqtt-connect": ["connectsPerSecond", "latencyMs.p50", "latencyMs.p99", "serverCpuMicrosPerConnect", "online"],
    "mqtt-hold": ["rssPerConnectionBytes", "heapPerConnectionBytes", "serverCpuCores", "minOnlineWhileHolding"],
    "mqtt-p2p": ["deliveredPerSecond", "latencyMs.p50", "latencyMs.p99", "serverCpuMicrosPerMessage", "accepted",
                 "lost", "duplicates"],
    "mqtt-fanout": ["roundTo99PercentMs", "roundTo100PercentMs", "deliveriesPerSecond", "serverCpuMicrosPerMessage",
                    "missed"],
}


def value(figures, key):
    if figures is None:
        return None
    for part in key.split("."):
        figures = figures.get(part) if isinstance(figures, dict) else None
    return figures if isinstance(figures, (int, float)) else None


def cell(values):
    values = [v for v in values if v is not None]
    if not values:
        return "-", None
    median = statistics.median(values)
    fmt = (lambda v: f"{v:,.0f}") if abs(median) >= 100 else (lambda v: f"{v:,.2f}".rstrip("0").rstrip("."))
    spread = f" ({fmt(min(values))}–{fmt(max(values))})" if len(values) > 1 else ""
    return fmt(median) + spread, median


def main(directory):
    reports = {}
    for path in sorted(glob.glob(f"{directory}/*/latest-mqtt-*.json")):
        with open(path) as f:
            report = json.load(f)
        reports.setdefault(report["scenario"], []).append(report)
    print("| scenario | run | figure | Herald | Mosquitto | Herald / Mosquitto |")
    print("|---|---|---|---:|---:|---:|")
    for scenario, keys in FIGURES.items():
        runs = reports.get(scenario, [])
        if not runs:
            continue
        for index, run in enumerate(runs[0]["runs"]):
            for key in keys:
                herald, h = cell([value(r["runs"][index]["herald"], key) for r in runs])
                mosquitto, m = cell([value(r["runs"][index]["baseline"], key) for r in runs])
                if herald == "-" and mosquitto == "-":
                    continue
                ratio = f"{h / m:.2f}" if h is not None and m else "-"
                print(f"| {scenario} ({len(runs)} runs) | {run['name']} | {key} | {herald} | {mosquitto} | {ratio} |")


if __name__ == "__main__":
    main(sys.argv[1])
