from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "alongside.notify"
    label = "notify"
    verbose_name = "Notifications"

    def ready(self) -> None:
        import logging

        from django.core import checks

        from alongside.audit.models import register_actions
        from alongside.notify.live import QuietLivePushes, check_live_backend
        from alongside.notify.models import NotifyAuditAction

        register_actions(NotifyAuditAction)
        checks.register(check_live_backend)
        tasks_log = logging.getLogger("django.tasks")
        if not any(isinstance(f, QuietLivePushes) for f in tasks_log.filters):
            tasks_log.addFilter(QuietLivePushes())
