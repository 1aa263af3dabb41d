"""Writes for self-care. Every function is keyword-only, atomic and audited.

Each area has its own module; callers import from this package. Add your own import
lines below (one block per area) rather than editing another area's block.
"""

from alongside.selfcare.services.checkins import (  # noqa: F401
    ACTIVITIES,
    EMOTIONS,
    CheckInInput,
    checkin_create,
)
