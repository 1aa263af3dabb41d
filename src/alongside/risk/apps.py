from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "alongside.risk"
    label = "risk"
    verbose_name = "Risk analytics"

    def ready(self) -> None:
        from alongside.audit.models import register_actions
        from alongside.risk.models import RiskAuditAction

        register_actions(RiskAuditAction)

        from alongside.risk.page_parts import register

        register()

        from alongside.measures import hooks
        from alongside.risk.hooks import score_submitted

        hooks.register(hooks.RESPONSE_SUBMITTED, score_submitted)
