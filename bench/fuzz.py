"""Fuzz every reader with structured mutations of valid inputs; print what happened.

    python bench/fuzz.py                       # 10,000 cases per reader
    python bench/fuzz.py --cases 300 --seed 7  # a quick run
    python bench/fuzz.py --readers audit-pdf,rules --cases 2000
    python bench/fuzz.py --readers framework --seed 1 --replay 9588  # one case, in-process
    nice -n 10 python bench/fuzz.py > fuzz.txt 2> progress.txt       # the full campaign

Readers: submission-yaml/json/xlsx (``jixiao score``; xlsx is the self-evaluation
workbook), accounts-yaml/json/xlsx (``jixiao check``), framework (``-F``), rules
(``--rules``), word-template (``render --template``), audit-txt/docx/pdf/xlsx (``audit``).

Each reader starts from valid files (the bundled examples, the built-in frameworks, rule
set and Word templates, documents rendered from the examples) and receives mutated
copies: at the level of the data (a value replaced by a hostile one: alias bombs, deep
nesting, absurd numbers, control characters, formulas, Jinja payloads, huge strings), of
the text (spans deleted, duplicated, hostile tokens inserted) and of the bytes inside
Office zips (XML members edited and re-zipped, cell values and Word runs replaced by
hostile values, inflated members, formulas without results, raw bytes overwritten).

Cases run in a forked child per batch with an address-space cap (``resource.setrlimit``)
and a CPU-time timer per case (a busy machine does not make a case a hang); a case that
overruns it is a hang. A watchdog in the parent kills a child that stops answering (its CPU
time past the limit, or blocked for 30 times the limit) and counts the case as a hang; a
child that dies counts a traceback; either way a new child goes on with the next case.
Cases are reproducible: case N of a reader and seed is always the same input (its random
generator is seeded with reader, seed and N; ``--replay N`` runs it in-process and prints
what happened). Per reader the table gives the cases, clean refusals (InputError, the
Chinese message a user reads), accepted inputs, tracebacks (any other exception: a bug),
hangs, the peak resident memory of one case (the worker's, reset before each case), the
most CPU seconds one case took and the wall time of the reader.
Failing inputs are kept under ``bench/fuzz-out/`` with the traceback. Exit status 1 when
any traceback or hang occurred.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import resource
import select
import signal
import sys
import tempfile
import time
import traceback
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.set_int_max_str_digits(0)  # the fuzzer writes 4,400-digit numbers on purpose
sys.path.insert(0, str(ROOT / "src"))

import yaml  # noqa: E402

from jixiao import api  # noqa: E402
from jixiao.core.findings import InputError  # noqa: E402

OUT = ROOT / "bench" / "fuzz-out"


class Hang(BaseException):
    """Raised by the per-case timer; a BaseException so no reader's except swallows it."""


# --------------------------------------------------------------------------- hostile values

ALIAS_BOMB = "".join(
    f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)
HOSTILE_TEXT = [
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+2",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ 'x' * 10**10 }}",
    "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
    "{{ ''.__class__.__mro__ }}",
    "<script>alert(1)</script>",
    "../../../../etc/passwd",
    "\x00\x07\x1b[31m",
    "\ud800",
    "9" * 5000,
    "1" * 40000,
    "1," * 3000,
    "1.0e-999999999",
    "1e999999999",
    "NaN",
    "-Infinity",
    "≤-200元",
    "≥1e30%",
    "x" * 300_000,
    "占" + "12万元，" * 2000,
    "一、" * 3000,
    "（" * 300 + "1" + "）" * 300,
    "+".join(["a1"] * 1000),
    "{left:>300000000}",
    "{left:zz}",
    "",
    " ",
    "\t",
]
HOSTILE_NUMBERS: list[Any] = [
    Decimal("1e26"),
    Decimal("-25"),
    Decimal("1E+27"),
    Decimal("0E-999999"),
    10**4400,
    -(10**30),
    Decimal("100000"),
    Decimal("-5"),
    0,
    True,
]


