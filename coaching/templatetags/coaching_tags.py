from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from accounts.screening import ScreeningStatus

register = template.Library()


@register.simple_tag
def screening_status(status: str) -> SafeString:
    """A client's safety screening status as their trainer sees it, always (the roster's column
    and the client's page): see a clinician first stands out as a flag, due as a tag. A tag
    rather than an included template: the roster shows one in each of its 50 rows, and an
    include costs as much as the rest of the cell."""
    label = ScreeningStatus(status).label
    if status == ScreeningStatus.SEE_CLINICIAN:
        return format_html('<span class="flag-tag">⚠ {}</span>', label)
    if status == ScreeningStatus.DUE:
        return format_html('<span class="tag">{}</span>', label)
    return format_html("{}", label)
