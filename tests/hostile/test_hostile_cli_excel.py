"""One rule for failure (exit 2 / 3, crash report, --debug) and the workbook reader's limits
(issue defects 6, 7, 8)."""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest
import typer
from tests.hostile.helpers import ACCOUNTS, SIMPLE, rezip
from typer.testing import CliRunner

from jixiao import api
from jixiao.cli import failure
from jixiao.cli.main import app
from jixiao.core.findings import InputError

runner = CliRunner()


def test_control_characters_exit_2_with_a_chinese_message(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(SIMPLE.replace("某某单位", "某某\x07单位"), encoding="utf-8")
    result = runner.invoke(app, ["score", str(path)])
    assert result.exit_code == 2
    assert "U+0007" in result.output
    assert "Traceback" not in result.output


def test_render_out_an_existing_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(SIMPLE, encoding="utf-8")
    out = tmp_path / "out.txt"
    out.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["render", str(path), "--out", str(out), "--format", "xlsx"])
    assert result.exit_code == 2
    assert "不是目录" in result.output


def _boom() -> typer.Typer:
    broken = typer.Typer()
    failure.register(broken)

    @broken.command()
    def go() -> None:
        raise RuntimeError("a bug")

    @broken.command()
    def other() -> None:
        pass

    return broken


def test_an_internal_error_exits_3_with_a_crash_report(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("JIXIAO_CRASH_DIR", str(tmp_path))
    monkeypatch.setattr(sys, "argv", ["jixiao", "go"])
    with pytest.raises(SystemExit) as info:
        failure.run(_boom())
    assert info.value.code == 3
    err = capsys.readouterr().err
    assert "内部错误" in err
    assert "Traceback" not in err
    reports = list(tmp_path.glob("jixiao-crash-*.txt"))
    assert len(reports) == 1
    assert str(reports[0]) in err
    assert "RuntimeError: a bug" in reports[0].read_text(encoding="utf-8")


def test_debug_puts_the_traceback_on_the_terminal(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("JIXIAO_CRASH_DIR", str(tmp_path))
    monkeypatch.setattr(sys, "argv", ["jixiao", "--debug", "go"])
    with pytest.raises(SystemExit) as info:
        failure.run(_boom())
    assert info.value.code == 3
    assert "RuntimeError: a bug" in capsys.readouterr().err
    assert not list(tmp_path.glob("jixiao-crash-*.txt"))


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("wb") / "a.xlsx"
    api.write_accounts(api.load_accounts(ACCOUNTS).accounts, path)
    return path.read_bytes()


def _sheet(name: str) -> bool:
    return name.startswith("xl/worksheets/sheet1.")


def test_a_workbook_of_many_rows_is_refused_before_it_is_loaded(tmp_path: Path, workbook: bytes) -> None:
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="n"><v>%d</v></c></row>' % (i, i, i * 7919) for i in range(9, 60_009)
    )

    def grow(name: str, data: bytes) -> bytes:
        return data.replace(b"</sheetData>", rows + b"</sheetData>") if _sheet(name) else data

    path = tmp_path / "big.xlsx"
    path.write_bytes(rezip(workbook, grow))
    with pytest.raises(InputError) as info:
        api.load_accounts(path)
    assert "50000 行" in info.value.findings[0].message


def test_a_zip_bomb_is_refused_from_its_declared_sizes(tmp_path: Path, workbook: bytes) -> None:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        target.writestr("xl/media/padding.bin", b"\0" * (210 * 1024 * 1024))
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(out.getvalue())
    assert path.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(InputError) as info:
        api.load_accounts(path)
    assert info.value.findings[0].code == "file-too-large"


def test_a_formula_without_a_computed_value_is_named_by_cell(tmp_path: Path, workbook: bytes) -> None:
    def add_formula(name: str, data: bytes) -> bytes:
        if not _sheet(name):
            return data
        return data.replace(
            b"</sheetData>", b'<row r="200"><c r="C200"><f>SUM(C8:C9)</f></c></row></sheetData>'
        )

    path = tmp_path / "f.xlsx"
    path.write_bytes(rezip(workbook, add_formula))
    with pytest.raises(InputError) as info:
        api.load_accounts(path)
    found = info.value.findings[0]
    assert found.code == "formula-without-value"
    assert "C200" in found.message
    assert "公式" in found.message
