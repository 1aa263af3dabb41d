from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "alongside.dashboards"
    label = "dashboards"
    verbose_name = "Dashboards"

    def ready(self) -> None:
        from alongside.audit.models import register_actions
        from alongside.dashboards.report import ReportAuditAction

        register_actions(ReportAuditAction)
