"""The number of database queries of each main page does not grow with the number of
submissions listed (no query per row), and a page view scores nothing: the evaluation is
stored when the data is saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixiao.web import workflow
from jixiao.web.models import Organisation, Submission


def _more(world: Any, n: int) -> None:
    """``n`` more departments under the city bureau, each with three years."""
    base = world.sub
    for i in range(n):
        dept = Organisation.objects.create(
            name=f"部门{i:03d}", kind=Organisation.Kind.DEPARTMENT, parent=world.city
        )
        Submission.objects.bulk_create(
            Submission(
                department=dept,
                year=year,
                kind=base.kind,
                project=base.project,
                data=base.data,
                total=base.total,
                grade=base.grade,
                findings=base.findings,
                evaluation=base.evaluation,
                derived_by=base.derived_by,
                state="submitted",
            )
            for year in (2023, 2024, 2025)
        )


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


#: each page's URL and its queries: the session, the user with its member and organisation
#: (one query), then the page's own
PAGES = {
    "review": (lambda w: reverse("review"), 5),
    "review-filtered": (lambda w: reverse("review") + "?year=2025&state=submitted&sort=total&q=部门", 5),
    "chart_data": (lambda w: reverse("chart_data"), 3),
    "department": (lambda w: reverse("department", kwargs={"pk": w.dept.pk}), 4),
    "submission": (lambda w: reverse("submission", kwargs={"pk": w.sub.pk}), 6),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_queries_do_not_grow_with_the_rows(world: Any, login: Any, page: str) -> None:
    client = login("reviewer")
    make, expected = PAGES[page]
    url = make(world)
    _more(world, 2)
    few = _count(client, url)
    _more(world, 30)
    many = _count(client, url)
    assert many == few, (page, few, many)
    assert many <= expected, (page, many)


def test_typing_in_the_grid_reads_only_the_submission(world: Any, login: Any) -> None:
    """A preview (sent as the user types) reads the session, the user and the submission:
    no comments, history or jobs."""
    client = login("officer")
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(
            reverse("preview", kwargs={"pk": world.sub.pk}),
            {"p:0": world.sub.data["indicators"][0]["path"], "a:0": "900人次"},
            HTTP_HX_REQUEST="true",
        )
    assert response.status_code == 200
    assert 'id="total">' in response.content.decode()
    assert len(ctx.captured_queries) <= 3, [q["sql"][:80] for q in ctx.captured_queries]


def test_the_department_list_has_a_fixed_number_of_queries(world: Any, login: Any) -> None:
    client = login("officer")
    few = _count(client, reverse("submissions"))
    for year in range(2000, 2020):
        workflow.create(world.dept, year, world.sub.kind, {**world.sub.data, "year": year}, world.sub.project)
    assert _count(client, reverse("submissions")) == few <= 3


def test_a_page_view_scores_nothing(world: Any, login: Any, monkeypatch: Any) -> None:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("scored on a page view")

    monkeypatch.setattr(workflow, "derive", fail)
    for user in ("officer", "reviewer"):
        page = login(user).get(reverse("submission", kwargs={"pk": world.sub.pk})).content.decode()
        assert f'id="total">{world.sub.total}<' in page


def test_a_row_saved_without_its_evaluation_is_scored_once(world: Any, login: Any) -> None:
    Submission.objects.filter(pk=world.sub.pk).update(evaluation=None)
    client = login("officer")
    page = client.get(reverse("submission", kwargs={"pk": world.sub.pk})).content.decode()
    assert f'id="total">{world.sub.total}<' in page
    world.sub.refresh_from_db()
    assert world.sub.evaluation is not None
    assert world.sub.version == 1
