"""The one Jinja environment class every template is rendered in: sandboxed and bounded.

Word templates come from users (``--template``), so a template is hostile input: it must
not reach Python internals (``cycler.__init__.__globals__``), call mutating methods, or
exhaust memory (``'x' * 10**10``, ``'x'|center(10**9)``, nested ``range`` loops). Jinja's
:class:`~jinja2.sandbox.ImmutableSandboxedEnvironment` refuses the first two; this module
adds the bounds: no global helper beyond ``range``/``dict``/``namespace``, every integer
argument of a call or filter and every repetition or power checked against the output
limit, and the rendered text counted piece by piece as it is produced.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from jixiao.core import limits

#: Globals Jinja defines by default that a document template never needs.
_DROPPED_GLOBALS = ("lipsum", "cycler", "joiner")
#: Largest result of ``a ** b`` in bits: ample for any number a document prints.
_POWER_BITS = 4096
#: A width or precision in a %-format or str.format specification (``%9999999s``, ``{:>9999999}``).
_WIDE_SPEC = re.compile(r"%[-+ #0]*(\*|\d{7,})|\{[^{}]*:[^{}]*\d{7,}[^{}]*\}")


def _too_big(n: object) -> bool:
    return isinstance(n, int) and not isinstance(n, bool) and abs(n) > limits.LIMITS.template_output_chars


def _check_args(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    if any(_too_big(a) for a in args) or any(_too_big(v) for v in kwargs.values()):
        raise SecurityError("参数过大，生成的内容会超过上限")
    if any(isinstance(a, str) and _WIDE_SPEC.search(a) for a in args):
        raise SecurityError("格式宽度过大，生成的内容会超过上限")


def _bounded_filter(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)  # keeps jinja_pass_arg (pass_context, pass_eval_context ...)
    def call(*args: Any, **kwargs: Any) -> Any:
        _check_args(args, kwargs)
        return func(*args, **kwargs)

    return call


class BoundedTemplate(jinja2.Template):
    """A template whose ``render`` stops once the output passes the size limit."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        limit = limits.LIMITS.template_output_chars
        size = 0
        pieces: list[str] = []
        for piece in self.generate(*args, **kwargs):
            size += len(piece)
            if size > limit:
                raise SecurityError(f"模板生成的内容超过 {limit} 个字符")
            pieces.append(piece)
        return "".join(pieces)


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """ImmutableSandboxedEnvironment with bounded repetition, powers, calls and output."""

    template_class = BoundedTemplate
    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        if operator_ == "*":
            for seq, times in ((left, right), (right, left)):
                sized = isinstance(seq, str | list | tuple) and isinstance(times, int)
                if sized and len(seq) * times > limits.LIMITS.template_output_chars:
                    raise SecurityError("重复次数过多，生成的内容会超过上限")
            return operator.mul(left, right)
        if operator_ == "**":
            if isinstance(left, int) and isinstance(right, int):
                if right > 0 and max(abs(left), 2).bit_length() * right > _POWER_BITS:
                    raise SecurityError("乘方的结果过大")
            elif isinstance(right, int | float) and abs(right) > _POWER_BITS:
                raise SecurityError("乘方的结果过大")
            return operator.pow(left, right)
        if isinstance(left, str):
            _check_args((left,), {})
        return operator.mod(left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _check_args(args, kwargs)
        bound = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
        owner = getattr(bound, "__self__", None)
        if isinstance(owner, str):  # 'x'.center(...), '{:>9999999}'.format(...)
            _check_args((owner,), {})
        return super().call(__context, __obj, *args, **kwargs)


def sandboxed_environment(**options: Any) -> jinja2.Environment:
    """A fresh bounded sandbox; ``options`` as for :class:`jinja2.Environment`."""
    env = BoundedSandbox(**options)
    for name in _DROPPED_GLOBALS:
        env.globals.pop(name, None)
    env.filters = {name: _bounded_filter(f) for name, f in env.filters.items()}
    return env


def add_filters(env: jinja2.Environment, filters: dict[str, Callable[..., Any]]) -> None:
    """Add ``filters`` to ``env`` with the same argument bounds as the built-in ones."""
    env.filters.update({name: _bounded_filter(f) for name, f in filters.items()})


_UNSAFE = re.compile(r"access to attribute '([^']*)' of '([^']*)' object is unsafe")


def refused(exc: SecurityError) -> str:
    """A Chinese reading of a sandbox refusal, naming the attribute the tag reached for."""
    message = str(exc)
    m = _UNSAFE.search(message)
    if m:
        return f"标签访问“{m.group(2)}.{m.group(1)}”被拒绝：模板只能读取 jixiao 提供的数据"
    if message.isascii():
        return f"标签的操作被拒绝：模板只能读取 jixiao 提供的数据（{message[:100]}）"
    return message
