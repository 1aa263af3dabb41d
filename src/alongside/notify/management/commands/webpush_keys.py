"""`alongside webpush_keys`: print a new VAPID key pair for Web Push, as the two settings to set."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from alongside.notify.webpush import vapid_keys_new


class Command(BaseCommand):
    help = "Print a new VAPID key pair for Web Push (ALONGSIDE_WEBPUSH_VAPID_PUBLIC_KEY and ..._PRIVATE_KEY)."

    def handle(self, *args: Any, **options: Any) -> None:
        public, private = vapid_keys_new()
        self.stdout.write(f"ALONGSIDE_WEBPUSH_VAPID_PUBLIC_KEY={public}\n")
        self.stdout.write(f"ALONGSIDE_WEBPUSH_VAPID_PRIVATE_KEY={private}\n")