def hostile_value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(10)
    if kind < 4:
        return rng.choice(HOSTILE_TEXT)
    if kind < 6:
        return rng.choice(HOSTILE_NUMBERS)
    if kind == 6:
        nested: Any = 1
        for _ in range(rng.choice([10, 100, 1000, 5000])):
            nested = [nested]
        return nested
    if kind == 7:
        return {"k": [], "grades": [], "places": -5, "id": ["a", "b"]}
    if kind == 8 and depth < 2:
        return [hostile_value(rng, depth + 1) for _ in range(rng.randrange(1, 4))]
    return None


# --------------------------------------------------------------------------- mutations


def _walk(data: Any) -> list[tuple[Any, Any]]:
    """(container, key) of every value in a plain data tree."""
    out: list[tuple[Any, Any]] = []
    stack = [data]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in list(items):
            out.append((node, key))
            if isinstance(value, dict | list):
                stack.append(value)
    return out


def mutate_tree(data: Any, rng: random.Random) -> Any:
    """Replace, drop or retype a few values of a parsed YAML/JSON tree."""
    data = json.loads(json.dumps(data, default=str))  # a deep copy with Decimal as text
    spots = _walk(data)
    for _ in range(rng.randrange(1, 4)):
        if not spots:
            break
        node, key = rng.choice(spots)
        action = rng.randrange(6)
        try:
            if action == 0 and isinstance(node, dict):
                del node[key]
            elif action == 1:
                value = node[key]
                node[key] = [value] if not isinstance(value, list) else {"x": value}
            elif action == 2 and isinstance(node[key], str):
                node[key] = node[key] + rng.choice(HOSTILE_TEXT)[:200]
            else:
                node[key] = hostile_value(rng)
        except (KeyError, IndexError):
            pass
    return data


def mutate_text(text: str, rng: random.Random) -> str:
    """Text-level edits: delete, duplicate or move a span; insert a hostile token."""
    for _ in range(rng.randrange(1, 4)):
        n = len(text)
        a = rng.randrange(n + 1)
        b = min(n, a + rng.choice([1, 2, 5, 20, 200]))
        action = rng.randrange(6)
        if action == 0:
            text = text[:a] + text[b:]
        elif action == 1:
            text = text[:b] + text[a:b] * rng.choice([2, 10, 1000]) + text[b:]
        elif action == 2:
            text = text[:a] + rng.choice(HOSTILE_TEXT) + text[a:]
        elif action == 3:
            text = (
                text[:a]
                + rng.choice(
                    [
                        "&a ",
                        "*a",
                        "!!python/object/apply:os.system ['id']",
                        "<<: ",
                        "? ",
                        "- ",
                        ": ",
                        "---\n",
                        "%YAML 1.1\n",
                        "\t",
                        '"',
                        "'",
                        "[",
                        "{",
                        "}",
                        "]",
                        ",",
                        "\\u",
                        "#",
                    ]
                )
                + text[a:]
            )
        elif action == 4:
            text = ALIAS_BOMB + "x: *i\n" + text if rng.random() < 0.3 else "[" * 2000 + text
        else:
            lines = text.splitlines(keepends=True)
            if len(lines) > 1:
                i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
                lines[i], lines[j] = lines[j], lines[i]
                text = "".join(lines)
    return text


_MARK = re.compile(r"""["']?@@NUM(.*?)@@["']?""")


def _marked(tree: Any) -> Any:
    """Decimals as marker strings, so that a dump writes them as bare numbers afterwards."""
    if isinstance(tree, dict):
        return {k: _marked(v) for k, v in tree.items()}
    if isinstance(tree, list):
        return [_marked(v) for v in tree]
    return f"@@NUM{tree}@@" if isinstance(tree, Decimal) else tree


def mutate_structured(raw: bytes, suffix: str, rng: random.Random) -> bytes:
    text = raw.decode("utf-8")
    if rng.random() < 0.5:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError:
            data = None
        if isinstance(data, dict | list):
            try:
                tree = _marked(mutate_tree(data, rng))
                if suffix == ".json":
                    dumped = json.dumps(tree, ensure_ascii=rng.random() < 0.5)
                else:
                    dumped = yaml.safe_dump(tree, allow_unicode=True, width=10**9)
                return _MARK.sub(r"\1", dumped).encode("utf-8", "surrogatepass")
            except (ValueError, RecursionError, yaml.YAMLError):
                pass
    return mutate_text(text, rng).encode("utf-8", "surrogatepass")


