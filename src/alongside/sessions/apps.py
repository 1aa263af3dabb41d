from django.apps import AppConfig


class SessionsConfig(AppConfig):
    name = "alongside.sessions"
    # "sessions" is django.contrib.sessions' label.
    label = "therapy_sessions"
    verbose_name = "Therapy sessions and appointments"

    def ready(self) -> None:
        from alongside.audit.models import register_actions
        from alongside.sessions.models import SessionsAuditAction

        register_actions(SessionsAuditAction)

        from alongside.measures import hooks
        from alongside.sessions.services import sessions_prepare

        hooks.register(hooks.REQUEST_MAKERS, sessions_prepare)
