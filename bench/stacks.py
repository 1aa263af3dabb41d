"""Where a py-spy recording's samples went: shares by category, and the heaviest functions (issue #19).

    uv run python bench/stacks.py /tmp/spy/02-checkin-app-*.txt [--top 25]
    uv run python bench/stacks.py --compare /tmp/spy/01-bare-*.txt -- /tmp/spy/02-checkin-app-*.txt

Reads py-spy's raw (collapsed) stacks, one line per distinct stack: ``frame;frame;...;leaf count``, each frame
``function (path:line)``, the root first (``bench/api_profile.py`` records them with full file names). Each
sample goes to one category, that of the deepest frame outside the standard library (``hmac`` under the audit
chain is the chain's, a ``threading`` wait under the pool is the pool's); a stack made of the standard library
only goes by its deepest frame's module (the event loop, the executor's threads). "Inclusive" is the share of
samples with at least one frame of the category anywhere on the stack.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

# (category, path fragments); the first category with a fragment in a frame's path wins.
CATEGORIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("encryption (sealing)", ("/alongside/crypto/", "/cryptography/")),
    ("audit chain (HMAC, fingerprint)", ("/alongside/audit/", "/alongside/core/idempotency")),
    ("pool check-out", ("/psycopg_pool/",)),
    ("psycopg and Django's backend wrapper (CPU)", ("/psycopg/", "/django/db/backends/", "sqlite3/")),
    ("Django ORM (query building, rows to objects)", ("/django/db/",)),
    ("django-ninja (parsing, auth, serialisation)", ("/ninja/", "/pydantic/", "/pydantic_core/")),
    (
        "our access layer (token, profile)",
        ("/alongside/access", "/alongside/accounts/tokens", "/alongside/api/auth", "/alongside/core/prepared"),
    ),
    (
        "Django middleware",
        (
            "/django/middleware/",
            "/django/contrib/sessions/",
            "/django/contrib/auth/middleware",
            "/django/utils/deprecation.py",
            "middleware",
        ),
    ),
    ("our services and views", ("/alongside/",)),
    (
        "asgiref thread hand-off (sync_to_async, executor, locks)",
        ("/asgiref/", "/concurrent/futures/", "/threading.py", "/queue.py"),
    ),
    ("uvicorn / asyncio event loop", ("/uvicorn/", "/asyncio/", "/h11/", "/httptools/", "/selectors.py")),
    ("Django core (handler, URLs, request, response)", ("/django/",)),
    ("GC", ("<gc>", "(garbage collection)")),
)
OTHER = "other"
IDLE = "idle / waiting (locks, queues, the loop's poll)"
DB_WAIT = "database wait (psycopg waiting for the server)"
POOL_WAIT = "pool check-out (waiting)"
# Leaves where a thread waits: with py-spy's --idle (or a stopped process) such samples are not CPU.
WAIT_LEAVES = frozenset(
    {"Condition.wait", "Event.wait", "_worker", "Thread._wait_for_tstate_lock", "Connection._recv", "Runner.run",
     "Queue.get", "SimpleQueue.get", "EpollSelector.select", "BaseSelector.select", "select", "wait", "wait_c",
     "Connection.wait", "Lock.acquire", "acquire", "sleep"}
)  # fmt: skip
_FRAME = re.compile(r"^(?P<function>.*?) \((?P<path>[^()]*?)(?::(?P<line>\d+))?\)$")


@dataclass(frozen=True)
class Frame:
    function: str
    path: str

    @property
    def name(self) -> str:
        """``function (package/module.py)``: the path shortened to its package part, without the line."""
        path = self.path
        for marker in ("/site-packages/", "/src/", "/lib/python3"):
            if marker in path:
                path = path.split(marker, 1)[1]
                if marker == "/lib/python3":
                    path = path.split("/", 1)[-1]
                break
        return f"{self.function} ({path})"

    @property
    def stdlib(self) -> bool:
        """True for the interpreter's own library (not site-packages, not the project)."""
        return ("/lib/python3" in self.path and "/site-packages/" not in self.path) or "/" not in self.path


def parse_frame(text: str) -> Frame:
    match = _FRAME.match(text.strip())
    if not match:
        return Frame(text.strip(), "")
    return Frame(match["function"], match["path"])


