"""Many inputs for one command: files and folders expanded, read one at a time, with a
progress bar on a terminal.

``jixiao score`` and ``jixiao check`` take any number of files and folders. One file
prints as it always has; several are streamed: each file is read, scored or checked,
printed and dropped before the next is read, so memory does not grow with the number of
inputs. The JSON output of a stream is one list, written item by item.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from jixiao import api
from jixiao.cli import show
from jixiao.core.batch import many_inputs


def expand(paths: Iterable[Path], suffixes: Sequence[str]) -> list[Path]:
    """Each file given, and the files of each folder given whose suffix is one of
    ``suffixes`` (with its subfolders; hidden files and Office lock files "~$…" left out),
    in order, each once. A path that does not exist is kept: reading it says so."""
    seen: set[Path] = set()
    out: list[Path] = []
    for path in paths:
        found = [path]
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in suffixes
                and p.is_file()
                and not p.name.startswith(("~$", "."))
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        for p in found:
            if p not in seen:
                seen.add(p)
                out.append(p)
    return out


def is_stream(paths: Sequence[Path]) -> bool:
    """Whether the inputs are streamed: more than one path, or a folder (whose number of
    files is not the user's to know); one file keeps the output it always had."""
    return len(paths) != 1 or paths[0].is_dir()


@contextmanager
def progress(total: int, label: str, *, out: Console) -> Iterator[Callable[[str], None]]:
    """A progress bar on standard error while it is a terminal (transient: it leaves no
    trace). Lines printed on ``out`` appear above it when both are the terminal; when the
    output is redirected the bar stays on the terminal and the output is left untouched."""
    console = Console(stderr=True)
    bar = Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=True,
        redirect_stdout=out.is_terminal,
        redirect_stderr=False,
        disable=not console.is_terminal or total < 2,
    )
    with bar:
        task = bar.add_task("", total=total)

        def advance(name: str) -> None:
            bar.update(task, description=name, advance=1)

        yield advance


class JsonList:
    """A JSON list written item by item (``[``, the items, ``]``), so that a stream of any
    length is printed as it goes and read back as one list."""

    def __init__(self) -> None:
        self.count = 0

    def __enter__(self) -> JsonList:
        sys.stdout.write("[")
        return self

    def add(self, item: object) -> None:
        text = json.dumps(item, ensure_ascii=False, indent=2)
        sys.stdout.write(("," if self.count else "") + "\n" + _indent(text))
        sys.stdout.flush()
        self.count += 1

    def __exit__(self, *exc: object) -> None:
        sys.stdout.write("\n]\n" if self.count else "]\n")
        sys.stdout.flush()


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


R = TypeVar("R")

#: one document of a file: its findings, its JSON object, and how to print it on a terminal
Document = tuple[Sequence[api.Finding], Callable[[], object], Callable[[], None]]


def run(
    results: Iterable[tuple[Path, R | api.InputError]],
    total: int,
    documents: Callable[[Path, R], Iterable[Document]],
    *,
    label: str,
    unit: str,
    noun: str,
    as_json: bool,
    console: Console,
) -> int:
    """Print each file's documents as they come (``results`` pairs a path with what it gave:
    an ``api.InputError`` or whatever ``documents`` unpacks), keeping only the counts; with
    ``as_json`` one list, ``{"file", "input_errors"}`` for a file that cannot be read.
    Returns the exit code."""
    tally = show.Tally()
    out = JsonList() if as_json else None
    with many_inputs(), progress(total, label, out=console) as advance, out or nullcontext():
        for path, result in results:
            if isinstance(result, api.InputError):
                tally.unreadable += 1
                if out is not None:
                    out.add({"file": str(path), "input_errors": api.findings_json(result.findings)})
                else:
                    show.unreadable(console, path, result.findings)
            else:
                for findings, to_json, display in documents(path, result):
                    tally.add(findings, input_error=bool(api.input_errors(findings)))
                    if out is not None:
                        out.add(to_json())
                    else:
                        display()
            advance(path.name)
    if not as_json:
        show.tally(console, tally, files=total, unit=unit, noun=noun)
    return tally.exit_code()
