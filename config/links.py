"""Template tags for the links every page carries (the layout's header and footer): `{% link %}`,
a URL without arguments worked out once per process rather than on every page.

`{% url 'name' %}` reverses its name on every render, about 15 µs each, and the layout holds a
dozen: with the static files' URLs (config.storage) that was half of what the layout cost to
render, on every page. A URL without arguments only changes with the URLconf and the script
prefix, so accounts.paths keeps it under both. Loaded as `{% load links %}` (settings.TEMPLATES' libraries).
"""

from django import template

from accounts.paths import path_of

register = template.Library()


@register.simple_tag
def link(name: str) -> str:
    """The path of the URL named `name`, which takes no arguments: `{% link 'progress:history' %}`."""
    return path_of(name)
