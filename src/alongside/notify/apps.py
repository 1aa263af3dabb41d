from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "alongside.notify"
    label = "notify"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from django.core import checks

        from alongside.audit.models import register_actions
        from alongside.notify.live import check_live_backend
        from alongside.notify.models import NotifyAuditAction

        register_actions(NotifyAuditAction)
        checks.register(check_live_backend)
