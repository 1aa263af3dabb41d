"""Time a three-person group call through Janus: "Let everyone in" to every page decoding both others' video.

    uv run --frozen python bench/group_call.py [--runs 3]

Runs the browser test tests/telehealth/test_group_browser.py (Debian's Janus on 127.0.0.1, three Chromium
contexts with fake cameras) --runs times; the test appends its figure to $GROUP_BENCH_OUT. Prints each run
with the load average before it, then the median. Timings are printed here, never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST = "tests/telehealth/test_group_browser.py"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    figures: list[float] = []
    with tempfile.TemporaryDirectory() as workdir:
        out = Path(workdir) / "figures.txt"
        for run in range(1, args.runs + 1):
            load = os.getloadavg()[0]
            before = len(out.read_text().split()) if out.exists() else 0
            result = subprocess.run(
                [sys.executable, "-m", "pytest", TEST, "-q", "-x", "-p", "no:cacheprovider"],
                cwd=ROOT,
                env={**os.environ, "GROUP_BENCH_OUT": str(out)},
                capture_output=True,
                text=True,
            )
            values = out.read_text().split() if out.exists() else []
            if result.returncode != 0 or len(values) == before:
                print(f"run {run}: failed (load {load:.2f})\n{result.stdout[-2000:]}")
                continue
            figures.append(float(values[-1]))
            print(
                f"run {run}: Let everyone in -> every page decoding both others {figures[-1]:.2f} s (load {load:.2f})"
            )
    if figures:
        print(f"median of {len(figures)}: {statistics.median(figures):.2f} s; max {max(figures):.2f} s")


if __name__ == "__main__":
    main()
