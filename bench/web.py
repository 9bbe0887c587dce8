"""Benchmark: the web application on PostgreSQL with 1,000 departments × 3 years.

    python bench/web.py [--departments 1000] [--users 50] [--seconds 60]

Needs a PostgreSQL server (default postgresql://postgres@127.0.0.1:5432/, trust auth; set
JIXIAO_BENCH_DATABASE_URL for another); creates and drops the database ``jixiao_bench``.
Starts ``jixiao serve`` on loopback, then prints
1. p50 and p95 of the main pages, one request at a time;
2. 50 concurrent users for 60 s (each loop bounded in count and time): requests per second,
   p50/p95, errors, and the lost-update check — pairs of users save the same submissions at
   once; every accepted save must raise the version by one and the last accepted value must
   be the one stored; the refused ones must say so (HTTP 409).
Goals: p95 < 200 ms, zero errors, no lost update.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookies
import multiprocessing
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-password-1"
PATHS = {
    "培训人次": "产出指标/数量指标/培训人次",
    "满意度": "满意度指标/服务对象满意度指标/满意度",
}
DATA: dict[str, Any] = {
    "department": "部门",
    "year": 2024,
    "framework": "national-2020-project",
    "figures": {"budget_total": "30", "spent": "26.6"},
    "indicators": [
        {"path": PATHS["培训人次"], "weight": "25", "target": "≥1000人次", "actual": "1200人次"},
        {"path": "产出指标/成本指标/人均成本", "weight": "25", "target": "≤200元", "actual": "180元"},
        {
            "path": "效益指标/社会效益指标/群众知晓度",
            "weight": "30",
            "rule": "qualitative",
            "tier": "achieved",
            "score": "27",
        },
        {"path": PATHS["满意度"], "weight": "10", "target": "≥90%", "actual": "96%"},
    ],
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database(url: str, name: str = "jixiao_bench") -> str:
    """A fresh database ``name`` on the server at ``url`` (dropped first if it exists)."""
    import psycopg

    with psycopg.connect(url + "postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return url + name


def _seed(departments: int) -> dict[str, Any]:
    """Bureaus, departments, 3 years of submissions each, users; scored once per variant."""
    import django
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from jixiao.web import stamp, workflow
    from jixiao.web.models import Member, Organisation, Submission

    K = Organisation.Kind
    province = Organisation.objects.create(name="省财政厅", kind=K.PROVINCE)
    cities = [
        Organisation.objects.create(name=f"第{i + 1}市财政局", kind=K.CITY, parent=province)
        for i in range(10)
    ]
    variants = []
    for v in range(10):
        data = {**DATA, "indicators": [dict(e) for e in DATA["indicators"]]}
        data["indicators"][0]["actual"] = f"{700 + 50 * v}人次"
        variants.append((data, workflow.derive("department", data)))
    depts = []
    for i in range(departments):
        city = cities[i % len(cities)]
        depts.append(Organisation(name=f"第{i + 1:04d}号部门", kind=K.DEPARTMENT, parent=city))
    Organisation.objects.bulk_create(depts)
    for d in Organisation.objects.filter(kind=K.DEPARTMENT).select_related("parent"):
        Organisation.objects.filter(pk=d.pk).update(path=f"{d.parent.path}{d.pk}/")
    depts = list(Organisation.objects.filter(kind=K.DEPARTMENT).order_by("pk"))
    subs = []
    for i, d in enumerate(depts):
        for year in (2022, 2023, 2024):
            data, derived = variants[(i + year) % len(variants)]
            subs.append(
                Submission(
                    department=d,
                    year=year,
                    kind="department",
                    data={**data, "department": d.name, "year": year},
                    total=derived.total,
                    grade=derived.grade,
                    errors=derived.errors,
                    warnings=derived.warnings,
                    findings=derived.findings,
                    evaluation=derived.evaluation,
                    derived_by=stamp.current(),
                    state=["draft", "submitted", "approved"][(i + year) % 3],
                )
            )
    Submission.objects.bulk_create(subs, batch_size=500)
    User = get_user_model()
    hashed = make_password(PASSWORD)
    users = [User(username=f"r{i}", password=hashed) for i in range(len(cities))]
    users += [User(username=f"d{i}", password=hashed) for i in range(len(depts))]
    users += [User(username=f"e{i}", password=hashed) for i in range(len(depts))]  # a second editor
    User.objects.bulk_create(users)
    by_name = {u.username: u for u in User.objects.all()}
    members = [Member(user=by_name[f"r{i}"], organisation=c, role="reviewer") for i, c in enumerate(cities)]
    for i, d in enumerate(depts):
        members.append(Member(user=by_name[f"d{i}"], organisation=d, role="filler"))
        members.append(Member(user=by_name[f"e{i}"], organisation=d, role="head"))
    Member.objects.bulk_create(members)
    drafts = dict(Submission.objects.filter(year=2024, state="draft").values_list("department_id", "pk"))
    return {
        "depts": [d.pk for d in depts],
        "drafts": {i: drafts[d.pk] for i, d in enumerate(depts) if d.pk in drafts},
    }


class Client:
    """One user's browser: one kept-alive connection (as a browser keeps it between the
    pages of a visit), cookies, the CSRF token, timings. Written on http.client rather than
    urllib so that the load generator spends as little of the shared CPU as it can."""

    def __init__(self, base: str) -> None:
        self.base = base
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def csrf(self) -> str:
        return self.cookies.get("csrftoken", "")

    def _send(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> tuple[int, bytes]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        self.conn.request(method, path, body=body, headers=headers)
        resp = self.conn.getresponse()
        data = resp.read()
        for header in resp.headers.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        if resp.will_close:
            self.conn.close()
            self.conn = None
        return resp.status, data

    def request(
        self, path: str, form: dict[str, str] | None = None, htmx: bool = False
    ) -> tuple[int, float, str]:
        body = (
            None
            if form is None
            else urllib.parse.urlencode({**form, "csrfmiddlewaretoken": self.csrf()}).encode()
        )
        headers = {"Referer": self.base + "/", "Host": f"{self.host}:{self.port}"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if htmx:
            headers["HX-Request"] = "true"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        t = time.perf_counter()
        reused = self.conn is not None
        try:
            status, data = self._send("GET" if body is None else "POST", path, body, headers)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # the server closed an idle kept-alive connection before reading the request:
            # open a new one and send it again, as a browser does (timed from the first try)
            if self.conn is not None:
                self.conn.close()
                self.conn = None
            if not reused:
                raise
            status, data = self._send("GET" if body is None else "POST", path, body, headers)
        return status, time.perf_counter() - t, data.decode("utf-8", "replace")

    def login(self, username: str) -> None:
        self.request("/login/")
        status, _, _ = self.request("/login/", {"username": username, "password": PASSWORD})
        if status != 302:
            raise RuntimeError(f"log-in of {username} failed: {status}")


def _proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) a live process has used, from /proc (0 when gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def _backends(database_url: str) -> list[int]:
    """The PostgreSQL backends connected to the database (this connection's left out)."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        return [
            r[0]
            for r in conn.execute(
                "SELECT pid FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ]


def _server_cpu(server_pid: int, database_url: str) -> dict[int, float]:
    """CPU seconds so far of every process serving the bench: the application server's
    processes and the PostgreSQL backends connected to the bench database."""
    return {pid: _proc_cpu(pid) for pid in _descendants(server_pid) + _backends(database_url)}


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _version(text: str) -> str:
    m = re.search(r'name="version" value="(\d+)"', text)
    return m.group(1) if m else "0"


def latency(base: str, seed: dict[str, Any], n: int) -> None:
    reviewer, filler = Client(base), Client(base)
    reviewer.login("r0")
    first = next(iter(seed["drafts"]))
    filler.login(f"d{first}")
    sub = seed["drafts"][first]
    dept = seed["depts"][0]
    pages: dict[str, Any] = {
        "审核列表（全部，第 1 页）": lambda: reviewer.request("/review/"),
        "审核列表（筛选+排序+搜索）": lambda: reviewer.request(
            "/review/?year=2024&state=submitted&sort=total&q=" + urllib.parse.quote("部门")
        ),
        "统计图表数据": lambda: reviewer.request("/review/charts/data/"),
        "部门历年对比": lambda: reviewer.request(f"/departments/{dept}/"),
        "申报编辑页": lambda: filler.request(f"/s/{sub}/"),
        "边填边算（htmx）": lambda: filler.request(
            f"/s/{sub}/preview/", {"p:0": PATHS["培训人次"], "a:0": "950人次"}, htmx=True
        ),
    }
    print(f"一、逐页响应时间（每页 {n} 次，毫秒）")
    print(f"  {'页面':<24}{'p50':>8}{'p95':>8}")
    for name, call in pages.items():
        for _ in range(2 * 4):  # warm: each server process compiles its templates on first use
            call()
        times = []
        for _ in range(n):
            status, took, _ = call()
            if status != 200:
                raise RuntimeError(f"{name}: HTTP {status}")
            times.append(took)
        print(f"  {name:<24}{_pct(times, 0.5):>8.1f}{_pct(times, 0.95):>8.1f}")
    times = []
    for i in range(n):
        _, _, page = filler.request(f"/s/{sub}/")
        status, took, _ = filler.request(
            f"/s/{sub}/save/", {"version": _version(page), "p:0": PATHS["满意度"], "a:0": f"{90 + i % 9}%"}
        )
        if status != 302:
            raise RuntimeError(f"save: HTTP {status}")
        times.append(took)
    print(f"  {'保存（含计分与修改记录）':<24}{_pct(times, 0.5):>8.1f}{_pct(times, 0.95):>8.1f}")


def queries(seed: dict[str, Any]) -> None:
    """The database queries of one request of each main page (Django's test client, in this
    process, on the same database)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client as TestClient
    from django.test.utils import CaptureQueriesContext

    User = get_user_model()
    reviewer, filler = TestClient(), TestClient()
    reviewer.force_login(User.objects.get(username="r0"), backend="jixiao.web.auth.MemberBackend")
    first = next(iter(seed["drafts"]))
    filler.force_login(User.objects.get(username=f"d{first}"), backend="jixiao.web.auth.MemberBackend")
    sub, dept = seed["drafts"][first], seed["depts"][0]
    pages = [
        ("审核列表（全部，第 1 页）", reviewer, "/review/"),
        ("审核列表（筛选+排序+搜索）", reviewer, "/review/?year=2024&state=submitted&sort=total&q=部门"),
        ("统计图表数据", reviewer, "/review/charts/data/"),
        ("部门历年对比", reviewer, f"/departments/{dept}/"),
        ("申报编辑页", filler, f"/s/{sub}/"),
        ("部门的申报列表", filler, "/submissions/"),
    ]
    print("\n三、每次请求的数据库查询数（含会话、用户、单位）")
    for name, client, url in pages:
        with CaptureQueriesContext(connection) as ctx:
            status = client.get(url, HTTP_HOST="127.0.0.1").status_code
        print(f"  {name:<24}{len(ctx.captured_queries):>4} 次（HTTP {status}）")


def load(
    base: str,
    seed: dict[str, Any],
    users: int,
    seconds: float,
    *,
    think: float = 0,
    processes: int = 5,
    server: tuple[int, str] | None = None,
) -> None:
    """``users`` users for ``seconds``: reviewers browse; pairs of editors save the same drafts.
    With ``think`` > 0 each user pauses that many seconds after each round, as a person
    reads the page; with 0 every user sends its next request at once (the harshest case:
    by Little's law the latency is then users / throughput). The users are threads spread
    over ``processes`` load processes, so that one interpreter's lock does not hold back
    the timing of the responses the server has already sent."""
    drafts = list(seed["drafts"].items())[1:]  # the first one served the latency figures
    editors = max(2, users - users // 5) // 2 * 2  # even: two editors per draft
    contested = drafts[: editors // 2]
    processes = max(1, min(processes, users))
    from django.db import connections

    connections.close_all()  # the load processes are forked; none uses the database
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    # every user logs in first (password hashing is slow by design), then the clock starts
    barrier = ctx.Barrier(processes + 1)
    plan = (base, seed, editors, contested, seconds, think)
    procs = [
        ctx.Process(target=_load_process, args=(plan, list(range(p, users, processes)), barrier, queue))
        for p in range(processes)
    ]
    cpu0 = os.times()
    for proc in procs:
        proc.start()
    barrier.wait(timeout=600)
    start = time.monotonic()
    before = _server_cpu(*server) if server else {}
    times: list[float] = []
    errors: list[str] = []
    saves: list[tuple[int, int, str, int]] = []
    for _ in procs:
        t, e, sv = queue.get(timeout=seconds + 600)
        times += t
        errors += e
        saves += sv
    elapsed = time.monotonic() - start
    after = _server_cpu(*server) if server else {}
    for proc in procs:
        proc.join(60)
    cpu1 = os.times()
    client_cpu = (cpu1.children_user - cpu0.children_user) + (cpu1.children_system - cpu0.children_system)
    pause = f"（每轮后停顿 {think:g} 秒）" if think else "（无停顿）"
    print(
        f"\n二、{users} 个用户并发 {seconds:.0f} 秒{pause}"
        f"（{editors} 人两两同时编辑 {len(contested)} 份申报，其余浏览审核列表；"
        f"压测端 {processes} 个进程，保持连接）"
    )
    print(
        f"  请求 {len(times)} 次，{len(times) / elapsed:.1f} 次/秒；p50 {_pct(times, 0.5):.1f} ms，"
        f"p95 {_pct(times, 0.95):.1f} ms；错误 {len(errors)} 个"
    )
    per = 1000 * client_cpu / max(1, len(times))
    print(f"  压测端（含登录）用 CPU {client_cpu:.1f} 秒，每次请求 {per:.2f} ms")
    if server:
        # processes started during the run count from zero; those that ended are missed
        app = sum(after[p] - before.get(p, 0.0) for p in after if p in _descendants(server[0]))
        total = sum(after[p] - before.get(p, 0.0) for p in after)
        n = max(1, len(times))
        print(
            f"  服务端用 CPU：应用 {app:.1f} 秒、数据库 {total - app:.1f} 秒；"
            f"每次请求 {1000 * app / n:.2f} + {1000 * (total - app) / n:.2f} ms"
        )
    for e in sorted(set(errors))[:5]:
        print(f"    {e}")
    _check_saves(saves)


def _load_process(plan: tuple[Any, ...], ks: list[int], barrier: Any, queue: Any) -> None:
    """One load process: the users numbered ``ks`` as threads; sends back their timings,
    errors and saves."""
    base, seed, editors, contested, seconds, think = plan
    lock = threading.Lock()
    times: list[float] = []
    errors: list[str] = []
    saves: list[tuple[int, int, str, int]] = []
    clients: dict[int, tuple[Client, int]] = {}
    for k in ks:
        c = Client(base)
        if k < editors:
            dept_index, sub = contested[k // 2]
            c.login(("d" if k % 2 == 0 else "e") + str(dept_index))
        else:
            c.login(f"r{k % 10}")
            sub = 0
        clients[k] = (c, sub)
    barrier.wait(timeout=600)
    deadline = time.monotonic() + seconds

    def run(k: int) -> None:
        c, sub = clients[k]
        for i in range(100_000):  # bounded in count as well as in time
            if time.monotonic() > deadline:
                break
            try:
                if sub:
                    status, took, page = c.request(f"/s/{sub}/")
                    record = [(status, took)]
                    value = f"{k}-{i}"
                    status, took2, _ = c.request(
                        f"/s/{sub}/preview/", {"p:0": PATHS["满意度"], "r:0": value}, htmx=True
                    )
                    record.append((status, took2))
                    sent = int(_version(page))
                    status, took3, _ = c.request(
                        f"/s/{sub}/save/", {"version": str(sent), "p:0": PATHS["满意度"], "r:0": value}
                    )
                    record.append((status, took3))
                    with lock:
                        saves.append((sub, sent, value, status))
                else:
                    record = [
                        c.request("/review/?page=" + str(1 + i % 20))[:2],
                        c.request(f"/departments/{_own_department(seed, k % 10, k * 37 + i)}/")[:2],
                    ]
            except Exception as exc:
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
                continue
            if think:
                time.sleep(think)
            with lock:
                for status, took in record:
                    times.append(took)
                    if status not in (200, 302, 409):
                        errors.append(f"HTTP {status}")

    threads = [threading.Thread(target=run, args=(k,)) for k in ks]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    queue.put((times, errors, saves))


def _own_department(seed: dict[str, Any], city: int, n: int) -> int:
    """A department under reviewer ``r{city}``'s bureau (department i sits under city i % 10)."""
    depts = seed["depts"]
    per_city = max(1, len(depts) // 10)
    return int(depts[min(len(depts) - 1, city + 10 * (n % per_city))])


def _check_saves(saves: list[tuple[int, int, str, int]]) -> None:
    from jixiao.web.models import Submission

    accepted = [s for s in saves if s[3] == 302]
    refused = [s for s in saves if s[3] == 409]
    lost = 0
    for sub in {s[0] for s in saves}:
        mine = [s for s in accepted if s[0] == sub]
        row = Submission.objects.get(pk=sub)
        versions = sorted(s[1] for s in mine)
        # every accepted save started from a distinct version, and each raised it by one
        if len(set(versions)) != len(versions) or row.version != (
            min(versions) + len(versions) if versions else row.version
        ):
            lost += 1
            continue
        last = max(mine, key=lambda s: s[1]) if mine else None
        stored = next(
            (e.get("deviation_reason") for e in row.data["indicators"] if e["path"] == PATHS["满意度"]), None
        )
        if last is not None and stored != last[2]:
            lost += 1
    print(f"  保存：接受 {len(accepted)} 次，拒绝（他人已先保存）{len(refused)} 次；丢失的更新：{lost}")


def _reference() -> None:
    """How loaded the machine is now: the load average and the time of one scoring in this
    process (the work a save or a preview does), to compare runs on a shared machine."""
    from jixiao.web import workflow

    times = []
    for _ in range(20):
        t = time.perf_counter()
        workflow.derive("department", DATA)
        times.append(time.perf_counter() - t)
    load1, load5, _ = os.getloadavg()
    print(
        f"参考：负载 {load1:.1f}/{load5:.1f}（1/5 分钟，{os.cpu_count()} 核）；"
        f"进程内计分一次 p50 {_pct(times, 0.5):.1f} ms\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--departments", type=int, default=1000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--requests", type=int, default=50, help="requests per page for the latency figures")
    parser.add_argument(
        "--processes", type=int, default=0, help="server processes (0: jixiao serve's default)"
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per server process")
    parser.add_argument("--think", type=float, default=0, help="seconds a user pauses after each round")
    parser.add_argument(
        "--load-processes", type=int, default=5, help="processes the users' threads are spread over"
    )
    args = parser.parse_args()
    server_url = os.environ.get("JIXIAO_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/")
    db = _database(server_url)
    data_dir = tempfile.mkdtemp(prefix="jixiao-bench-")
    os.environ.update(
        JIXIAO_DATABASE_URL=db,
        JIXIAO_DATA_DIR=data_dir,
        DJANGO_SETTINGS_MODULE="jixiao.web.settings",
        JIXIAO_LOGIN_FAILURES="1000",
    )
    t = time.perf_counter()
    seed = _seed(args.departments)
    print(
        f"数据：{args.departments} 个部门 × 3 年 = {args.departments * 3} 份申报，"
        f"载入 {time.perf_counter() - t:.1f} 秒（PostgreSQL）\n"
    )
    _reference()
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jixiao.cli.main",
            "serve",
            "--no-worker",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            *(["--processes", str(args.processes)] if args.processes else []),
            "--threads",
            str(args.threads),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,  # 409s of the refused saves are logged there; statuses are counted here
        env=os.environ.copy(),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/login/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.3)
        latency(base, seed, args.requests)
        load(
            base,
            seed,
            args.users,
            args.seconds,
            think=args.think,
            processes=args.load_processes,
            server=(server.pid, db),
        )
        queries(seed)
    finally:
        server.terminate()
        server.wait(20)
        from django.db import connections

        connections.close_all()
        import psycopg

        with psycopg.connect(server_url + "postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS jixiao_bench WITH (FORCE)")


if __name__ == "__main__":
    main()
