"""The wearables step of a client's erasure (registered with care.erasure in WearablesConfig.ready).

The rows go with the client record (CASCADE); the sample files are deleted once the erasure commits, so an
erasure that rolls back leaves them as they were. The data key is destroyed in the same erasure, so the
files are unreadable even before they are deleted (and on a backup of the disk).
"""

from __future__ import annotations

from django.db import transaction

from alongside.care.erasure import Erasure


def delete_samples(erasure: Erasure) -> None:
    """Delete the client's sample files once the erasure commits."""
    from alongside.wearables import storage  # pyarrow and duckdb load only when samples are touched
    from alongside.wearables.uploads import delete_parts

    client_id = erasure.client_id
    delete_parts(client_id=client_id)  # unfinished uploads' bytes (raw exports), listed before the rows go
    transaction.on_commit(lambda: storage.delete(client_id=client_id))
