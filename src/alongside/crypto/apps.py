from django.apps import AppConfig


class CryptoConfig(AppConfig):
    name = "alongside.crypto"
    label = "crypto"
    verbose_name = "Encryption keys"

    def ready(self) -> None:
        from alongside.crypto import checks  # noqa: F401  (registers system checks)
