from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "progress"

    def ready(self) -> None:
        # Imported once the apps are loaded, as Django's ready() hooks are meant to be used.
        from accounts.signals import time_zone_changed
        from progress import receivers, tasks  # noqa: F401 (tasks: registers them)
        from progress.panels import keep_offline_panel, resume_run_panel
        from routines.panels import ROUTINE_DETAIL, panel_register

        time_zone_changed.connect(
            receivers.programme_follows_time_zone, dispatch_uid="progress.programme_follows_time_zone"
        )
        panel_register(ROUTINE_DETAIL, template="progress/_resume_run.html", context=resume_run_panel)
        panel_register(ROUTINE_DETAIL, template="progress/_keep_offline.html", context=keep_offline_panel)
