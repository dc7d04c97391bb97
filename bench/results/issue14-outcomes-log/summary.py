#!/usr/bin/env python3
"""Median (range) of the max-rate run per jar and mode, from the reports run.sh saved (argument: their folder)."""
import glob, json, os, statistics, sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
rows = {}
# Saved as WHICH-MODE-N.json here; in run.sh's own folder, WHICH-MODE-N/p2p-*.json.
for path in sorted(glob.glob(os.path.join(root, '*-*-[0-9].json'))
                   + glob.glob(os.path.join(root, '*-*-[0-9]', 'p2p-*.json'))):
    saved = os.path.dirname(path) == root.rstrip('/')
    name = os.path.basename(path)[:-5] if saved else os.path.basename(os.path.dirname(path))
    which, mode, _ = name.split('-')
    report = json.load(open(path))
    run = [r for r in report['runs'] if r['name'].endswith('max rate')][0]['herald']
    rows.setdefault((mode, which), []).append((run['serverCpuMicrosPerMessage'], run['deliveredPerSecond'],
                                               run['latencyMs']['p99'], run['lost'],
                                               report['machine']['loadAverageAtStart']))
for (mode, which), runs in sorted(rows.items()):
    cpu = [r[0] for r in runs]; rate = [r[1] for r in runs]; p99 = [r[2] for r in runs]
    print(f"{mode:6} {which:5} n={len(runs)} cpu {statistics.median(cpu):.0f} µs ({min(cpu):.0f}-{max(cpu):.0f})"
          f"  delivered/s {statistics.median(rate):,.0f} ({min(rate):,.0f}-{max(rate):,.0f})"
          f"  p99 {min(p99):.0f}-{max(p99):.0f} ms  lost {sum(r[3] for r in runs)}"
          f"  load at start {', '.join(f'{r[4]:.2f}' for r in runs)}")
