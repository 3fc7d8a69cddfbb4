"""The authentication backends became accounts.backends' (they load the logged-in person faster).

A session names the backend that logged it in, and Django logs out a session whose backend is no
longer listed in AUTHENTICATION_BACKENDS: this renames the backend in every live session, so
nobody is logged out by the release, and drops the sessions' cached copies (cached_db reads the
cache first) so that the renamed rows are read.
"""

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import caches
from django.db import migrations
from django.utils import timezone

OURS = {
    "django.contrib.auth.backends.ModelBackend": "accounts.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": "accounts.backends.AuthenticationBackend",
}


def _rename(apps, renames: dict[str, str]) -> None:
    Session = apps.get_model("sessions", "Session")
    store = SessionStore()
    renamed = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=2000):
        data = store.decode(session.session_data)
        if data.get(BACKEND_SESSION_KEY) in renames:
            data[BACKEND_SESSION_KEY] = renames[data[BACKEND_SESSION_KEY]]
            session.session_data = store.encode(data)
            session.save(update_fields=["session_data"])
            renamed.append(KEY_PREFIX + session.session_key)
    cache = caches[settings.SESSION_CACHE_ALIAS]
    for start in range(0, len(renamed), 1000):
        cache.delete_many(renamed[start : start + 1000])


def forwards(apps, schema_editor):
    _rename(apps, OURS)


def backwards(apps, schema_editor):
    _rename(apps, {ours: theirs for theirs, ours in OURS.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_remove_user_screening_flags"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=True)]
