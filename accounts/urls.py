from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("welcome/", views.welcome, name="welcome"),
    path("welcome/seek-help/", views.seek_help, name="seek_help"),
    path("settings/", views.profile_settings, name="settings"),
    path("settings/safety/", views.safety_settings, name="safety"),
    path("settings/safety/unchanged/", views.screening_unchanged, name="screening_unchanged"),
    path("settings/safety/clearance/undo/", views.clearance_undo, name="clearance_undo"),
    path("settings/delete-account/", views.account_delete, name="delete"),
]