def mutate_zip(raw: bytes, rng: random.Random) -> bytes:
    """Office files: edit an XML member's text and re-zip, inflate a member, or overwrite bytes."""
    action = rng.randrange(10)
    if action < 2:
        data = bytearray(raw)
        for _ in range(rng.randrange(1, 4)):
            at = rng.randrange(len(data))
            data[at : at + 16] = rng.randbytes(16)
        return bytes(data)
    try:
        source = zipfile.ZipFile(io.BytesIO(raw))
        members = [(i, source.read(i)) for i in source.infolist()]
    except Exception:
        return raw
    xml = [k for k, (info, _) in enumerate(members) if info.filename.endswith(".xml")]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        pick = rng.choice(xml) if xml else -1
        for k, (info, original) in enumerate(members):
            body = original
            if k == pick:
                if action == 2:
                    body = body + b" " * rng.choice([10**6, 5 * 10**7])  # inflates far beyond its size
                elif action == 3:
                    row = b'<row r="1"><c r="A1" t="n"><v>1</v></c></row>'
                    body = body.replace(b"</sheetData>", row * rng.choice([1000, 100_000]) + b"</sheetData>")
                elif action == 4:
                    body = body.replace(b"<v>", b"<f>SUM(A1:A2)</f><v>", 3).replace(b"<v>", b"", 1)
                elif action in (5, 6):
                    body = _replace_cell_text(body, rng)
                else:
                    text = body.decode("utf-8", "replace")
                    body = mutate_text(text, rng).encode("utf-8", "surrogatepass")
            target.writestr(info.filename, body)
    return out.getvalue()


def _replace_cell_text(body: bytes, rng: random.Random) -> bytes:
    """A few cell values, shared strings or Word runs replaced by hostile values (escaped)."""
    from xml.sax.saxutils import escape

    spans = [m.span(2) for m in re.finditer(rb"<((?:\w+:)?[tv])(?: [^>]*)?>([^<]*)</\1>", body)]
    for _ in range(rng.randrange(1, 4)):
        if not spans:
            break
        a, b = rng.choice(spans)
        value = hostile_value(rng)
        try:
            text = value if isinstance(value, str) else json.dumps(value, default=str)[:5000]
        except RecursionError:  # the 5,000-deep list
            text = "[" * 5000
        body = body[:a] + escape(text).encode("utf-8", "surrogatepass") + body[b:]
        spans = [m.span(2) for m in re.finditer(rb"<((?:\w+:)?[tv])(?: [^>]*)?>([^<]*)</\1>", body)]
    return body


def mutate_pdf(raw: bytes, rng: random.Random) -> bytes:
    data = bytearray(raw)
    action = rng.randrange(4)
    if action == 0:
        for _ in range(rng.randrange(1, 6)):
            at = rng.randrange(len(data))
            data[at : at + 8] = rng.randbytes(8)
    elif action == 1:
        at = rng.randrange(len(data))
        del data[at : at + rng.choice([1, 100, 5000])]
    elif action == 2:
        at = rng.randrange(len(data))
        data[at:at] = rng.choice([b"/Length 999999999", b"(\x00\xff)", b"[" * 5000, b"<<" * 2000, b" 0 R"])
    else:
        import zlib

        bomb = zlib.compress(b"0" * rng.choice([10**6, 10**8]), 9)
        obj = (
            b"\n99 0 obj << /Length %d /Filter /FlateDecode >> stream\n" % len(bomb)
            + bomb
            + b"\nendstream endobj\n"
        )
        at = data.rfind(b"xref")
        data[at if at > 0 else len(data) : at if at > 0 else len(data)] = obj
    return bytes(data)


# --------------------------------------------------------------------------- readers


@dataclass
class Reader:
    name: str
    suffix: str
    seeds: list[bytes]
    mutate: Callable[[bytes, random.Random], bytes]
    run: Callable[[Path], Any]


