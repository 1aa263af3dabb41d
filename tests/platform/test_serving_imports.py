"""A serving process never imports the analytics libraries: their first import holds the interpreter for seconds.

The 10-minute load bench (issue #11) found questionnaire submissions taking 9.6 s at p99: the first PHQ-9 or
GAD-7 submission in each server process refreshed the client's risk warnings, and loading the reference
models imported Ibis through the population pipeline (4.5 s of import with the GIL held, stalling every
other request of that process).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, os, sys
import django
django.setup()
from alongside.runtime import settle
settle()
from alongside.risk.services import active_models
active_models()
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"ibis", "sklearn", "statsmodels", "pyspark", "scipy"})
print(json.dumps(heavy))
"""


def test_serving_process_loads_risk_models_without_analytics_libraries() -> None:
    """After start-up and loading the models a risk refresh uses, no analytics library is imported."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "alongside.settings", "ALONGSIDE_PROFILE": "test"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120, check=True
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
