"""Every URL that takes an id answers 404 to a user of another organisation, and the
bureau tree decides what a reviewer sees."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from jixiao.web.models import Job

SUBMISSION_URLS = [
    "submission",
    "preview",
    "save",
    "explain",
    "submit",
    "comment",
    "excel",
    "upload",
    "render",
    "act",
]
POSTS = {"preview", "save", "explain", "submit", "comment", "upload", "render", "act"}


def _request(client: Any, name: str, **kwargs: Any) -> Any:
    url = reverse(name, kwargs=kwargs)
    return (
        client.post(url, {"version": "1", "action": "approve", "text": "x"})
        if name in POSTS
        else client.get(url)
    )


@pytest.mark.parametrize("name", SUBMISSION_URLS)
@pytest.mark.parametrize("user", ["outsider", "outside_reviewer", "county_reviewer"])
def test_other_organisations_submission_is_404(world: Any, login: Any, name: str, user: str) -> None:
    client = login(user)
    assert _request(client, name, pk=world.sub.pk).status_code == 404


@pytest.mark.parametrize("name", ["submission", "excel", "render", "comment"])
def test_own_and_bureau_users_reach_it(world: Any, login: Any, name: str) -> None:
    for user in ("officer", "reviewer", "admin"):
        client = login(user)
        assert _request(client, name, pk=world.sub.pk).status_code != 404, user


def test_department_page_checks_ownership(world: Any, login: Any) -> None:
    url = reverse("department", kwargs={"pk": world.dept.pk})
    assert login("outside_reviewer").get(url).status_code == 404
    assert login("county_reviewer").get(url).status_code == 404
    assert login("reviewer").get(url).status_code == 200
    # a bureau sees departments of its sub-bureaus too
    sub_dept = reverse("department", kwargs={"pk": world.county_dept.pk})
    assert login("reviewer").get(sub_dept).status_code == 200
    # a bureau is not a department page
    assert login("reviewer").get(reverse("department", kwargs={"pk": world.city.pk})).status_code == 404


@pytest.mark.parametrize("name", ["job", "job_file", "audit_view"])
def test_other_organisations_job_is_404(world: Any, login: Any, name: str) -> None:
    job = Job.objects.create(
        kind=Job.Kind.AUDIT,
        organisation=world.dept,
        user=world.users["officer"],
        files=["audit.html"],
        state=Job.State.DONE,
    )
    kwargs: dict[str, Any] = {"pk": job.pk}
    if name == "job_file":
        kwargs["name"] = "audit.html"
    for user in ("outsider", "outside_reviewer", "county_reviewer"):
        assert login(user).get(reverse(name, kwargs=kwargs)).status_code == 404, user
    assert login("officer").get(reverse("job", kwargs={"pk": job.pk})).status_code == 200


def test_lists_show_only_what_the_user_may_see(world: Any, login: Any) -> None:
    page = login("reviewer").get(reverse("review")).content.decode()
    assert "甲部门" in page
    assert "乙部门" not in page
    page = login("outside_reviewer").get(reverse("review")).content.decode()
    assert "乙部门" in page
    assert "甲部门" not in page
    page = login("officer").get(reverse("submissions")).content.decode()
    assert "科普工作经费" in page
    assert login("officer").get(reverse("review")).status_code == 404


def test_bulk_action_ignores_other_organisations_ids(world: Any, login: Any) -> None:
    from jixiao.web.models import Submission

    Submission.objects.filter(pk=world.other_sub.pk).update(state="submitted")
    login("reviewer").post(reverse("bulk"), {"action": "approve", "ids": [world.other_sub.pk]})
    world.other_sub.refresh_from_db()
    assert world.other_sub.state == "submitted"


def test_anonymous_is_sent_to_log_in(client: Any, world: Any) -> None:
    response = client.get(reverse("submission", kwargs={"pk": world.sub.pk}))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
