"""Settings fail loudly, pages keep their secrets, and production settings pass Django's
deployment checks."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from jixiao.web import env


def test_envbool_refuses_a_value_it_does_not_know(monkeypatch: Any) -> None:
    monkeypatch.setenv("JIXIAO_DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="JIXIAO_DEBUG"):
        env.envbool("JIXIAO_DEBUG", False)
    monkeypatch.setenv("JIXIAO_DEBUG", "on")
    assert env.envbool("JIXIAO_DEBUG", False) is True


def test_envint_refuses_text(monkeypatch: Any) -> None:
    monkeypatch.setenv("JIXIAO_UPLOAD_MAX_MB", "20MB")
    with pytest.raises(ImproperlyConfigured, match="整数"):
        env.envint("JIXIAO_UPLOAD_MAX_MB", 20)


def test_database_url(tmp_path: Path) -> None:
    db = env.database("postgresql://jx:p%40ss@db.internal:6543/jixiao", tmp_path)
    assert (db["ENGINE"], db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "django.db.backends.postgresql",
        "jixiao",
        "jx",
        "p@ss",
        "db.internal",
        "6543",
    )
    assert env.database("", tmp_path)["NAME"] == str(tmp_path / "jixiao.sqlite3")
    with pytest.raises(ImproperlyConfigured, match="协议"):
        env.database("mysql://x@y/z", tmp_path)


def test_short_secret_key_is_refused(monkeypatch: Any, tmp_path: Path) -> None:
    monkeypatch.setenv("JIXIAO_SECRET_KEY", "short")
    with pytest.raises(ImproperlyConfigured, match="太短"):
        env.secret_key(tmp_path)


def test_generated_secret_key_is_kept(monkeypatch: Any, tmp_path: Path) -> None:
    monkeypatch.delenv("JIXIAO_SECRET_KEY", raising=False)
    key = env.secret_key(tmp_path)
    assert len(key) >= 50
    assert env.secret_key(tmp_path) == key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def _jixiao(args: list[str], **extra: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("JIXIAO_", "DJANGO_"))}
    environ.update(extra)
    return subprocess.run(
        [sys.executable, "-m", "jixiao.cli.main", *args],
        capture_output=True,
        check=False,
        text=True,
        env=environ,
        timeout=300,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    result = _jixiao(
        ["manage", "check", "--deploy", "--fail-level", "WARNING"],
        JIXIAO_DATA_DIR=str(tmp_path),
        JIXIAO_SECURE="1",
        JIXIAO_SECRET_KEY=secrets.token_urlsafe(60),
        JIXIAO_ALLOWED_HOSTS="jixiao.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_wrong_setting_stops_the_start_in_chinese(tmp_path: Path) -> None:
    result = _jixiao(["migrate"], JIXIAO_DATA_DIR=str(tmp_path), JIXIAO_DEBUG="sometimes")
    assert result.returncode == 2
    assert "配置错误" in result.stderr
    assert "Traceback" not in result.stderr


def test_pages_send_security_headers(world: Any, login: Any) -> None:
    response = login("officer").get(reverse("submissions"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_unknown_page_is_a_chinese_404_without_details(client: Any, db: Any) -> None:
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_login_is_throttled(client: Any, world: Any) -> None:
    for _ in range(5):
        client.post(reverse("login"), {"username": "officer", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "officer", "password": "pw-for-tests-9"})
    assert response.status_code == 429
    assert "暂时无法登录" in response.content.decode()


def test_login_page_logs_in(client: Any, world: Any) -> None:
    response = client.post(reverse("login"), {"username": "officer", "password": "pw-for-tests-9"})
    assert response.status_code == 302
    assert client.get(reverse("home"))["Location"] == reverse("submissions")


def test_an_internal_error_shows_no_details(world: Any, login: Any, monkeypatch: Any) -> None:
    from jixiao.web.views import submissions

    def broken(member: Any) -> Any:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(submissions, "submissions", broken)
    client = login("officer")
    client.raise_request_exception = False
    response = client.get(reverse("submissions"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "服务器内部错误" in page
    assert "secret internals" not in page
    assert "Traceback" not in page
