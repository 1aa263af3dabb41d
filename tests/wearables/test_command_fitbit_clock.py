"""`alongside wearables import --fitbit-clock` chooses how a Fitbit archive's per-minute times are read, as the web
upload does: UTC by default, or the wall clock of the archive's profile zone; anything else is refused.

A minute written 04:30 on 10 March in an archive whose profile zone is New York is 23:30 on 9 March read as
UTC and 04:30 on 10 March read as the profile's wall clock (see the Fitbit source's notes).
"""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from alongside.wearables.models import DailyFeature, ImportJob
from tests import factories
from tests.wearables.test_fitbit_minute_zone import PROFILE, STEPS
from tests.wearables.test_more_sources import archive


@pytest.fixture
def sam(db, settings, tmp_path):
    settings.WEARABLES_DIR = tmp_path / "store"
    return factories.world().sam


def run(client, tmp_path, *options: str) -> dict[str, object]:
    path = archive(tmp_path / "fitbit.zip", {"Profile.csv": PROFILE, "steps-2024-03-10.json": json.dumps(STEPS)})
    out = StringIO()
    call_command("wearables", "import", str(path), "--client", client.user.email, *options, stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("options", "day"),
    [((), 9), (("--fitbit-clock", "utc"), 9), (("--fitbit-clock", "profile"), 10)],
)
def test_the_clock_chosen_on_the_command_line_reaches_the_import(sam, tmp_path, options, day):
    """No choice or utc: the steps count for 9 March; profile: for 10 March."""
    result = run(sam, tmp_path, "--source", "fitbit", *options)
    assert result["samples_stored"] == 1
    steps = DailyFeature.objects.get(client=sam, metric="steps")
    assert (steps.day, steps.value) == (dt.date(2024, 3, day), 120)


@pytest.mark.parametrize(
    ("options", "words"),
    [
        (("--source", "fitbit", "--fitbit-clock", "device"), ("--fitbit-clock", "invalid choice", "utc", "profile")),
        (("--source", "apple", "--fitbit-clock", "profile"), ("--fitbit-clock", "Fitbit archives only")),
    ],
)
def test_an_unknown_clock_or_a_clock_for_another_source_is_refused(sam, tmp_path, options, words):
    """An unknown reading names the option and the two choices; a clock with another source says what it is for."""
    with pytest.raises(CommandError) as refused:
        run(sam, tmp_path, *options)
    assert all(word in str(refused.value) for word in words), str(refused.value)
    assert not ImportJob.objects.exists()
