"""Sections that the apps above progress add to its pages.

The dashboard shows the routines a trainer assigned, and a session's page the comments with that
trainer: both are coaching's, which progress may not import. Coaching registers a panel for each
page in CoachingConfig.ready(); the page renders every registered panel in its place.

A panel's `context(request, **objects)` returns the template's context, or None to show nothing.
It reads only: pages are rendered on GET, and a GET writes nothing.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

DASHBOARD = "dashboard"  # objects: user, today
SESSION_DETAIL = "session_detail"  # objects: session, and comment_form when a posted one had errors


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[..., dict | None]


_panels: dict[str, list[Panel]] = defaultdict(list)


def panel_register(page: str, *, template: str, context: Callable[..., dict | None]) -> None:
    panel = Panel(template=template, context=context)
    if panel not in _panels[page]:
        _panels[page].append(panel)


def panels_render(page: str, request: HttpRequest, **objects) -> SafeString:
    """Every panel of the page that has something to show, in the order they were registered."""
    html = []
    for panel in _panels[page]:
        context = panel.context(request, **objects)
        if context is not None:
            html.append(render_to_string(panel.template, context, request=request))
    return mark_safe("".join(html))
