"""Production's static files storage: WhiteNoise's compressed, hashed files, with each file's URL
worked out once per process.

Every page's layout names half a dozen static files; finding each one's hashed name in the
manifest and joining it to STATIC_URL cost about 25 µs a file, on every page. The manifest is read
when the process starts and does not change while it runs (a deploy starts new processes), so a
file's URL is too.
"""

from functools import lru_cache

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Per instance: collectstatic builds its own storage, and a test may override settings.
        self._url_of = lru_cache(maxsize=1024)(super().url)

    def url(self, name: str | None, force: bool = False) -> str:
        if force or name is None:
            return super().url(name, force)
        return self._url_of(name)
