"""Settings read from the environment through strict helpers: a wrong value stops the
start with a clear message instead of running with a surprise (healthchecks' envbool)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"环境变量 {name}={raw!r} 无效：应为 1/0、true/false、yes/no 或 on/off。")


def envint(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"环境变量 {name}={raw!r} 无效：应为整数。") from None
    if value < minimum:
        raise ImproperlyConfigured(f"环境变量 {name}={raw!r} 无效：不能小于 {minimum}。")
    return value


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [p.strip() for p in raw.split(",") if p.strip()]


def data_dir() -> Path:
    """JIXIAO_DATA_DIR (default ./jixiao-data): the SQLite file, uploads, documents, key."""
    path = Path(envstr("JIXIAO_DATA_DIR", "jixiao-data")).expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ImproperlyConfigured(f"无法创建数据目录 {path}：{exc.strerror}") from None
    return path


def secret_key(folder: Path) -> str:
    """JIXIAO_SECRET_KEY, or a key generated once and kept in the data folder."""
    given = os.environ.get("JIXIAO_SECRET_KEY")
    if given is not None:
        if len(given) < 50:
            raise ImproperlyConfigured("环境变量 JIXIAO_SECRET_KEY 太短：至少 50 个字符。")
        return given
    keyfile = folder / "secret_key"
    if not keyfile.exists():
        fd = os.open(keyfile, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(64))
    return keyfile.read_text().strip()


def database(url: str | None, folder: Path) -> dict[str, object]:
    """JIXIAO_DATABASE_URL (postgresql://user:pass@host:port/name) or SQLite in the folder."""
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(folder / "jixiao.sqlite3"),
            # several threads (the server and its worker) write: wait rather than fail
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ImproperlyConfigured(
            f"JIXIAO_DATABASE_URL 的协议 {parts.scheme!r} 不受支持：应为 postgresql://用户:密码@主机:端口/库名。"
        )
    name = parts.path.lstrip("/")
    if not name:
        raise ImproperlyConfigured("JIXIAO_DATABASE_URL 缺少数据库名（…/库名）。")
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured("JIXIAO_DATABASE_URL 的端口无效。") from None
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(name),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(port or ""),
        "CONN_MAX_AGE": envint("JIXIAO_DB_CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
    }
