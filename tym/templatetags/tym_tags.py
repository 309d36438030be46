"""Template filters of the TYM parts."""

from django import template

from tym.checks import typ_threshold_warning

register = template.Library()


@register.filter
def typ_warning(criteria: str) -> str:
    """The warning on the repealed TYP thresholds in the client criteria, or nothing."""
    return typ_threshold_warning(criteria or "") or ""