def _structured(suffix: str) -> Callable[[bytes, random.Random], bytes]:
    return lambda raw, rng: mutate_structured(raw, suffix, rng)


def _as_json(path: Path) -> bytes:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return json.dumps(data, ensure_ascii=False, default=str, indent=1).encode("utf-8")


def _render_seeds(work: Path) -> dict[str, list[bytes]]:
    """Documents rendered from the examples: the audit readers' and the workbook's seeds."""
    out: dict[str, list[bytes]] = {".docx": [], ".pdf": [], ".xlsx": [], ".txt": [], "self-table": []}
    examples = ROOT / "examples"
    folder = work / "rendered"
    try:
        result = api.render(
            [examples / "score-001-xinxiang-2024-department.yaml"],
            folder,
            formats=["docx", "xlsx", "pdf"],
        )
        out["self-table"] = [w.path.read_bytes() for w in result.files if w.kind == "self-table"]
    except Exception as exc:  # PDF needs fonts and pango; the others still run
        print(f"(render for seeds: {type(exc).__name__}: {exc})", file=sys.stderr)
    for path in sorted(folder.rglob("*")):
        if path.suffix in out:
            out[path.suffix].append(path.read_bytes())
    out[".txt"].append((examples / "accounts-001-explanation.txt").read_bytes())
    return out


def readers(work: Path, names: list[str] | None = None) -> dict[str, Reader]:
    from jixiao.check.formulas.ruleset import load_rules
    from jixiao.render import template_store

    examples = ROOT / "examples"
    scores = sorted(examples.glob("score-*.yaml"))
    accounts = examples / "accounts-001-xinxiang-2024.yaml"
    frameworks = sorted((ROOT / "src/jixiao/frameworks/data").glob("*.yaml"))
    rules = ROOT / "src/jixiao/check/formulas/rulesets/standard.yaml"
    rendered_needed = names is None or any(
        n in {"audit-docx", "audit-pdf", "audit-xlsx", "submission-xlsx"} for n in names
    )
    examples_text = (examples / "accounts-001-explanation.txt").read_bytes()
    rendered = (
        _render_seeds(work)
        if rendered_needed
        else {".txt": [examples_text], ".docx": [], ".pdf": [], ".xlsx": [], "self-table": []}
    )
    xlsx_accounts = work / "accounts.xlsx"
    api.write_accounts(api.load_accounts(accounts).accounts, xlsx_accounts)
    templates = work / "templates"
    template_files = api.export_templates(templates)
    submission = examples / "score-001-xinxiang-2024-department.yaml"

    def score(path: Path) -> Any:
        return api.score_file(path)

    def accounts_check(path: Path) -> Any:
        return api.check_accounts(api.load_accounts(path))

    def framework(path: Path) -> Any:
        catalog = api.catalog([path])
        return [api.score(s, frameworks=catalog) for s in api.load_submissions(submission)]

    def rule_file(path: Path) -> Any:
        ruleset = load_rules(path, reserved=())
        return api.check_accounts(api.load_accounts(accounts), rules=ruleset)

    def template(path: Path) -> Any:
        template_store.load([path])  # the reader proper: names and tags checked
        with tempfile.TemporaryDirectory(dir=work) as out:
            return api.render([submission], Path(out) / "out", formats=["docx"], templates=[path])

    def audit(path: Path) -> Any:
        report, doc = api.audit(path)
        api.audit_html(report, doc)
        return report

    zipped = mutate_zip
    return {
        "submission-yaml": Reader(
            "submission-yaml", ".yaml", [p.read_bytes() for p in scores], _structured(".yaml"), score
        ),
        "submission-json": Reader(
            "submission-json", ".json", [_as_json(p) for p in scores], _structured(".json"), score
        ),
        "submission-xlsx": Reader("submission-xlsx", ".xlsx", rendered["self-table"], zipped, score),
        "accounts-yaml": Reader(
            "accounts-yaml", ".yaml", [accounts.read_bytes()], _structured(".yaml"), accounts_check
        ),
        "accounts-json": Reader(
            "accounts-json", ".json", [_as_json(accounts)], _structured(".json"), accounts_check
        ),
        "accounts-xlsx": Reader(
            "accounts-xlsx", ".xlsx", [xlsx_accounts.read_bytes()], zipped, accounts_check
        ),
        "framework": Reader(
            "framework", ".yaml", [p.read_bytes() for p in frameworks], _structured(".yaml"), framework
        ),
        "rules": Reader("rules", ".yaml", [rules.read_bytes()], _structured(".yaml"), rule_file),
        "word-template": Reader(
            "word-template",
            ".docx",
            [p.read_bytes() for p in template_files if p.name.startswith("report-xinxiang-2024")]
            or [template_files[0].read_bytes()],
            zipped,
            template,
        ),
        "audit-txt": Reader(
            "audit-txt",
            ".txt",
            rendered[".txt"],
            lambda raw, rng: mutate_text(raw.decode("utf-8"), rng).encode("utf-8", "surrogatepass"),
            audit,
        ),
        "audit-docx": Reader("audit-docx", ".docx", rendered[".docx"], zipped, audit),
        "audit-pdf": Reader("audit-pdf", ".pdf", rendered[".pdf"], mutate_pdf, audit),
        "audit-xlsx": Reader("audit-xlsx", ".xlsx", rendered[".xlsx"], zipped, audit),
    }