def category_of(frame: Frame) -> str | None:
    text = f"{frame.path} {frame.function}"
    for name, fragments in CATEGORIES:
        if any(fragment in text for fragment in fragments):
            return name
    return None


def classify(stack: list[Frame]) -> str:
    """The category of the deepest frame outside the standard library, else of the deepest frame that has one.

    A stack whose leaf is a wait is a waiting thread's: for the pool, the database, or anything else (idle)."""
    if stack and stack[-1].function in WAIT_LEAVES:
        if any("/psycopg_pool/" in f.path for f in stack):
            return POOL_WAIT
        if "/psycopg/" in stack[-1].path:
            return DB_WAIT
        return IDLE
    for frame in reversed(stack):
        if not frame.stdlib and (name := category_of(frame)):
            return name
    for frame in reversed(stack):
        if name := category_of(frame):
            return name
    return OTHER


@dataclass
class Summary:
    """Samples by category (self and inclusive) and by function (leaf and inclusive)."""

    samples: int = 0
    by_category: Counter[str] = field(default_factory=Counter)
    inclusive_category: Counter[str] = field(default_factory=Counter)
    leaf: Counter[str] = field(default_factory=Counter)
    inclusive: Counter[str] = field(default_factory=Counter)

    def add(self, stack: list[Frame], count: int) -> None:
        self.samples += count
        self.by_category[classify(stack)] += count
        for name in {c for f in stack if (c := category_of(f))}:
            self.inclusive_category[name] += count
        if stack:
            self.leaf[stack[-1].name] += count
        for name in {f.name for f in stack}:
            self.inclusive[name] += count


def read_lines(lines: Iterable[str], summary: Summary | None = None) -> Summary:
    """Add py-spy raw lines (``root;...;leaf count``) to ``summary``; lines that are not stacks are skipped."""
    summary = summary or Summary()
    for line in lines:
        stack_text, _, count = line.rstrip("\n").rpartition(" ")
        if not stack_text or not count.isdigit():
            continue
        frames = [parse_frame(f) for f in stack_text.split(";")]
        frames = [f for f in frames if not f.function.startswith(("process ", "thread ("))]  # --subprocesses, --threads
        summary.add(frames, int(count))
    return summary


def read_files(paths: Iterable[Path]) -> Summary:
    summary = Summary()
    for path in paths:
        with path.open(encoding="utf-8", errors="replace") as lines:
            read_lines(lines, summary)
    return summary


def _share(n: int, total: int) -> str:
    return f"{100 * n / max(total, 1):.1f}%"


def category_table(columns: dict[str, Summary]) -> str:
    """A Markdown table of the categories' self shares (and inclusive shares), one column pair per summary."""
    heads = " | ".join(f"{name} self | {name} incl." for name in columns)
    lines = [f"| category | {heads} |", "| --- |" + " ---: | ---: |" * len(columns)]
    order = [name for name, _ in CATEGORIES] + [POOL_WAIT, DB_WAIT, IDLE, OTHER]
    for name in order:
        if not any(s.by_category[name] or s.inclusive_category[name] for s in columns.values()):
            continue
        cells = " | ".join(
            f"{_share(s.by_category[name], s.samples)} | {_share(s.inclusive_category[name], s.samples)}"
            for s in columns.values()
        )
        lines.append(f"| {name} | {cells} |")
    lines.append("| samples | " + " | ".join(f"{s.samples} | " for s in columns.values()) + "|")
    return "\n".join(lines)


def top_table(counts: Counter[str], total: int, top: int, title: str) -> str:
    lines = [f"Top {top} {title}:", ""]
    lines += [f"  {_share(n, total):>6}  {name}" for name, n in counts.most_common(top)]
    return "\n".join(lines)


def report(summary: Summary, *, top: int = 25, title: str = "samples") -> str:
    return "\n\n".join(
        [
            category_table({title: summary}),
            top_table(summary.leaf, summary.samples, top, "leaf functions (self time)"),
            top_table(summary.inclusive, summary.samples, top, "inclusive functions (on the stack)"),
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="py-spy raw files, summed")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--compare", nargs="+", type=Path, help="other files: one more column in the category table")
    args = parser.parse_args(argv)
    summary = read_files(args.files)
    print(report(summary, top=args.top))
    if args.compare:
        print()
        print(category_table({"these": summary, "compared": read_files(args.compare)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
