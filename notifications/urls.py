"""Email settings, unsubscribe links and the calendar feed (notifications/views/).

Outside /progress/ because their addresses appear in emails and calendar apps: they read as
settings, not as part of the progress pages.
"""

from django.urls import path

from notifications.views import calendar, settings, unsubscribe

app_name = "notifications"

urlpatterns = [
    path("settings/emails/", settings.email_settings, name="settings"),
    path("settings/emails/preferences/", settings.preferences, name="preferences"),
    path("settings/emails/reminders/new/", settings.reminder_new, name="reminder_new"),
    path("settings/emails/reminders/<int:pk>/", settings.reminder_edit, name="reminder_edit"),
    path("settings/emails/reminders/<int:pk>/delete/", settings.reminder_delete, name="reminder_delete"),
    path("settings/emails/calendar/reset/", settings.calendar_reset, name="calendar_reset"),
    path("emails/unsubscribe/<str:token>/", unsubscribe.unsubscribe, name="unsubscribe"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
]
