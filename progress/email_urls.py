"""Email settings, unsubscribe links and the calendar feed (progress/views/emails.py, calendar.py).

Outside /progress/ because their addresses appear in emails and calendar apps: they read as
settings, not as part of the progress pages.
"""

from django.urls import path

from progress.views import calendar, emails

app_name = "emails"

urlpatterns = [
    path("settings/emails/", emails.email_settings, name="settings"),
    path("settings/emails/preferences/", emails.preferences, name="preferences"),
    path("settings/emails/reminders/new/", emails.reminder_new, name="reminder_new"),
    path("settings/emails/reminders/<int:pk>/", emails.reminder_edit, name="reminder_edit"),
    path("settings/emails/reminders/<int:pk>/delete/", emails.reminder_delete, name="reminder_delete"),
    path("settings/emails/calendar/reset/", emails.calendar_reset, name="calendar_reset"),
    path("emails/unsubscribe/<str:token>/", emails.unsubscribe, name="unsubscribe"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
]
