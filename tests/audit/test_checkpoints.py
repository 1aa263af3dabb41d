"""Signed checkpoints: written after commit every N events or M minutes, copied to an external anchor,
verifiable by an auditor with only the exported public key."""

from __future__ import annotations

import datetime as dt
import io
import json
import socket
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from alongside.audit import checkpoints
from alongside.audit.log import Entry, record, record_many
from alongside.audit.models import AuditAction
from alongside.audit.verify import verify

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def checkpoint_file(tmp_path: Path, settings) -> Path:
    path = tmp_path / "audit-checkpoints.jsonl"
    settings.ALONGSIDE_AUDIT_CHECKPOINT_FILE = str(path)
    settings.ALONGSIDE_AUDIT_CHECKPOINT_EVERY = 10
    settings.ALONGSIDE_AUDIT_CHECKPOINT_MINUTES = 10
    settings.ALONGSIDE_AUDIT_ANCHOR = ""
    checkpoints.forget_known()
    yield path
    checkpoints.forget_known()


def _batch(n: int) -> None:
    record_many([Entry(AuditAction.LOGIN_FAILED, detail={"n": i}) for i in range(n)])


def _seqs(path: Path) -> list[int]:
    return [checkpoints.parse_line(line).seq for _, line in checkpoints.read_lines(path)]


def test_a_checkpoint_follows_every_n_events_after_commit(checkpoint_file, django_capture_on_commit_callbacks):
    """The first write anchors the log at once; later ones only when ten more events have been added."""
    with django_capture_on_commit_callbacks(execute=True):
        _batch(3)
    with django_capture_on_commit_callbacks(execute=True):
        _batch(6)  # 9 events: 6 since the last checkpoint
    with django_capture_on_commit_callbacks(execute=True):
        _batch(4)  # 13: 10 since
    assert _seqs(checkpoint_file) == [3, 13]
    assert verify().ok


def test_nothing_is_written_before_the_transaction_commits(checkpoint_file, django_capture_on_commit_callbacks):
    """A checkpoint never names an event that might still be rolled back."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _batch(3)
    assert not checkpoint_file.exists()
    assert len(callbacks) == 1


def test_a_checkpoint_follows_m_minutes_after_the_last(checkpoint_file, django_capture_on_commit_callbacks):
    """A single event written eleven minutes after the last checkpoint is anchored too."""
    start = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False), django_capture_on_commit_callbacks(execute=True):
        _batch(2)
    with (
        time_machine.travel(start + dt.timedelta(minutes=5), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _batch(1)
    with (
        time_machine.travel(start + dt.timedelta(minutes=11), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _batch(1)
    assert _seqs(checkpoint_file) == [2, 4]


def test_an_unwritable_checkpoint_file_does_not_fail_the_write(settings, tmp_path, django_capture_on_commit_callbacks):
    """The events are committed; the failure is logged, not raised into the user's request."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.ALONGSIDE_AUDIT_CHECKPOINT_FILE = str(blocker / "checkpoints.jsonl")
    with django_capture_on_commit_callbacks(execute=True):
        written = record(AuditAction.LOGIN_FAILED)
    assert written.seq == 1


def test_the_external_file_anchor_receives_the_same_lines(settings, tmp_path, checkpoint_file):
    """With the local file gone, the anchor's copy still shows that the newest events were deleted."""
    anchor = tmp_path / "worm" / "anchor.jsonl"
    settings.ALONGSIDE_AUDIT_ANCHOR = str(anchor)
    _batch(12)
    call_command("audit", "checkpoint", stdout=io.StringIO())
    assert anchor.read_text() == checkpoint_file.read_text()
    report = verify(checkpoint_files=[anchor])
    assert (report.ok, report.checkpoints, report.last_checkpoint) == (True, 1, 12)


def test_the_syslog_anchor_sends_each_checkpoint_over_udp(settings):
    """A UDP syslog target on 127.0.0.1 receives the signed line, and an extract of it verifies."""
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(10)
    port = receiver.getsockname()[1]
    settings.ALONGSIDE_AUDIT_ANCHOR = f"syslog://127.0.0.1:{port}"
    try:
        _batch(5)
        call_command("audit", "checkpoint", stdout=io.StringIO())
        datagram = receiver.recv(65535).decode()
    finally:
        receiver.close()
    assert checkpoints.SYSLOG_PREFIX in datagram
    received = checkpoints.parse_line(datagram)
    assert (received.seq, received.count) == (5, 5)
    assert checkpoints.signature_ok(received, checkpoints.own_public_keys().values())


def test_an_auditor_verifies_checkpoints_with_the_exported_public_key(tmp_path, checkpoint_file):
    """`audit public-key` exports a PEM that verifies the checkpoints; another key's PEM does not."""
    _batch(4)
    call_command("audit", "checkpoint", stdout=io.StringIO())
    out = io.StringIO()
    call_command("audit", "public-key", stdout=out)
    pem = tmp_path / "auditor.pem"
    pem.write_text(out.getvalue())
    call_command("audit", "verify", "--public-key", str(pem), stdout=io.StringIO())

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    stranger = tmp_path / "stranger.pem"
    stranger.write_bytes(
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    with pytest.raises(CommandError, match="bad signature"):
        call_command("audit", "verify", "--public-key", str(stranger), stdout=io.StringIO())


def test_a_checkpoint_line_holds_sequence_head_and_count(checkpoint_file):
    """The line is compact JSON with the fields the documentation describes."""
    _batch(3)
    call_command("audit", "checkpoint", stdout=io.StringIO())
    line = json.loads(checkpoint_file.read_text().splitlines()[0])
    assert set(line) == {"at", "count", "head", "key", "seq", "sig", "v"}
    assert (line["seq"], line["count"], len(line["head"])) == (3, 3, 64)
