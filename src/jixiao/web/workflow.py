"""Saving, scoring and moving a submission through its states.

Every write goes through an UPDATE that names the version the user started from: of two
people saving the same submission, the second save matches no row and is refused, and
nothing is overwritten."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from jixiao import api
from jixiao.core.batch import many_inputs
from jixiao.web import stamp
from jixiao.web.models import Change, Comment, Submission

State = Submission.State


class Refused(Exception):
    """An action that cannot be done now; the message (Chinese) says why."""


STALE = (
    "保存未成功：在您编辑期间，{who}已于 {when} 保存了这份申报。"
    "您的修改没有覆盖对方的内容，请刷新页面后重新填写。"
)


@dataclass
class DerivedResult:
    total: Decimal | None = None
    grade: str = ""
    findings: list[dict[str, Any]] = field(default_factory=list)
    evaluation: dict[str, Any] | None = None
    explanation: str = ""

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f["severity"] == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f["severity"] == "warning")


ACCOUNTS_TEXT = "explanation_text"  # the department's own 情况说明, kept beside the tables


def derive(kind: str, data: dict[str, Any]) -> DerivedResult:
    """Score (self-evaluations) or check (final accounts) ``data`` through the API."""
    try:
        if kind == Submission.Kind.ACCOUNTS:
            tables = {k: v for k, v in data.items() if k != ACCOUNTS_TEXT}
            accounts = api.accounts_from_data(tables)
            text = str(data.get(ACCOUNTS_TEXT) or "") or None
            report = api.check_accounts(accounts, text=text, text_file="情况说明" if text else None)
            return DerivedResult(
                findings=_keyed(report.findings), explanation=api.explain_accounts(accounts).text()
            )
        evaluations = api.score_data(data)
    except api.InputError as exc:
        return DerivedResult(findings=_keyed(exc.findings))
    ev = evaluations[0]
    return DerivedResult(
        total=ev.total, grade=ev.grade or "", findings=_keyed(ev.findings), evaluation=api.evaluation_json(ev)
    )


def _keyed(findings: Any) -> list[dict[str, Any]]:
    out = []
    for f, dumped in zip(findings, api.findings_json(findings), strict=True):
        dumped["key"] = api.finding_key(f)
        out.append(dumped)
    return out


def _apply(sub: Submission, d: DerivedResult) -> dict[str, Any]:
    return {
        "total": d.total,
        "grade": d.grade,
        "errors": d.errors,
        "warnings": d.warnings,
        "findings": d.findings,
        "evaluation": d.evaluation if d.evaluation is not None else {},  # {}: derived, no score
        "generated": d.explanation,
        "derived_by": stamp.current(),
    }


def stored(sub: Submission) -> DerivedResult:
    """The score, findings and generated text of the stored data, as saved with it. A row
    saved before they were kept, written around :func:`save_data`, or derived by another
    version, framework or rule set (:mod:`jixiao.web.stamp`) is derived now and the result
    kept, without changing its version: a page never shows a number jixiao would no
    longer compute."""
    if sub.evaluation is None or sub.stale:
        return rederive(sub)
    return DerivedResult(
        total=sub.total,
        grade=sub.grade,
        findings=list(sub.findings),
        evaluation=sub.evaluation or None,
        explanation=sub.generated,
    )


def rederive(sub: Submission) -> DerivedResult:
    """Derive ``sub``'s stored data again and keep the result (``sub`` needs its data,
    kind and version loaded). The UPDATE names the version read: a save that came in
    between keeps its own result."""
    d = derive(sub.kind, sub.data)
    values = _apply(sub, d)
    Submission.objects.filter(pk=sub.pk, version=sub.version).update(**values)
    for k, v in values.items():
        setattr(sub, k, v)
    return d


def stale() -> QuerySet[Submission]:
    """The submissions whose stored results another deriver computed (or none did)."""
    return Submission.objects.exclude(derived_by=stamp.current())


def rederive_stale(
    *,
    every: bool = False,
    batch: int = 200,
    progress: Callable[[int, int], None] | None = None,
    part: tuple[int, int] = (0, 1),
) -> int:
    """Derive again every stale submission (``every``: all of them), ``batch`` rows at a
    time in id order; returns how many were derived. ``part`` (i, n) takes only the rows
    whose id is i modulo n, so that n task workers share the work. Safe to run in several
    processes at once: a row derived meanwhile is derived once more, with the same result."""
    qs = Submission.objects.all() if every else stale()
    index, parts = part
    if parts > 1:
        qs = qs.alias(part=F("pk") % parts).filter(part=index)
    total = qs.count()
    done, last = 0, 0
    with many_inputs():
        while True:
            rows = list(qs.filter(pk__gt=last).order_by("pk").only("pk", "kind", "data", "version")[:batch])
            if not rows:
                break
            for sub in rows:
                rederive(sub)
                done += 1
            last = rows[-1].pk
            if progress is not None:
                progress(done, total)
    return done


def _conditional_update(sub: Submission, user: User, version: int, **values: Any) -> None:
    """UPDATE ... WHERE id = ? AND version = ?; refuse when another save came first."""
    values.update(version=F("version") + 1, updated_at=timezone.now(), updated_by=user)
    if Submission.objects.filter(pk=sub.pk, version=version).update(**values) != 1:
        current = Submission.objects.select_related("updated_by").get(pk=sub.pk)
        who = current.updated_by.get_username() if current.updated_by else "其他用户"
        when = timezone.localtime(current.updated_at).strftime("%Y-%m-%d %H:%M:%S")
        raise Refused(STALE.format(who=who, when=when))
    sub.refresh_from_db()


def save_data(sub: Submission, user: User, data: dict[str, Any], version: int) -> Submission:
    """Store new data (with its derived score and findings) and the history of changes."""
    if sub.locked:
        raise Refused(f"这份申报{sub.get_state_display()}，不能修改。")
    data = _jsonable(data)
    old = sub.data
    derived = derive(sub.kind, data)
    with transaction.atomic():
        _conditional_update(sub, user, version, data=data, **_apply(sub, derived))
        Change.objects.bulk_create(
            Change(submission=sub, user=user, field=path, old=a, new=b) for path, a, b in diff(old, data)
        )
    return sub


def save_explanations(sub: Submission, user: User, given: dict[str, str], version: int) -> Submission:
    """Store the department's 出错说明 of error Findings (keyed by Finding key)."""
    if sub.locked:
        raise Refused(f"这份申报{sub.get_state_display()}，不能修改。")
    stored(sub)  # the Findings explained are those jixiao finds now
    # the history names an explained Finding by its message (its key is internal)
    keys = {str(f["key"]): _short(str(f.get("message") or f["key"])) for f in sub.findings}
    merged = dict(sub.explanations)
    changes = []
    for key, raw in given.items():
        if key not in keys:
            continue
        text = raw.strip()[:2000]
        if merged.get(key, "") != text:
            changes.append((f"出错说明[{keys[key]}]", merged.get(key, ""), text))
            merged[key] = text
    with transaction.atomic():
        _conditional_update(sub, user, version, explanations=merged)
        Change.objects.bulk_create(
            Change(submission=sub, user=user, field=f, old=a, new=b) for f, a, b in changes
        )
    return sub


