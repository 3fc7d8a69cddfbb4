from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        # Imported once the apps are loaded, as Django's ready() hooks are meant to be used.
        from allauth.account.signals import email_changed

        from accounts import receivers

        email_changed.connect(receivers.email_changed_renames, dispatch_uid="accounts.email_changed_renames")
