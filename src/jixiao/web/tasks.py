"""Background work through Django's task interface (the django-tasks backport with the
database backend): rendering documents and auditing uploaded reports never run inside a
request. A job's row carries its progress and result for the page that polls it."""

from __future__ import annotations

import json
import logging
import threading
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from jixiao import api
from jixiao.web import stamp, workflow
from jixiao.web.models import Job, Member, Submission
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


@task()
def import_job(job_id: int) -> None:
    """Import every workbook uploaded with the job (a zip's members one by one), with the
    progress per file and a result for each."""
    from jixiao.web import imports, uploads

    job = Job.objects.select_related("user", "organisation").get(pk=job_id)
    folder = job_dir(job)
    member = Member.objects.select_related("organisation").filter(user=job.user).first()
    if member is None or not imports.can_import(member):
        _finish(job, Job.State.FAILED, "上传人已无导入权限。")
        return
    try:
        _progress(job, 2, "正在整理上传的文件……")
        files: list[tuple[str, Path | None, str]] = []  # (name, path, why skipped)
        for name, relative in job.result.get("uploaded", []):
            path = folder / relative
            if path.suffix == ".zip":
                try:
                    members = uploads.unpack(
                        path, folder / "unpacked" / path.stem, (".xlsx",), imports.MAX_FILES
                    )
                except uploads.Rejected as exc:
                    files.append((name, None, str(exc)))
                    continue
                for inner, stored in members:
                    why = "" if stored else "不是 .xlsx 工作簿，或超过大小上限，已跳过。"
                    files.append((f"{name}/{inner}", stored, why))
            else:
                files.append((name, path, ""))
        files = files[: imports.MAX_FILES]
        results = []
        for i, (name, path, why) in enumerate(files, start=1):
            _progress(
                job,
                min(99, 2 + 97 * (i - 1) // max(len(files), 1)),
                f"正在导入第 {i}/{len(files)} 个：{name}",
            )
            if path is None:
                results.append({"name": name, "ok": False, "message": why, "submission": None})
                continue
            try:
                uploads.check_stored(path, ".xlsx")
            except uploads.Rejected as exc:
                results.append({"name": name, "ok": False, "message": str(exc), "submission": None})
                continue
            try:
                results.append(imports.import_file(path, name, member, job.user))
            except Exception:  # one file's internal error does not stop the others
                log.exception("import job %s: file %s failed", job_id, name)
                results.append(
                    {"name": name, "ok": False, "message": "导入时发生内部错误，已记录。", "submission": None}
                )
        done = sum(1 for r in results if r["ok"])
        _finish(
            job,
            Job.State.DONE,
            f"共 {len(results)} 个文件：导入 {done} 个，未导入 {len(results) - done} 个。",
            result={**job.result, "files": results},
        )
    except Exception:
        log.exception("import job %s failed", job_id)
        _finish(job, Job.State.FAILED, "导入时发生内部错误，已记录，请联系管理员。")


@task()
def rederive_job(part: int = 0, parts: int = 1) -> int:
    """Derive again every submission whose stored results an older (or other) version,
    framework or rule set computed, of the ``part``-th of ``parts`` shares (by id);
    returns how many."""
    done = workflow.rederive_stale(part=(part, parts))
    if done:
        share = f"{part + 1}/{parts}"
        log.warning("re-derived %s submissions (share %s) with %s", done, share, stamp.current())
    return done


_scheduled = {"at": -1e9}
_schedule_lock = threading.Lock()
#: a process asks for the background re-derivation at most this often (seconds)
SCHEDULE_EVERY = 60.0


def schedule_rederive(*, now: bool = False) -> bool:
    """Queue :func:`rederive_job` when some submission is stale and none is queued or
    running, in ``settings.REDERIVE_SHARES`` shares that as many task workers (on any
    machines) take side by side; a page that met a stale row calls this (at most once a
    minute per process), ``jixiao serve``, ``migrate`` and ``worker`` on start (``now``).
    True when queued."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    with _schedule_lock:
        moment = time.monotonic()
        if not now and moment - _scheduled["at"] < SCHEDULE_EVERY:
            return False
        _scheduled["at"] = moment
    if not workflow.stale().exists():
        return False
    path = rederive_job.module_path
    waiting = (TaskResultStatus.READY, TaskResultStatus.RUNNING)
    if DBTaskResult.objects.filter(task_path=path, status__in=waiting).exists():
        return False
    shares = max(1, int(settings.REDERIVE_SHARES))
    for part in range(shares):
        rederive_job.enqueue(part, shares)
    return True
