"""Import ``channels.testing.WebsocketCommunicator`` without Daphne.

The ``channels.testing`` package also imports its Daphne live-server helper, and Daphne is not
installed (our live server is uvicorn, see ``asgi_live_server``). The communicator itself needs only
asgiref, so when Daphne is missing a stand-in module lets the package import.
"""

from __future__ import annotations

import sys
from types import ModuleType

try:
    from channels.testing import WebsocketCommunicator
except ModuleNotFoundError as error:  # pragma: no cover - depends on the environment
    if error.name not in ("daphne", "daphne.testing"):
        raise
    stand_in = ModuleType("daphne.testing")
    stand_in.DaphneProcess = None  # type: ignore[attr-defined]
    sys.modules.setdefault("daphne", ModuleType("daphne"))
    sys.modules.setdefault("daphne.testing", stand_in)
    from channels.testing import WebsocketCommunicator

__all__ = ["WebsocketCommunicator"]
