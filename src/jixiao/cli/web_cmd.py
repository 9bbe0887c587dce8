"""The web application's commands: ``jixiao serve``, ``migrate``, ``createorg``,
``createuser``, ``worker``, ``rederive`` and ``manage`` (any Django management command)."""

from __future__ import annotations

import getpass
import os
import signal
import subprocess
import sys
from typing import Annotated, Any

import typer

EXIT_CONFIG = 2

ROLES = {"填报人": "filler", "部门负责人": "head", "财政审核人": "reviewer", "管理员": "admin"}
KINDS = {"省": "province", "市": "city", "县": "county", "部门": "department"}


def _setup() -> None:
    """Configure Django from the environment; a wrong setting stops here, in Chinese."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        typer.echo(f"配置错误：{exc}", err=True)
        raise typer.Exit(EXIT_CONFIG) from None


def _migrate(verbosity: int = 0, *, schedule: bool = True) -> None:
    """Apply the migrations; then, when an upgrade left results derived by an older version,
    framework or rule set, queue their re-derivation for the background worker."""
    from django.core.management import call_command
    from django.db.utils import OperationalError

    try:
        call_command("migrate", interactive=False, verbosity=verbosity)
        if schedule:
            from jixiao.web import tasks, workflow

            if tasks.schedule_rederive(now=True):
                stale = workflow.stale().count()
                typer.echo(
                    f"有 {stale} 份申报的评分结果由旧版本算出，已排入后台重算"
                    "（也可运行 jixiao rederive 立即重算）。",
                    err=True,
                )
    except OperationalError as exc:
        typer.echo(f"无法连接或更新数据库：{exc}", err=True)
        raise typer.Exit(EXIT_CONFIG) from None


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("migrate")(migrate)
    app.command("createorg")(createorg)
    app.command("createuser")(createuser)
    app.command("worker")(worker)
    app.command("rederive")(rederive)
    app.command("manage", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(manage)


def serve(
    *,
    demo: Annotated[bool, typer.Option("--demo", help="载入内置示例数据和各角色的演示账户。")] = False,
    host: Annotated[str, typer.Option("--host", help="监听地址。")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="监听端口。")] = 8000,
    processes: Annotated[
        int | None,
        typer.Option("--processes", help="应用进程数（默认按 CPU 核数：2×核数，至多 8）。", min=1, max=64),
    ] = None,
    threads: Annotated[int, typer.Option("--threads", help="每个应用进程的线程数。", min=1, max=64)] = 4,
    no_worker: Annotated[
        bool, typer.Option("--no-worker", help="不启动内置后台任务进程（已用 jixiao worker 另行运行时）。")
    ] = False,
) -> None:
    """启动网页应用（启动时自动更新数据库结构；未另行运行后台任务进程时自动启动一个）。"""
    _setup()
    _migrate()
    from django.conf import settings

    if demo:
        from jixiao.web import demo as demo_data

        loaded = demo_data.load()
        typer.echo("已载入示例数据。" if loaded else "示例数据已存在，未重复载入。")
    worker_proc = None
    if not no_worker:
        worker_proc = subprocess.Popen(
            [sys.executable, "-m", "jixiao.cli.main", "worker"], env=os.environ.copy()
        )
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"jixiao 网页应用已启动：http://{shown}:{port}/")
    typer.echo(f"数据目录：{settings.DATA_DIR}")
    if demo:
        from jixiao.web.demo import PASSWORD, USERS

        typer.echo(f"演示账户（密码均为 {PASSWORD}）：")
        for username, display, org, role in USERS:
            typer.echo(f"  {username:<12} {display}  {org} · {role.label}")
    typer.echo("按 Ctrl+C 停止。")
    try:
        _run_gunicorn(host, port, processes or default_processes(), threads)
    finally:
        if worker_proc is not None:
            worker_proc.send_signal(signal.SIGTERM)
            try:
                worker_proc.wait(10)
            except subprocess.TimeoutExpired:
                worker_proc.kill()


def default_processes() -> int:
    """Application processes for this machine: two per core (a request is mostly Python on
    the CPU, partly waiting for the database), at most 8. On two cores, 4 processes of 4
    threads gave a lower p95 under bench/web.py's 50 users than 5 of 2."""
    return min(8, 2 * (os.cpu_count() or 1))


def _run_gunicorn(host: str, port: int, processes: int, threads: int) -> None:
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    from jixiao.web.wsgi import application

    connections.close_all()  # the forked processes open their own

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in {
                "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
                "workers": processes,
                "worker_class": "gthread",
                "threads": threads,
                "timeout": 60,
                "accesslog": None,
                "loglevel": "warning",
            }.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    Server().run()


def migrate() -> None:
    """创建或更新数据库结构。"""
    _setup()
    _migrate(verbosity=1)


