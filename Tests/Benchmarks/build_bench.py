#!/usr/bin/env python3
"""The builder's own figures: wall time, CPU time, peak memory and snapshot size for the
exhibits named on the command line (a report, not a test).

    build_bench.py --builder .build/release/timeline-build --rounds 3 NAME=EXHIBIT_DIR ...

Each exhibit is built `--rounds` times into a fresh file; the table shows medians. GNU time
(/usr/bin/time) reads the peak RSS.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile


def build(builder: str, exhibit: str, output: str) -> dict:
    if os.path.exists(output):
        os.remove(output)
    done = subprocess.run(["/usr/bin/time", "-f", "TIME %e %U %S %M", builder, exhibit, "--output", output, "--quiet"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"build of {exhibit} failed:\n{done.stderr[-2000:]}")
    m = re.search(r"TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)", done.stderr)
    return {"wall": float(m.group(1)), "cpu": float(m.group(2)) + float(m.group(3)), "rss_mb": int(m.group(4)) / 1024,
            "size_mb": os.path.getsize(output) / (1 << 20)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--builder", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--report")
    parser.add_argument("exhibits", nargs="+", help="NAME=FOLDER")
    args = parser.parse_args()
    lines = [f"Builder figures, {os.cpu_count()} CPUs, {args.rounds} builds each, medians "
             "(wall and CPU seconds, peak RSS, snapshot size):", "",
             "| exhibit | wall s | CPU s | peak RSS MB | snapshot MB |", "|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        for item in args.exhibits:
            name, folder = item.split("=", 1)
            runs = [build(args.builder, folder, os.path.join(tmp, "out.db")) for _ in range(args.rounds)]
            med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            spread = f" ({min(r['wall'] for r in runs):.1f}–{max(r['wall'] for r in runs):.1f})" if len(runs) > 1 else ""
            lines.append(f"| {name} | {med['wall']:.1f}{spread} | {med['cpu']:.1f} | {med['rss_mb']:.0f} | {med['size_mb']:.1f} |")
            print(lines[-1], flush=True)
    report = "\n".join(lines) + "\n"
    print(report)
    if args.report:
        with open(args.report, "w") as f:
            f.write(report)


if __name__ == "__main__":
    main()
