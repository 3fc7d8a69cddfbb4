from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("welcome/", views.welcome, name="welcome"),
    path("welcome/seek-help/", views.seek_help, name="seek_help"),
    path("settings/", views.profile_settings, name="settings"),
    path("settings/delete-account/", views.account_delete, name="delete"),
]
