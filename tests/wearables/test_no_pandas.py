"""Importing an Apple Health export never imports pandas, which pyarrow would load for about 0.25 s of CPU.

Each export is imported in a fresh process with Django set up, the way ``bench/wearables.py``'s ``full``
method does it (parse into a spill, de-duplicate, seal, features, baselines), then imported a second time
against the first import's sealed file as the stored samples (so the stored read and the de-duplication
against it run too, and every sample comes back a duplicate). pandas must then be absent from
``sys.modules``, and still importable and usable by pyarrow afterwards in the same process (nothing hides
it: ``alongside.risk`` builds tables from data frames).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, os, sys, tempfile
from pathlib import Path
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
import django
django.setup()
from django.conf import settings
from alongside.wearables import chunked, spill, storage
from alongside.wearables.baselines import with_baselines
from alongside.wearables.sources.apple_health import parser as apple

key = os.urandom(32)
storage.data_key = lambda *_a, **_k: key  # as the bench: no database, a random key stands in
storage.system_allocator()
counts = []
with tempfile.TemporaryDirectory() as folder:
    settings.WEARABLES_DIR = Path(folder)
    stored = lambda _low, _high: []
    for job in ("first", "second"):
        spilled = spill.Spill(Path(folder) / f"spill-{job}")
        parsed = apple.parse(Path(sys.argv[1]), spilled)
        spilled.take(parsed.samples)
        writer = storage.SealedWriter(client_id="test", job_id=job)
        outcome = chunked.run(spill=spilled, like=parsed.samples, stored=stored, writer=writer)
        writer.close()
        spilled.close()
        with_baselines(outcome.features)
        counts.append([outcome.incoming, outcome.stored, len(outcome.features)])
        plain = storage.opened(client_id="test", job_id="first")
        stored = lambda low, high: [storage.from_plain(plain, (low, high))]
loaded = "pandas" in sys.modules
import pandas
import pyarrow as pa
from tests.wearables.conftest import once

pytestmark = once
usable = pa.table(pandas.DataFrame({"x": [1, 2]})).num_rows == 2
print(json.dumps({"loaded": loaded, "counts": counts, "usable": usable}))
"""


@pytest.mark.parametrize("name", ["tdda-export6s3sample.xml", "dogsheep-export.xml"])
def test_apple_import_leaves_pandas_unloaded(name: str) -> None:
    """A fresh process that imports a real Apple export twice has not imported pandas, and still can."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(FIXTURES / name)], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    (incoming, stored, days), (again, stored_again, _) = result["counts"]
    assert incoming > 0
    assert stored > 0
    assert days > 0
    assert (again, stored_again) == (incoming, 0)  # the second import finds every sample already stored
    assert result["loaded"] is False
    assert result["usable"] is True
