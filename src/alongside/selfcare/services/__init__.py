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
from alongside.selfcare.services.exercises import (  # noqa: F401
    entry_complete,
    entry_create,
    entry_update,
)
from alongside.selfcare.services.homework import (  # noqa: F401
    AssignmentInput,
    assignment_change,
    assignment_end,
    assignment_set,
    task_complete,
    task_mark_opened,
    task_mark_seen,
    tasks_complete_for,
    tasks_expire,
    tasks_materialise,
    tasks_materialise_for,
    tasks_reconcile,
    tasks_remind,
)
from alongside.selfcare.services.practice import (  # noqa: F401
    activity_log_create,
    exposure_log_create,
)
from alongside.selfcare.services.practice_tools import (  # noqa: F401
    module_mark_read,
    tool_practice_log,
)
from alongside.selfcare.services.topics import topic_mark_addressed, topic_raise  # noqa: F401
