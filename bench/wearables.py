"""Wearables import bench: a synthetic Apple Health export, three parsers and the full import, beside xmllint.

    uv run --frozen python bench/wearables.py --days 365            # about 290 MB, 720,000 records
    uv run --frozen python bench/wearables.py --days 1200 --only full  # the 1 GB file, peak RSS of the import
    uv run --frozen python bench/wearables.py --push 8 --history-days 365  # pushed batches of 5,000 points

Each measurement runs in its own child process, one after another against the same file, so the times and
the peak RSS (from the child's rusage) are comparable within one run. Nothing is asserted: see bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- A synthetic export in Apple's shape, written by bench/wearables.py -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
]>
<HealthData locale="en_GB">
 <ExportDate value="2025-01-01 09:00:00 +0000"/>
"""
WATCH = (
    'sourceName="Sam&#8217;s Apple\u00a0Watch" sourceVersion="10.1" device="&lt;&lt;HKDevice: 0x283fa1d10&gt;, '
    'name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2, software:10.1&gt;"'
)
PHONE = (
    'sourceName="Sam&#8217;s iPhone" sourceVersion="17.1" device="&lt;&lt;HKDevice: 0x283fa1e40&gt;, '
    'name:iPhone, manufacturer:Apple Inc., model:iPhone, hardware:iPhone14,5, software:17.1&gt;"'
)


