"""The final-accounts grid shows amounts as the tables print them (two decimals), and a
cell sent back unchanged in that form is not a change."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from django.urls import reverse

from jixiao import api
from jixiao.web import grid, workflow
from jixiao.web.models import Change, Submission

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "jixiao" / "examples"


def _accounts(world: Any) -> tuple[Submission, str]:
    data = api.read_data(EXAMPLES / "accounts-001-xinxiang-2024.yaml")
    assert isinstance(data, dict)
    data = copy.deepcopy(data)
    sub = workflow.create(world.dept, 2024, Submission.Kind.ACCOUNTS, {**data, "department": "甲部门"})
    cells = grid.accounts_cells(grid.accounts_sections(sub.data))
    target = next(c["target"] for c in cells if c["target"].startswith("income.rows.") and c["value"])
    return sub, target


def _stored(sub: Submission, target: str) -> Any:
    node: Any = sub.data
    for part in target.split("."):
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def _form(sub: Submission, **changed: str) -> dict[str, str]:
    cells = grid.accounts_cells(grid.accounts_sections(sub.data))
    form = {c["name"]: c["value"] for c in cells}
    form.update({f"c|{k}": v for k, v in changed.items()})
    return {**form, "version": str(sub.version)}


def test_an_amount_is_shown_with_two_decimals_and_saving_it_back_changes_nothing(
    world: Any, login: Any
) -> None:
    sub, target = _accounts(world)
    grid._set(sub.data, target.split("."), "12.5")
    sub.save()
    shown = {c["target"]: c["value"] for c in grid.accounts_cells(grid.accounts_sections(sub.data))}
    assert shown[target] == "12.50"
    client = login("officer")
    response = client.post(reverse("save", kwargs={"pk": sub.pk}), _form(sub))
    assert response.status_code == 302
    sub.refresh_from_db()
    assert _stored(sub, target) == "12.5"
    assert not Change.objects.filter(submission=sub).exists()
    response = client.post(reverse("save", kwargs={"pk": sub.pk}), _form(sub, **{target: "12.6"}))
    assert response.status_code == 302
    sub.refresh_from_db()
    assert _stored(sub, target) == "12.6"
    change = Change.objects.get(submission=sub)
    assert (change.old, change.new) == ("12.5", "12.6")


def test_an_amount_of_more_decimals_or_text_is_shown_as_stored() -> None:
    assert grid._money("1.005") == "1.005"
    assert grid._money("一百") == "一百"
    assert grid._money(None) == ""
    assert grid._money(7) == "7.00"
    assert grid._money("-3.1") == "-3.10"
