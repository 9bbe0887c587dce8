"""Finding a CJK font for the charts (matplotlib) and the PDF (WeasyPrint via fontconfig).

Debian's ``fonts-noto-cjk`` gives Noto Sans CJK SC and Noto Serif CJK SC; other common
Chinese fonts are accepted in their place. When none is installed the documents are still
written, with a ``font-missing`` warning Finding: their Chinese would show as boxes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jixiao.core.findings import Finding, finding

#: Families tried in order; the first two come with Debian's fonts-noto-cjk.
SANS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
)
SERIF = ("Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "SimSun", "Songti SC")

#: Where Debian puts the Noto CJK fonts, for a matplotlib font cache built before they were
#: installed (matplotlib does not rescan the system on its own).
_KNOWN_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
)


@dataclass(frozen=True)
class Font:
    """A font family and the file matplotlib draws it from."""

    family: str
    path: str


@cache
def chart_font() -> Font | None:
    """The CJK font for charts (sans first), or None when the system has none."""
    from matplotlib import font_manager

    def lookup() -> Font | None:
        by_name = {f.name: f.fname for f in font_manager.fontManager.ttflist}
        for family in (*SANS, *SERIF):
            if family in by_name:
                return Font(family, by_name[family])
        return None

    found = lookup()
    if found is None:
        for path in _KNOWN_FILES:
            if Path(path).exists():
                font_manager.fontManager.addfont(path)
        found = lookup()
    return found


def font_folders() -> list[str]:
    """The folders of the CJK font files (for Typst, which loads a folder's fonts once)."""
    from matplotlib import font_manager

    chart_font()  # the known files added to matplotlib's list when it lacks them
    files = [Path(p) for p in _KNOWN_FILES]
    files += [
        Path(f.fname)
        for f in font_manager.fontManager.ttflist
        if f.name in (*SANS, *SERIF) or "CJK" in f.name
    ]
    return sorted({str(f.parent) for f in files if f.exists()})


def css_families(serif: bool = True) -> str:
    """The CSS font-family list for the PDF and HTML (fontconfig picks what exists)."""
    names = (*SERIF, *SANS) if serif else (*SANS, *SERIF)
    return ", ".join(f'"{n}"' for n in names) + (", serif" if serif else ", sans-serif")


def font_findings() -> list[Finding]:
    """A ``font-missing`` warning when no CJK font can be found."""
    if chart_font() is not None:
        return []
    return [finding("font-missing", None, wanted="Noto Sans CJK SC / Noto Serif CJK SC")]