def _stamp(at: dt.datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S +0000")


def _rec(kind: str, unit: str, source: str, start: dt.datetime, minutes: float, value: object) -> str:
    end = start + dt.timedelta(minutes=minutes)
    return (
        f' <Record type="HKQuantityTypeIdentifier{kind}" {source} unit="{unit}" creationDate="{_stamp(end)}" '
        f'startDate="{_stamp(start)}" endDate="{_stamp(end)}" value="{value}"/>\n'
    )


def _sleep(stage: str, start: dt.datetime, minutes: int) -> str:
    end = start + dt.timedelta(minutes=minutes)
    return (
        f' <Record type="HKCategoryTypeIdentifierSleepAnalysis" {WATCH} creationDate="{_stamp(end)}" '
        f'startDate="{_stamp(start)}" endDate="{_stamp(end)}" value="HKCategoryValueSleepAnalysis{stage}"/>\n'
    )


def _day(day: dt.date, rng: random.Random) -> list[str]:
    """About 1,950 records: a Watch and an iPhone both counting steps, heart rate, energy, sleep stages."""
    midnight = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    out = []
    for n in range(276):  # heart rate every 5 minutes, an hour off the wrist to charge
        at = midnight + dt.timedelta(minutes=5 * n + 60)
        out.append(_rec("HeartRate", "count/min", WATCH, at, 0, rng.randint(52, 120)))
    for n in range(120):  # phone and watch count the same walking minutes
        at = midnight + dt.timedelta(hours=7, minutes=7 * n)
        steps = rng.randint(0, 120)
        out.append(_rec("StepCount", "count", WATCH, at, 6, steps))
        out.append(_rec("StepCount", "count", PHONE, at + dt.timedelta(minutes=1), 6, max(0, steps - 5)))
        out.append(_rec("DistanceWalkingRunning", "km", WATCH, at, 6, round(steps * 0.0007, 4)))
        out.append(_rec("DistanceWalkingRunning", "km", PHONE, at, 6, round(steps * 0.0007, 4)))
    for n in range(700):
        out.append(_rec("ActiveEnergyBurned", "kcal", WATCH, midnight + dt.timedelta(seconds=120 * n), 1, 0.31))
    for n in range(400):
        out.append(_rec("BasalEnergyBurned", "kcal", WATCH, midnight + dt.timedelta(seconds=215 * n), 3, 1.2))
    for n in range(30):
        out.append(_rec("AppleExerciseTime", "min", WATCH, midnight + dt.timedelta(hours=18, minutes=n), 1, 1))
    for n in range(22):
        out.append(_rec("AppleStandTime", "min", WATCH, midnight + dt.timedelta(hours=8 + n // 2), 5, 5))
    for n in range(5):
        out.append(_rec("HeartRateVariabilitySDNN", "ms", WATCH, midnight + dt.timedelta(hours=4 * n), 1, 45))
    out.append(_rec("RestingHeartRate", "count/min", WATCH, midnight + dt.timedelta(hours=12), 0, 58))
    bed = midnight - dt.timedelta(minutes=rng.randint(40, 100))
    out.append(_sleep("InBed", bed, 480).replace(WATCH, PHONE))
    at = bed + dt.timedelta(minutes=10)
    for n in range(20):
        stage = ("AsleepCore", "AsleepDeep", "AsleepREM", "Awake")[n % 4]
        out.append(_sleep(stage, at, 22))
        at += dt.timedelta(minutes=22)
    out.append(
        f' <ActivitySummary dateComponents="{day.isoformat()}" activeEnergyBurned="217" activeEnergyBurnedGoal="400" '
        'activeEnergyBurnedUnit="kcal" appleExerciseTime="30" appleExerciseTimeGoal="30" appleStandHours="11" '
        'appleStandHoursGoal="12"/>\n'
    )
    return out


def generate(path: Path, days: int) -> int:
    """Write an export of ``days`` days ending yesterday; return the number of records."""
    rng = random.Random(15)
    first = dt.date.today() - dt.timedelta(days=days)
    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for n in range(days):
            lines = _day(first + dt.timedelta(days=n), rng)
            count += len(lines)
            out.write("".join(lines))
        out.write("</HealthData>\n")
    return count


# --- The measured methods, each run in a child process ---------------------------------------------------


def _handler() -> tuple[object, object]:
    from django.conf import settings

    # Only the importer's pure parts run here: settings are configured, the app registry is not loaded.
    settings.configure(WEARABLES_MAX_BYTES=8 * 1024**3, VAR_DIR=tempfile.gettempdir(), USE_I18N=False)
    from alongside.wearables.sources.apple_health import parser as apple

    class Where:
        CurrentLineNumber = 0

    return apple, apple._Handler(Where(), "bench")


def parse_lxml(path: Path) -> int:
    from lxml import etree

    apple, handler = _handler()

    class Target:
        def start(self, tag: str, attrib: dict[str, str]) -> None:
            handler.start(tag, dict(attrib))  # type: ignore[attr-defined]

        def close(self) -> None:
            return None

    parser = etree.XMLParser(target=Target(), resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    with path.open("rb") as stream:
        chunk = apple._read_head(stream, path.name)  # type: ignore[attr-defined]
        while chunk:
            parser.feed(chunk)
            chunk = stream.read(1 << 20)
    parser.close()
    return len(handler.samples)  # type: ignore[attr-defined]


_ELEMENT = re.compile(rb"<(Record|Workout|ActivitySummary)\s([^>]*)>")
_ATTRIBUTE = re.compile(rb'(\w+)="([^"]*)"')


def parse_scanner(path: Path) -> int:
    """A byte-level scanner: regular expressions over the raw bytes (escapes decoded only where present)."""
    from html import unescape

    apple, handler = _handler()
    with path.open("rb") as stream:
        rest = apple._read_head(stream, path.name)  # type: ignore[attr-defined]
        while True:
            chunk = stream.read(1 << 20)
            data = rest + chunk
            cut = data.rfind(b">") + 1 if chunk else len(data)
            for match in _ELEMENT.finditer(data, 0, cut):
                attrs = {
                    k.decode(): (unescape(v.decode()) if b"&" in v else v.decode())
                    for k, v in _ATTRIBUTE.findall(match.group(2))
                }
                handler.start("HealthData", {}) if not handler.root_seen else None  # type: ignore[attr-defined]
                handler.start(match.group(1).decode(), attrs)  # type: ignore[attr-defined]
            rest = data[cut:]
            if not chunk:
                break
    return len(handler.samples)  # type: ignore[attr-defined]


def parse_expat(path: Path, prefilter: bool = True) -> int:
    apple, _ = _handler()
    return len(apple.parse(path, prefilter=prefilter).samples)  # type: ignore[attr-defined]


def _rss() -> str:
    """This process's resident memory now and at its peak so far, from /proc (Linux)."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    now, peak = (int(fields[name].split()[0]) // 1024 for name in ("VmRSS", "VmHWM"))
    return f"{now}/{peak} MB"


def full_import(path: Path, prefilter: bool = True, pipeline: bool = True) -> str:
    """Parse, de-duplicate, seal the Parquet file and compute features and baselines (no database rows).

    The import's own path (``importing.import_file`` without the database): the parser hands its samples
    to a spill per window as it reads, then ``chunked.run`` de-duplicates, seals and computes the features
    a window at a time. Return the number of days and the resident memory (now/peak) after each phase.
    """
    apple, _ = _handler()
    from alongside.wearables import chunked, spill, storage
    from alongside.wearables.baselines import with_baselines

    storage.system_allocator()  # as import_file does
    phases = [f"start {_rss()}"]
    with tempfile.TemporaryDirectory() as folder:
        from django.conf import settings

        settings.WEARABLES_DIR = Path(folder)
        key = os.urandom(32)
        storage.data_key = lambda *_a, **_k: key  # the bench has no database: a random key stands in
        spilled = spill.Spill(Path(folder) / "spill")
        parsed = apple.parse(path, spilled, prefilter=prefilter, pipeline=pipeline)  # type: ignore[attr-defined]
        spilled.take(parsed.samples)
        phases.append(f"parsed {spilled.count:,} samples {_rss()}")
        writer = storage.SealedWriter(client_id="bench", job_id="bench")
        outcome = chunked.run(spill=spilled, like=parsed.samples, stored=lambda _low, _high: [], writer=writer)
        writer.close()
        spilled.close()
        phases.append(f"stored {outcome.stored:,}, sealed and features {_rss()}")
    features = with_baselines(outcome.features)
    phases.append(f"baselines {_rss()}")
    return f"{len(features)} days; " + "; ".join(phases)


def _profiled(name: str, path: Path) -> object:
    """Run a method under cProfile; the 30 costliest calls (cumulative) go to ``<file>.<method>.profile.txt``."""
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    result = profiler.runcall(METHODS[name], path)
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(30)
    Path(f"{path}.{name}.profile.txt").write_text(text.getvalue())
    return result


def _history(client: object, days: int, until: dt.datetime) -> int:
    """Store ``days`` days before ``until`` as one import: heart rate every 5 minutes, steps every 10, a night."""
    from alongside.wearables.importing import store
    from alongside.wearables.samples import Kind, Samples
    from alongside.wearables.sources import Parsed

    samples = Samples()
    watch = samples.source_code("Bench Watch")
    first = int(until.timestamp()) - days * 86_400
    for day in range(days):
        midnight = first + day * 86_400
        for n in range(288):
            samples.add(Kind.HEART_RATE, midnight + n * 300, midnight + n * 300, 0, 60 + n % 40, watch)
        for n in range(144):
            samples.add(Kind.STEPS, midnight + n * 600, midnight + n * 600 + 600, 0, n % 90, watch)
        samples.add(Kind.SLEEP_CORE, midnight - 3600, midnight + 6 * 3600, 0, 1.0, watch)
    store(actor=None, client=client, parsed=Parsed(samples, len(samples)), digest="history", source="apple", began=0)  # type: ignore[arg-type]
    return len(samples)


def _batch(first: dt.datetime, batch: int) -> list[dict[str, object]]:
    points = []
    for n in range(5000):  # a minute of steps each: about 3.5 days a batch
        at = first + dt.timedelta(minutes=batch * 5000 + n)
        frame = {
            "time_interval": {
                "start_date_time": at.isoformat(),
                "end_date_time": (at + dt.timedelta(minutes=1)).isoformat(),
            }
        }
        body = {"step_count": {"value": 40 + n % 60, "unit": "steps"}, "effective_time_frame": frame}
        points.append({"header": {"schema_id": {"name": "step-count"}}, "body": body})
    return points


def push_batches(batches: int, history_days: int, profile: bool) -> None:
    """Time pushed batches of 5,000 step points through the API, features included, in a throwaway SQLite database.

    The client first has ``history_days`` days stored (one import); the batches then follow on from it. Each
    batch is one ``POST /api/v1/wearables/samples`` through Django's test client: JSON, validation, token
    check, de-duplication, the sealed file, features and baselines, the audit event.
    """
    folder = Path(tempfile.mkdtemp(prefix="wearables-push-"))
    os.environ.update(ALONGSIDE_PROFILE="test", ALONGSIDE_VAR_DIR=str(folder))
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from alongside.accounts import tokens
    from alongside.accounts.models import User, UserKind
    from alongside.care.models import ClientProfile, Practice

    call_command("migrate", verbosity=0, interactive=False)
    user = User.objects.create_user("push@example.test", "x" * 20, kind=UserKind.CLIENT)
    client = ClientProfile.objects.create(user=user, practice=Practice.objects.create(name="Bench"))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {tokens.token_create(actor=user, name='bench').plain}"}
    first = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0) - dt.timedelta(days=batches * 3.5 + 1)
    began = time.perf_counter()
    stored = _history(client, history_days, first) if history_days else 0
    print(f"history: {history_days} days, {stored:,} samples stored in {time.perf_counter() - began:.1f} s")
    http = Client(HTTP_HOST="localhost")
    bodies = [json.dumps({"data_points": _batch(first, batch)}) for batch in range(batches)]
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
    for batch, body in enumerate(bodies):
        if profiler is not None and batch == 1:  # the first batch pays the imports of pyarrow and DuckDB
            profiler.enable()
        began, cpu = time.perf_counter(), time.process_time()
        response = http.post("/api/v1/wearables/samples", body, content_type="application/json", **auth)
        took, cpu = (time.perf_counter() - began) * 1000, (time.process_time() - cpu) * 1000
        result = response.json() if response.headers.get("Content-Type", "").startswith("application/json") else {}
        print(
            f"batch {batch + 1}: {took:.0f} ms ({cpu:.0f} ms of CPU), HTTP {response.status_code}, {result.get('samples_stored')} stored"
        )
        if response.status_code != 200:
            print(response.content[:500])
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    shutil.rmtree(folder, ignore_errors=True)


METHODS = {
    "expat": parse_expat,
    "lxml": parse_lxml,
    "scanner": parse_scanner,
    "full": full_import,
    # The same without the byte-level pre-filter (every record through expat and the handler): "before".
    "expat-unfiltered": lambda path: parse_expat(path, prefilter=False),
    "full-unfiltered": lambda path: full_import(path, prefilter=False),
    # The pre-filter in the parsing process, not in a child beside it (``pipeline.py``): "before" of that change.
    "full-one-process": lambda path: full_import(path, pipeline=False),
}


def _measure(argv: list[str], env: dict[str, str] | None = None) -> dict[str, object]:
    began = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    _, _status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - began
    out = process.stdout.read().decode().strip() if process.stdout else ""
    err = process.stderr.read().decode().strip()[-300:] if process.stderr else ""
    cpu = usage.ru_utime + usage.ru_stime  # the child's own CPU time, which other processes' load does not inflate
    load = os.getloadavg()[0]
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "load": round(load, 2),
        "out": out or err,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--only", default="xmllint,expat,lxml,scanner,full,healthkit-to-sqlite")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path)
    parser.add_argument("--export", type=Path, help="generate the export here and keep it, or reuse it")
    parser.add_argument("--push", type=int, default=0, help="instead: time this many pushed batches of 5,000")
    parser.add_argument("--history-days", type=int, default=365, help="with --push: days already stored")
    parser.add_argument("--profile", action="store_true", help="profile the batches after the first, or each method")
    parser.add_argument(
        "--before",
        type=Path,
        help="a checkout of an earlier commit (git archive <commit> src bench | tar -x -C DIR): a method named "
        "NAME@before runs that tree's bench and src, for before/after figures in one run",
    )
    args = parser.parse_args()
    if args.push:
        push_batches(args.push, args.history_days, args.profile)
        return
    if args.child:
        print(_profiled(args.child, args.file) if args.profile else METHODS[args.child](args.file))
        return
    folder = Path(tempfile.mkdtemp(prefix="wearables-bench-"))
    try:
        path = args.export or folder / "export.xml"
        began = time.perf_counter()
        if not path.exists():  # an --export file is kept for the next run (generating 1 GB takes minutes)
            records = generate(path, args.days)
            size = path.stat().st_size
            print(
                f"{args.days} days: {records:,} records, {size / 1e6:.0f} MB, generated in {time.perf_counter() - began:.0f} s"
            )
        else:
            print(f"{path}: {path.stat().st_size / 1e6:.0f} MB, generated earlier")
        results = {}
        for name in args.only.split(","):
            env = None
            if name == "xmllint":
                argv = ["xmllint", "--stream", "--noout", str(path)]
            elif name == "healthkit-to-sqlite":
                if not shutil.which("healthkit-to-sqlite"):
                    print("healthkit-to-sqlite: not installed (uv tool install healthkit-to-sqlite)")
                    continue
                argv = ["healthkit-to-sqlite", str(path), str(folder / "h.db"), "--xml"]
            else:
                method, _, tree = name.partition("@")
                script = str(args.before / "bench" / "wearables.py") if tree else __file__
                argv = [
                    sys.executable,
                    script,
                    "--child",
                    method,
                    "--file",
                    str(path),
                    *(["--profile"] if args.profile else []),
                ]
                if tree:
                    env = {**os.environ, "PYTHONPATH": str(args.before / "src")}
            results[name] = _measure(argv, env)
            print(f"{name:>20}: {json.dumps(results[name])}", flush=True)
        floor = results.get("xmllint", {}).get("seconds")
        if floor:
            for name, result in results.items():
                cpu = float(result["cpu_seconds"]) / float(results["xmllint"]["cpu_seconds"] or 1)
                print(f"{name:>20}: {float(result['seconds']) / float(floor):.2f}x xmllint ({cpu:.2f}x its CPU time)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
