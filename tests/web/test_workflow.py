"""The life of a submission: typing, saving, refusing a lost update, explaining errors,
submitting, returning, approving, locking and reopening."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from jixiao.web import workflow
from jixiao.web.models import Change, Comment, Submission


def _grid(world: Any, **cells: str) -> dict[str, str]:
    """The form as the page posts it: every leaf row with its path, plus changed cells."""
    from jixiao.web import grid

    derived = workflow.derive(world.sub.kind, world.sub.data)
    rows = grid.indicator_rows(derived.evaluation, world.sub.data)
    form = {"version": str(world.sub.version)}
    for r in rows:
        if r["leaf"]:
            i = r["index"]
            form |= {
                f"p:{i}": r["path"],
                f"t:{i}": r["target"],
                f"a:{i}": r["actual"],
                f"s:{i}": r["stated"],
                f"r:{i}": r["reason"],
            }
    for name, value in cells.items():
        row = next(r for r in rows if r["name"] == name.split(".")[0])
        form[f"{name.split('.')[1]}:{row['index']}"] = value
    return form


def test_preview_scores_what_is_typed_without_saving(world: Any, login: Any) -> None:
    client = login("officer")
    response = client.post(
        reverse("preview", kwargs={"pk": world.sub.pk}),
        _grid(world, **{"培训人次.a": "500人次"}),
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    # 25 x 500/1000 = 12.50 for the indicator; total drops from 95.87 by 12.5
    assert 'id="total">83.37<' in html
    assert "12.50" in html
    world.sub.refresh_from_db()
    assert world.sub.total == workflow.derive(world.sub.kind, world.sub.data).total
    assert world.sub.version == 1


def test_save_stores_data_score_and_history(world: Any, login: Any) -> None:
    client = login("officer")
    response = client.post(
        reverse("save", kwargs={"pk": world.sub.pk}), _grid(world, **{"培训人次.a": "500人次"})
    )
    assert response.status_code == 302
    world.sub.refresh_from_db()
    assert world.sub.version == 2
    assert str(world.sub.total) == "83.37"
    change = Change.objects.get(submission=world.sub)
    assert change.field == "指标[产出指标/数量指标/培训人次]·完成值"
    assert (change.old, change.new, change.user.username) == ("1200人次", "500人次", "officer")


def test_the_later_of_two_saves_is_refused_and_nothing_is_overwritten(world: Any, login: Any) -> None:
    first = _grid(world, **{"培训人次.a": "500人次"})
    second = _grid(world, **{"培训人次.a": "800人次"})  # both started from version 1
    client = login("officer")
    assert client.post(reverse("save", kwargs={"pk": world.sub.pk}), first).status_code == 302
    client = login("head")
    response = client.post(reverse("save", kwargs={"pk": world.sub.pk}), second)
    assert response.status_code == 409
    assert "保存未成功" in response.content.decode()
    assert "officer" in response.content.decode()
    world.sub.refresh_from_db()
    entry = next(e for e in world.sub.data["indicators"] if e["path"].endswith("培训人次"))
    assert entry["actual"] == "500人次"
    assert world.sub.version == 2


def test_submit_is_refused_until_each_error_is_fixed_or_explained(world: Any, login: Any) -> None:
    client = login("officer")
    client.post(reverse("save", kwargs={"pk": world.sub.pk}), _grid(world, **{"培训人次.s": "20"}))
    world.sub.refresh_from_db()
    assert world.sub.errors == 1
    response = client.post(reverse("submit", kwargs={"pk": world.sub.pk}), follow=True)
    assert "不能提交" in response.content.decode()
    world.sub.refresh_from_db()
    assert world.sub.state == "draft"
    key = world.sub.findings[0]["key"]
    client.post(
        reverse("explain", kwargs={"pk": world.sub.pk}),
        {"version": world.sub.version, f"x:{key}": "按上年口径计分"},
    )
    client.post(reverse("submit", kwargs={"pk": world.sub.pk}))
    world.sub.refresh_from_db()
    assert world.sub.state == "submitted"
    assert world.sub.explanations[key] == "按上年口径计分"
    # the history names the explained error by its message, not by its internal key
    change = Change.objects.filter(submission=world.sub, field__startswith="出错说明").get()
    assert key not in change.field
    assert world.sub.findings[0]["message"][:20] in change.field
    # the reviewer sees the explanation beside the error
    page = login("reviewer").get(reverse("submission", kwargs={"pk": world.sub.pk})).content.decode()
    assert "出错说明：按上年口径计分" in page


def test_return_correct_resubmit_approve_lock_reopen(world: Any, login: Any) -> None:
    sub = world.sub
    login("officer").post(reverse("submit", kwargs={"pk": sub.pk}))
    reviewer = login("reviewer")
    response = reviewer.post(
        reverse("act", kwargs={"pk": sub.pk}), {"action": "return", "comment": ""}, follow=True
    )
    assert "请填写退回意见" in response.content.decode()
    reviewer.post(reverse("act", kwargs={"pk": sub.pk}), {"action": "return", "comment": "满意度请附调查"})
    sub.refresh_from_db()
    assert sub.state == "returned"
    assert Comment.objects.get(submission=sub).text == "满意度请附调查"
    world.sub = sub
    login("officer").post(reverse("save", kwargs={"pk": sub.pk}), _grid(world, **{"满意度.a": "95%"}))
    login("officer").post(reverse("submit", kwargs={"pk": sub.pk}))
    page = login("reviewer").get(reverse("submission", kwargs={"pk": sub.pk})).content.decode()
    assert "自上次退回以来的修改" in page
    assert "96%" in page
    assert "95%" in page
    login("reviewer").post(reverse("act", kwargs={"pk": sub.pk}), {"action": "approve"})
    sub.refresh_from_db()
    assert sub.state == "approved"
    # locked: the department can neither save nor reopen it
    world.sub = sub
    before = sub.data
    login("officer").post(reverse("save", kwargs={"pk": sub.pk}), _grid(world, **{"满意度.a": "50%"}))
    login("officer").post(reverse("act", kwargs={"pk": sub.pk}), {"action": "reopen"})
    sub.refresh_from_db()
    assert (sub.state, sub.data) == ("approved", before)
    login("reviewer").post(reverse("act", kwargs={"pk": sub.pk}), {"action": "reopen"})
    sub.refresh_from_db()
    assert sub.state == "returned"


def test_bulk_approve_and_return(world: Any, login: Any) -> None:
    from jixiao.web.models import Organisation

    subs = [world.sub]
    for year in (2023, 2024):
        subs.append(
            workflow.create(
                world.dept,
                year,
                Submission.Kind.PROJECT,
                {**world.sub.data, "year": year},
                project="科普工作经费",
            )
        )
    county_sub = workflow.create(
        Organisation.objects.get(pk=world.county_dept.pk),
        2025,
        Submission.Kind.PROJECT,
        {**world.sub.data, "department": "丙部门"},
        project="科普工作经费",
    )
    subs.append(county_sub)
    Submission.objects.filter(pk__in=[s.pk for s in subs]).update(state="submitted")
    ids = [s.pk for s in subs]
    client = login("reviewer")
    client.post(reverse("bulk"), {"action": "return", "ids": ids[:2]})  # no comment: refused
    assert set(Submission.objects.filter(pk__in=ids).values_list("state", flat=True)) == {"submitted"}
    client.post(reverse("bulk"), {"action": "return", "ids": ids[:2], "comment": "请补充"})
    client.post(reverse("bulk"), {"action": "approve", "ids": ids[2:]})
    states = dict(Submission.objects.filter(pk__in=ids).values_list("pk", "state"))
    assert [states[i] for i in ids] == ["returned", "returned", "approved", "approved"]


def test_export_writes_text_cells_and_defuses_formulas(world: Any, login: Any, tmp_path: Any) -> None:
    from openpyxl import load_workbook

    from jixiao.web.models import Organisation

    Organisation.objects.filter(pk=world.dept.pk).update(name='=HYPERLINK("x")')
    response = login("reviewer").get(reverse("export"))
    path = tmp_path / "list.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    ws = load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "部门"
    names = [r[0] for r in rows[1:]]
    assert '\'=HYPERLINK("x")' in names
    assert all(isinstance(v, str) for r in rows for v in r if v is not None)


def test_chart_data_counts_scored_submissions(world: Any, login: Any) -> None:
    data = login("reviewer").get(reverse("chart_data")).json()
    assert sum(data["counts"]) == 1
    assert data["ranking"][0]["total"] == str(world.sub.total)


def test_render_job_writes_documents(world: Any, login: Any) -> None:
    from jixiao.web.models import Job

    response = login("officer").post(reverse("render", kwargs={"pk": world.sub.pk}))
    job = Job.objects.get()
    assert response["Location"] == reverse("job", kwargs={"pk": job.pk})
    assert job.state == "done", job.message
    # a project's documents: its 自评表 and the 汇总表, in Word and Excel
    assert sorted(f.rsplit(".", 1)[1] for f in job.files) == ["docx", "docx", "xlsx", "xlsx"], job.files
    xlsx = next(f for f in job.files if f.endswith(".xlsx"))
    got = login("officer").get(reverse("job_file", kwargs={"pk": job.pk, "name": xlsx}))
    assert b"".join(got.streaming_content).startswith(b"PK")
    assert (
        login("officer")
        .get(reverse("job_file", kwargs={"pk": job.pk, "name": "../../secret_key"}))
        .status_code
        == 404
    )


def test_a_reviewer_opening_a_draft_is_told_why_there_is_nothing_to_act_on(world: Any, login: Any) -> None:
    assert world.sub.state == Submission.State.DRAFT
    page = login("reviewer").get(reverse("submission", kwargs={"pk": world.sub.pk})).content.decode()
    assert "部门尚未提交，提交后才能审核" in page
    assert 'id="approve"' not in page


def test_both_lists_show_a_submissions_state_total_and_counts(world: Any, login: Any) -> None:
    sub = world.sub
    for user, name in (("officer", "submissions"), ("reviewer", "review")):
        page = login(user).get(reverse(name)).content.decode()
        assert f'href="{reverse("submission", kwargs={"pk": sub.pk})}"' in page
        assert f'<span class="badge state-{sub.state}">{sub.get_state_display()}</span>' in page
        assert f'<td class="num">{sub.total}</td>' in page
