"""`jixiao score` and `jixiao frameworks` as a user runs them: exit codes, output, bad input."""

import json
import subprocess
import sys

import pytest
from tests.conftest import EXAMPLES
from typer.testing import CliRunner

from jixiao.cli.main import app

runner = CliRunner()


def run(*args):
    result = runner.invoke(app, list(map(str, args)), env={"COLUMNS": "200"})
    assert "Traceback" not in result.output
    return result


def test_score_a_seed_prints_the_table_and_exits_1_on_errors():
    result = run("score", EXAMPLES / "score-000-xinxiang-2021-department.yaml")
    assert result.exit_code == 1
    assert "学会工作目标1实现率" in result.output
    assert "总分 96.18 / 100" in result.output
    assert "所列总分 97，按规则复核应为 96.18" in result.output


def test_score_json_is_the_evaluation():
    result = run("score", "--json", EXAMPLES / "score-000-xinxiang-2021-department.yaml")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["total"] == "96.18"
    assert data["grade"] == "优"
    assert {f["code"] for f in data["findings"]} >= {"score-mismatch", "total-differs"}


def test_a_clean_submission_exits_0(write):
    path = write(
        """
        department: 测试单位
        year: 2024
        framework: national-2020-project
        figures: {budget_total: 10, spent: 10}
        indicators:
          - {path: 产出指标/数量指标/场次, weight: 50, target: ≥5场, actual: 6场}
          - {path: 效益指标/社会效益指标/受益人数, weight: 30, target: ≥100人次, actual: 120人次}
          - {path: 满意度指标/服务对象满意度指标/满意度, weight: 10, target: ≥90%, actual: 95%}
        stated: {total: 100, grade: 优}
        """
    )
    result = run("score", path)
    assert result.exit_code == 0, result.output
    assert "未发现问题" in result.output


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("department: 测试\nyear: 2024\n  framework: x\n", ["YAML 语法错误", "第3行"]),
        ("department: [测试\n", ["YAML 语法错误"]),
        ("- 1\n- 2\n", ["文件内容应为键值表"]),
        ("department: 测试\nyear: 二〇二四\nframework: national-2020-project\n", ["第2行", "整数"]),
        ("department: 测试\nyear: 2024\nframework: 不存在\n", ["未知的指标体系“不存在”"]),
        (
            "department: 测试\nyear: 2024\nframework: national-2020-project\nfigures: {spent: 十万}\n",
            ["第4行", "“十万”不是数字"],
        ),
        (
            "department: 测试\nyear: 2024\nframework: national-2020-project\nfigures: {spent: 5美元}\n",
            ["单位“美元”无法识别"],
        ),
        ("year: 2024\nframework: national-2020-project\n", ["缺少必填项“部门（单位）名称（department）”"]),
        ("department: 测试\nyear: 2024\nframework: national-2020-project\nbudget: 1\n", ["未知字段“budget”"]),
        (
            "department: 测试\nyear: 2024\nframework: national-2020-project\n"
            "indicators:\n  - {path: 产出指标/数量指标/a, weight: 50, target: ≥9O%, actual: 1}\n",
            ["第5行", "“≥9O%”中的“O”是字母，不是数字 0", "产出指标/数量指标/a"],
        ),
        (
            "department: 测试\nyear: 2024\nframework: national-2020-project\n"
            "indicators:\n  - {path: 不存在/a, weight: 50}\n",
            ["第5行", "没有指标“不存在/a”"],
        ),
        (
            "department: 测试\nyear: 2024\nframework: national-2020-project\n"
            "indicators:\n  - {path: 产出指标/数量指标/a, weight: 50, target: ≥0个, actual: 1个}\n",
            ["指标值为 0"],
        ),
        (
            "department: 测试\nyear: 2024\nframework: national-2020-project\nfigures: {spent: -3}\n",
            ["为负数"],
        ),
        ("department: 测试\nyear: 2024\nframework: national-2020-project\nyear: 2025\n", ["重复"]),
    ],
)
def test_bad_input_is_refused_in_chinese_with_its_place(write, text, expected):
    path = write(text)
    result = run("score", path)
    assert result.exit_code == 2, result.output
    flat_output = result.output.replace("\n", "")
    for part in expected:
        assert part in flat_output, (part, result.output)


def test_bad_json_names_line_and_column(write):
    path = write('{"department": "测试",\n "year": 2024,,\n}', "s.json")
    result = run("score", path)
    assert result.exit_code == 2
    assert "JSON 语法错误" in result.output
    assert "第2行" in result.output


def test_json_submission_is_read_with_decimals(write):
    path = write(
        '{"department": "测试", "year": 2024, "framework": "national-2020-project",'
        ' "figures": {"budget_total": 3, "spent": 2.99},'
        ' "indicators": [{"path": "产出指标", "score_rate": "100%"},'
        ' {"path": "效益指标", "score_rate": "100%"},'
        ' {"path": "满意度指标", "score_rate": "100%"}], "stated": {"total": 99.97}}',
        "s.json",
    )
    result = run("score", "--json", path)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["total"] == "99.97"


@pytest.mark.parametrize("indent", [None, 1])
def test_json_findings_name_the_line_on_one_line_or_many(write, indent):
    data = {
        "department": "测试",
        "year": 2024,
        "framework": "national-2020-project",
        "figures": {"budget_total": 3, "spent": 2.99},
        "indicators": [
            {"path": "产出指标", "score_rate": "100%"},
            {"path": "效益指标", "score_rate": "100%"},
            {"path": "满意度指标", "score_rate": "90%", "score": 10},
        ],
    }
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    path = write(text, "s.json")
    result = run("score", "--json", path)
    (wrong,) = [f for f in json.loads(result.output)["findings"] if f["code"] == "score-rate-mismatch"]
    # an entry's line is the line its mapping opens on: the one before its path
    path_line = next(i for i, line in enumerate(text.splitlines(), 1) if "满意度指标" in line)
    expected = 1 if indent is None else path_line - 1
    assert wrong["location"]["line"] == expected


