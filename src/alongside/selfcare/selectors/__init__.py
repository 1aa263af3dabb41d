"""Reads for self-care, each through the access layer; reads by staff are audited.

Each area has its own module; callers import from this package. Add your own import
lines below (one block per area) rather than editing another area's block.
"""

from alongside.selfcare.selectors.checkins import (  # noqa: F401
    CheckInView,
    checkin_calendar,
    checkin_own,
    checkin_saved,
    checkin_streak,
    checkin_summary,
    checkin_today,
    checkins_for,
    checkins_own,
    client_today,
    mood_client,
    moods_for,
)
from alongside.selfcare.selectors.exercises import (  # noqa: F401
    ClientExercises,
    activity_week,
    entries_own,
    entry_own,
    exercises_for,
    habituation,
    staff_exercises,
)
from alongside.selfcare.selectors.homework import (  # noqa: F401
    assignments_for,
    caseload_columns,
    caseload_selfcare_from,
    caseload_selfcare_summary,
    derive_completions,
    homework_client,
    own_task,
    today_for,
    topics_for,
    topics_own,
)
from alongside.selfcare.selectors.tools import (  # noqa: F401
    ToolUse,
    modules,
    modules_read,
    tool_history,
)