def createorg(
    name: Annotated[str, typer.Argument(help="单位名称。", show_default=False)],
    kind: Annotated[str, typer.Option("--kind", help="类别：省、市、县（财政部门）或 部门。")],
    parent: Annotated[str | None, typer.Option("--parent", help="上级单位名称。")] = None,
) -> None:
    """新建单位（财政部门或预算部门）。"""
    _setup()
    from jixiao.web.models import Organisation

    if kind not in KINDS:
        typer.echo(f"类别“{kind}”无效：应为 {'、'.join(KINDS)}。", err=True)
        raise typer.Exit(EXIT_CONFIG)
    up = None
    if parent:
        up = Organisation.objects.filter(name=parent).first()
        if up is None:
            typer.echo(f"上级单位“{parent}”不存在。", err=True)
            raise typer.Exit(EXIT_CONFIG)
    if KINDS[kind] == "department" and (up is None or not up.is_bureau):
        typer.echo("预算部门须隶属于一个财政部门（--parent）。", err=True)
        raise typer.Exit(EXIT_CONFIG)
    org = Organisation.objects.create(name=name, kind=KINDS[kind], parent=up)
    typer.echo(f"已新建单位“{org.name}”（编号 {org.pk}）。")


def createuser(
    username: Annotated[str, typer.Argument(help="登录名。", show_default=False)],
    org: Annotated[str, typer.Option("--org", help="所属单位名称。")],
    role: Annotated[str, typer.Option("--role", help="角色：填报人、部门负责人、财政审核人 或 管理员。")],
    name: Annotated[str, typer.Option("--name", help="姓名。")] = "",
    password: Annotated[
        str | None,
        typer.Option("--password", help="密码（不给出时交互输入；也可用环境变量 JIXIAO_PASSWORD）。"),
    ] = None,
) -> None:
    """新建用户并指定所属单位和角色。"""
    _setup()
    from django.contrib.auth import get_user_model, password_validation
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from jixiao.web.models import Member, Organisation

    if role not in ROLES:
        typer.echo(f"角色“{role}”无效：应为 {'、'.join(ROLES)}。", err=True)
        raise typer.Exit(EXIT_CONFIG)
    organisation = Organisation.objects.filter(name=org).first()
    if organisation is None:
        typer.echo(f"单位“{org}”不存在，请先用 jixiao createorg 新建。", err=True)
        raise typer.Exit(EXIT_CONFIG)
    bureau_role = ROLES[role] in ("reviewer", "admin")
    if bureau_role != organisation.is_bureau:
        typer.echo(f"角色“{role}”与单位“{org}”的类别不符。", err=True)
        raise typer.Exit(EXIT_CONFIG)
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        typer.echo(f"用户“{username}”已存在。", err=True)
        raise typer.Exit(EXIT_CONFIG)
    secret = password or os.environ.get("JIXIAO_PASSWORD") or getpass.getpass("密码：")
    try:
        password_validation.validate_password(secret)
    except ValidationError as exc:
        typer.echo("密码不符合要求：" + "；".join(exc.messages), err=True)
        raise typer.Exit(EXIT_CONFIG) from None
    with transaction.atomic():
        user = User.objects.create_user(username, password=secret, first_name=name)
        Member.objects.create(user=user, organisation=organisation, role=ROLES[role])
    typer.echo(f"已新建用户“{username}”（{organisation.name} · {role}）。")


def worker(
    interval: Annotated[float, typer.Option("--interval", help="队列为空时的轮询间隔（秒）。")] = 1.0,
) -> None:
    """运行后台任务进程（生成文档、审核上传的报告）；可在多台机器上各运行若干个。"""
    _setup()
    from django.core.management import call_command

    _migrate()
    call_command("db_worker", queue_name="*", interval=interval, reload=False, verbosity=0)


def rederive(
    every: Annotated[
        bool, typer.Option("--all", help="重算全部申报（默认只重算由旧版本、旧指标体系或旧规则算出的）。")
    ] = False,
) -> None:
    """按当前版本重新计算申报的总分、等级、问题和情况说明（升级后运行；网页应用也会在后台自动重算）。"""
    _setup()
    _migrate(schedule=False)
    from jixiao.web import stamp, workflow

    def progress(done: int, total: int) -> None:
        typer.echo(f"已重算 {done}/{total} 份……", err=True)

    done = workflow.rederive_stale(every=every, progress=progress)
    if done:
        typer.echo(f"已按 {stamp.current()} 重算 {done} 份申报。")
    else:
        typer.echo("所有申报的结果都是当前版本算出的，无需重算。")


def manage(ctx: typer.Context) -> None:
    """运行 Django 管理命令，如 jixiao manage check --deploy、jixiao manage collectstatic。"""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jixiao manage", *ctx.args])
