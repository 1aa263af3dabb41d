"""Time crisis-language detection on long messages, including the classifier.

    uv run python bench/safety.py [--runs 2000] [--chars 5000]

Builds messages of --chars characters from ordinary English and Spanish sentences (the kind
of text that must be read in full and raises nothing), some with a risk phrase at the end
and some disguised, then times ``alongside.safety.detect`` on each, one call at a time after
a warm-up. Prints p50, p95, p99 and max in milliseconds (wall clock and this thread's CPU
time), with and without ``explain``, and the machine's load average so that figures from a busy machine can be read as such.
Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

SENTENCES = [
    "I had a long week at work and my sister came over on Sunday.",
    "We talked about the kids, the garden and my mother's birthday.",
    "My anxiety was a bit lower than usual, I did the breathing exercise twice.",
    "The thought record homework was hard but I finished it on Thursday.",
    "Can we move the next session to the afternoon if that works for you?",
    "Esta semana me sentí un poco mejor, aunque el trabajo me cansa mucho.",
    "Hablé con mi hermana y salimos a caminar al parque con los niños.",
    "Hice el registro de pensamientos, me costó pero lo terminé.",
    "I slept about seven hours most nights and the mood tracker says six out of ten.",
    "My partner and I argued about chores but we talked it through calmly.",
]
ENDINGS = ["", "", " I have been saving my pills.", " i want to k!ll myself", " me volví a cortar."]


def build(chars: int, rng: random.Random) -> str:
    parts: list[str] = []
    ending = rng.choice(ENDINGS)
    while sum(len(p) + 1 for p in parts) < chars - len(ending):
        parts.append(rng.choice(SENTENCES))
    return (" ".join(parts))[: chars - len(ending)] + ending


def percentile(sorted_values: list[float], q: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, round(q * (len(sorted_values) - 1)))]


def run(runs: int, chars: int, explain: bool) -> tuple[list[float], list[float]]:
    from alongside.safety import detect

    rng = random.Random(13)  # repeatable benchmark input
    texts = [build(chars, rng) for _ in range(50)]
    for text in texts:
        detect(text, explain=explain)
    timings, cpu = [], []
    for i in range(runs):
        text = texts[i % len(texts)]
        start, start_cpu = time.perf_counter(), time.thread_time()
        detect(text, explain=explain)
        cpu.append((time.thread_time() - start_cpu) * 1000)
        timings.append((time.perf_counter() - start) * 1000)
    return sorted(timings), sorted(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--chars", type=int, default=5000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
    load = os.getloadavg()
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")
    for explain in (False, True):
        wall, cpu = run(args.runs, args.chars, explain)
        for name, t in (("wall", wall), ("cpu", cpu)):
            print(
                f"detect({args.chars} chars{', explain' if explain else ''}) x{args.runs} {name}: "
                f"p50 {percentile(t, 0.5):.2f} ms  p95 {percentile(t, 0.95):.2f} ms  "
                f"p99 {percentile(t, 0.99):.2f} ms  max {t[-1]:.2f} ms  mean {statistics.fmean(t):.2f} ms"
            )


if __name__ == "__main__":
    main()
