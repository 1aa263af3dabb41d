"""bench/stacks.py: py-spy's collapsed stacks summed into categories and the heaviest functions."""

from __future__ import annotations

from bench import stacks

SITE = "/work/main/.venv/lib/python3.12/site-packages"
LIB = "/root/.pyenv/versions/3.12.1/lib/python3.12"
SRC = "/work/main/src"

THREAD = f"_bootstrap ({LIB}/threading.py:1030);run ({LIB}/concurrent/futures/thread.py:58)"
VIEW = f"{THREAD};thread_handler ({SITE}/asgiref/sync.py:522);__call__ ({SITE}/django/utils/deprecation.py:129)"

# A check-in worker's recording in miniature: 100 samples.
FIXTURE = f"""\
{VIEW};checkin_create ({SRC}/alongside/selfcare/services.py:40);append ({SRC}/alongside/audit/log.py:90);new ({LIB}/hmac.py:167) 10
{VIEW};checkin_create ({SRC}/alongside/selfcare/services.py:40);execute ({SITE}/psycopg/cursor.py:732) 12
{VIEW};checkin_create ({SRC}/alongside/selfcare/services.py:40);Connection.wait ({SITE}/psycopg/connection.py:9) 8
{VIEW};checkin_create ({SRC}/alongside/selfcare/services.py:40);as_sql ({SITE}/django/db/models/sql/compiler.py:700) 15
{VIEW};_live_by_prefix ({SRC}/alongside/accounts/tokens.py:80) 5
{VIEW};seal ({SRC}/alongside/crypto/fields.py:30);encrypt ({SITE}/cryptography/hazmat/aead.py:10) 5
{VIEW};getconn ({SITE}/psycopg_pool/pool.py:190);Condition.wait ({LIB}/threading.py:355) 5
{THREAD};Queue.get ({LIB}/queue.py:171) 10
run_forever ({LIB}/asyncio/base_events.py:641);_run_once ({LIB}/asyncio/base_events.py:1987);EpollSelector.select ({LIB}/selectors.py:468) 20
run_forever ({LIB}/asyncio/base_events.py:641);data_received ({SITE}/uvicorn/protocols/http/httptools_impl.py:120) 10
not a stack line
"""


def summary() -> stacks.Summary:
    return stacks.read_lines(FIXTURE.splitlines())


def test_samples_go_to_the_deepest_frame_outside_the_standard_library():
    """hmac under the audit chain is the chain's; a stack of the standard library only goes by its deepest
    module that has a category (the event loop); a waiting leaf is a wait: for the pool, the database, or idle."""
    result = summary()
    assert result.samples == 100
    assert dict(result.by_category) == {
        "audit chain (HMAC, fingerprint)": 10,
        "psycopg and Django's backend wrapper (CPU)": 12,
        "database wait (psycopg waiting for the server)": 8,
        "Django ORM (query building, rows to objects)": 15,
        "our access layer (token, profile)": 5,
        "encryption (sealing)": 5,
        "pool check-out (waiting)": 5,
        "idle / waiting (locks, queues, the loop's poll)": 30,
        "uvicorn / asyncio event loop": 10,
    }


def test_inclusive_shares_count_a_category_once_per_sample():
    """Every sample under the middleware counts once for it, however many of its frames are on the stack."""
    result = summary()
    assert result.inclusive_category["Django middleware"] == 60
    assert result.inclusive_category["our services and views"] == 45
    assert result.inclusive_category["asgiref thread hand-off (sync_to_async, executor, locks)"] == 70


def test_leaf_and_inclusive_functions_are_named_by_package_path():
    result = summary()
    assert result.leaf["execute (psycopg/cursor.py)"] == 12
    assert result.leaf["EpollSelector.select (selectors.py)"] == 20
    assert result.inclusive["checkin_create (alongside/selfcare/services.py)"] == 45
    assert result.inclusive["run_forever (asyncio/base_events.py)"] == 30


def test_report_prints_the_category_table_and_the_top_functions():
    text = stacks.report(summary(), top=3)
    assert "| uvicorn / asyncio event loop | 10.0% | 30.0% |" in text
    assert "Top 3 leaf functions (self time):" in text
    assert "20.0%  EpollSelector.select (selectors.py)" in text
    assert "| idle / waiting (locks, queues, the loop's poll) | 30.0% |" in text
