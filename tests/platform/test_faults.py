"""Fault drills on real processes (security issue #11, "Faults"): PostgreSQL restarted under load, Redis down,
SMTP down, a worker killed mid-send. Each starts its own servers on 127.0.0.1 and stops them itself.

They run once, in the PostgreSQL pass of `make test` (DATABASE_URL set to PostgreSQL); their own cluster is
separate from the test database.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid

import pytest

from tests.platform import stack

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="runs in the PostgreSQL pass"
)


def _checkin(base: str, token: str, key: str) -> stack.Answer:
    return stack.http(
        "POST", f"{base}/api/v1/selfcare/checkins", token=token, payload={"mood": 6}, headers={"Idempotency-Key": key}
    )


def test_postgres_restart_under_load_answers_503_then_recovers_and_loses_nothing(drill, tmp_path):
    """While PostgreSQL restarts, the API answers 503 JSON and pages a styled 503, both with Retry-After;
    afterwards every request succeeds, and every check-in that was accepted (201) is in the database once."""
    cluster, env, people, _ = drill
    server, base = stack.serve(env, tmp_path / "server.log")
    accepted: dict[str, int] = {}
    outcomes: list[int] = []
    stop = threading.Event()

    def load() -> None:
        while not stop.is_set():
            key = f"load-{uuid.uuid4().hex[:16]}"
            answer = _checkin(base, people["sam_token"], key)
            outcomes.append(answer.status)
            if answer.status == 201:
                accepted[key] = 1

    threads = [threading.Thread(target=load) for _ in range(3)]
    try:
        for thread in threads:
            thread.start()
        stack.wait_for(lambda: len(accepted) >= 10, what="load to be accepted")
        cluster.stop("immediate")  # a crash, not a polite shutdown
        api = stack.http("GET", f"{base}/api/v1/me", token=people["sam_token"])
        page = stack.http("GET", f"{base}/", cookie=people["sam_cookie"])
        retried = _checkin(base, people["sam_token"], "retried-across-restart")
        stack.wait_for(lambda: outcomes.count(503) >= 3, what="503s under load")
        cluster.start()
        stack.wait_for(lambda: outcomes[-5:] == [201] * 5, timeout=60, what="load to succeed again")
        again = _checkin(base, people["sam_token"], "retried-across-restart")
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
        server.stop()

    assert api.status == 503
    assert api.json()["detail"]
    assert int(api.headers["retry-after"]) > 0
    assert page.status == 503
    assert "Briefly unavailable" in page.body
    assert "alongside.css" in page.body, "the styled page, not a bare error"
    assert int(page.headers["retry-after"]) > 0
    assert retried.status == 503
    assert again.status == 201, "a request refused during the outage succeeds when retried"
    assert set(outcomes) <= {201, 503}, f"only success or a clean 503: {sorted(set(outcomes))}"
    stored = set(cluster.psql("select idempotency_key from selfcare_checkin").split())
    assert set(accepted) <= stored, "every accepted check-in is stored"
    assert "retried-across-restart" in stored


def _outbox(cluster: stack.Cluster, where: str) -> list[tuple[str, ...]]:
    rows = cluster.psql(f"select id, status, attempts, last_error from notify_outboundemail where {where} order by 1")
    return [tuple(line.split("|")) for line in rows.splitlines() if line]


def _enqueue_email(env: dict[str, str]) -> str:
    code = (
        "from django.db import transaction\n"
        "from alongside.notify.mail import email_enqueue\n"
        "with transaction.atomic():\n"
        "    e = email_enqueue(to='drill@example.test', subject='Drill', body='Drill', kind='drill')\n"
        "print('EMAIL=' + str(e.pk))\n"
    )
    out = stack.alongside("shell", "-c", code, env=env)
    return next(line[6:] for line in out.splitlines() if line.startswith("EMAIL="))


def test_a_worker_killed_mid_send_is_retried_and_the_email_arrives_once_in_effect(drill, tmp_path):
    """A worker killed after the mail server took the email but before recording it: once its claim runs out,
    another worker sends it again with the same Message-ID, so the recipient's system keeps one."""
    cluster, env, _, _ = drill
    sink = stack.SmtpSink()
    sink.start()
    sink.hang_on = "Subject: Drill"
    wenv = {**env, **sink.env(), "ALONGSIDE_EMAIL_LEASE_SECONDS": "3"}
    try:
        email_id = _enqueue_email(wenv)
        first = stack.worker(wenv, tmp_path / "first.log", "--sweep-every", "1")
        stack.wait_for(lambda: sink.hung.is_set(), what="the first worker to hand the email over")
        first.kill()
        assert _outbox(cluster, f"id = '{email_id}'") == [(email_id, "sending", "1", "")]
        sink.hang_on = ""
        sink.release.set()
        second = stack.worker(wenv, tmp_path / "second.log", "--sweep-every", "1")
        try:
            stack.wait_for(
                lambda: _outbox(cluster, f"id = '{email_id}' and status = 'sent'"), what="the resend after the lease"
            )
        finally:
            second.stop()
    finally:
        sink.stop()
    assert _outbox(cluster, f"id = '{email_id}'") == [(email_id, "sent", "2", "")]
    ours = [text for text in sink.messages if f"<{email_id}@" in text]
    assert len(ours) == 2, "sent again: at least once"
    assert {f"<{email_id}@alongside.invalid>"} == {i for i in sink.message_ids() if email_id in i}, "one in effect"


