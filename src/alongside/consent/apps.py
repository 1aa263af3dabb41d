from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "alongside.consent"
    label = "consent"
    verbose_name = "Consent and sharing"

    def ready(self) -> None:
        from alongside.care.services import PRACTICE_CREATED_HOOKS
        from alongside.consent.services import consent_document_start

        if consent_document_start not in PRACTICE_CREATED_HOOKS:
            PRACTICE_CREATED_HOOKS.append(consent_document_start)
