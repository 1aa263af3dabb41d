from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "alongside.messaging"
    label = "messaging"
    verbose_name = "Secure messaging"

    def ready(self) -> None:
        from alongside.audit.models import register_actions
        from alongside.messaging.models import MessagingAuditAction

        register_actions(MessagingAuditAction)

        from alongside.care.erasure import register_erasure_step
        from alongside.messaging.erasure import delete_thread

        register_erasure_step(delete_thread)

        from alongside.messaging.brief_parts import register as register_brief_parts

        register_brief_parts()
