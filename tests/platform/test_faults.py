"""Fault drills on real processes (security issue #11, "Faults"): PostgreSQL restarted under load, Redis down,
SMTP down, a worker killed mid-send. Each starts its own servers on 127.0.0.1 and stops them itself.

They run once, in the PostgreSQL pass of `make test` (DATABASE_URL set to PostgreSQL); their own cluster is
separate from the test database.
"""

from __future__ import annotations

import os
import threading
import uuid

import pytest

from tests.platform import stack

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="runs in the PostgreSQL pass"
)


@pytest.fixture(scope="module")
def drill(tmp_path_factory):
    """One private cluster, migrated and seeded, shared by the drills of this module."""
    with stack.cluster() as cluster:
        var_dir = tmp_path_factory.mktemp("var")
        env = stack.app_env(cluster.url, var_dir)
        people = stack.seed(env)
        yield cluster, env, people, var_dir


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
