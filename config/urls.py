from django.contrib import admin
from django.urls import include, path

from config import views
from config.health import ReadinessView

admin.site.site_header = "Unknot staff"
admin.site.site_title = "Unknot staff"

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("health/ready/", ReadinessView.as_view(), name="health_ready"),
    path("", include("routines.urls")),
    path("", include("accounts.urls")),
    path("", include("progress.urls")),
    path("", include("notifications.urls")),
    path("", include("coaching.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
