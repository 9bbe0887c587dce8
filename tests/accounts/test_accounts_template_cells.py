"""The final-accounts Excel template: input cells look like input cells (fill, unlocked,
numbers only) and the labels are locked; a value in a cell that nothing reads is a warning
naming the cell; the empty 公开07/08表 have a field for their 说明."""

from __future__ import annotations

from decimal import Decimal

from openpyxl import load_workbook

from jixiao import api
from jixiao.read.accounts.form_write import INPUT_FILL
from jixiao.render.accounts_tables import printed_tables


def _is_input(cell) -> bool:
    return cell.fill.fgColor.rgb == INPUT_FILL.fgColor.rgb and not cell.protection.locked


def _validated(ws) -> set[str]:
    out: set[str] = set()
    for dv in ws.data_validations.dataValidation:
        if dv.type == "decimal":
            for rng in dv.sqref.ranges:
                for row in ws[rng.coord] if ":" in rng.coord else [[ws[rng.coord]]]:
                    out |= {c.coordinate for c in row}
    return out


def test_every_cell_read_is_an_input_cell_and_labels_are_locked(tmp_path):
    book = tmp_path / "模板.xlsx"
    api.write_accounts_template(book)
    wb = load_workbook(book)
    # where the reader takes each value from: fill every amount cell of the template with 1
    for ws in wb.worksheets[:9]:
        assert ws.protection.sheet, ws.title
        numbers = _validated(ws)
        assert numbers, ws.title
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.strip():
                    assert c.protection.locked, (ws.title, c.coordinate)
                if c.coordinate in numbers:
                    assert _is_input(c), (ws.title, c.coordinate)
                    code = ws.cell(c.row, 1)
                    if not (_is_input(code) and code.coordinate not in numbers):  # not a row for a new code
                        c.value = 1
    meta = wb["情况说明数据"]
    keys = {meta.cell(r, 2).value: r for r in range(2, meta.max_row + 1)}
    meta.cell(keys["department"], 3, "某单位")
    meta.cell(keys["year"], 3, 2024)
    wb.save(tmp_path / "填写.xlsx")
    loaded = api.load_accounts(tmp_path / "填写.xlsx")
    # every number typed into an input cell was read: nothing is reported unread
    assert not [f for f in loaded.findings if f.code == "unread-cell"]
    assert loaded.accounts.basic.public_total == Decimal(1)
    assert loaded.accounts.three_public.actual.total == Decimal(1)


def test_a_value_beside_its_label_is_reported_with_the_right_cell(seed, tmp_path):
    book = tmp_path / "决算.xlsx"
    api.write_accounts(seed.accounts, book)
    wb = load_workbook(book)
    ws = wb["公开06表"]
    label = next(c for col in ws.iter_cols() for c in col if c.value == "公用经费合计")
    row = label.row
    value_cell = next(
        c for c in ws[row] if c.column > label.column and _is_input(c)
    )  # where 公用经费合计 is read
    ws.unmerge_cells(start_row=row, start_column=label.column, end_row=row, end_column=value_cell.column - 1)
    beside = ws.cell(row, label.column + 2)
    beside.value, value_cell.value = value_cell.value, None
    wb.save(book)
    report = api.check_accounts_file(book)
    unread = [f for f in report.findings if f.code == "unread-cell"]
    assert len(unread) == 1
    assert unread[0].location.sheet == "公开06表"
    assert beside.coordinate in unread[0].message
    assert value_cell.coordinate in unread[0].message
    assert unread[0].severity.value == "warning"


def test_exported_accounts_read_back_without_warnings(seed, tmp_path):
    book = tmp_path / "决算.xlsx"
    api.write_accounts(seed.accounts, book)
    assert api.load_accounts(book).findings == ()


def test_empty_fund_tables_have_a_note_field(tmp_path):
    book = tmp_path / "模板.xlsx"
    api.write_accounts_template(book)
    wb = load_workbook(book)
    for number in ("公开07表", "公开08表"):
        ws = wb[number]
        label = next(c for col in ws.iter_cols(max_col=1) for c in col if c.value == "说明：")
        field = ws.cell(label.row, 2)
        assert _is_input(field)
        field.value = f"{number}本年度无数据的说明"
    meta = wb["情况说明数据"]
    keys = {meta.cell(r, 2).value: r for r in range(2, meta.max_row + 1)}
    meta.cell(keys["department"], 3, "某单位")
    meta.cell(keys["year"], 3, 2024)
    wb.save(book)
    acc = api.load_accounts(book).accounts
    assert acc.fund.note == "公开07表本年度无数据的说明"
    assert acc.capital.note == "公开08表本年度无数据的说明"


def test_an_empty_fund_table_says_why_when_the_data_does_not(seed):
    acc = seed.accounts.model_copy(
        update={
            "fund": seed.accounts.fund.model_copy(update={"note": ""}),
            "capital": seed.accounts.capital.model_copy(update={"note": ""}),
        }
    )
    tables = {t.id: t for t in printed_tables(acc)}
    assert "故本表无数据" in tables["fund"].empty_note
    assert "故本表无数据" in tables["capital"].empty_note