# --------------------------------------------------------------------------- running


@dataclass
class Tally:
    cases: int = 0
    refused: int = 0
    accepted: int = 0
    tracebacks: int = 0
    hangs: int = 0
    peak_mb: float = 0.0
    peak_case: int = -1
    slowest: float = 0.0
    seconds: float = 0.0
    examples: list[str] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)


def _case_input(reader: Reader, seed: int, index: int) -> bytes:
    """Case ``index`` of ``seed``: the same bytes on every run (given the same seeds)."""
    rng = random.Random(f"{reader.name}:{seed}:{index}")
    raw = rng.choice(reader.seeds)
    try:
        return reader.mutate(raw, rng)
    except Exception as exc:  # a mutation the fuzzer cannot make: the case is the seed itself
        print(f"(case {index}: mutation failed: {type(exc).__name__})", file=sys.stderr)
        return raw


def _reset_peak() -> None:
    """Start a new peak resident size (Linux: writing 5 to clear_refs resets VmHWM)."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pass


def _peak_mb() -> float:
    """The peak resident size since the last reset (getrusage where /proc is missing)."""
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(  # noqa: PLR0917 - one call site
    reader: Reader, seed: int, start: int, stop: int, timeout: float, mem_mb: int, work: Path, pipe: int
) -> None:
    """Run cases [start, stop); write "begin" then the result of each case to ``pipe``.

    The timer here counts the worker's CPU time (``ITIMER_PROF``), so that a case is not
    called a hang because the machine is busy; it is the soft limit, and its traceback says
    where the slow case was. The parent's watchdog kills a worker that does not answer (a
    loop inside C code that never returns to Python, say).
    """
    resource.setrlimit(resource.RLIMIT_AS, (mem_mb * 1024 * 1024, mem_mb * 1024 * 1024))

    def expired(signum: int, frame: Any) -> None:
        raise Hang

    signal.signal(signal.SIGPROF, expired)
    out = os.fdopen(pipe, "w", buffering=1)
    path = work / f"case-{os.getpid()}{reader.suffix}"
    for index in range(start, stop):
        data = _case_input(reader, seed, index)
        path.write_bytes(data)
        _reset_peak()
        cpu = time.process_time()
        out.write(json.dumps({"i": index, "status": "begin", "cpu": cpu}) + "\n")
        status, detail = "accepted", ""
        signal.setitimer(signal.ITIMER_PROF, timeout)
        try:
            reader.run(path)
        except InputError:
            status = "refused"
        except Hang as exc:
            status, detail = "hang", "".join(traceback.format_exception(exc))[-4000:]
        except BaseException as exc:  # everything else is a finding of the fuzzer
            status, detail = "traceback", "".join(traceback.format_exception(exc))[-4000:]
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
        seconds = time.process_time() - cpu
        result = {"i": index, "status": status, "rss": _peak_mb(), "s": seconds, "detail": detail}
        out.write(json.dumps(result) + "\n")
    out.close()
    os._exit(0)


def _lines(fd: int, poll: float) -> Any:
    """Lines read from ``fd``; None each time nothing came for ``poll`` seconds."""
    pending = b""
    while True:
        ready, _, _ = select.select([fd], [], [], poll)
        if not ready:
            yield None
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            return
        pending += chunk
        *complete, pending = pending.split(b"\n")
        yield from complete


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu_seconds(pid: int) -> float | None:
    """User and system CPU seconds of process ``pid`` (None where /proc is missing)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / _TICK


