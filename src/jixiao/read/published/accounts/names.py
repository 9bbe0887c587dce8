"""How the titles and labels of the nine tables are written (the patterns themselves are
declared in model/catalogs/tables.yaml)."""

from __future__ import annotations

import re
from functools import cache

from jixiao.model.tables import tables, title_order

CJK = "\u4e00-\u9fff"
#: what may stand before a short title (start, punctuation, a year, 部门 / 单位) — so that
#: 支出决算表 does not match 项目支出决算表 or 一般公共预算财政拨款支出决算表
_LEAD = rf"(?:^|[^{CJK}]|\d{{4}}年度?|部门|单位)"
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


@cache
def _titles() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each table's title pattern, in the order they are tried."""
    specs = tables()
    return tuple(
        (tid, re.compile((_LEAD if specs[tid].short_title else "") + specs[tid].title_pattern))
        for tid in title_order()
    )


def table_id(title: str) -> str | None:
    """The table a title names (``summary`` … ``three_public``), None for any other title."""
    text = NUMBER.sub(" ", norm(title))
    for tid, pattern in _titles():
        if pattern.search(text):
            return tid
    return None