def _short(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


_MOVES: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": ((State.DRAFT, State.RETURNED), State.SUBMITTED),
    "approve": ((State.SUBMITTED,), State.APPROVED),
    "return": ((State.SUBMITTED, State.APPROVED), State.RETURNED),
    "reopen": ((State.APPROVED, State.PUBLISHED), State.RETURNED),
    "publish": ((State.APPROVED,), State.PUBLISHED),
}


def move(sub: Submission, user: User, action: str, *, comment: str = "") -> Submission:
    """Change the state; the caller has checked the user's role. The UPDATE names the
    state the user saw, so two reviewers acting at once cannot both succeed."""
    sources, target = _MOVES[action]
    if sub.state not in sources:
        raise Refused(f"{sub}：当前状态为“{sub.get_state_display()}”，不能{_LABEL[action]}。")
    stored(sub)  # the errors counted are those jixiao finds now, not those of an older version
    missing = sub.unexplained_errors() if action in ("submit", "approve", "publish") else []
    if missing and action == "submit":
        raise Refused(
            f"还有 {len(missing)} 个错误既未改正也未说明，不能提交。请改正，或在每个错误旁填写出错说明。"
        )
    if missing:  # an approved or published submission never carries an unexplained error
        raise Refused(
            f"{sub}：还有 {len(missing)} 个错误既未改正也未说明，不能{_LABEL[action]}；请退回部门改正或说明。"
        )
    if action == "return" and not comment.strip():
        raise Refused("退回时请填写退回意见。")
    extra: dict[str, Any] = {}
    if target == State.RETURNED:
        extra["returned_at"] = timezone.now()
    with transaction.atomic():
        n = Submission.objects.filter(pk=sub.pk, state=sub.state, version=sub.version).update(
            state=target, version=F("version") + 1, updated_at=timezone.now(), updated_by=user, **extra
        )
        if n != 1:
            raise Refused(f"{sub}：已被他人改动，请刷新后重试。")
        Change.objects.create(
            submission=sub, user=user, field="状态", old=sub.get_state_display(), new=State(target).label
        )
        if comment.strip():
            Comment.objects.create(submission=sub, author=user, text=comment.strip()[:5000])
    sub.refresh_from_db()
    return sub


