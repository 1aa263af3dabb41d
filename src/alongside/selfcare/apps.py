import datetime as dt
import uuid

from django.apps import AppConfig


class SelfcareConfig(AppConfig):
    name = "alongside.selfcare"
    label = "selfcare"
    verbose_name = "Between-session self-care"

    def ready(self) -> None:
        from alongside.audit.models import register_actions
        from alongside.selfcare.models import SelfcareAuditAction

        register_actions(SelfcareAuditAction)

        from alongside.measures import hooks
        from alongside.selfcare.measure_hooks import homework_done_for_response

        hooks.register(hooks.RESPONSE_SUBMITTED, homework_done_for_response)

        from alongside.selfcare.brief_parts import register as register_brief_parts

        register_brief_parts()

        from alongside.wearables import insights

        insights.register_mood_source(_daily_mood)


def _daily_mood(client_id: uuid.UUID) -> dict[dt.date, float]:
    """The client's mean check-in mood per local day, for the wearables insights."""
    from django.db.models import Avg

    from alongside.selfcare.models import CheckIn

    rows = CheckIn.objects.filter(client_id=client_id).values("local_date").annotate(mood=Avg("mood"))
    return {row["local_date"]: float(row["mood"]) for row in rows}
