"""Background work of the wearables app on a clock, as ``django.tasks`` tasks run by `alongside worker`.

:func:`expire_uploads` is registered with :mod:`alongside.notify.schedule` (see apps) to run every hour: it
deletes the bytes and rows of unfinished uploads untouched for a day (see uploads).
"""

from __future__ import annotations

import datetime as dt

from django.tasks import task

HOURLY = dt.timedelta(hours=1)


@task
def expire_uploads() -> int:
    """Delete unfinished uploads not touched for 24 hours, with their bytes; return how many went."""
    from alongside.wearables.uploads import uploads_expire

    return uploads_expire()
