from django.apps import AppConfig


class WearablesConfig(AppConfig):
    name = "alongside.wearables"
    label = "wearables"
    verbose_name = "Wearables"

    def ready(self) -> None:
        from alongside.audit.models import register_actions
        from alongside.wearables.models import WearablesAuditAction

        register_actions(WearablesAuditAction)

        from alongside.care.erasure import register_erasure_step
        from alongside.wearables.erasure import delete_samples

        register_erasure_step(delete_samples)

        from alongside.wearables.page_parts import register

        register()

        from alongside.notify.schedule import periodic_register
        from alongside.wearables.tasks import HOURLY, expire_uploads

        periodic_register("wearables_uploads_expire", expire_uploads, HOURLY)
