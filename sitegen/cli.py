"""The ``sitegen`` command: maps flags to calls and errors to exit codes, nothing else.

Exit codes: 0 success, 1 content errors (with every error listed), 2 usage errors.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from sitegen import __version__
from sitegen.build import BuildOptions, Reporter, build
from sitegen.errors import BuildFailed, SitegenError, UsageError

app = typer.Typer(
    help="sitegen: build a school newspaper's website from Markdown articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False)

# Below this many steps a build is too quick for a progress bar to help.
PROGRESS_THRESHOLD = 200

SourceOption = Annotated[
    Path, typer.Option("--source", "-s", help="The site's folder (holding content/).",
                       file_okay=False)]


class ConsoleReporter(Reporter):
    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet

    @contextmanager
    def progress(self, description: str, total: int) -> Iterator[Callable[[int], None]]:
        if self.quiet or total < PROGRESS_THRESHOLD or not err.is_terminal:
            yield lambda advance: None
            return
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn())
        with Progress(*columns, console=err, transient=True) as bar:
            task = bar.add_task(description, total=total)
            yield lambda advance: bar.advance(task, advance)

    def warning(self, warning: SitegenError) -> None:
        err.print(f"[yellow]warning:[/] {warning}", markup=True, soft_wrap=True)


def report_errors(errors: list[SitegenError]) -> None:
    for error in errors:
        err.print(f"[red]error:[/] {_escape(str(error))}", soft_wrap=True)
    count = len(errors)
    err.print(f"{count} error{'s' if count != 1 else ''}; nothing was written.")


def _escape(text: str) -> str:
    return text.replace("[", "\\[")


@contextmanager
def exit_codes() -> Iterator[None]:
    """Turn sitegen's errors into messages and exit codes, never a traceback."""
    try:
        yield
    except BuildFailed as exc:
        report_errors(exc.errors)
        raise typer.Exit(1) from None
    except UsageError as exc:
        err.print(f"[red]error:[/] {_escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(2) from None
    except SitegenError as exc:
        report_errors([exc])
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        err.print("Stopped.")
        raise typer.Exit(130) from None
    except OSError as exc:
        err.print(f"[red]error:[/] {_escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(1) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sitegen {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """sitegen: build a school newspaper's website from Markdown articles."""


@app.command("build")
def build_command(
    source: SourceOption = Path("."),
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Where to write the site (default: _site in the site's folder).",
    )] = None,
    base_url: Annotated[str | None, typer.Option("--base-url", help="The URL the site will be "
                                                 "served from, e.g. https://org.github.io/paper/ "
                                                 "(overrides sitegen.toml).")] = None,
    drafts: Annotated[bool, typer.Option("--drafts", help="Include draft articles.")] = False,
    future: Annotated[bool, typer.Option("--future", help="Include articles dated in the "
                                         "future.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
) -> None:
    """Build the site into a folder, ready to publish."""
    with exit_codes():
        options = BuildOptions(output=output, base_url=base_url, drafts=drafts, future=future)
        result = build(source, options, ConsoleReporter(quiet))
        if not quiet:
            where = os.path.relpath(result.output)
            err.print(f"Built {result.pages} pages and copied {result.files} files from "
                      f"{result.articles} articles in {result.seconds:.2f} s -> {where}",
                      soft_wrap=True, highlight=False, markup=False)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
