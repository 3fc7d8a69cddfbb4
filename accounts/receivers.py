"""What accounts does when other apps' signals fire (connected in AccountsConfig.ready)."""

from accounts.services import user_name_changed


def email_changed_renames(sender, request, user, **kwargs) -> None:
    """allauth's email_changed: a roster shows the client's address, and a person without a
    display name is named by it (rosters, their clients' dashboards)."""
    user_name_changed(user=user)
