"""Background work through Django's task interface (the django-tasks backport with the
database backend): rendering documents and auditing uploaded reports never run inside a
request. A job's row carries its progress and result for the page that polls it."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from jixiao import api
from jixiao.web.models import Job, Submission
from jixiao.web.workflow import ACCOUNTS_TEXT

log = logging.getLogger(__name__)


def job_dir(job: Job) -> Path:
    folder = Path(settings.FILES_DIR) / "jobs" / str(job.pk)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _progress(job: Job, percent: int, message: str) -> None:
    Job.objects.filter(pk=job.pk).update(progress=percent, message=message, state=Job.State.RUNNING)


def _finish(job: Job, state: str, message: str, **values: Any) -> None:
    Job.objects.filter(pk=job.pk).update(
        state=state, progress=100, message=message, finished_at=timezone.now(), **values
    )


@task()
def render_job(job_id: int) -> None:
    """Write every document of a submission (what ``jixiao render`` writes)."""
    job = Job.objects.select_related("submission").get(pk=job_id)
    sub = job.submission
    if sub is None:
        _finish(job, Job.State.FAILED, "申报已删除。")
        return
    folder = job_dir(job)
    try:
        _progress(job, 10, "正在准备数据……")
        data = dict(sub.data)
        data.pop(ACCOUNTS_TEXT, None)
        source = folder / ("决算.json" if sub.kind == Submission.Kind.ACCOUNTS else "申报.json")
        source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        _progress(job, 30, "正在生成文档……")
        out = folder / "out"
        result = api.render([source], out, with_findings=False)
        files = sorted(str(w.path.relative_to(out)) for w in result.files)
        _finish(
            job,
            Job.State.DONE,
            f"已生成 {len(files)} 个文件。",
            files=files,
            result={"findings": api.findings_json(result.findings)},
        )
    except api.InputError as exc:
        _finish(job, Job.State.FAILED, "数据无法生成文档：" + "；".join(f.message for f in exc.findings[:5]))
    except Exception:  # a failed job is reported on its page, never as a traceback
        log.exception("render job %s failed", job_id)
        _finish(job, Job.State.FAILED, "生成文档时发生内部错误，已记录，请联系管理员。")


@task()
def audit_job(job_id: int) -> None:
    """Audit an uploaded published report; keep the marked-up view beside it."""
    job = Job.objects.get(pk=job_id)
    folder = job_dir(job)
    uploads = [p for p in folder.iterdir() if p.name.startswith("upload.")]
    try:
        if not uploads:
            raise FileNotFoundError
        _progress(job, 20, "正在读取文档……")
        report, doc = api.audit(uploads[0])
        _progress(job, 80, "正在标注……")
        (folder / "audit.html").write_text(api.audit_html(report, doc), encoding="utf-8")
        findings = api.findings_json(report.findings)
        counts = {s: sum(1 for f in findings if f["severity"] == s) for s in ("error", "warning", "note")}
        _finish(
            job,
            Job.State.DONE,
            f"错误 {counts['error']} 个，警告 {counts['warning']} 个，提示 {counts['note']} 个。",
            result={"counts": counts, "recognised": list(report.recognised), "findings": findings},
            files=["audit.html"],
        )
    except api.InputError as exc:
        _finish(job, Job.State.FAILED, "文档无法读取：" + "；".join(f.message for f in exc.findings[:5]))
    except Exception:
        log.exception("audit job %s failed", job_id)
        _finish(job, Job.State.FAILED, "审核时发生内部错误，已记录，请联系管理员。")
