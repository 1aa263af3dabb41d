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
        from alongside.risk.hooks import checkin_created, score_submitted
        from alongside.selfcare import hooks as selfcare_hooks

        hooks.register(hooks.RESPONSE_SUBMITTED, score_submitted)
        selfcare_hooks.register(selfcare_hooks.CHECKIN_CREATED, checkin_created)

        from alongside.notify.schedule import periodic_register
        from alongside.risk.tasks import DAILY, refresh_all

        periodic_register("risk_refresh", refresh_all, DAILY)
