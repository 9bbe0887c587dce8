"""What the web application owns: organisations, members, submissions and their states,
comments, history and background jobs. The data of a submission is plain JSON in the shape
of the YAML files; scoring and checking are :mod:`jixiao.api`'s."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jixiao.web import stamp


class Organisation(models.Model):
    """A finance bureau (province / city / county) or a department under one.

    ``path`` is the materialised path of ids (``/1/4/9/``), so that "everything under this
    bureau and its sub-bureaus" is one indexed prefix query."""

    class Kind(models.TextChoices):
        PROVINCE = "province", "省级财政部门"
        CITY = "city", "市级财政部门"
        COUNTY = "county", "县级财政部门"
        DEPARTMENT = "department", "预算部门"

    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=500, db_index=True, editable=False, default="")

    class Meta:
        verbose_name = "单位"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_bureau(self) -> bool:
        return self.kind != self.Kind.DEPARTMENT

    def save(self, *args: object, **kwargs: object) -> None:
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        path = (self.parent.path if self.parent else "/") + f"{self.pk}/"
        if path != self.path:
            self.path = path
            Organisation.objects.filter(pk=self.pk).update(path=path)


class Member(models.Model):
    """A user's place: one organisation and one role."""

    class Role(models.TextChoices):
        FILLER = "filler", "填报人"
        HEAD = "head", "部门负责人"
        REVIEWER = "reviewer", "财政审核人"
        ADMIN = "admin", "管理员"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="members")
    role = models.CharField("角色", max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = "用户角色"

    @property
    def is_bureau(self) -> bool:
        return self.role in (self.Role.REVIEWER, self.Role.ADMIN)


class Submission(models.Model):
    """One department's submission of one kind for one year (and one project)."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", "部门整体自评"
        PROJECT = "project", "项目自评"
        ACCOUNTS = "accounts", "部门决算"

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已提交"
        RETURNED = "returned", "已退回"
        APPROVED = "approved", "已审核"
        PUBLISHED = "published", "已公开"

    department = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="submissions")
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    project = models.CharField("项目", max_length=200, blank=True, default="")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.DRAFT)
    data = models.JSONField("数据", default=dict)
    # checked in the UPDATE: of two saves of the same version only the first succeeds
    version = models.PositiveIntegerField(default=1)
    # derived on every save, so that lists and charts need no scoring
    total = models.DecimalField("总分", max_digits=8, decimal_places=2, null=True, blank=True)
    grade = models.CharField("等级", max_length=10, blank=True, default="")
    errors = models.PositiveIntegerField("错误", default=0)
    warnings = models.PositiveIntegerField("警告", default=0)
    findings = models.JSONField(default=list)
    # the evaluation (self-evaluations) or the generated 情况说明 (final accounts) of the
    # stored data, derived when it is saved: a page view scores nothing
    evaluation = models.JSONField(null=True, blank=True)
    generated = models.TextField(blank=True, default="")
    # what derived the fields above (jixiao.web.stamp): a result stamped by another version,
    # framework or rule set is derived again before it is shown, or shown as 待重算
    derived_by = models.CharField(max_length=80, blank=True, default="")
    explanations = models.JSONField("出错说明", default=dict)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "申报"
        constraints = [
            models.UniqueConstraint(fields=["department", "year", "kind", "project"], name="one_submission")
        ]
        indexes = [
            models.Index(fields=["year", "state"]),
            models.Index(fields=["state", "year"]),
            models.Index(fields=["updated_at"]),
            models.Index(fields=["total"]),
            models.Index(fields=["derived_by"]),
        ]

    def __str__(self) -> str:
        name = f"{self.department.name} {self.year}年{self.get_kind_display()}"
        return f"{name}·{self.project}" if self.project else name

    @property
    def locked(self) -> bool:
        return self.state in (self.State.SUBMITTED, self.State.APPROVED, self.State.PUBLISHED)

    @property
    def stale(self) -> bool:
        """Its stored results were derived by another version, framework or rule set."""
        return self.derived_by != stamp.current()

    def unexplained_errors(self) -> list[dict[str, object]]:
        return [
            f
            for f in self.findings
            if f.get("severity") == "error" and not str(self.explanations.get(str(f.get("key")), "")).strip()
        ]


#: the large columns of a submission that no list shows (``.defer(*HEAVY)``)
HEAVY = ("data", "findings", "explanations", "evaluation", "generated")


class Comment(models.Model):
    """A reviewer's or department's remark on the whole submission or one indicator/cell."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    target = models.CharField("位置", max_length=300, blank=True, default="")  # indicator path or cell
    text = models.TextField("意见")
    created_at = models.DateTimeField(auto_now_add=True)
    #: the place in words (a cell's table, row and column), set by the page showing it
    where = ""

    class Meta:
        ordering = ["created_at"]


class Change(models.Model):
    """One changed field of a submission: who, when, which field, old → new."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    field = models.CharField("字段", max_length=500)
    old = models.TextField(blank=True, default="")
    new = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-at", "-id"]


class Job(models.Model):
    """A background job (documents, audit, import) with its progress and result."""

    class Kind(models.TextChoices):
        RENDER = "render", "生成文档"
        AUDIT = "audit", "审核公开报告"
        IMPORT = "import", "批量导入"

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="jobs")
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=20, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True, default="")
    source_name = models.CharField(max_length=255, blank=True, default="")
    files = models.JSONField(default=list)  # names of the files written, under the job's folder
    result = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
