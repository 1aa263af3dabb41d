from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "alongside.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from alongside.accounts.models import AccountsAuditAction, LoginThrottle, UserSession
        from alongside.audit.models import register_actions
        from alongside.core.services import register_bookkeeping

        register_actions(AccountsAuditAction)
        register_bookkeeping(LoginThrottle, UserSession)
