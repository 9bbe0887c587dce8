"""Read YAML and JSON files into plain data, keeping the line of every value.

Floats are read as Decimal from their text, never through ``float``. Errors become
Findings that name the file and the line, in Chinese; nothing here raises a traceback
at the user.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from jixiao.core.findings import Finding, InputError, Location, finding

#: Inputs above this size are refused before they are read (a submission is a few KB).
MAX_INPUT_BYTES = 20 * 1024 * 1024


class _DecimalLoader(yaml.SafeLoader):
    """SafeLoader that reads floats as Decimal and refuses duplicate keys."""


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")
    lowered = text.lower()
    if lowered in {".inf", "+.inf", "-.inf", ".nan"}:
        raise yaml.constructor.ConstructorError(None, None, f"不支持的数值“{text}”", node.start_mark)
    return Decimal(text)


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"键“{key}”重复出现", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node)


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
_DecimalLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass(frozen=True)
class Document:
    """Parsed data of one file and the node tree that knows each value's line."""

    name: str
    data: Any
    root: yaml.Node | None

    def line_of(self, loc: Sequence[int | str]) -> int | None:
        """1-based line of the value at ``loc`` (keys and list indexes), or its nearest parent."""
        node = self.root
        line = node.start_mark.line + 1 if node is not None else None
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                match = next((v for k, v in node.value if k.value == str(part)), None)
                if match is None:
                    return line
                node = match
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if part >= len(node.value):
                    return line
                node = node.value[part]
            else:
                return line
            line = node.start_mark.line + 1
        return line

    def location(self, loc: Sequence[int | str] = ()) -> Location:
        return Location(file=self.name, line=self.line_of(loc))


def read_text(path: Path, *, limit: int | None = None) -> str:
    """The UTF-8 text of ``path``; raises InputError with a Chinese Finding on any failure."""
    limit = MAX_INPUT_BYTES if limit is None else limit
    loc = Location(file=str(path))
    try:
        size = path.stat().st_size
    except OSError:
        raise InputError([finding("file-not-found", loc, path=str(path))]) from None
    if size > limit:
        raise InputError([finding("file-too-large", loc, size=_human(size), limit=_human(limit))])
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([finding("file-not-found", loc, path=f"{path}（{exc.strerror}）")]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            [finding("encoding-error", loc, detail=f"第{exc.start}字节无法按 UTF-8 解码")]
        ) from None


def parse(text: str, name: str, *, kind: str | None = None) -> Document:
    """Parse YAML or JSON ``text`` (``kind`` 'json' or 'yaml'; guessed from ``name``)."""
    kind = kind or ("json" if name.lower().endswith(".json") else "yaml")
    if kind == "json":
        try:
            data = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise InputError(
                [
                    finding(
                        "syntax-error",
                        Location(file=name, line=exc.lineno),
                        kind="JSON",
                        detail=f"第{exc.lineno}行第{exc.colno}列：{_json_reason(exc.msg)}",
                    )
                ]
            ) from None
        try:
            root = yaml.compose(text, Loader=_DecimalLoader)
        except yaml.YAMLError:
            root = None  # JSON that YAML cannot read (tabs): lines stay unknown
        return Document(name, data, root)
    loader = _DecimalLoader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        detail = _yaml_reason(exc)
        raise InputError(
            [finding("syntax-error", Location(file=name, line=line), kind="YAML", detail=detail)]
        ) from None
    except (yaml.YAMLError, ArithmeticError, ValueError) as exc:
        raise InputError(
            [finding("syntax-error", Location(file=name), kind="YAML", detail=str(exc))]
        ) from None
    finally:
        loader.dispose()
    return Document(name, data, root)


def load(path: Path) -> Document:
    """Read and parse a YAML/JSON file."""
    return parse(read_text(path), str(path))


_JSON_REASONS = {
    "Expecting value": "此处应为一个值",
    "Expecting property name enclosed in double quotes": "键名必须用双引号括起来",
    "Expecting ',' delimiter": "缺少逗号",
    "Expecting ':' delimiter": "缺少冒号",
    "Extra data": "文件末尾有多余内容",
    "Unterminated string starting at": "字符串没有结束引号",
    "Invalid control character at": "字符串中有非法控制字符",
}


def _json_reason(msg: str) -> str:
    return _JSON_REASONS.get(msg, msg)


def _yaml_reason(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    mapping = {
        "could not find expected ':'": "缺少冒号“:”",
        "mapping values are not allowed here": "此处不能出现“键: 值”（可能缩进有误或值中含有冒号，请加引号）",
        "found character '\\t' that cannot start any token": "不能用制表符缩进，请用空格",
        "expected <block end>, but found '<block sequence start>'": "缩进不一致",
        "found undefined alias": "引用了未定义的锚点",
        "while scanning a quoted scalar": "引号没有闭合",
        "found unexpected end of stream": "引号没有闭合或文件意外结束",
    }
    for key, text in mapping.items():
        if key in problem or key in (exc.context or ""):
            return text
    return problem if not problem.isascii() else f"无法解析（{problem}）"


def _human(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f}{unit}" if unit == "B" else f"{size:.1f}{unit}"
        size /= 1024  # type: ignore[assignment]
    return str(size)  # pragma: no cover


_PYDANTIC_WHAT = {
    "int_parsing": "整数",
    "int_type": "整数",
    "decimal_parsing": "数字",
    "decimal_type": "数字",
    "string_type": "文字",
    "bool_parsing": "是/否",
    "dict_type": "键值表",
    "model_type": "键值表",
    "list_type": "列表",
    "tuple_type": "列表",
}


def validation_findings(
    error: ValidationError,
    doc: Document,
    base: Sequence[int | str] = (),
    *,
    labels: dict[str, str] | None = None,
) -> list[Finding]:
    """Turn a pydantic ValidationError into Chinese Findings located in ``doc``."""
    labels = labels or {}
    out: list[Finding] = []
    for err in error.errors(include_url=False):
        loc = [*base, *(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))]
        loc = [p for p in loc if p not in ("str", "decimal", "constrained-decimal", "int")]
        where = doc.location(loc).merged(field=".".join(str(p) for p in loc) or None)
        name = str(loc[-1]) if loc else "（根）"
        label = labels.get(name, name)
        etype = err["type"]
        value = err.get("input")
        if etype == "missing":
            out.append(finding("missing-field", where, name=label))
        elif etype == "extra_forbidden":
            out.append(finding("unknown-field", where, name=name, hint=""))
        elif etype == "value_error":
            detail = str(err.get("ctx", {}).get("error", err["msg"]))
            out.append(finding("invalid-number", where, detail=detail))
        elif etype == "enum":
            expected = err.get("ctx", {}).get("expected", "")
            out.append(finding("invalid-value", where, value=value, what=label, hint=f"，可选：{expected}"))
        elif etype in _PYDANTIC_WHAT:
            out.append(finding("invalid-value", where, value=value, what=_PYDANTIC_WHAT[etype], hint=""))
        elif etype in {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}:
            ctx = err.get("ctx", {})
            bound = next(iter(ctx.values()), "")
            sign = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤", "less_than": "<"}[
                etype
            ]
            out.append(finding("invalid-value", where, value=value, what=label, hint=f"，应{sign}{bound}"))
        elif etype in {"string_too_short", "too_short"}:
            out.append(finding("missing-field", where, name=label))
        elif etype == "string_pattern_mismatch":
            out.append(finding("invalid-value", where, value=value, what=label, hint="，格式不符"))
        else:
            out.append(finding("invalid-value", where, value=value, what=label, hint=f"（{etype}）"))
    return out