def run_reader(  # noqa: PLR0917 - one call site
    reader: Reader,
    cases: int,
    seed: int,
    timeout: float,
    mem_mb: int,
    batch: int,
    work: Path,
    budget: float = float("inf"),
    start: int = 0,
) -> Tally:
    """Cases [start, start + cases) of ``reader``, in forked workers of ``batch`` cases.

    The watchdog here kills a worker whose case has used 1.5 x ``timeout`` + 1 CPU seconds
    without answering (its own timer did not stop it), or has not answered for
    ``30 x timeout`` seconds of wall time however little CPU it had (blocked); the case
    counts as a hang. A worker that dies counts its case as a traceback. Either way a new
    worker goes on with the next case.
    """
    tally = Tally()
    began = time.monotonic()
    index = start
    end = start + cases
    grace_cpu = timeout * 1.5 + 1
    wall_cap = max(60.0, timeout * 30)
    while index < end and time.monotonic() - began < budget:
        stop = min(end, index + batch)
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            os.close(read_fd)
            try:
                _child(reader, seed, index, stop, timeout, mem_mb, work, write_fd)
            finally:
                os._exit(0)
        os.close(write_fd)
        done, killed, why = index, False, ""
        case_cpu, case_wall = 0.0, time.monotonic()
        for line in _lines(read_fd, 1.0):
            if line is None:  # nothing yet: is the worker stuck on case ``done``?
                used = (_cpu_seconds(pid) or 0.0) - case_cpu
                waited = time.monotonic() - case_wall
                if used > grace_cpu or waited > wall_cap:
                    why = f"{used:.1f} CPU s and {waited:.0f} s without an answer"
                    os.kill(pid, signal.SIGKILL)
                    killed = True
                    break
                continue
            result = json.loads(line)
            if result["status"] == "begin":
                case_cpu, case_wall = result["cpu"], time.monotonic()
                continue
            done = result["i"] + 1
            _count(tally, reader, seed, result)
            if tally.cases % 500 == 0:  # progress, for a long run watched from its log
                print(f"  {reader.name}: {_line(tally)}", file=sys.stderr, flush=True)
        os.close(read_fd)
        _, status = os.waitpid(pid, 0)
        if done < stop:  # the worker was killed on case ``done``, or died on it
            _count(tally, reader, seed, _lost(done, status, why if killed else None, timeout))
            done += 1
        index = done
        tally.seconds = time.monotonic() - began
    tally.seconds = time.monotonic() - began
    return tally


def _lost(index: int, status: int, killed: str | None, timeout: float) -> dict[str, Any]:
    """The result of a case whose worker the watchdog killed (``killed`` says why) or that died."""
    if killed is not None:
        detail = f"{killed}: worker killed by the watchdog"
        return {"i": index, "status": "hang", "rss": 0, "s": timeout, "detail": detail}
    signal_no = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None  # memory, a signal, an abort
    detail = f"worker died: status {status} signal {signal_no}"
    return {"i": index, "status": "traceback", "rss": 0, "s": 0, "detail": detail}


def _line(t: Tally) -> str:
    """One row of the table: the figures of ``t``."""
    return (
        f"{t.cases:>7}{t.refused:>9}{t.accepted:>9}{t.tracebacks:>10}{t.hangs:>6}"
        f"{t.peak_mb:>9.0f}{t.slowest:>10.1f}{t.seconds or 0:>8.0f}"
    )


