import functools
from html import escape as _html_escape
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

register = template.Library()


def escape(value: Any) -> str:
    """Django's ``escape`` (the same five characters) without its lazy-string wrapper: the
    tags below escape about a thousand values per page."""
    return _html_escape(str(value), quote=True)


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


@functools.cache
def _labels() -> tuple[dict[str, str], dict[str, str]]:
    """The Chinese names of the kinds and states (a dict lookup, not ``get_FOO_display``'s
    flattening of the choices on every call)."""
    from jixiao.web.models import Submission

    return dict(Submission.Kind.choices), dict(Submission.State.choices)


_PENDING_TITLE = "评分规则或指标体系已更新，结果正在后台重新计算；打开申报即可查看最新结果。"


@register.simple_tag
def submission_row(s: Any, bureau: bool = False) -> str:
    """One submission's row of a list: for a bureau (``bureau``) with a checkbox, the
    department and the year; then kind, project, state, total, grade, errors, warnings and
    the time of the last update. Written here rather than as an included template: a list
    page of 50 rows spent most of its time resolving the variables of the include. A stale
    result (:attr:`Submission.stale`) is shown as 待重算, never with its old numbers."""
    kinds, states = _labels()
    cells = []
    if bureau:
        cells += [
            f'<td><input type="checkbox" name="ids" value="{int(s.pk)}" aria-label="选择"></td>',
            f'<td><a href="{_prefix("department")}{int(s.department_id)}/">'
            f"{escape(s.department.name)}</a></td>",
        ]
    cells += [
        f"<td>{int(s.year)}</td>",
        f'<td><a href="{_prefix("submission")}{int(s.pk)}/">{escape(kinds.get(s.kind, s.kind))}</a></td>',
        f"<td>{escape(s.project or '—')}</td>",
        f'<td><span class="badge state-{escape(s.state)}">{escape(states.get(s.state, s.state))}</span></td>',
    ]
    if s.stale:
        cells += [
            f'<td class="num"><span class="badge pending" title="{_PENDING_TITLE}">待重算</span></td>',
            '<td>—</td><td class="num">—</td><td class="num">—</td>',
        ]
    else:
        total = "—" if s.total is None else escape(str(s.total))
        error_class = "num sev-error" if s.errors else "num"
        cells += [
            f'<td class="num">{total}</td>',
            f"<td>{escape(s.grade or '—')}</td>",
            f'<td class="{error_class}">{int(s.errors)}</td>',
            f'<td class="num">{int(s.warnings)}</td>',
        ]
    # the one time zone of the application (no view activates another)
    updated = (
        s.updated_at.astimezone(timezone.get_default_timezone()).strftime("%Y-%m-%d %H:%M")
        if s.updated_at
        else ""
    )
    cells.append(f'<td class="muted">{updated}</td>')
    return mark_safe("<tr>" + "".join(cells) + "</tr>")  # every value above is escaped


def _clip(text: str, length: int = 80) -> str:
    """``truncatechars:80`` (the common case, a short value, without building a Truncator)."""
    return text if len(text) <= length else Truncator(text).chars(length)


@register.simple_tag
def history_rows(changes: Any) -> str:
    """The rows of a submission's history, newest first: time, who, field, old → new (long
    values cut at 80 characters), from :data:`HISTORY_FIELDS` tuples. Written here rather
    than in a ``{% for %}`` over model instances: a submission edited many times shows 200
    changes on every view of its page."""
    zone = timezone.get_default_timezone()
    rows = []
    for at, first_name, username, field, old, new in changes:
        rows.append(
            f'<tr><td class="muted">{at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")}</td>'
            f"<td>{escape(first_name or username or '')}</td><td>{escape(field)}</td>"
            f"<td>{escape(_clip(old))}</td><td>{escape(_clip(new))}</td></tr>"
        )
    if not rows:
        rows.append('<tr><td colspan="5" class="muted">暂无修改。</td></tr>')
    return mark_safe("\n".join(rows))  # every value above is escaped


#: what :func:`history_rows` shows of a change (``.values_list(*HISTORY_FIELDS)``)
HISTORY_FIELDS = ("at", "user__first_name", "user__username", "field", "old", "new")
