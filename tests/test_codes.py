"""Every Finding code is declared once with a Chinese template and documentation, and
every code the source uses is declared."""

import re
from pathlib import Path

from jixiao.core.findings import catalogue

SRC = Path(__file__).resolve().parent.parent / "src" / "jixiao"
_CALL = re.compile(r"""(?:finding|report)\(\s*"([a-z0-9-]+)\"""")


def test_each_code_has_a_template_and_doc():
    for code, spec in catalogue().items():
        assert re.fullmatch(r"[a-z][a-z0-9-]+", code), code
        assert spec.title, code
        assert spec.template, code
        assert spec.doc, code
        assert re.search(r"[\u4e00-\u9fff]", spec.template), f"{code}: template is not Chinese"


def test_every_code_used_in_the_source_is_declared():
    used = {m for path in SRC.rglob("*.py") for m in _CALL.findall(path.read_text(encoding="utf-8"))}
    assert used, "the scan found no finding() calls: the pattern is wrong"
    missing = used - set(catalogue())
    assert not missing, f"codes used but not declared: {sorted(missing)}"