def _count(tally: Tally, reader: Reader, seed: int, result: dict[str, Any]) -> None:
    tally.cases += 1
    status = result["status"]
    if result["rss"] > tally.peak_mb:
        tally.peak_mb, tally.peak_case = result["rss"], result["i"]
    tally.slowest = max(tally.slowest, result.get("s", 0))
    if status == "refused":
        tally.refused += 1
    elif status == "accepted":
        tally.accepted += 1
    else:
        if status == "hang":
            tally.hangs += 1
        else:
            tally.tracebacks += 1
        kind = _kind(status, result["detail"])
        tally.kinds[kind] = tally.kinds.get(kind, 0) + 1
        if tally.kinds[kind] <= 2:  # the first two cases of each kind of failure are kept
            OUT.mkdir(exist_ok=True)
            stem = OUT / f"{reader.name}-{seed}-{result['i']}"
            stem.with_suffix(reader.suffix).write_bytes(_case_input(reader, seed, result["i"]))
            stem.with_suffix(".txt").write_text(f"{status}\n{result['detail']}", encoding="utf-8")
            tally.examples.append(f"{stem.with_suffix(reader.suffix)}  [{kind}]")


def _kind(status: str, detail: str) -> str:
    """A failure's kind: the exception and the innermost jixiao frame that raised it."""
    frames = re.findall(r'File "([^"]*jixiao/[^"]*)", line (\d+)', detail)
    last = detail.strip().splitlines()[-1][:80] if detail.strip() else status
    where = f"{frames[-1][0].split('jixiao/')[-1]}:{frames[-1][1]}" if frames else "-"
    return f"{status} {where} {last.split(':')[0]}"


def replay(reader: Reader, seed: int, index: int, work: Path) -> int:
    """Run one case in this process and print what happened (the traceback in full)."""
    path = work / f"case-{index}{reader.suffix}"
    path.write_bytes(_case_input(reader, seed, index))
    kept = OUT / f"{reader.name}-{seed}-{index}{reader.suffix}"
    OUT.mkdir(exist_ok=True)
    kept.write_bytes(path.read_bytes())
    began = time.monotonic()
    try:
        reader.run(path)
    except InputError as exc:
        print(f"refused in {time.monotonic() - began:.2f} s: {exc}"[:2000])
        return 0
    print(f"accepted in {time.monotonic() - began:.2f} s; input kept as {kept}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=10_000, help="cases per reader")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--readers", default="", help="comma-separated names (default: all)")
    parser.add_argument("--timeout", type=float, default=10.0, help="CPU seconds of a case before a hang")
    parser.add_argument("--memory-mb", type=int, default=2048, help="address-space cap of a worker")
    parser.add_argument("--batch", type=int, default=200, help="cases per forked worker")
    parser.add_argument("--budget", type=float, default=float("inf"), help="seconds per reader (stops early)")
    parser.add_argument("--start", type=int, default=0, help="index of the first case")
    parser.add_argument("--replay", type=int, default=None, help="run case N of --readers in-process")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="jixiao-fuzz-") as tmp:
        work = Path(tmp)
        wanted = [n for n in args.readers.split(",") if n]
        all_readers = readers(work, wanted or None)
        chosen = wanted or list(all_readers)
        if args.replay is not None:
            return replay(all_readers[chosen[0]], args.seed, args.replay, work)
        head = f"{'reader':<16}{'cases':>7}{'refused':>9}{'accepted':>9}{'traceback':>10}{'hangs':>6}"
        print(head + f"{'peak MB':>9}{'max CPU s':>10}{'wall s':>8}", flush=True)
        bad = 0
        for name in chosen:
            reader = all_readers[name]
            if not reader.seeds:
                print(f"{name:<16}  (no seed: skipped)", flush=True)
                continue
            t = run_reader(
                reader,
                args.cases,
                args.seed,
                args.timeout,
                args.memory_mb,
                args.batch,
                work,
                args.budget,
                args.start,
            )
            bad += t.tracebacks + t.hangs
            print(f"{name:<16}{_line(t)}", flush=True)
            for example in t.examples:
                print(f"    kept: {example}", flush=True)
            if t.peak_mb >= 400:  # near the 500 MB goal: say which case, to replay it
                print(f"    peak memory: case {t.peak_case}", flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
