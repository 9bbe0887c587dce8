"""What derived a stored result: the stamp kept with a submission's score, findings and
generated 情况说明.

A submission's derived fields are computed when it is saved and read back by every page.
After an upgrade that changes the scoring rules, a framework, the accounts rules or the
code that applies them, a result derived before it is no longer what jixiao computes now.
The stamp names the deriver, the installed version and a digest of the code and data of
every package that derives a result (computed once per process), so that a reader can
tell a stored result from a stale one: a stale one is derived again (one submission, on
its page) or shown as 待重算 (lists, exports, charts) until the background job or
``jixiao rederive`` has derived it again."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Iterator
from importlib import metadata, resources
from importlib.abc import Traversable

#: the modules and packages whose code and data derive a submission's results (scoring,
#: checking, explaining, reading the data, the findings' texts, the frameworks and rules);
#: a test derives every kind in a fresh process and checks that each module it loads is
#: one of these or one of :data:`NOT_DERIVING`
DERIVERS = (
    "jixiao.api",
    "jixiao.check.accounts",
    "jixiao.check.formulas",
    "jixiao.core",
    "jixiao.derive",
    "jixiao.frameworks",
    "jixiao.model",
    "jixiao.read",
    "jixiao.score",
    "jixiao.web.workflow",
)

#: modules loaded alongside that take no part in a result
NOT_DERIVING = (
    "jixiao",
    "jixiao.check",
    "jixiao.examples",
    "jixiao.web",
    "jixiao.web.apps",
    "jixiao.web.env",
    "jixiao.web.models",
    "jixiao.web.settings",
    "jixiao.web.stamp",
)

#: the kinds of file that carry code or data (caches and compiled files are left out)
_SUFFIXES = (".py", ".yaml", ".yml", ".json", ".txt", ".csv")


def version() -> str:
    try:
        return metadata.version("jixiao")
    except metadata.PackageNotFoundError:  # a source tree that was never installed
        return "0+source"


def sources(names: Iterable[str] = DERIVERS) -> Iterator[tuple[str, bytes]]:
    """Every code and data file of the named packages (a module: its one file), by name."""
    for name in names:
        package, _, leaf = name.rpartition(".")
        root = resources.files(name) if _is_package(name) else resources.files(package).joinpath(leaf + ".py")
        yield from _walk(root, name)


def _is_package(name: str) -> bool:
    import importlib.util

    spec = importlib.util.find_spec(name)
    return spec is not None and spec.submodule_search_locations is not None


def _walk(entry: Traversable, name: str) -> Iterator[tuple[str, bytes]]:
    if entry.is_file():
        if entry.name.endswith(_SUFFIXES):
            yield name, entry.read_bytes()
        return
    for child in sorted(entry.iterdir(), key=lambda e: e.name):
        if child.name.startswith((".", "__pycache__")):
            continue
        yield from _walk(child, f"{name}/{child.name}")


def compute(version_text: str, files: Iterable[tuple[str, bytes]]) -> str:
    """``jixiao <version>+<digest>``: the digest covers every file's name and content."""
    digest = hashlib.sha256()
    for name, content in files:
        raw = name.encode("utf-8")
        digest.update(len(raw).to_bytes(4, "big") + raw + len(content).to_bytes(8, "big") + content)
    return f"jixiao {version_text}+{digest.hexdigest()[:16]}"


@functools.cache
def current() -> str:
    """The stamp of this process's deriver (computed on first use, then kept)."""
    return compute(version(), sources())
