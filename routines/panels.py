"""Sections that apps above routines add to its pages, and the mechanism every app's pages use.

A lower app may not import a higher one, so a page that shows something a higher app owns (the
routine page's "Pick up where you left off?", which is the player's, in progress) offers a named
place for it. The higher app registers a panel for that place in its AppConfig.ready(); the page
renders every registered panel there. progress.panels names its own pages' places the same way.

A panel's `context(request, **objects)` returns the template's context, or None to show nothing.
It reads only: pages are rendered on GET, and a GET writes nothing. A panel that offers to start
a routine lists its id under `OFFERS_START` in that context, so the page can leave out a second,
identical Start button.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

ROUTINE_DETAIL = "routine_detail"  # objects: routine
OFFERS_START = "offers_start"  # in a panel's context: ids of the routines it offers to start


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[..., dict | None]


_panels: dict[str, list[Panel]] = defaultdict(list)


def panel_register(page: str, *, template: str, context: Callable[..., dict | None]) -> None:
    panel = Panel(template=template, context=context)
    if panel not in _panels[page]:
        _panels[page].append(panel)


def panels_render_with_starts(page: str, request: HttpRequest, **objects) -> tuple[SafeString, set[int]]:
    """Every panel of the page that has something to show, in the order they were registered,
    and the ids of the routines they offer to start."""
    html, starts = [], set()
    for panel in _panels[page]:
        context = panel.context(request, **objects)
        if context is not None:
            html.append(render_to_string(panel.template, context, request=request))
            starts.update(context.get(OFFERS_START, ()))
    return mark_safe("".join(html)), starts


def panels_render(page: str, request: HttpRequest, **objects) -> SafeString:
    return panels_render_with_starts(page, request, **objects)[0]
