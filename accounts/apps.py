from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        from allauth.account.signals import email_changed

        from accounts.services import user_name_changed

        def email_changed_receiver(sender, request, user, **kwargs) -> None:
            if not user.display_name:  # then they are named by their email (rosters, dashboards)
                user_name_changed(user=user)

        email_changed.connect(email_changed_receiver, dispatch_uid="accounts.email_changed", weak=False)