def test_smtp_down_retries_through_the_outbox_and_the_critical_alert_is_in_app_at_once(drill, tmp_path):
    """With the mail server down, a critical PHQ-9 answer still makes the alert and the clinician's in-app
    notice at once; the emails are retried with backoff and go out when the server comes back."""
    cluster, env, people, _ = drill
    sink = stack.SmtpSink()  # its port is chosen, but nothing listens yet: the server is down
    senv = {**env, **sink.env(), "ALONGSIDE_EMAIL_RETRY_SECONDS": "1"}
    since = cluster.psql("select now()")
    mine = f"kind = 'notify.alert' and created_at > '{since}'"
    server, base = stack.serve(senv, tmp_path / "server.log")
    work = stack.worker(senv, tmp_path / "worker.log", "--sweep-every", "1")
    try:
        started = stack.http(
            "POST",
            f"{base}/api/v1/measures/responses",
            token=people["sam_token"],
            payload={"instrument": "phq9", "idempotency_key": "drill-phq9-start"},
        )
        assert started.status == 200, started.body
        answers = {f"phq9-{n}": 1 for n in range(1, 9)} | {"phq9-9": 2, "phq9-10": 1}
        submitted = stack.http(
            "POST",
            f"{base}/api/v1/measures/responses/{started.json()['id']}/submit",
            token=people["sam_token"],
            payload={"idempotency_key": "drill-phq9-start", "answers": answers},
        )
        assert submitted.status == 200, submitted.body
        alerts = stack.http("GET", f"{base}/api/v1/alerts", token=people["alice_token"])
        assert alerts.status == 200
        assert len(alerts.json()) == 1, "the alert is there for Alice at once"
        in_app = cluster.psql(f"select count(*) from notify_notification where recipient_id = '{people['alice']}'")
        assert in_app == "1", "and so is her in-app notice"
        stack.wait_for(
            lambda: _outbox(cluster, f"{mine} and attempts >= 2"),
            what="a retry while the mail server is down",
        )
        (row,) = _outbox(cluster, mine)
        assert row[1] == "pending"
        assert row[3] == "ConnectionRefusedError"
        sink.start()
        stack.wait_for(lambda: _outbox(cluster, f"{mine} and status = 'sent'"), what="the alert email")
    finally:
        work.stop()
        server.stop()
        sink.stop()
    assert any("A client needs your attention" in text for text in sink.messages)
    emailed = cluster.psql(
        "select count(*) from notify_notification where emailed_at is not null and topic like 'measures.alert:%'"
        f" and recipient_id = '{people['alice']}'"
    )
    assert emailed == "1"


