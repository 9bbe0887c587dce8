"""Comments on single cells of the final-accounts tables (as on single indicators), shown
to the department and to the bureau beside the cell and in the list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.urls import reverse

from jixiao import api
from jixiao.web import grid, workflow
from jixiao.web.models import Comment, Submission

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "jixiao" / "examples"


def _accounts(world: Any) -> Submission:
    data = api.read_data(EXAMPLES / "accounts-001-xinxiang-2024.yaml")
    assert isinstance(data, dict)
    return workflow.create(world.dept, 2024, Submission.Kind.ACCOUNTS, {**data, "department": "甲部门"})


def test_a_reviewers_comment_on_a_cell_is_shown_to_both_sides(world: Any, login: Any) -> None:
    acc = _accounts(world)
    cells = grid.accounts_cells(grid.accounts_sections(acc.data))
    cell = next(c for c in cells if c["target"].startswith("income.rows.") and c["value"])
    response = login("reviewer").post(
        reverse("comment", kwargs={"pk": acc.pk}),
        {"target": cell["target"], "text": "该科目财政拨款收入请与批复核对"},
        follow=True,
    )
    assert "意见已添加" in response.content.decode()
    assert Comment.objects.get(submission=acc).target == cell["target"]
    for user in ("officer", "reviewer"):
        page = login(user).get(reverse("submission", kwargs={"pk": acc.pk})).content.decode()
        # beside the cell, under its table and in the list, each naming table, row and column
        assert f'<td data-target="{cell["target"]}" class="has-comment" title="意见：该科目' in page
        assert f"<strong>{cell['where']}</strong>：该科目财政拨款收入请与批复核对" in page
        assert f"针对：{cell['where']}" in page
        assert "收入决算表" in cell["where"] or "收入" in cell["where"]


def test_a_department_answers_on_an_indicator(world: Any, login: Any) -> None:
    path = "产出指标/数量指标/培训人次"
    login("officer").post(
        reverse("comment", kwargs={"pk": world.sub.pk}), {"target": path, "text": "已附培训签到表"}
    )
    page = login("reviewer").get(reverse("submission", kwargs={"pk": world.sub.pk})).content.decode()
    assert f"针对：{path}" in page
    assert "已附培训签到表" in page


def test_a_comment_on_a_place_that_does_not_exist_is_refused(world: Any, login: Any) -> None:
    acc = _accounts(world)
    for sub, target in ((acc, "income.rows.9999.fiscal"), (world.sub, "不存在/的/指标")):
        response = login("reviewer").post(
            reverse("comment", kwargs={"pk": sub.pk}), {"target": target, "text": "x"}, follow=True
        )
        assert "不存在" in response.content.decode()
    assert not Comment.objects.exists()
