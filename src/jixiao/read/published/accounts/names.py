"""Names of the nine tables and how their titles are written."""

from __future__ import annotations

import re

#: The nine tables, in the model's (Henan 2024) order.
TABLE_IDS = ("summary", "income", "expense", "fiscal", "general", "basic", "fund", "capital", "three_public")

CJK = "\u4e00-\u9fff"
#: what may stand before a short title (start, punctuation, a year, 部门 / 单位) — so that
#: 支出决算表 does not match 项目支出决算表 or 一般公共预算财政拨款支出决算表
_LEAD = rf"(?:^|[^{CJK}]|\d{{4}}年度?|部门|单位)"
#: most specific first: 财政拨款收入支出决算总表 contains 收入支出决算总表
_TITLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("three_public", re.compile(r"三公经费.*决算")),
    ("fund", re.compile(r"政府性基金预算财政拨款.*决算.*表")),
    ("capital", re.compile(r"国有资本经营预算财政拨款.*决算.*表")),
    ("basic", re.compile(r"一般公共预算财政拨款基本支出决算(?:明细)?表")),
    ("general", re.compile(r"一般公共预算财政拨款支出决算表")),
    ("fiscal", re.compile(r"财政拨款收入支出决算总表")),
    ("summary", re.compile(_LEAD + r"收入支出决算总表")),
    ("income", re.compile(_LEAD + r"收入决算表")),
    ("expense", re.compile(_LEAD + r"支出决算表")),
)
NUMBER = re.compile(r"公开\s*(\d{1,2})\s*表")
TITLE_LENGTH = 50  # a title paragraph is short; a sentence naming a table is not its title


def norm(text: str) -> str:
    """Cell or title text for matching: no markup, spaces or quotes; brackets and colons
    full-width."""
    text = re.sub(r"</?b>|\*\*|^#+", "", text)
    text = "".join(text.split())
    return text.translate(FULL).replace("“", "").replace("”", "").replace("‘", "").replace("’", "")


FULL = str.maketrans({"(": "（", ")": "）", ":": "：", ";": "；", '"': "", "'": "", "「": "", "」": ""})
_ORDINAL = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（][一二三四五六七八九十\d]+[）]|\d+[、.．](?!\d)|其中[：]?)"
)


def label_text(text: str) -> str:
    """A row label without its ordinal (一、 （二） 3.) and markup."""
    return _ORDINAL.sub("", norm(text))


def table_id(title: str) -> str | None:
    """The table a title names (``summary`` … ``three_public``), None for any other title."""
    text = NUMBER.sub(" ", norm(title))
    for tid, pattern in _TITLES:
        if pattern.search(text):
            return tid
    return None
