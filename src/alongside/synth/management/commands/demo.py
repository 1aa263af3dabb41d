"""`alongside demo`: migrate, seed the synthetic practice once, print the logins, serve (and run the worker)."""

from __future__ import annotations

import subprocess  # nosec B404
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from alongside.synth.config import SynthConfig
from alongside.synth.generate import already_seeded, generate_practice

DEMO_PROFILES = {"demo", "dev"}


def _sqlite_files(name: Path) -> list[Path]:
    return [name, name.with_name(name.name + "-wal"), name.with_name(name.name + "-shm")]


class Command(BaseCommand):
    help = "Set up and serve the demo: migrate, seed a synthetic practice if needed, print the logins, serve."
    # The checks run in handle(), after --reset, so that a damaged demo database can be reset.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to bind (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8000, help="Port to serve on (default 8000).")
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo's SQLite database in var/ first and start empty."
        )
        parser.add_argument("--no-serve", action="store_true", help="Set up and print the logins, but do not serve.")

    def handle(self, *args: Any, **options: Any) -> None:
        profile = getattr(settings, "PROFILE", "")
        if profile not in DEMO_PROFILES:
            raise CommandError(
                f"`alongside demo` seeds made-up clients and publishes a known password; it refuses to run "
                f"in the {profile!r} profile. Run it with ALONGSIDE_PROFILE=demo (as `make demo` does)."
            )
        if options["reset"]:
            self._reset()
        self.check()
        self.stdout.write("Applying database migrations...")
        call_command("migrate", interactive=False, verbosity=0)
        config = SynthConfig()
        if already_seeded(config):
            self.stdout.write(f"The synthetic practice is already in the database ({config.domain}).")
        else:
            self.stdout.write(f"Seeding a synthetic practice ({config.n_clients} clients, seed {config.seed})...")
            result = generate_practice(config)
            self.stdout.write(f"Seeded in {result.seconds:.1f} s.")
        self._print_logins(config, host=options["host"], port=options["port"])
        if not options["no_serve"]:
            self._serve_with_worker(host=options["host"], port=options["port"])

    def _serve_with_worker(self, *, host: str, port: int) -> None:
        """Serve, with the background worker (emails) in a child process that ends with the server."""
        from alongside.web.management.commands.serve import run_uvicorn

        connections.close_all()
        # Our own command with a fixed argument list and no shell.
        worker = subprocess.Popen([sys.executable, "-m", "alongside.cli", "worker", "--verbosity", "0"])  # nosec B603
        self.stdout.write(f"Started the background worker (process {worker.pid}).")
        try:
            run_uvicorn(host=host, port=port)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()

    def _reset(self) -> None:
        database = settings.DATABASES["default"]
        var_dir = Path(settings.VAR_DIR).resolve()
        name = Path(str(database.get("NAME", ""))).resolve()
        if database["ENGINE"] != "django.db.backends.sqlite3" or not name.is_relative_to(var_dir):
            raise CommandError(
                "--reset only deletes the demo's SQLite database under var/. DATABASE_URL points elsewhere: "
                "drop and recreate that database yourself, then run `alongside demo` again."
            )
        connections.close_all()
        removed = [path for path in _sqlite_files(name) if path.exists()]
        for path in removed:
            path.unlink()
        self.stdout.write(f"Deleted the demo database {name}." if removed else "No demo database to delete.")

    def _print_logins(self, config: SynthConfig, *, host: str, port: int) -> None:
        write, bold = self.stdout.write, self.style.MIGRATE_HEADING
        write("")
        write(bold(f"Alongside demo: {config.practice_name}"))
        write(f"  Open http://{host}:{port}/ and sign in. Every account's password is: {config.password}")
        write("  Clinicians: " + ", ".join(config.clinician_email(n) for n in range(1, config.n_clinicians + 1)))
        write(f"  Practice admin: {config.admin_email}")
        write(f"  Clients: {config.client_email(1)} ... {config.client_email(config.n_clients)}")
        write("  Staff sign in with a second factor. For a current code, run in another terminal:")
        write(f"    ALONGSIDE_PROFILE=demo uv run alongside otp {config.clinician_email(1)}")
        if not getattr(settings, "DEMO", False):
            write("  (`alongside otp` works only in the demo profile; this server runs the dev profile.)")
        write("  Everyone in this practice is made up. Emails are written to var/mail/.")
        write("")