def test_missing_file_and_unsupported_format(tmp_path):
    assert "找不到文件" in run("score", tmp_path / "nope.yaml").output
    other = tmp_path / "a.docx"
    other.write_bytes(b"PK")
    result = run("score", other)
    assert result.exit_code == 2
    assert "无法识别的文件格式" in result.output


def test_huge_file_is_refused_before_reading(tmp_path, monkeypatch):
    from jixiao.read import structured

    monkeypatch.setattr(structured, "MAX_INPUT_BYTES", 100)
    path = tmp_path / "big.yaml"
    path.write_text("department: 测试\n" + "# padding\n" * 50, encoding="utf-8")
    result = run("score", path)
    assert result.exit_code == 2
    assert "超过上限" in result.output


def test_binary_file_is_an_encoding_error(tmp_path):
    path = tmp_path / "bin.yaml"
    path.write_bytes(b"\xff\xfe\x00\x81garbage")
    result = run("score", path)
    assert result.exit_code == 2
    assert "UTF-8" in result.output


def test_frameworks_list_and_show():
    result = run("frameworks")
    assert result.exit_code == 0
    for fid in ("national-2020-project", "xinxiang-2021-department", "xiangyang-2021-department"):
        assert fid in result.output
    shown = run("frameworks", "show", "xiangyang-2021-department")
    assert shown.exit_code == 0
    assert "预算执行情况 20分" in shown.output
    assert "80%–100%" in shown.output
    assert "50%–80%" in shown.output
    missing = run("frameworks", "show", "nope")
    assert missing.exit_code == 2
    assert "未知的指标体系" in missing.output


def test_user_framework_file_with_mistakes_is_refused(write):
    path = write(
        """
        id: my-framework
        name: 我的指标体系
        kind: project
        indicators:
          - {name: 产出, weight: 60}
          - {name: 产出, weight: 30}
        """,
        "fw.yaml",
    )
    result = run("frameworks", "--framework-file", path)
    assert result.exit_code == 2
    assert "分值合计 90" in result.output.replace("\n", "")
    assert "两个名为“产出”" in result.output.replace("\n", "")


def test_the_installed_command_runs():
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "jixiao.cli.main",
            "score",
            str(EXAMPLES / "score-002-xiangyang-2021-department.yaml"),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={"COLUMNS": "160", "PATH": ""},
    )
    # Seed 002 as printed: no error (its rows print no weights to check them against).
    assert out.returncode == 0
    assert "襄阳市科学技术协会" in out.stdout
    assert "总分 93 / 100" in out.stdout
    assert out.stderr == ""


def _folder(tmp_path, *names):
    """A folder with the given example files, a subfolder with one more and a broken file."""
    folder = tmp_path / "申报"
    (folder / "sub").mkdir(parents=True)
    for name in names:
        (folder / name).write_bytes((EXAMPLES / name).read_bytes())
    (folder / "sub" / "copy.yaml").write_bytes((EXAMPLES / names[0]).read_bytes())
    (folder / "坏.yaml").write_text("department: [\n", encoding="utf-8")
    (folder / "说明.txt").write_text("not a submission", encoding="utf-8")
    return folder


def test_score_a_folder_streams_every_submission_with_a_closing_count(tmp_path):
    folder = _folder(
        tmp_path, "score-000-xinxiang-2021-department.yaml", "score-002-xiangyang-2021-department.yaml"
    )
    result = run("score", folder)
    assert result.exit_code == 1  # seed 000 has errors
    assert result.output.count("总分 96.18") == 2  # the file and its copy in the subfolder
    assert "襄阳市科学技术协会（2021年度） 总分 93" in result.output
    assert "坏.yaml：无法读取" in result.output
    assert "说明.txt" not in result.output  # not a submission format: not read from a folder
    assert "共 4 个文件，3 份申报" in result.output
    assert "无法读取的文件 1 个" in result.output


def test_score_many_files_as_json_is_one_list_in_the_order_given(tmp_path):
    folder = _folder(tmp_path, "score-002-xiangyang-2021-department.yaml")
    second = EXAMPLES / "score-000-xinxiang-2021-department.yaml"
    first = folder / "score-002-xiangyang-2021-department.yaml"
    result = run("score", "--json", first, second, folder / "坏.yaml")
    data = json.loads(result.output)
    assert [d.get("title") for d in data[:2]] == ["襄阳市科学技术协会", "新乡市科学技术协会"]
    assert data[1]["total"] == "96.18"
    assert data[2]["file"].endswith("坏.yaml")
    assert data[2]["input_errors"][0]["code"] == "syntax-error"
    assert result.exit_code == 1


def test_score_a_folder_of_one_file_keeps_the_list_shape(tmp_path):
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "a.yaml").write_bytes((EXAMPLES / "score-002-xiangyang-2021-department.yaml").read_bytes())
    result = run("score", "--json", folder)
    data = json.loads(result.output)
    assert isinstance(data, list)
    assert len(data) == 1
    assert data[0]["total"] == "93.00"


def test_score_a_clean_stream_exits_0_and_an_unreadable_file_exits_2(tmp_path):
    clean = EXAMPLES / "score-002-xiangyang-2021-department.yaml"
    assert run("score", clean, clean).exit_code == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("x: [\n", encoding="utf-8")
    assert run("score", clean, bad).exit_code == 2
    assert run("score", "--json", tmp_path / "empty-folder-missing").exit_code == 2
