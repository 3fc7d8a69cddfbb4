"""The Celery application. Its settings are the CELERY_* names in config/settings.py."""

import os
from collections.abc import Iterator, Mapping
from functools import cached_property

from celery import Celery
from celery.signals import beat_init, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


class CelerySettings(Mapping):
    """Django's CELERY_* settings, read once, when Celery first needs them (after Django's setup).

    Celery looks a name up in its sources on every read, under several spellings; on
    django.conf.settings each miss is an AttributeError raised through LazySettings (~18 µs), and
    sending one task reads a dozen names: a third of the time the dispatcher spends enqueueing
    (`make bench`). A dictionary answers a miss at once. Settings changed later with
    override_settings are not seen: change `app.conf` itself, as the tests do.
    """

    @cached_property
    def _values(self) -> dict:
        from django.conf import settings

        return {name: getattr(settings, name) for name in dir(settings) if name.startswith("CELERY_")}

    def __getitem__(self, name: str):
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


app = Celery("unknot")
app.config_from_object(CelerySettings(), namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
@beat_init.connect
def _create_filesystem_broker_folders(**kwargs) -> None:
    """kombu's filesystem transport (used when REDIS_URL is unset) needs its folders to exist."""
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if options.get(key):
            os.makedirs(options[key], exist_ok=True)
