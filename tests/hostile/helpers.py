"""Hostile input: constants and helpers shared by the regression tests."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
EXAMPLES = REPO / "src" / "jixiao" / "examples"
SUBMISSION = EXAMPLES / "score-001-xinxiang-2024-department.yaml"
ACCOUNTS = EXAMPLES / "accounts-001-xinxiang-2024.yaml"

#: 468 bytes of nested aliases that expand to 9**8 (43 million) strings.
ALIAS_BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{c}: &{c} [{','.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefg", "bcdefgh", strict=True)
)

SIMPLE = """\
department: 某某单位
year: 2024
framework: national-2020-project
figures:
  budget_total: 30
  spent: 26.6
indicators:
  - {path: 产出指标/数量指标/培训人次, weight: 25, target: ≥1000人次, actual: 1200人次}
  - {path: 产出指标/成本指标/人均成本, weight: 25, target: ≤200元, actual: 180元}
  - {path: 效益指标/社会效益指标/群众知晓度, weight: 30, rule: qualitative, tier: achieved, score: 27}
  - {path: 满意度指标/服务对象满意度指标/满意度, weight: 10, target: ≥90%, actual: 96%}
stated: {total: 95, grade: 优}
"""


def rezip(raw: bytes, edit) -> bytes:
    """A zip whose members pass through ``edit(name, data) -> data``."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, edit(info.filename, source.read(info)))
    return out.getvalue()


def put_text(xml: bytes, text: str) -> bytes:
    """Replace the text of the first non-empty <w:t> of a Word part with ``text``."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(
        rb"(<w:t(?: [^>]*)?>)[^<]+(</w:t>)",
        lambda m: m.group(1) + escaped.encode() + m.group(2),
        xml,
        count=1,
    )
