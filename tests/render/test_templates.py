"""Templates: the built-in ones are current and exportable; a user's edited copy is used;
a broken file, a syntax error or an unknown tag is refused with the file and tag named."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docx import Document
from tests.render.conftest import SEED_000, SEED_002

from jixiao import api
from jixiao.render import build_templates, template_store
from jixiao.render.layout import fields, outlines


def _texts(doc) -> list[str]:
    out = [p.text for p in doc.paragraphs]
    out += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return out


def test_shipped_templates_are_built_from_the_outlines():
    """Rebuild every template in memory: the shipped .docx must say the same (run
    `python -m jixiao.render.build_templates` after changing an outline)."""
    import io

    for name in template_store.builtin_names():
        shipped = Document(template_store.builtin_folder().joinpath(f"{name}.docx"))
        built = Document(io.BytesIO(build_templates.build_bytes(name)))
        assert _texts(shipped) == _texts(built), f"{name}.docx is out of date"
        # read from the zip: docxcompose (if installed) changes what python-docx reports
        path = Path(str(template_store.builtin_folder().joinpath(f"{name}.docx")))
        assert template_store.kind_of(path) == name
    assert set(template_store.builtin_names()) == set(build_templates.builders())


def test_outlines_use_documented_fields():
    documented = set(fields())
    for outline in outlines().values():
        assert set(outline.fields()) <= documented, outline.id


def test_export_writes_every_template(tmp_path: Path):
    written = api.export_templates(tmp_path / "tpl")
    names = {p.name for p in written}
    assert {f"{n}.docx" for n in template_store.builtin_names()} <= names
    assert {"document.html", "style.css"} <= names


def _edited(tmp_path: Path, name: str, extra: str, save_as: str) -> Path:
    """An exported template with one paragraph added, saved under another name (as Word would)."""
    folder = tmp_path / "tpl"
    api.export_templates(folder)
    doc = Document(folder / f"{name}.docx")
    doc.add_paragraph(extra)
    target = tmp_path / save_as
    doc.save(target)
    return target


def test_user_template_is_used_and_recognised_by_its_properties(tmp_path: Path):
    mine = _edited(
        tmp_path, "report-xinxiang-2021", "本单位自定义段落：总分{{ total|score }}分。", "我的报告.docx"
    )
    result = api.render(SEED_000, tmp_path / "out", formats=["docx"], templates=[mine])
    report = next(w.path for w in result.files if w.kind == "report")
    text = "\n".join(_texts(Document(report)))
    ev = api.score_file(SEED_000)[0]
    assert f"本单位自定义段落：总分{ev.total.normalize():f}分。" in text


def test_unknown_tag_is_refused_naming_it(tmp_path: Path):
    mine = _edited(tmp_path, "self-table-tree", "{{ zongfen }}", "my.docx")
    with pytest.raises(api.InputError) as info:
        api.render(SEED_000, tmp_path / "out", templates=[mine])
    (problem,) = info.value.findings
    assert problem.code == "template-unknown-tag"
    assert "zongfen" in problem.message
    assert "my.docx" in problem.message
    assert not (tmp_path / "out").exists(), "nothing is written when a template is refused"


def test_unknown_attribute_is_refused_naming_it(tmp_path: Path):
    mine = _edited(tmp_path, "self-table-tree", "{{ funds.budget_totl }}", "my.docx")
    with pytest.raises(api.InputError) as info:
        api.render(SEED_000, tmp_path / "out", formats=["docx"], templates=[mine])
    assert info.value.findings[0].code == "template-unknown-tag"
    assert "budget_totl" in info.value.findings[0].message


def test_syntax_error_is_refused(tmp_path: Path):
    mine = _edited(tmp_path, "self-table-tree", "{% hello %}", "bad.docx")
    with pytest.raises(api.InputError) as info:
        api.render(SEED_000, tmp_path / "out", formats=["docx"], templates=[mine])
    problem = info.value.findings[0]
    assert problem.code == "template-syntax"
    assert "hello" in problem.message
    assert "bad.docx" in problem.message


def test_broken_docx_is_refused_naming_the_file(tmp_path: Path):
    broken = tmp_path / "self-table-tree.docx"
    broken.write_bytes(b"this is not a zip file")
    with pytest.raises(api.InputError) as info:
        api.render(SEED_000, tmp_path / "out", templates=[broken])
    problem = info.value.findings[0]
    assert problem.code == "template-broken"
    assert "self-table-tree.docx" in problem.message
    empty_zip = tmp_path / "report-leshan.docx"
    with zipfile.ZipFile(empty_zip, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(api.InputError) as info:
        api.render(SEED_000, tmp_path / "out", templates=[empty_zip])
    assert "word/document.xml" in info.value.findings[0].message


def test_template_of_unknown_kind_and_missing_file(tmp_path: Path):
    plain = tmp_path / "随便.docx"
    Document().save(plain)
    with pytest.raises(api.InputError) as info:
        api.render(SEED_000, tmp_path / "out", templates=[plain, tmp_path / "nowhere.docx"])
    codes = [f.code for f in info.value.findings]
    assert codes == ["template-unknown-kind", "template-not-found"]


def test_template_folder(tmp_path: Path):
    folder = tmp_path / "tpl"
    api.export_templates(folder)
    doc = Document(folder / "self-table-execution-block.docx")
    doc.add_paragraph("审核人：____")
    doc.save(folder / "self-table-execution-block.docx")
    result = api.render(SEED_002, tmp_path / "out", formats=["docx"], templates=[folder])
    table = next(w.path for w in result.files if w.kind == "self-table")
    assert "审核人：____" in "\n".join(_texts(Document(table)))


@pytest.mark.parametrize("outline", sorted(outlines()))
def test_every_outline_renders_its_headings(tmp_path: Path, outline: str):
    """Each outline (seeds 000, 001, 003, 004) gives a report with its headings, in Word and HTML."""
    result = api.render(SEED_000, tmp_path, formats=["docx", "html"], outline=outline)
    report = {w.format: w.path for w in result.files if w.kind == "report"}
    text = "\n".join(_texts(Document(report["docx"])))
    html = report["html"].read_text(encoding="utf-8")
    for _, section in outlines()[outline].walk():
        if section.title and not section.optional_keys() and section.when is None:
            assert section.title in text, section.title
            assert section.title in html, section.title
