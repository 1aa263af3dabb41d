"""py-spy recordings of the servers during bench/api_load.py's closed-loop rounds (issue #19).

    uv run python bench/api_load.py --seconds 15 --rounds 1 --open-seconds 0 --py-spy /tmp/spy [--py-spy-gil]
    uv run python bench/stacks.py /tmp/spy/01-checkin-*.txt        # where a round's samples went

Each serving process (uvicorn's spawned workers of ``alongside serve`` and of the bare server, and
``alongside worker`` for the check-in's background task) is recorded by its own ``py-spy record --rate 200
--format raw --full-filenames`` (collapsed stacks, one line per distinct stack with its count) for the length
of the round: one file per round and process, named ``<round>-<endpoint>-<role>-<pid>.txt``. Idle threads
are left out (py-spy's default: a thread blocked in the kernel, including one waiting for the interpreter
lock, is idle); ``--py-spy-gil`` keeps only the thread holding the interpreter lock, i.e. the process's Python
CPU. ``--nonblocking``: py-spy's default pauses the process for every sample, which with 25 threads per worker
took 1.35-1.55 cores of the two and left the servers a fifth of one (and, the threads being stopped, counted
idle threads as active).
"""

from __future__ import annotations

import contextlib
import math
import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

RATE = 200  # samples per second per process


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue  # ended meanwhile
            children.setdefault(parent, []).append(int(entry.name))
    return children


def _cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def serving_pids(root: int) -> list[int]:
    """The processes under ``root`` that serve requests: uvicorn's spawned workers, or ``root`` itself."""
    children, todo, found = _children(), [root], []
    while todo:
        pid = todo.pop()
        if "spawn_main" in _cmdline(pid):  # multiprocessing's spawned child: a uvicorn worker
            found.append(pid)
        todo.extend(children.get(pid, []))
    return sorted(found) or [root]


def postgres_root(database_url: str) -> int | None:
    """The postmaster serving ``database_url`` on this machine (found by its ``port=`` option), if any."""
    port = database_url.rsplit(":", 1)[-1].split("/", 1)[0] if database_url.startswith("postgres") else ""
    if not port.isdigit():
        return None
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and f"port={port} " in _cmdline(int(entry.name)) + " ":
            return int(entry.name)
    return None


def py_spy() -> str:
    """The py-spy executable of this environment (the dev dependency), or the one on the PATH."""
    beside = Path(sys.executable).parent / "py-spy"
    return str(beside) if beside.exists() else (shutil.which("py-spy") or "py-spy")


@dataclass
class Recording:
    """The files one round's recorders wrote, the CPU seconds the recorders used, and the recorded processes'."""

    files: list[Path] = field(default_factory=list)
    cpu: float = 0.0
    # role -> the recorded processes' user and kernel CPU seconds during the block (the kernel's: thread
    # wake-ups, sockets, futexes, which py-spy's Python stacks do not show)
    times: dict[str, tuple[float, float]] = field(default_factory=dict)

    def describe(self, seconds: float) -> str:
        return "; ".join(
            f"{role} user {100 * user / seconds:.0f}% + kernel {100 * system / seconds:.0f}% of a core"
            for role, (user, system) in self.times.items()
        )


def user_system(pids: list[int]) -> tuple[float, float]:
    """User and kernel CPU seconds used so far by ``pids`` (Linux ``/proc/PID/stat``; ended processes count 0)."""
    ticks, user, system = os.sysconf("SC_CLK_TCK"), 0.0, 0.0
    for pid in pids:
        try:
            fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        user, system = user + int(fields[11]) / ticks, system + int(fields[12]) / ticks
    return user, system


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@contextlib.contextmanager
def recorded(
    directory: Path | None, label: str, targets: dict[str, int], seconds: float, *, gil: bool = False
) -> Iterator[Recording]:
    """Record every serving process of ``targets`` (role -> root pid) with py-spy while the block runs."""
    recording = Recording()
    if directory is None:
        yield recording
        return
    directory.mkdir(parents=True, exist_ok=True)
    recorders: list[subprocess.Popen[bytes]] = []
    roles = {role: serving_pids(root) for role, root in targets.items()}
    for role, pids in roles.items():
        for pid in pids:
            out = directory / f"{label}-{role}-{pid}.txt"
            argv = [
                py_spy(), "record", "--pid", str(pid), "--rate", str(RATE), "--format", "raw", "--full-filenames",
                "--duration", str(math.ceil(seconds) + 30), "--output", str(out), "--nonblocking",
            ]  # fmt: skip
            if gil:
                argv.append("--gil")
            recorders.append(subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
            recording.files.append(out)
    cpu0, before = _children_cpu(), {role: user_system(pids) for role, pids in roles.items()}
    try:
        yield recording
    finally:
        for role, pids in roles.items():
            (user0, system0), (user1, system1) = before[role], user_system(pids)
            recording.times[role] = (user1 - user0, system1 - system0)
        for recorder in recorders:
            recorder.send_signal(signal.SIGINT)  # py-spy writes what it has and stops
        for recorder in recorders:
            try:
                _out, err = recorder.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                recorder.kill()
                _out, err = recorder.communicate()
            if recorder.returncode not in (0, -signal.SIGINT):
                print(f"    py-spy exited {recorder.returncode}: {err.decode(errors='replace')[-300:]}", flush=True)
        recording.cpu = _children_cpu() - cpu0
