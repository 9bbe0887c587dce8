import functools
from typing import Any

from django import template
from django.urls import reverse

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key, "") if isinstance(mapping, dict) else ""


@register.filter
def has_errors(findings: Any) -> bool:
    return any(f.get("severity") == "error" for f in findings or [])


@register.filter
def count_sev(findings: Any, severity: str) -> int:
    return sum(1 for f in findings or [] if f.get("severity") == severity)


@register.filter
def pclass(progress: Any) -> str:
    """The CSS class of a progress bar (steps of 10%; style attributes are barred by the CSP)."""
    try:
        value = max(0, min(100, int(progress)))
    except (TypeError, ValueError):
        value = 0
    return f"p{value // 10 * 10}"


@register.simple_tag
def link(name: str, pk: Any) -> str:
    """The URL of route ``name`` (``…/<int:pk>/``) for ``pk``, as ``{% url %}`` gives it; the
    route is reversed once per process, not once per row of a list."""
    return f"{_prefix(name)}{int(pk)}/"


@functools.cache
def _prefix(name: str) -> str:
    url = reverse(name, kwargs={"pk": 0})
    if not url.endswith("/0/"):
        raise ValueError(f"route {name} does not end in <int:pk>/")
    return url[:-2]
