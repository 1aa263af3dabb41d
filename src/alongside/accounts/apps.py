from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "alongside.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from alongside.accounts.models import AccountsAuditAction
        from alongside.audit.models import register_actions

        register_actions(AccountsAuditAction)
