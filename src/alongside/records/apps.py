from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "alongside.records"
    label = "records"
    verbose_name = "Clinical records"

    def ready(self) -> None:
        from alongside.audit.models import register_actions
        from alongside.records.models import RecordsAuditAction

        register_actions(RecordsAuditAction)

        from alongside.records.page_parts import register

        register()
