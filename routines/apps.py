from django.apps import AppConfig


class RoutinesConfig(AppConfig):
    name = "routines"

    def ready(self) -> None:
        # Imported once the apps are loaded, as Django's ready() hooks are meant to be used.
        from accounts.signals import conditions_changed
        from routines import receivers

        conditions_changed.connect(
            receivers.routines_follow_conditions, dispatch_uid="routines.routines_follow_conditions"
        )
