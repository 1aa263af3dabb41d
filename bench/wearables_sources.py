"""Peak memory of importing a Fitbit archive, a CSV and an Open mHealth array, at a size you choose.

    uv run --frozen python bench/wearables_sources.py --mb 100,400             # this tree
    uv run --frozen python bench/wearables_sources.py --mb 100,400 --before /tmp/old  # and an older tree beside it
    uv run --frozen python bench/wearables_sources.py --mb 400 --stage parse          # stop once the samples are spilled
    uv run --frozen python bench/wearables_sources.py --mb 100 --only fitbit --by-stage  # each windowed step's peak

``--before`` names a checkout of an earlier commit (``git archive <commit> | tar -x -C /tmp/old``): each file
is then imported by that tree's code too, in its own child process, one after the other in the same run.
The child runs the import's own path without a database, as ``bench/wearables.py --only full`` does: the
parser (handing its samples to the spill as it reads, where the tree's parser does), then the windowed
de-duplication, sealing and features (``chunked.run``). It prints the samples stored and the resident memory
after parsing and at the end (``--stage parse`` stops after parsing: the part the sources change, the rest
being the same windowed path for every source); the parent prints the child's peak RSS (rusage) and its
time (wall-clock, so it grows with the machine's load) and CPU time. Nothing is
asserted: see bench/README.md.

The files: a Fitbit account archive of daily ``heart_rate`` (every 5 seconds) and ``steps`` (every minute)
files, deflated as Fitbit ships them; a wide CSV (time, steps, heart rate and a device column that is not
read); a JSON array of Open mHealth heart-rate and step-count points. ``--mb`` is the size of the CSV and of
the JSON file, and of the archive's content once unpacked.
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

FIRST = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)
DEVICE = "Forerunner 255 Music (serial 3401998812, firmware 20.26)"  # a column the mapping leaves out
CSV_MAPPING = {"time": "time", "columns": {"steps": "steps", "heart_rate": "heart_rate"}, "zone": "UTC"}


def _fitbit(path: Path, size: int) -> None:
    rng = random.Random(1)
    written, day = 0, 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        while written < size:
            date = FIRST + dt.timedelta(days=day)
            beats = [
                {
                    "dateTime": (date + dt.timedelta(seconds=s)).strftime("%m/%d/%y %H:%M:%S"),
                    "value": {"bpm": rng.randint(52, 120), "confidence": 2},
                }
                for s in range(0, 86_400, 5)
            ]
            steps = [
                {
                    "dateTime": (date + dt.timedelta(minutes=m)).strftime("%m/%d/%y %H:%M:%S"),
                    "value": str(rng.choice((0, 0, 12, 80))),
                }
                for m in range(1440)
            ]
            for kind, rows in (("heart_rate", beats), ("steps", steps)):
                text = json.dumps(rows)
                archive.writestr(f"Takeout/Fitbit/Global Export Data/{kind}-{date:%Y-%m-%d}.json", text)
                written += len(text)
            day += 1


def _csv(path: Path, size: int) -> None:
    rng = random.Random(2)
    with path.open("w") as out:
        out.write("time,steps,heart_rate,device\n")
        at, written = int(FIRST.timestamp()), 0
        while written < size:
            stamp = dt.datetime.fromtimestamp(at, dt.UTC).isoformat()
            line = f"{stamp},{rng.choice(('', '12', '80'))},{rng.randint(52, 120)},{DEVICE}\n"
            out.write(line)
            written += len(line)
            at += 15


def _omh(path: Path, size: int) -> None:
    rng = random.Random(3)
    with path.open("w") as out:
        out.write("[\n")
        at, written, first = int(FIRST.timestamp()), 0, True
        while written < size:
            start = dt.datetime.fromtimestamp(at, dt.UTC).isoformat()
            if at % 60 == 0:
                end = dt.datetime.fromtimestamp(at + 60, dt.UTC).isoformat()
                body = {
                    "step_count": {"value": rng.randint(1, 90), "unit": "steps"},
                    "effective_time_frame": {"time_interval": {"start_date_time": start, "end_date_time": end}},
                }
                name = "step-count"
            else:
                body = {
                    "heart_rate": {"value": rng.randint(52, 120), "unit": "beats/min"},
                    "effective_time_frame": {"date_time": start},
                }
                name = "heart-rate"
            point = json.dumps(
                {"header": {"schema_id": {"namespace": "omh", "name": name, "version": "2.0"}}, "body": body}
            )
            text = ("" if first else ",\n") + point
            out.write(text)
            written += len(text)
            first = False
            at += 15
        out.write("\n]\n")


GENERATORS = {"fitbit": (_fitbit, "fitbit.zip"), "csv": (_csv, "samples.csv"), "omh": (_omh, "points.json")}


def _rss() -> str:
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    now, peak = (int(fields[name].split()[0]) // 1024 for name in ("VmRSS", "VmHWM"))
    return f"{now}/{peak} MB"


def _by_stage() -> dict[str, list[int]]:
    """Record the peak resident memory inside each step of the windowed path (Linux: the peak is reset on entry).

    Each step's entry zeroes the kernel's peak (``/proc/self/clear_refs``), so the figure of a step is the
    highest resident memory while it ran, and the run's own peak is the highest of them and of the parse.
    """
    from alongside.wearables import chunked, spill, storage

    peaks: dict[str, list[int]] = {}  # step: [calls, highest resident MB on entry, highest peak MB inside]

    def wrap(owner: object, name: str) -> None:
        function = getattr(owner, name)

        def measured(*args: object, **kwargs: object) -> object:
            entry = int(_rss().split("/")[0])
            Path("/proc/self/clear_refs").write_text("5")
            try:
                return function(*args, **kwargs)
            finally:
                peak = int(_rss().split("/")[1].split()[0])
                row = peaks.setdefault(f"{getattr(owner, '__name__', owner)}.{name}", [0, 0, 0])
                row[:] = [row[0] + 1, max(row[1], entry), max(row[2], peak)]

        setattr(owner, name, measured)

    for owner, name in [
        (spill.Spill, "samples"),
        (storage, "to_table"),
        (storage, "new_only"),
        (storage.SealedWriter, "write"),
        (chunked, "daily_features"),
    ]:
        wrap(owner, name)
    return peaks


def child(source: str, path: Path, stage: str = "full") -> str:
    """Import ``path`` the import's way, without a database; say what was stored and the memory on the way."""
    from django.conf import settings

    settings.configure(WEARABLES_MAX_BYTES=8 * 1024**3, VAR_DIR=tempfile.gettempdir(), USE_I18N=False)
    from alongside.wearables import chunked, spill, storage

    storage.system_allocator()
    peaks = _by_stage() if os.environ.get("BENCH_BY_STAGE") else None
    phases = [f"start {_rss()}"]
    with tempfile.TemporaryDirectory() as folder:
        settings.WEARABLES_DIR = Path(folder)
        key = os.urandom(32)
        storage.data_key = lambda *_a, **_k: key  # no database: a random key stands in for the client's
        spilled = spill.Spill(Path(folder) / "spill")
        if source == "csv":
            from alongside.wearables.sources.csv import parser

            mapping = parser.ColumnMapping.model_validate(CSV_MAPPING)
            args: tuple[object, ...] = (path, mapping)
        else:
            parser = __import__(f"alongside.wearables.sources.{source}.parser", fromlist=["parse"])  # type: ignore[assignment]
            args = (path,)
        streams = "spill" in inspect.signature(parser.parse).parameters
        parsed = parser.parse(*args, *([spilled] if streams else []))  # type: ignore[call-arg]
        spilled.take(parsed.samples)
        phases.append(f"parsed {spilled.count:,} samples ({'streamed' if streams else 'whole'}) {_rss()}")
        if stage == "parse":
            spilled.close()
            return "; ".join(phases)
        writer = storage.SealedWriter(client_id="bench", job_id="bench")
        outcome = chunked.run(spill=spilled, like=parsed.samples, stored=lambda _low, _high: [], writer=writer)
        writer.close()
        spilled.close()
        phases.append(f"stored {outcome.stored:,}, {len(outcome.features)} days of features {_rss()}")
    for step, (calls, entry, peak) in (peaks or {}).items():
        phases.append(f"{step} x{calls}: entered at up to {entry} MB, peak inside {peak} MB")
    return "; ".join(phases)


