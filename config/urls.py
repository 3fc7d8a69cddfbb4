from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config import pwa, views
from config.health import ReadinessView

admin.site.site_header = "Unknot staff"
admin.site.site_title = "Unknot staff"
# No login form of the admin's own: /admin/login/ sends to allauth's login, which rate-limits
# failures (ACCOUNT_RATE_LIMITS) and asks staff for their two-factor code.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    # The installable app: at the root, so the service worker's scope is the whole site.
    path("manifest.webmanifest", pwa.manifest, name="web_manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
    path("offline/before-you-start/", pwa.offline_before_you_start, name="offline_before_you_start"),
    path("health/ready/", ReadinessView.as_view(), name="health_ready"),
    path("", include("routines.urls")),
    path("", include("accounts.urls")),
    path("", include("progress.urls")),
    path("", include("notifications.urls")),
    path("", include("coaching.urls")),
    path("accounts/", include("allauth.urls")),
    path(settings.ADMIN_PATH, admin.site.urls),
]