_LABEL = {"submit": "提交", "approve": "审核通过", "return": "退回", "reopen": "重新打开", "publish": "公开"}


def changes_since_return(sub: Submission) -> list[Change]:
    """What the department changed after the bureau last returned it."""
    if sub.returned_at is None:
        return []
    return list(sub.changes.filter(at__gt=sub.returned_at).exclude(field="状态").select_related("user"))


# --------------------------------------------------------------------------- history


def diff(old: Any, new: Any) -> list[tuple[str, str, str]]:
    """Every changed leaf as (field, old, new); indicator lists are matched by path, rows by code."""
    a, b = dict(_flatten(old)), dict(_flatten(new))
    out = []
    for key in list(a) + [k for k in b if k not in a]:
        if a.get(key) != b.get(key):
            out.append((key, a.get(key, ""), b.get(key, "")))
    return out


#: the history's own names for what the shared glossary (``core/fields.yaml``) does not hold
_HISTORY_NAMES = {"explanation_text": "情况说明"}


def _name(key: str) -> str:
    """The Chinese name of a field in the history (the glossary's, or the key itself)."""
    return api.field_name(key, _HISTORY_NAMES) or key


def _flatten(value: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _flatten(v, f"{prefix}·{_name(str(k))}" if prefix else _name(str(k)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            name = str(i)
            if isinstance(item, dict):
                name = str(item.get("path") or item.get("code") or item.get("name") or i)
            yield from _flatten(item, f"{prefix}[{name}]")
    elif value is not None and value != "":
        yield prefix, str(value)


def _jsonable(data: Any) -> dict[str, Any]:
    plain = api.plain(data)
    if not isinstance(plain, dict):
        raise Refused("数据格式不正确。")
    loaded: dict[str, Any] = json.loads(json.dumps(plain, ensure_ascii=False))
    return loaded


def create(department: Any, year: int, kind: str, data: dict[str, Any], project: str = "") -> Submission:
    """A new submission with its derived fields (used by the demo and by imports)."""
    data = _jsonable(data)
    derived = derive(kind, data)
    sub = Submission(department=department, year=year, kind=kind, project=project, data=data)
    for k, v in _apply(sub, derived).items():
        setattr(sub, k, v)
    sub.save()
    return sub
