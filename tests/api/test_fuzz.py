"""API fuzzing: schemathesis generates requests from our OpenAPI document and sends them to a live server.

Every operation of ``/api/v1/openapi.json`` is called with generated parameters and bodies, as a
client (Sam) and as a clinician (Alice, Sam's therapist), with a personal access token each;
path parameters are either generated or the ids of real records, so requests reach the code
behind the access checks too, and both valid and invalid data are generated. No answer may be a server error (5xx), and every answer whose
status the document describes must match the documented schema.

ALONGSIDE_FUZZ_EXAMPLES sets the examples per operation and person (default 25; the run takes
about a minute or two). Generation is derandomized, so a run is repeatable. This runs in the
SQLite pass of `make test` only; the PostgreSQL pass skips it.
"""

from __future__ import annotations

import itertools
import os
import re
from collections import Counter
from typing import Any

import pytest
from django.db import connection

from alongside.accounts import tokens
from alongside.measures import selectors as measure_selectors
from alongside.measures import services as measures
from alongside.selfcare import services as selfcare
from tests.measures.support_measures import measures_library, phq9_answers  # noqa: F401

pytestmark = [pytest.mark.fuzz, pytest.mark.usefixtures("measures_library")]


def _records(world) -> dict[str, str]:
    """Real ids for path parameters: Sam's record, a response in progress, an open alert, a check-in."""
    sam = world.sam
    open_response = measures.response_start(
        actor=sam.user, client_id=sam.pk, instrument="phq9", idempotency_key="fuzz-0001"
    )
    critical = measures.response_start(actor=sam.user, client_id=sam.pk, instrument="phq9", idempotency_key="fuzz-0002")
    measures.response_submit(
        actor=sam.user, response_id=critical.pk, idempotency_key="fuzz-0002", answers=phq9_answers(item9=1)
    )
    alert = measure_selectors.open_alerts_for(user=world.alice)[0]
    selfcare.checkin_create(actor=sam.user, client=sam.pk, idempotency_key="fuzz-0003", mood=5)
    return {"client_id": str(sam.pk), "response_id": str(open_response.pk), "alert_id": str(alert.pk)}


_keys = itertools.count(1)


def _with_usable_key(case: Any) -> Any:
    """Give a generated write an idempotency key the services accept (letters, digits, - _ . :), so the
    request gets past the key check to the code that stores it."""
    if isinstance(case.body, dict) and "idempotency_key" in case.body:
        case.body["idempotency_key"] = f"fuzz-key-{next(_keys):06d}"
    return case


def _fuzz(operation: Any, *, base_url: str, token: str, known: dict[str, str], examples: int) -> Counter[int]:
    """Call one operation with generated requests; return the statuses, or raise on the first failed check
    (shrunk by Hypothesis)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance

    names = set(re.findall(r"{(\w+)}", operation.path))
    fixed = {name: value for name, value in known.items() if name in names}
    strategies = []
    for path_parameters in [None, fixed] if fixed else [None]:
        valid = operation.as_strategy(generation_mode=GenerationMode.POSITIVE, path_parameters=path_parameters)
        invalid = operation.as_strategy(generation_mode=GenerationMode.NEGATIVE, path_parameters=path_parameters)
        strategies += [valid, valid.map(_with_usable_key), invalid]
    strategy = st.one_of(*strategies)
    headers = {"Authorization": f"Bearer {token}"}
    statuses: Counter[int] = Counter()

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def check(case: Any) -> None:
        response = case.call(base_url=base_url, headers=headers, timeout=30)
        statuses[response.status_code] += 1
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance], headers=headers)

    check()
    return statuses


def test_no_generated_request_gets_a_server_error_or_an_undocumented_answer(asgi_live_server, world):
    """Generated requests to every API operation, as a client and as a clinician, get no 5xx and
    only answers that match the OpenAPI document."""
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite pass of `make test` runs the API fuzzing")
    import schemathesis

    examples = int(os.environ.get("ALONGSIDE_FUZZ_EXAMPLES", "25"))
    known = _records(world)
    people = {
        "client": tokens.token_create(actor=world.sam.user, name="fuzz").plain,
        "clinician": tokens.token_create(actor=world.alice, name="fuzz").plain,
    }
    schema = schemathesis.openapi.from_url(f"{asgi_live_server.url}/api/v1/openapi.json", timeout=30)
    failures = []
    statuses: Counter[int] = Counter()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20  # the whole document, not an empty one
    for operation in operations:
        for who, token in people.items():
            try:
                statuses += _fuzz(operation, base_url=asgi_live_server.url, token=token, known=known, examples=examples)
            except Exception as error:
                failures.append(f"{operation.method.upper()} {operation.path} as the {who}: {error}")
    print(f"fuzzed {len(operations)} operations: {sorted(statuses.items())}")
    assert not failures, "\n\n".join(failures)
    assert statuses.total() >= len(operations) * len(people) * min(examples, 5)
    assert sum(n for status, n in statuses.items() if status < 300) > len(operations)  # not only refusals
