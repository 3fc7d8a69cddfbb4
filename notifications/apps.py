from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Emails"

    def ready(self) -> None:
        # Imported once the apps are loaded, as Django's ready() hooks are meant to be used.
        from accounts.signals import time_zone_changed
        from notifications import receivers, reminders, summaries, tasks  # noqa: F401 (tasks: registers them)
        from notifications.kinds import email_kind_register, weekly_email_register
        from notifications.models import EmailKind

        email_kind_register(
            EmailKind.REMINDER, reminders.reminder_message, prepare=reminders.reminders_prepare
        )
        email_kind_register(EmailKind.WEEKLY_SUMMARY, summaries.weekly_summary_message)
        weekly_email_register(
            EmailKind.WEEKLY_SUMMARY,
            wanted=lambda user: user.weekly_summary_emails,
            build=summaries.weekly_summaries_build,
            period_key=summaries.summary_period_key,
        )
        time_zone_changed.connect(
            receivers.email_schedules_follow, dispatch_uid="notifications.email_schedules_follow"
        )
