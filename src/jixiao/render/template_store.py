"""The templates a render uses: the built-in ones, or the user's edited copies.

A user template replaces the built-in template of the same kind. Its kind is read from
its document properties (category ``jixiao-template:NAME``, written by
``jixiao templates export`` and kept by Word through "Save as"), or else from its file
name. A template is checked before anything is written: a broken .docx, a syntax error
or a name jixiao does not provide is refused with a Finding naming the file and the tag.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

import jinja2
from jinja2 import meta

from jixiao.core import limits, outputs
from jixiao.core.findings import Finding, InputError, finding

#: The document category that names a template's kind (``jixiao-template:report-leshan``).
CATEGORY = "jixiao-template:"

#: Names a template may use besides the context's own (Jinja's built-ins).
_JINJA_NAMES = frozenset(
    {
        "loop",
        "range",
        "dict",
        "namespace",
        "true",
        "false",
        "none",
        "True",
        "False",
        "None",
    }
)


def builtin_folder() -> Traversable:
    return resources.files("jixiao.render").joinpath("templates")


def builtin_names() -> list[str]:
    """The built-in template names (file stems), e.g. ``report-xinxiang-2024``."""
    return sorted(
        e.name.removesuffix(".docx") for e in builtin_folder().iterdir() if e.name.endswith(".docx")
    )


@dataclass(frozen=True)
class Templates:
    """Where each template comes from: ``overrides`` maps a template name to a user file."""

    overrides: Mapping[str, Path] = field(default_factory=dict)

    def docx(self, name: str) -> Path | Traversable:
        return self.overrides.get(name) or builtin_folder().joinpath(f"{name}.docx")

    def source(self, name: str) -> str:
        """The template's file, as a message names it."""
        user = self.overrides.get(name)
        return str(user) if user else f"内置模板 {name}.docx"


def export(folder: Path) -> list[Path]:
    """Write the built-in templates (Word, HTML and CSS) into ``folder``; returns the files."""
    kinds = (".docx", ".html", ".css")
    entries = sorted((e for e in builtin_folder().iterdir() if e.name.endswith(kinds)), key=lambda e: e.name)
    written = [folder / entry.name for entry in entries]
    outputs.prepare_folder(folder, written)  # InputError (nothing written) for a link or a file
    for entry, target in zip(entries, written, strict=True):
        outputs.write(target, entry.read_bytes())
    return written


def kind_of(path: Path) -> str | None:
    """The built-in template a user file replaces, from its properties or its name."""
    try:
        with zipfile.ZipFile(path) as z:
            core = z.read("docProps/core.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile, NotImplementedError):  # _broken() says why
        core = ""
    m = re.search(r"<cp:category>" + re.escape(CATEGORY) + r"([a-z0-9-]+)</cp:category>", core)
    names = builtin_names()
    if m and m.group(1) in names:
        return m.group(1)
    return path.stem if path.stem in names else None


def load(paths: Iterable[Path]) -> Templates:
    """The user's templates, each checked to open and to be recognised; raises InputError."""
    overrides: dict[str, Path] = {}
    problems: list[Finding] = []
    for path in paths:
        if path.is_dir():
            for candidate in sorted(path.glob("*.docx")):
                name = kind_of(candidate)
                if name is not None:
                    overrides[name] = candidate
            continue
        if not path.is_file():
            problems.append(finding("template-not-found", None, path=str(path)))
            continue
        broken = _broken(path)
        if broken:
            problems.append(broken)
            continue
        name = kind_of(path)
        if name is None:
            problems.append(
                finding(
                    "template-unknown-kind",
                    None,
                    name=path.name,
                    available="、".join(f"{n}.docx" for n in builtin_names()),
                )
            )
            continue
        overrides[name] = path
    if problems:
        raise InputError(problems)
    return Templates(overrides)


def _broken(path: Path) -> Finding | None:
    try:
        with zipfile.ZipFile(path) as z:
            z.getinfo("word/document.xml")
            inflated = sum(i.file_size for i in z.infolist())
            if inflated > limits.LIMITS.unzipped_bytes:  # a zip bomb: refused before inflating
                return finding(
                    "template-broken", None, name=path.name, detail=f"解压后有 {inflated} 字节，超过上限"
                )
            bomb = limits.inflated_member(z.infolist())
            if bomb is not None:
                detail = f"压缩包成员“{bomb.filename[:80]}”的压缩比异常（疑似压缩炸弹）"
                return finding("template-broken", None, name=path.name, detail=detail)
            bad = z.testzip()
    except zipfile.BadZipFile:
        return finding("template-broken", None, name=path.name, detail="文件不是 zip 格式的 Word 文档")
    except KeyError:
        return finding("template-broken", None, name=path.name, detail="缺少 word/document.xml")
    except OSError as exc:
        return finding("template-broken", None, name=path.name, detail=exc.strerror or str(exc))
    except Exception as exc:  # zlib, unsupported zip versions ...: a damaged file
        return finding(
            "template-broken", None, name=path.name, detail=f"压缩包已损坏（{type(exc).__name__}）"
        )
    if bad is not None:
        return finding("template-broken", None, name=path.name, detail=f"压缩包内的“{bad}”已损坏")
    return None


# --- checking the tags of a template ---------------------------------------------------

_SYNTAX_HINTS = (
    (re.compile(r"Encountered unknown tag '(\w+)'"), "未知的语句标签“{0}”"),
    (re.compile(r"Unexpected end of template.*'(\w+)'"), "缺少结束标签“{0}”"),
    (re.compile(r"Unexpected end of template"), "模板在标签结束前就结束了（缺少 %}} 或 }}}}）"),
    (re.compile(r"unexpected '(.+?)'"), "意外的“{0}”"),
    (re.compile(r"expected token '(.+?)', got '(.+?)'"), "此处应为“{0}”，实际为“{1}”"),
)


def syntax_detail(exc: jinja2.TemplateSyntaxError) -> str:
    """A Chinese reading of a Jinja syntax error (the original is kept in brackets)."""
    message = exc.message or str(exc)
    for pattern, text in _SYNTAX_HINTS:
        m = pattern.search(message)
        if m:
            return f"{text.format(*m.groups())}（{message}）"
    return message


def unknown_names(env: jinja2.Environment, source: str, known: Iterable[str]) -> list[str]:
    """Top-level names a template uses that the context does not provide."""
    parsed = env.parse(source)
    used = meta.find_undeclared_variables(parsed)
    return sorted(used - set(known) - _JINJA_NAMES)


def undefined_name(exc: jinja2.UndefinedError) -> str:
    """The missing name or attribute of a StrictUndefined error."""
    message = str(exc)
    m = re.search(r"has no attribute '([^']+)'", message) or re.search(r"'([^']+)' is undefined", message)
    return m.group(1) if m else message
