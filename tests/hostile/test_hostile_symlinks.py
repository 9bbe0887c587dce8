"""No command writes through a symbolic link planted where its output goes (defect 10,
for every command that writes: template, explain -o, audit --html and --summary,
templates export, render): exit 2 with the write-failed message, the link's target
untouched."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.hostile.helpers import ACCOUNTS, EXAMPLES, SUBMISSION
from typer.testing import CliRunner

from jixiao.cli.main import app
from jixiao.core import outputs
from jixiao.core.findings import InputError

TEXT = EXAMPLES / "accounts-001-explanation.txt"


def _victim(tmp_path: Path) -> Path:
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched", encoding="utf-8")
    return victim


def _link(path: Path, victim: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(victim)
    return path


def _refused(args: list[str], victim: Path) -> str:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "符号链接" in result.output, result.output
    assert victim.read_text(encoding="utf-8") == "untouched"
    return result.output


@pytest.mark.parametrize("suffix", [".xlsx", ".yaml", ".json"])
def test_template_from_accounts_never_writes_through_a_link(tmp_path: Path, suffix: str) -> None:
    victim = _victim(tmp_path)
    target = _link(tmp_path / f"决算{suffix}", victim)
    _refused(["template", str(target), "--from", str(ACCOUNTS)], victim)


def test_blank_templates_never_write_through_a_link(tmp_path: Path) -> None:
    victim = _victim(tmp_path)
    target = _link(tmp_path / "空白.xlsx", victim)
    _refused(["template", str(target)], victim)
    _refused(["template", str(target), "--framework", "national-2020-project"], victim)


def test_explain_output_never_written_through_a_link(tmp_path: Path) -> None:
    victim = _victim(tmp_path)
    target = _link(tmp_path / "说明.txt", victim)
    _refused(["explain", str(ACCOUNTS), "-o", str(target)], victim)


def test_audit_html_never_written_through_a_link(tmp_path: Path) -> None:
    victim = _victim(tmp_path)
    target = _link(tmp_path / "报告.html", victim)
    _refused(["audit", str(TEXT), "--html", str(target)], victim)


def test_audit_html_folder_with_a_planted_link_is_not_followed(tmp_path: Path) -> None:
    victim = _victim(tmp_path)
    folder = tmp_path / "pages"
    _link(folder / f"{TEXT.stem}.html", victim)
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("a.txt", "b.txt"):
        (docs / name).write_bytes(TEXT.read_bytes())
    (docs / f"{TEXT.stem}.txt").write_bytes(TEXT.read_bytes())
    result = CliRunner().invoke(app, ["audit", str(docs), "--html", str(folder)])
    assert result.exit_code in (0, 1), result.output
    assert victim.read_text(encoding="utf-8") == "untouched"
    assert (folder / "a.html").is_file()


def test_audit_html_folder_that_is_a_link_is_refused(tmp_path: Path) -> None:
    victim = _victim(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    folder = tmp_path / "pages"
    folder.symlink_to(elsewhere)
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("a.txt", "b.txt"):
        (docs / name).write_bytes(TEXT.read_bytes())
    _refused(["audit", str(docs), "--html", str(folder)], victim)
    assert not list(elsewhere.iterdir())


def test_audit_summary_never_written_through_a_link(tmp_path: Path) -> None:
    victim = _victim(tmp_path)
    target = _link(tmp_path / "汇总.xlsx", victim)
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("a.txt", "b.txt"):
        (docs / name).write_bytes(TEXT.read_bytes())
    _refused(["audit", str(docs), "--summary", str(target)], victim)


def test_templates_export_never_writes_through_a_link(tmp_path: Path) -> None:
    victim = _victim(tmp_path)
    folder = tmp_path / "模板"
    _link(folder / "report-xinxiang-2024.docx", victim)
    _refused(["templates", "export", str(folder)], victim)
    assert sorted(p.name for p in folder.iterdir()) == ["report-xinxiang-2024.docx"]  # nothing written


def test_render_never_writes_through_a_link(tmp_path: Path) -> None:
    victim = _victim(tmp_path)
    out = tmp_path / "out"
    first = CliRunner().invoke(
        app, ["render", str(SUBMISSION), "--out", str(tmp_path / "first"), "-f", "html"]
    )
    assert first.exit_code in (0, 1), first.output  # 1: the example has error findings
    name = next((tmp_path / "first").iterdir()).name
    _link(out / name, victim)
    _refused(["render", str(SUBMISSION), "--out", str(out), "-f", "html"], victim)


def test_a_link_planted_after_the_check_is_not_followed(tmp_path: Path, monkeypatch) -> None:
    """O_NOFOLLOW: the open itself refuses a link that appeared after check_target."""
    victim = _victim(tmp_path)
    target = tmp_path / "out.txt"
    monkeypatch.setattr(outputs, "check_target", lambda path: None)
    target.symlink_to(victim)
    if not hasattr(os, "O_NOFOLLOW"):
        pytest.skip("no O_NOFOLLOW on this system")
    with pytest.raises(InputError) as info:
        outputs.write(target, "overwritten")
    assert info.value.findings[0].code == "write-failed"
    assert victim.read_text(encoding="utf-8") == "untouched"


def test_a_plain_output_file_is_still_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "说明.txt"
    target.write_text("old", encoding="utf-8")
    result = CliRunner().invoke(app, ["explain", str(ACCOUNTS), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") != "old"


def test_the_pdf_writer_never_writes_through_a_link(tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    from jixiao.render import pdf_out

    victim = _victim(tmp_path)
    target = _link(tmp_path / "报告.pdf", victim)
    with pytest.raises(InputError):
        pdf_out.write_html("<p>x</p>", str(target))
    assert victim.read_text(encoding="utf-8") == "untouched"
