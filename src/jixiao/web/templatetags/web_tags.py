from typing import Any

from django import template

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
