"""Paths worked out once per process, for what is built many times: the layout's links on every
page (config.links), every email's links (notifications), a roster's rows.

`reverse()` costs about 15 µs, as much as a dozen of an email's values. A URL's path only changes
with the URLconf and the script prefix, so both are in every key. It lives in accounts, the lowest
layer, so that every app can import it."""

from collections.abc import Callable
from functools import lru_cache

from django.core.exceptions import ImproperlyConfigured
from django.urls import get_script_prefix, get_urlconf, reverse


def path_of(name: str) -> str:
    """The path of the URL named `name`, which takes no arguments."""
    return _reversed(name, get_script_prefix(), get_urlconf())


# Where an id goes while its URL is reversed: digits an int converter accepts, found in no path.
ID_STAND_IN = "987654321"


def path_builder(name: str, argument: str, stand_in: str = ID_STAND_IN) -> Callable[[object], str]:
    """A function giving the path of the URL named `name` for a value of its one `argument`:
    reversed once around `stand_in` (a value the URL's converter accepts, found nowhere else in
    the path; an id's by default), the value then put in its place. Only for values that need no
    quoting in a path (ids, signed tokens)."""
    before, after = _around(name, argument, stand_in, get_script_prefix(), get_urlconf())
    return lambda value: f"{before}{value}{after}"


@lru_cache(maxsize=256)  # names come from templates and builders only: a few dozen
def _reversed(name: str, prefix: str, urlconf: str | None) -> str:
    return reverse(name, urlconf=urlconf)


@lru_cache(maxsize=64)
def _around(name: str, argument: str, stand_in: str, prefix: str, urlconf: str | None) -> tuple[str, str]:
    path = reverse(name, kwargs={argument: stand_in}, urlconf=urlconf)
    if path.count(stand_in) != 1:
        raise ImproperlyConfigured(f"{stand_in!r} must appear once in {name}'s path: {path}")
    before, _, after = path.partition(stand_in)
    return before, after
