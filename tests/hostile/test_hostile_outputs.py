"""Output safety: templates run in a sandbox, workbooks hold no injected formula, HTML is
escaped, file names stay in the output folder, and no symlink is followed (defects 1, 2, 10)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from jinja2.sandbox import SecurityError
from openpyxl import load_workbook
from tests.hostile.helpers import ACCOUNTS, SIMPLE, SUBMISSION, put_text, rezip

from jixiao import api
from jixiao.core.findings import InputError
from jixiao.render.fmt import environment

FORMULA = "=cmd|' /C calc'!A0"


def department(tmp_path: Path, name: str = "新乡市科学技术协会") -> Path:
    """The 2024 department example under another department name (it renders every format)."""
    path = tmp_path / "d.yaml"
    text = SUBMISSION.read_text(encoding="utf-8")
    path.write_text(text.replace("department: 新乡市科学技术协会", f"department: '{name}'", 1), "utf-8")
    return path


def all_cells(path: Path):
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


def test_no_generated_workbook_holds_a_formula_and_names_read_back(tmp_path: Path) -> None:
    sub = tmp_path / "s.yaml"
    sub.write_text(SIMPLE.replace("department: 某某单位", f'department: "{FORMULA}"'), encoding="utf-8")
    result = api.render([sub], tmp_path / "out", formats=["xlsx"])
    books = [w.path for w in result.files if w.format == "xlsx"]
    loaded = api.load_accounts(ACCOUNTS).accounts
    accounts_book = tmp_path / "accounts.xlsx"
    api.write_accounts(loaded.model_copy(update={"department": FORMULA}), accounts_book)
    books.append(accounts_book)
    for book in books:
        cells = list(all_cells(book))
        assert not [c.coordinate for c in cells if c.data_type == "f"], book
        assert any(isinstance(c.value, str) and FORMULA in c.value for c in cells), book
    assert api.load_accounts(accounts_book).accounts.department == FORMULA


def test_template_from_a_formula_named_department_round_trips(tmp_path: Path) -> None:
    loaded = api.load_accounts(ACCOUNTS).accounts
    first = tmp_path / "a.xlsx"
    api.write_accounts(loaded.model_copy(update={"department": "@SUM(1+1)"}), first)
    again = api.load_accounts(first).accounts
    assert again.department == "@SUM(1+1)"


def test_html_output_escapes_names(tmp_path: Path) -> None:
    sub = department(tmp_path, "<script>alert(1)</script>")
    result = api.render([sub], tmp_path / "out", formats=["html"])
    for written in result.files:
        html = written.path.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in html
        assert "&lt;script&gt;" in html


def test_file_names_stay_in_the_output_folder(tmp_path: Path) -> None:
    sub = department(tmp_path, "../../逃逸/x")
    out = tmp_path / "out"
    result = api.render([sub], out, formats=["html"])
    assert result.files
    for written in result.files:
        assert written.path.resolve().parent == out.resolve()


def test_render_never_writes_through_a_planted_symlink(tmp_path: Path) -> None:
    sub = department(tmp_path)
    names = [w.path.name for w in api.render([sub], tmp_path / "first", formats=["html"]).files]
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / names[0]).symlink_to(victim)
    with pytest.raises(InputError) as info:
        api.render([sub], out, formats=["html"])
    assert info.value.findings[0].code == "write-failed"
    assert victim.read_text(encoding="utf-8") == "untouched"


@pytest.mark.parametrize("kind", ["file", "link"])
def test_render_out_that_is_a_file_or_a_link_is_refused(tmp_path: Path, kind: str) -> None:
    sub = department(tmp_path)
    out = tmp_path / "out"
    if kind == "file":
        out.write_text("x", encoding="utf-8")
    else:
        (tmp_path / "elsewhere").mkdir()
        out.symlink_to(tmp_path / "elsewhere")
    with pytest.raises(InputError) as info:
        api.render([sub], out, formats=["html"])
    assert info.value.findings[0].code == "write-failed"


PAYLOADS = [
    "{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "{{ joiner.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ 'x' * 10**10 }}",
    "{{ 'x'|center(10**9) }}",
    "{{ '{:>999999999}'.format(1) }}",
    "{{ '%999999999s' % 'x' }}",
    "{{ 2 ** 10000000 }}",
    "{{ lipsum(100000) }}",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_template_environment_refuses_payloads_quickly(tmp_path: Path, payload: str) -> None:
    began = time.monotonic()
    with pytest.raises(Exception) as info:  # noqa: PT011 - SecurityError or UndefinedError
        environment().from_string(payload.replace("MARKER", str(tmp_path / "ran"))).render()
    assert isinstance(info.value, SecurityError | __import__("jinja2").UndefinedError)
    assert not (tmp_path / "ran").exists()
    assert time.monotonic() - began < 5


def test_template_output_is_capped() -> None:
    loops = "{% for i in range(100000) %}{% for j in range(100000) %}xxxxxxxxxx{% endfor %}{% endfor %}"
    with pytest.raises(SecurityError):
        environment().from_string(loops).render()


def test_a_word_template_with_a_shell_payload_is_refused_and_runs_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    exported = {p.name: p for p in api.export_templates(folder)}
    name = next(n for n in exported if n.startswith("report-xinxiang-2024"))
    marker = tmp_path / "ran"
    payload = "{{ cycler.__init__.__globals__.os.popen('touch " + str(marker) + "').read() }}"
    bad = tmp_path / name
    bad.write_bytes(
        rezip(
            exported[name].read_bytes(), lambda n, d: put_text(d, payload) if n == "word/document.xml" else d
        )
    )
    sub = department(tmp_path)
    with pytest.raises(InputError) as info:
        api.render([sub], tmp_path / "out", formats=["docx"], templates=[bad])
    assert info.value.findings[0].code.startswith("template-")
    assert name in info.value.findings[0].message or "cycler" in info.value.findings[0].message
    assert not marker.exists()
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_a_user_word_template_is_rendered_in_the_sandbox_past_the_preflight(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The package's own templates are rendered without the sandbox; a user's never is,
    even where the preflight would not look (here switched off)."""
    import jixiao.render

    monkeypatch.setattr(jixiao.render, "_preflight", lambda *_: None)
    folder = tmp_path / "templates"
    exported = {p.name: p for p in api.export_templates(folder)}
    name = next(n for n in exported if n.startswith("report-xinxiang-2024"))
    payload = "{{ ''.__class__.__mro__[1].__subclasses__() }}"
    bad = tmp_path / name
    bad.write_bytes(
        rezip(
            exported[name].read_bytes(), lambda n, d: put_text(d, payload) if n == "word/document.xml" else d
        )
    )
    with pytest.raises(InputError) as info:
        api.render([department(tmp_path)], tmp_path / "out", formats=["docx"], templates=[bad])
    assert info.value.findings[0].code == "template-render-error"
    assert "__class__" in info.value.findings[0].message or "不安全" in info.value.findings[0].message


def test_template_syntax_in_a_departments_text_is_printed_not_run(tmp_path: Path) -> None:
    """The package's own templates render without the sandbox: a department's text is only
    ever a value in them, never compiled, so a template expression in it is printed as typed."""
    import zipfile

    sub = department(tmp_path, name="{{ 7*7 }}{% if 1 %}部门{% endif %}")
    files = api.render([sub], tmp_path / "out", formats=["html", "docx"]).files
    html = next(w.path for w in files if w.format == "html").read_text(encoding="utf-8")
    assert "{{ 7*7 }}{% if 1 %}部门{% endif %}" in html
    assert "49部门" not in html
    for w in files:
        if w.format == "docx":
            xml = zipfile.ZipFile(w.path).read("word/document.xml").decode("utf-8")
            assert "49部门" not in xml
