from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "progress"

    def ready(self) -> None:
        # Imported once the apps are loaded, as Django's ready() hooks are meant to be used.
        from progress.panels import resume_run_panel
        from routines.panels import ROUTINE_DETAIL, panel_register

        panel_register(ROUTINE_DETAIL, template="progress/_resume_run.html", context=resume_run_panel)
