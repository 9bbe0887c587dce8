"""`jixiao serve --demo` builds its system from the examples: the organisation tree, a user
for every role and the departments' submissions, loaded once."""

from __future__ import annotations

import pytest

from jixiao.web import demo
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
