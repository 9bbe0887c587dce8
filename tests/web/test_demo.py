"""`jixiao serve --demo` builds its system from the examples: the organisation tree, a user
for every role and the departments' submissions, loaded once. The demo keeps the product's
rules: nothing submitted, approved or published carries an unexplained error; and the workflow
itself refuses to approve or publish one that does."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from jixiao.web import demo, workflow
from jixiao.web.models import Member, Organisation, Submission


@pytest.mark.django_db
def test_the_demo_is_loaded_once_from_the_examples() -> None:
    assert demo.load() is True
    assert demo.load() is False
    departments = Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT)
    assert departments.count() == 2
    for dept in departments:
        assert dept.parent is not None
        assert dept.parent.kind == Organisation.Kind.CITY
        assert Submission.objects.filter(department=dept).exists()
    assert Member.objects.count() == len(demo.USERS)
    assert {m.role for m in Member.objects.all()} == set(Member.Role)
    assert Submission.objects.filter(kind=Submission.Kind.ACCOUNTS).count() == 1
    assert Submission.objects.filter(state=Submission.State.APPROVED).count() == 1
    assert Submission.objects.filter(kind=Submission.Kind.PROJECT).count() > 2


@pytest.mark.django_db
def test_no_demo_submission_past_draft_has_an_unexplained_error() -> None:
    assert demo.load()
    past_draft = Submission.objects.exclude(state=Submission.State.DRAFT)
    assert past_draft.filter(state=Submission.State.APPROVED).exists()
    assert past_draft.filter(errors__gt=0).exists()  # the explained ones are there
    for sub in past_draft:
        assert sub.unexplained_errors() == [], (str(sub), sub.unexplained_errors())
    approved = past_draft.get(state=Submission.State.APPROVED)
    assert approved.errors == 3
    assert all(text.strip() for text in approved.explanations.values())


def test_approving_or_publishing_with_an_unexplained_error_is_refused(world: Any, login: Any) -> None:
    sub = world.sub
    login("officer").post(reverse("submit", kwargs={"pk": sub.pk}))
    sub.refresh_from_db()
    assert sub.state == "submitted"
    # an error that appeared without an explanation (e.g. written around the form)
    finding = {"severity": "error", "key": "k|x", "code": "score-mismatch", "message": "m"}
    Submission.objects.filter(pk=sub.pk).update(findings=[finding], errors=1)
    response = login("reviewer").post(
        reverse("act", kwargs={"pk": sub.pk}), {"action": "approve"}, follow=True
    )
    assert "既未改正也未说明，不能审核通过" in response.content.decode()
    sub.refresh_from_db()
    assert sub.state == "submitted"
    login("reviewer").post(reverse("bulk"), {"action": "approve", "ids": [sub.pk]})
    sub.refresh_from_db()
    assert sub.state == "submitted"
    Submission.objects.filter(pk=sub.pk).update(state="approved")
    sub.refresh_from_db()
    with pytest.raises(workflow.Refused, match="不能公开"):
        workflow.move(sub, world.users["reviewer"], "publish")
    Submission.objects.filter(pk=sub.pk).update(explanations={"k|x": "按公开文本转录"})
    sub.refresh_from_db()
    assert workflow.move(sub, world.users["reviewer"], "publish").state == "published"
