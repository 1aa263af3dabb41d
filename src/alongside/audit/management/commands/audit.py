"""`alongside audit verify | checkpoint | link | public-key`: check the audit chain and its signed checkpoints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.audit import checkpoints
from alongside.audit.chainer import chain_tail
from alongside.audit.models import AuditEvent
from alongside.audit.verify import Report, verify
from alongside.crypto.keys import known_master_keys


class Command(BaseCommand):
    help = "Verify the audit chain against its signed checkpoints, write a checkpoint, or print the public key."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{verify,checkpoint,link,public-key}")
        check = sub.add_parser("verify", help="Walk the chain, recompute every hash, compare with the checkpoints.")
        check.add_argument(
            "--checkpoints",
            type=Path,
            action="append",
            default=None,
            help="A checkpoint file (or a syslog extract) to check against; repeat for several. "
            "Default: ALONGSIDE_AUDIT_CHECKPOINT_FILE.",
        )
        check.add_argument(
            "--public-key",
            type=Path,
            action="append",
            default=None,
            help="Accept checkpoints signed by this exported key (PEM) instead of the configured master keys.",
        )
        sub.add_parser("checkpoint", help="Sign and append a checkpoint of the newest event now.")
        sub.add_parser(
            "link", help="Link the events written while another writer held the chain's lock now (PostgreSQL)."
        )
        sub.add_parser("public-key", help="Print the public keys (PEM) that verify checkpoints.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "checkpoint":
            self._checkpoint()
        elif options["action"] == "link":
            linked = chain_tail()
            self.stdout.write(f"Events linked into the chain: {linked}.")
        elif options["action"] == "public-key":
            for key_id, master in known_master_keys().items():
                self.stdout.write(f"# master key {key_id}\n{checkpoints.public_key_pem(master)}")
        else:
            self._verify(options["checkpoints"], options["public_key"])

    def _checkpoint(self) -> None:
        if checkpoints.checkpoint_path() is None:
            raise CommandError("ALONGSIDE_AUDIT_CHECKPOINT_FILE is empty: checkpoints are turned off.")
        last = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").values("seq", "hash").first()
        if last is None:
            self.stdout.write("The audit log is empty; no checkpoint written.")
            return
        written = checkpoints.checkpoint_write(seq=int(last["seq"] or 0), head=last["hash"], force=True)
        if written is None:
            self.stdout.write(f"Event #{last['seq']} is already covered by a checkpoint.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Checkpoint written for event #{written.seq}."))

    def _verify(self, files: list[Path] | None, key_files: list[Path] | None) -> None:
        keys = [checkpoints.load_public_key(path.read_bytes()) for path in key_files] if key_files else None
        report = verify(checkpoint_files=files, public_keys=keys)
        self.stdout.write(_summary(report))
        if not report.ok:
            lines = "\n".join(f"  - {problem.message}" for problem in report.problems)
            raise CommandError(
                f"Audit log NOT intact ({len(report.problems)} problem(s)):\n{lines}\n"
                f"Last verified event: #{report.last_verified}. Events missing: {report.missing}. "
                "Compare with a backup and the external anchor to see what changed."
            )
        self.stdout.write(self.style.SUCCESS(f"{report.checked} events, chain intact"))


def _summary(report: Report) -> str:
    lines = [
        f"Events verified: {report.checked} (last verified: #{report.last_verified})",
        f"Legacy events (unkeyed SHA-256, before keyed hashing): {report.legacy}",
        f"Signed checkpoints: {report.checkpoints} (newest: #{report.last_checkpoint})",
    ]
    if report.unlinked:
        lines.append(f"Events written but not yet linked into the chain: {report.unlinked}")
    lines.extend(f"Warning: {warning}" for warning in report.warnings)
    if report.ok and report.last_verified > report.last_checkpoint:
        lines.append(
            f"Note: events #{report.last_checkpoint + 1}-#{report.last_verified} are not yet covered by a "
            "checkpoint; `alongside audit checkpoint` writes one now."
        )
    return "\n".join(lines)
