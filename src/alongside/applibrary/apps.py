from django.apps import AppConfig


class AppLibraryConfig(AppConfig):
    name = "alongside.applibrary"
    label = "applibrary"
    verbose_name = "App library"

    def ready(self) -> None:
        from alongside.applibrary.models import AppLibraryAuditAction
        from alongside.audit.models import register_actions

        register_actions(AppLibraryAuditAction)

        from alongside.applibrary.page_parts import register

        register()

        from alongside.applibrary.selectors import wants_discreet_email
        from alongside.notify import discreet

        discreet.register(wants_discreet_email)