def _measure(argv: list[str], env: dict[str, str]) -> dict[str, object]:
    began = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    _, _status, usage = os.wait4(process.pid, 0)
    out = process.stdout.read().decode().strip() if process.stdout else ""
    err = process.stderr.read().decode().strip()[-300:] if process.stderr else ""
    return {
        "seconds": round(time.perf_counter() - began, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "out": out or err,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", default="100,400", help="sizes in MB, comma-separated")
    parser.add_argument("--only", default="fitbit,csv,omh")
    parser.add_argument("--before", type=Path, help="an older checkout to import each file with as well")
    parser.add_argument(
        "--stage", default="full", choices=("parse", "full"), help="parse: stop once the samples are spilled"
    )
    parser.add_argument("--keep", type=Path, help="write the files here and reuse them on the next run")
    parser.add_argument(
        "--by-stage", action="store_true", help="print each windowed step's peak memory too (Linux, full stage)"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(child(args.child, args.file, args.stage))
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="wearables-sources-"))
    folder.mkdir(parents=True, exist_ok=True)
    trees = {"after": Path(__file__).resolve().parent.parent}
    if args.before:
        trees = {"before": args.before.resolve(), **trees}
    for size in (int(mb) for mb in args.mb.split(",")):
        for source in args.only.split(","):
            generate, name = GENERATORS[source]
            path = folder / f"{size}-{name}"
            if not path.exists():
                generate(path, size * 1_000_000)
            print(f"{source} {size} MB ({path.stat().st_size / 1e6:.0f} MB on disk)", flush=True)
            for label, tree in trees.items():
                env = {
                    **os.environ,
                    "PYTHONPATH": f"{tree / 'src'}",
                    **({"BENCH_BY_STAGE": "1"} if args.by_stage else {}),
                }
                argv = [sys.executable, str(Path(__file__).resolve()), "--child", source, "--file", str(path)]
                argv += ["--stage", args.stage]
                print(f"  {label:>6}: {json.dumps(_measure(argv, env))}", flush=True)
            if not args.keep:
                path.unlink()


if __name__ == "__main__":
    main()
