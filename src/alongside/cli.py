"""The ``alongside`` command: the project's manage.py."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        # Configuration mistakes get their message, not a traceback.
        print(f"alongside: {exc}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
