"""Seed the fault drills' people (run as `python -m tests.platform.drill_seed` against a migrated database).

Prints one JSON line: ids, a read-write API token for Sam (client) and for Alice (his clinician), and a
session cookie for Sam.
"""

from __future__ import annotations

import json
import os


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
    import django

    django.setup()
    from django.test import Client

    from alongside.accounts.tokens import token_create
    from tests import factories

    world = factories.world()
    browser = Client()
    browser.force_login(world.sam.user, backend="alongside.accounts.backends.EmailBackend")
    print(
        json.dumps(
            {
                "sam": str(world.sam.pk),
                "alice": str(world.alice.pk),
                "sam_token": token_create(actor=world.sam.user, name="drill").plain,
                "alice_token": token_create(actor=world.alice, name="drill").plain,
                "sam_cookie": f"sessionid={browser.cookies['sessionid'].value}",
            }
        )
    )


if __name__ == "__main__":
    main()
