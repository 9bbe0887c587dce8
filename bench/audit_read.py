"""Benchmark: how fast the audit readers read; print pages per second and peak memory.

python bench/audit_read.py [PAGES]      (default 100)

* a generated report of about PAGES pages (narrative, a self-evaluation table with merged
  cells, long expenditure tables running over page breaks), written as PDF (WeasyPrint),
  Word and Excel in a temporary folder by a child process, so that the writers' memory
  does not count; each file is read in a fresh child process, which reports its time and
  its peak resident memory (ru_maxrss);
* the seed texts in tests/data/seeds/ through the text reader, a page counted as 40 lines.

Word and Excel have no pages of their own: their rate is given in the PDF's pages.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SEEDS = REPO / "tests" / "data" / "seeds"
LINES_PER_PAGE = 40


def report_blocks(pages: int) -> list[tuple]:
    """About ``pages`` A4 pages: each section prints on about 1.6 pages."""
    from tests.audit.docgen import LEFT, UP

    blocks: list[tuple] = []
    for k in range(1, max(1, round(pages / 1.6)) + 1):
        blocks.append(("p", f"第{k}部分 项目支出绩效自评情况"))
        blocks.append(
            (
                "p",
                f"项目{k}年初预算为{k * 12.5:.2f}万元，全年预算数为{k * 13:.2f}万元，全年执行数为"
                f"{k * 12:.2f}万元，预算执行率为92.31%。项目围绕科普活动、学会建设和青少年科技创新"
                "大赛等重点任务开展工作，各项产出指标基本完成，社会效益明显，服务对象满意度较高。" * 3,
            )
        )
        blocks.append(
            (
                "table",
                f"表{k}-1 项目支出绩效自评表",
                [
                    ["指标", LEFT, LEFT, "指标值", "完成值", "分值", "得分"],
                    ["一级指标", "二级指标", "三级指标", UP, UP, UP, UP],
                    ["产出指标", "数量指标", "举办科普活动次数", "≥10次", "12次", "20", "20"],
                    [UP, "质量指标", "活动完成率", "≥90%", "88.53%", "20", "19.5"],
                    ["效益指标", "社会效益指标", "公众科学素质提升", "明显提升", "有所提升", "30", "27"],
                    ["满意度指标", "服务对象满意度指标", "参与群众满意度", "≥90%", "95%", "10", "10"],
                    ["合计", LEFT, LEFT, "", "", "80", "76.5"],
                ],
            )
        )
        rows = [["科目编码", "科目名称", "年初预算", "支出决算", "完成率"]]
        rows += [
            [
                f"2{k:03d}{i:03d}",
                f"科普活动经费{i}",
                f"{Decimal(i) * Decimal('3.25'):.2f}",
                f"{i * 3}.00",
                f"{i}.5%",
            ]
            for i in range(1, 36)
        ]
        blocks.append(("table", f"表{k}-2 支出决算明细表", rows))
        blocks.append(("p", "注：本表金额单位为万元，完成率为支出决算与年初预算之比。"))
    return blocks


def write_all(folder: Path, pages: int) -> None:
    from tests.audit import docgen

    blocks = report_blocks(pages)
    for suffix in (".pdf", ".docx", ".xlsx"):
        docgen.write(blocks, folder / f"report{suffix}")


def read_one(path: Path) -> None:
    """Child process: read one file, print its figures as JSON."""
    from jixiao.read.published import read_document

    start = time.perf_counter()
    document = read_document(path)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    blocks = len(document.blocks)
    print(json.dumps({"seconds": seconds, "pages": document.pages, "blocks": blocks, "peak_kb": peak_kb}))


def child(*args: str) -> str:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True)
    return done.stdout


def main() -> None:
    if sys.argv[1:2] == ["--write"]:
        write_all(Path(sys.argv[2]), int(sys.argv[3]))
        return
    if sys.argv[1:2] == ["--read"]:
        read_one(Path(sys.argv[2]))
        return
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        child("--write", tmp, str(pages))
        print(f"generated PDF, Word and Excel reports in {time.perf_counter() - start:.1f} s")
        pdf_pages = 0
        for suffix in (".pdf", ".docx", ".xlsx"):
            path = folder / f"report{suffix}"
            figures = json.loads(child("--read", str(path)))
            pdf_pages = pdf_pages or figures["pages"]
            rate = pdf_pages / figures["seconds"]
            size = path.stat().st_size / 1024
            peak = figures["peak_kb"] / 1024
            print(
                f"{suffix[1:]:>5}: {pdf_pages} pages, {size:.0f} KB, {figures['blocks']} blocks"
                f" in {figures['seconds']:.2f} s = {rate:.1f} pages/s; peak memory {peak:.0f} MB"
            )
    read_seeds()


def read_seeds() -> None:
    from jixiao.read.published import read_document

    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        print(f"no seeds in {SEEDS}")
        return
    lines = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in seeds)
    rounds = 20
    start = time.perf_counter()
    for _ in range(rounds):
        for path in seeds:
            read_document(path)
    seconds = (time.perf_counter() - start) / rounds
    pages = lines / LINES_PER_PAGE
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"seeds: {len(seeds)} texts, {lines} lines ≈ {pages:.0f} pages in {seconds * 1000:.1f} ms"
        f" = {pages / seconds:.0f} pages/s; peak memory {peak:.0f} MB"
    )


if __name__ == "__main__":
    main()
