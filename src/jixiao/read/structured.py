"""Read YAML and JSON files into plain data, keeping the line of every value.

Floats are read as Decimal from their text, never through ``float``. Errors become
Findings that name the file and the line, in Chinese; nothing here raises a traceback
at the user.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import compress
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from jixiao.core import fieldnames, limits
from jixiao.core.deadline import time_limit
from jixiao.core.findings import Finding, InputError, Location, finding, quoted
from jixiao.core.numbers import NumberFormatError, check_magnitude

#: Inputs above this size are refused before they are read (a submission is a few KB).
MAX_INPUT_BYTES = limits.LIMITS.file_bytes


class _DecimalLoader(yaml.SafeLoader):
    """SafeLoader that reads floats as Decimal, refuses duplicate keys, and bounds the tree.

    While composing it counts nodes (an alias counts as the whole subtree it stands for,
    so a few hundred bytes of nested aliases cannot expand to gigabytes in a message or
    in validation), the nesting depth and the length of each string.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._sizes: dict[int, int] = {}

    def compose_node(self, parent: Any, index: Any) -> Any:
        lim = limits.LIMITS
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            node = super().compose_node(parent, index)
            if id(node) not in self._sizes:
                raise yaml.composer.ComposerError(None, None, "锚点引用了它自身（循环引用）", mark)
            return node
        mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
        self._depth += 1
        if self._depth > lim.nesting_depth:
            raise yaml.composer.ComposerError(
                None, None, f"列表和键值表嵌套超过 {lim.nesting_depth} 层", mark
            )
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        size: int
        if isinstance(node, yaml.ScalarNode):
            size = 1
            if len(node.value) > lim.string_chars:
                raise yaml.composer.ComposerError(
                    None, None, f"一个值有 {len(node.value)} 个字符，超过上限 {lim.string_chars}", mark
                )
        elif isinstance(node, yaml.SequenceNode):
            size = 1 + sum(self._sizes[id(child)] for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            size = 1 + sum(self._sizes[id(k)] + self._sizes[id(v)] for k, v in node.value)
        else:  # pragma: no cover - the composer yields only these three
            size = 1
        if size > lim.yaml_nodes:
            raise yaml.composer.ComposerError(
                None, None, f"内容过多（展开锚点引用后超过 {lim.yaml_nodes} 个值）", mark
            )
        self._sizes[id(node)] = size
        return node


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")
    lowered = text.lower()
    if lowered in {".inf", "+.inf", "-.inf", ".nan"}:
        raise yaml.constructor.ConstructorError(None, None, f"不支持的数值“{text}”", node.start_mark)
    try:
        return check_magnitude(Decimal(text), text)
    except InvalidOperation:
        raise yaml.constructor.ConstructorError(
            None, None, f"“{quoted(text)}”不是有效的数字", node.start_mark
        ) from None
    except NumberFormatError as exc:
        raise yaml.constructor.ConstructorError(None, None, str(exc), node.start_mark) from None


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    lim = limits.LIMITS
    if len(text.replace("_", "")) > lim.number_exponent + 3:
        raise yaml.constructor.ConstructorError(
            None, None, f"整数“{quoted(text)}”的位数过多", node.start_mark
        )
    value = yaml.SafeLoader.construct_yaml_int(loader, node)
    if abs(value) >= 10 ** (lim.number_exponent + 1):
        raise yaml.constructor.ConstructorError(
            None, None, f"整数“{quoted(text)}”的数量级超出范围", node.start_mark
        )
    return int(value)


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.constructor.ConstructorError(None, None, "键不能是列表或键值表", key_node.start_mark)
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"键“{quoted(key)}”重复出现", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
_DecimalLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_DecimalLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass(frozen=True)
class ParsedFile:
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


def parse(text: str, name: str, *, kind: str | None = None) -> ParsedFile:
    """Parse YAML or JSON ``text`` (``kind`` 'json' or 'yaml'; guessed from ``name``)."""
    kind = kind or ("json" if name.lower().endswith(".json") else "yaml")
    with time_limit(name):  # pure-Python YAML on a hostile file can take minutes
        return _parse(text, name, kind)


def _parse(text: str, name: str, kind: str) -> ParsedFile:
    if kind == "json":
        return ParsedFile(name, _parse_json(text, name), _json_lines(text))
    loader: _DecimalLoader | None = None
    try:
        loader = _DecimalLoader(text)
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        where = f"第{line}行第{mark.column + 1}列：" if mark else ""
        raise InputError(
            [
                finding(
                    "syntax-error",
                    Location(file=name, line=line),
                    kind="YAML",
                    detail=where + _yaml_reason(exc),
                )
            ]
        ) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise InputError(
            [
                finding(
                    "syntax-error",
                    Location(file=name, line=line),
                    kind="YAML",
                    detail=f"第{line}行有不可打印的控制字符 U+{ord(char):04X}，请删除它",
                )
            ]
        ) from None
    except (yaml.YAMLError, ArithmeticError, ValueError, RecursionError):
        raise InputError(
            [
                finding(
                    "syntax-error",
                    Location(file=name),
                    kind="YAML",
                    detail="无法解析，请检查缩进、冒号和引号",
                )
            ]
        ) from None
    finally:
        if loader is not None:
            loader.dispose()
    if isinstance(data, str | list | dict):
        _check_strings(data, name)
    return ParsedFile(name, data, root)


class _JsonRefused(Exception):
    """A JSON value refused while parsing (absurd number, NaN); the message is Chinese."""


def _json_float(text: str) -> Decimal:
    try:
        return check_magnitude(Decimal(text), text)
    except NumberFormatError as exc:
        raise _JsonRefused(text, str(exc)) from None


def _json_int(text: str) -> int:
    lim = limits.LIMITS
    if len(text.lstrip("-")) > lim.number_exponent + 1:
        raise _JsonRefused(text, f"整数“{quoted(text)}”的位数过多（最多 {lim.number_exponent + 1} 位）")
    return int(text)


def _json_constant(text: str) -> Decimal:
    raise _JsonRefused(text, f"不支持的数值“{text}”（JSON 中不能写 NaN 或 Infinity）")


def _parse_json(text: str, name: str) -> Any:
    try:
        data = json.loads(text, parse_float=_json_float, parse_int=_json_int, parse_constant=_json_constant)
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
    except _JsonRefused as exc:
        token, reason = exc.args
        line = text.count("\n", 0, max(text.find(token), 0)) + 1
        raise InputError(
            [
                finding(
                    "syntax-error",
                    Location(file=name, line=line),
                    kind="JSON",
                    detail=f"第{line}行：{reason}",
                )
            ]
        ) from None
    except RecursionError:
        data = None
        _refuse_depth(name)
    _check_json(data, name, text)
    return data


_FIRST_LINE = yaml.error.Mark("", 0, 0, 0, "", 0)
#: libyaml's composer, when PyYAML was built with it: ten times the pure-Python one.
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", None)


def _json_lines(text: str) -> yaml.Node | None:
    """The YAML node tree of JSON text, only to know each value's line.

    Called once the JSON has been parsed and bounded (nodes, depth, strings: JSON has no
    aliases to expand), so the tree is composed by libyaml when it is there, without the
    pure-Python loader's counting. JSON on one line (as programs write it) has every
    value on line 1: nothing to compose."""
    if "\n" not in text.rstrip():
        return yaml.ScalarNode("tag:yaml.org,2002:null", "", start_mark=_FIRST_LINE)
    loader = (_FAST_LOADER or _DecimalLoader)(text)
    try:
        return loader.get_single_node()
    except (yaml.YAMLError, RecursionError):
        return None  # JSON that YAML cannot read (tabs): lines stay unknown
    finally:
        loader.dispose()


def _refuse_depth(name: str) -> None:
    depth = limits.LIMITS.nesting_depth
    raise InputError(
        [finding("syntax-error", Location(file=name), kind="JSON", detail=f"列表和键值表嵌套超过 {depth} 层")]
    )


_SURROGATE = re.compile(r"[\ud800-\udfff]")
#: a JSON escape of a surrogate (or a text that merely looks like one: then every node is walked)
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


def _check_json(data: Any, name: str, text: str) -> None:
    """Bound a parsed JSON tree as the YAML loader bounds its own (nodes, depth, strings).

    What the text proves is not walked again: a tree has at most one node per character of
    its text and no string longer than it, and a lone surrogate comes from an escape
    ``\\ud800``–``\\udfff`` or is already in the text (which then cannot be encoded). Else
    every node is walked."""
    lim = limits.LIMITS
    if (
        len(text) > min(lim.yaml_nodes, lim.string_chars)
        or _ESCAPED_SURROGATE.search(text)
        or not _encodable(text)
    ):
        _check_tree(data, name)
    elif _too_deep(data, lim.nesting_depth):
        _refuse_depth(name)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_CONTAINERS = frozenset({dict, list})


def _too_deep(data: Any, limit: int) -> bool:
    """Whether a node of ``data`` lies deeper than ``limit`` (the root at depth 1), one level
    of lists and mappings at a time, their scalars skipped by C-level calls."""
    level = [data] if type(data) in _CONTAINERS else []
    depth = 1
    while level:
        if depth >= limit and any(level):  # their elements lie one deeper
            return True
        below: list[Any] = []
        for container in level:
            values = container.values() if type(container) is dict else container
            below.extend(compress(values, map(_CONTAINERS.__contains__, map(type, values))))
        level, depth = below, depth + 1
    return False


def _check_tree(data: Any, name: str) -> None:
    """Bound a parsed JSON tree node by node (nodes, depth, strings)."""
    lim = limits.LIMITS
    nodes = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if depth > lim.nesting_depth:
            _refuse_depth(name)
        if nodes > lim.yaml_nodes:
            raise InputError(
                [
                    finding(
                        "syntax-error",
                        Location(file=name),
                        kind="JSON",
                        detail=f"内容过多（超过 {lim.yaml_nodes} 个值）",
                    )
                ]
            )
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
            stack.extend((k, depth + 1) for k in value)
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
        elif isinstance(value, str):
            _check_string(value, name)


def _check_strings(data: Any, name: str) -> None:
    """Strings of a composed YAML tree: no lone surrogates (they cannot be printed)."""
    stack = [data]
    seen: set[int] = set()
    while stack:
        value = stack.pop()
        if isinstance(value, dict | list):
            if id(value) in seen:
                continue
            seen.add(id(value))
            stack.extend(value.values() if isinstance(value, dict) else value)
            if isinstance(value, dict):
                stack.extend(value)
        elif isinstance(value, str):
            _check_string(value, name)


def _check_string(value: str, name: str) -> None:
    lim = limits.LIMITS
    if len(value) > lim.string_chars:
        raise InputError(
            [
                finding(
                    "syntax-error",
                    Location(file=name),
                    kind="JSON" if name.lower().endswith(".json") else "YAML",
                    detail=f"一个值有 {len(value)} 个字符，超过上限 {lim.string_chars}",
                )
            ]
        )
    if _SURROGATE.search(value):
        raise InputError(
            [
                finding(
                    "syntax-error",
                    Location(file=name),
                    kind="JSON" if name.lower().endswith(".json") else "YAML",
                    detail=f"文字“{quoted(value[:40])}”中有无效的 Unicode 字符（孤立的代理项），请删除",
                )
            ]
        )


def load(path: Path) -> ParsedFile:
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


#: PyYAML's English problems (and contexts), most specific first, in Chinese.
_YAML_REASONS = (
    ("could not find expected ':'", "缺少冒号“:”"),
    ("mapping values are not allowed here", "此处不能出现“键: 值”（可能缩进有误或值中含有冒号，请加引号）"),
    ("found character '\\t' that cannot start any token", "不能用制表符缩进，请用空格"),
    ("found a tab character", "不能用制表符缩进，请用空格"),
    ("expected <block end>, but found '<block sequence start>'", "缩进不一致"),
    ("expected <block end>", "缩进不一致：此行与上一层的内容没有对齐"),
    ("found undefined alias", "引用了未定义的锚点"),
    ("found duplicate anchor", "锚点名称重复"),
    ("while scanning a quoted scalar", "引号没有闭合"),
    ("found unexpected end of stream", "引号没有闭合或文件意外结束"),
    ("expected ',' or ']'", "方括号列表中缺少逗号或“]”"),
    ("expected ',' or '}'", "花括号中缺少逗号或“}”"),
    ("did not find expected '-' indicator", "列表项应以“- ”开头（或缩进有误）"),
    ("did not find expected key", "缩进有误或缺少“键:”"),
    ("did not find expected node content", "此处缺少值"),
    ("expected the node content", "此处缺少值"),
    ("block sequence entries are not allowed here", "此处不能开始列表（“- ”应另起一行并缩进）"),
    ("mapping keys are not allowed here", "此处不能出现键（缩进有误）"),
    ("found unknown escape character", "双引号中有无效的转义字符（反斜杠“\\”请写成“\\\\”或改用单引号）"),
    ("expected escape sequence", "双引号中有无效的转义字符"),
    ("could not determine a constructor for the tag", "不支持的标签（“!”开头的类型标记）"),
    ("found unhashable key", "键不能是列表或键值表"),
    ("expected a single document", "文件中只能有一个文档（多了“---”）"),
    ("found incompatible YAML document", "不支持的 YAML 版本指令"),
    ("expected alphabetic or numeric character", "锚点或引用（& 或 *）后应为名称"),
    ("expected chomping or indentation indicators", "“|”或“>”后的写法有误"),
    ("expected a comment or a line break", "此处应换行或写注释"),
    ("expected ' ', but found", "符号后应有空格"),
    ("found character", "此处不能出现该字符（请给值加引号）"),
    ("expected <document start>", "文件开头的格式有误"),
    ("found duplicate", "指令重复"),
    ("expected", "格式有误，请检查此处的缩进、冒号和引号"),
)


def _yaml_reason(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    context = exc.context or ""
    for key, text in _YAML_REASONS:
        if key in problem or key in context:
            return text
    if problem and not problem.isascii():
        return problem  # our own constructors' Chinese messages
    return "无法解析，请检查此处的缩进、冒号和引号"


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


#: What a value should have been, for the other pydantic error types a file can cause.
_PYDANTIC_HINT = {
    "bool_type": "，应为 true 或 false",
    "finite_number": "，应为有限的数",
    "invalid_key": "，不能用作键",
    "too_long": "，项数过多",
    "string_too_long": "，文字过长",
    "multiple_of": "，不是规定的倍数",
    "literal_error": "，不是可选的值",
    "union_tag_invalid": "，不是可选的值",
    "date_parsing": "，应为日期",
    "float_parsing": "，应为数字",
    "float_type": "，应为数字",
    "none_required": "，应为空",
    "set_type": "，应为列表",
    "frozen_set_type": "，应为列表",
    "callable_type": "，不符合要求",
}


def validation_findings(
    error: ValidationError,
    doc: ParsedFile,
    base: Sequence[int | str] = (),
    *,
    labels: dict[str, str] | None = None,
) -> list[Finding]:
    """Turn a pydantic ValidationError into Chinese Findings located in ``doc``.

    A field is named by its Chinese name (分值), from the glossary
    :mod:`jixiao.core.fieldnames`, and its location by the key's path with the Chinese
    beside it; ``labels`` overrides the glossary for a reader's own fields.
    """
    out: list[Finding] = []
    for err in error.errors(include_url=False):
        loc = [*base, *(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))]
        loc = [p for p in loc if p not in ("str", "decimal", "constrained-decimal", "int")]
        where = doc.location(loc).merged(field=".".join(str(p) for p in loc) or None)
        name = str(loc[-1]) if loc else "（根）"
        # the location names the key (字段“indicators.3.weight”（指标第4项·分值）); the message
        # names the field in Chinese where the glossary has it, and a missing one with the
        # key to write as well (缺少必填项“分值（weight）”)
        label = (fieldnames.name(name, labels) or name) if loc else name
        missing = fieldnames.label(name, labels) if loc else name
        etype = err["type"]
        value = quoted(err.get("input"))  # at most ~100 characters, never an expanded tree
        if etype == "missing":
            out.append(finding("missing-field", where, name=missing))
        elif etype == "extra_forbidden":
            out.append(finding("unknown-field", where, name=name, hint=""))
        elif etype == "value_error":
            detail = str(err.get("ctx", {}).get("error", err["msg"]))
            out.append(finding("invalid-number", where, detail=detail))
        elif etype == "too_many_levels":
            out.append(finding("invalid-value", where, value=value, what=label, hint=err["msg"]))
        elif etype == "enum":
            expected = str(err.get("ctx", {}).get("expected", ""))  # "'a', 'b' or 'c'"
            choices = "、".join(re.findall(r"'([^']*)'", expected)) or expected
            out.append(finding("invalid-value", where, value=value, what=label, hint=f"，可选：{choices}"))
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
            out.append(finding("missing-field", where, name=missing))
        elif etype == "string_pattern_mismatch":
            out.append(finding("invalid-value", where, value=value, what=label, hint="，格式不符"))
        else:
            hint = _PYDANTIC_HINT.get(etype, "，不符合要求")
            out.append(finding("invalid-value", where, value=value, what=label, hint=hint))
    return out