def test_redis_down_keeps_messages_and_live_delivery_resumes(drill, tmp_path):
    """Redis stopped: a message is still stored and shows on reload; when Redis is back, live events flow again."""
    from websockets.sync.client import connect

    _, env, people, _ = drill
    redis = stack.Redis(tmp_path)
    redis.start()
    renv = {**env, "REDIS_URL": redis.url}
    server, base = stack.serve(renv, tmp_path / "server.log")
    ws_url = base.replace("http://", "ws://") + "/ws/notifications/"
    headers = {"Cookie": people["sam_cookie"], "Origin": base}

    def send(text: str) -> stack.Answer:
        return stack.http(
            "POST",
            f"{base}/api/v1/messages/{people['sam']}",
            token=people["alice_token"],
            payload={"body": text, "idempotency_key": f"drill-{uuid.uuid4().hex[:12]}"},
        )

    def read_all() -> list[str]:
        """Sam opens his thread and reads it (a message notice is made again only after a read)."""
        thread = stack.http("GET", f"{base}/api/v1/messages/{people['sam']}", token=people["sam_token"]).json()
        stack.http(
            "POST",
            f"{base}/api/v1/messages/{people['sam']}/read",
            token=people["sam_token"],
            payload={"seq": thread["last_seq"]},
        )
        return [m["body"] for m in thread["messages"]]

    def live_event_after(text: str) -> dict[str, object]:
        read_all()
        with connect(ws_url, additional_headers=headers, open_timeout=10) as socket:
            assert send(text).status == 201
            return dict(json.loads(socket.recv(timeout=10)))

    try:
        assert live_event_after("before the outage")["type"] == "notification"
        redis.stop()
        during = send("while redis is down")
        assert during.status == 201, during.body
        assert "while redis is down" in read_all(), "stored, and there on reload"
        redis.start()
        event = stack.wait_for(lambda: _try(live_event_after, "after the outage"), timeout=30, what="live events")
        assert event["type"] == "notification"
    finally:
        server.stop()
        redis.stop()


def _try(fn, *args):
    """Call ``fn``; on an error (a service still coming back) say so and wait a little."""
    try:
        return fn(*args)
    except Exception as error:
        print(f"not yet: {error!r}")
        time.sleep(0.5)
        return None


def _multipart(fields: dict[str, str], file_field: str, filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    body = b"".join([*parts, head, data, f"\r\n--{boundary}--\r\n".encode()])
    return body, f"multipart/form-data; boundary={boundary}"


def test_a_full_disk_refuses_an_upload_clearly_and_stores_nothing(drill, tmp_path):
    """Attachments live in PostgreSQL; with their table on a real 2 MB filesystem, a 3 MB upload is refused with
    a clear 507 page, and neither the message nor any part of the file is stored. Messages without a file still go."""
    cluster, env, people, _ = drill
    mount = cluster.base / "small-disk"  # inside the cluster's folder, which PostgreSQL's user may enter
    mount.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(mount)], check=False)
    if mounted.returncode != 0:
        pytest.skip("mounting a small tmpfs is not permitted here")
    server = None
    try:
        owner = cluster.run_as
        if owner is not None:
            os.chown(mount, owner.pw_uid, owner.pw_gid)
        cluster.psql(f"create tablespace drill_small location '{mount}'")
        cluster.psql("alter table messaging_attachment set tablespace drill_small")
        server, base = stack.serve(env, tmp_path / "server.log")
        before = cluster.psql("select count(*) from messaging_message")
        files = cluster.psql("select count(*) from messaging_attachment")

        def upload(size: int, key: str) -> stack.Answer:
            page = stack.http("GET", f"{base}/messages/thread/", cookie=people["sam_cookie"])
            token = page.body.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
            csrf = page.headers["set-cookie"].split("csrftoken=", 1)[1].split(";", 1)[0]
            body, kind = _multipart(
                {"csrfmiddlewaretoken": token, "body": "with a file", "idempotency_key": key},
                "attachment",
                "scan.pdf",
                b"%PDF-1.4\n" + os.urandom(size),
            )
            request = urllib.request.Request(f"{base}/messages/thread/", data=body, method="POST")
            request.add_header("Content-Type", kind)
            request.add_header("Cookie", f"{people['sam_cookie']}; csrftoken={csrf}")
            request.add_header("Referer", f"{base}/messages/thread/")
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    return stack.Answer(response.status, {}, response.read().decode())
            except urllib.error.HTTPError as error:
                return stack.Answer(error.code, {}, error.read().decode())

        refused = upload(3 * 1024 * 1024, f"drill-{uuid.uuid4().hex[:12]}")
        assert refused.status == 507, refused.body[:500]
        assert "No room to save this" in refused.body
        assert "Nothing was saved" in refused.body
        assert cluster.psql("select count(*) from messaging_message") == before, "no message without its file"
        assert cluster.psql("select count(*) from messaging_attachment") == files, "no part of the file"
        # The failure is contained: a message without a file still goes.
        text = stack.http(
            "POST",
            f"{base}/api/v1/messages/{people['sam']}",
            token=people["sam_token"],
            payload={"body": "no file this time", "idempotency_key": f"drill-{uuid.uuid4().hex[:12]}"},
        )
        assert text.status == 201
    finally:
        if server is not None:
            server.stop()
        cluster.psql("alter table messaging_attachment set tablespace pg_default")
        cluster.psql("drop tablespace if exists drill_small")
        subprocess.run(["umount", "-l", str(mount)], check=False)
