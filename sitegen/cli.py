"""The ``sitegen`` command: maps flags to calls and errors to exit codes, nothing else.

Exit codes: 0 success, 1 content errors (with every error listed), 2 usage errors.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape as escape_markup
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
JobsOption = Annotated[
    int, typer.Option("--jobs", "-j", min=0, help="How many cores render stories and pages "
                      "and encode photos (default: all of them; 1 for debugging). The output "
                      "is the same whatever the number.")]


class ConsoleReporter(Reporter):
    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet

    @contextmanager
    def progress(self, description: str, total: int,
                 slow: bool = False) -> Iterator[Callable[[int], None]]:
        if self.quiet or total < (2 if slow else PROGRESS_THRESHOLD) or not err.is_terminal:
            yield lambda advance: None
            return
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn())
        with Progress(*columns, console=err, transient=True) as bar:
            task = bar.add_task(description, total=total)
            yield lambda advance: bar.advance(task, advance)

    def warning(self, warning: SitegenError) -> None:
        err.print(f"[yellow]warning:[/] {_escape(str(warning))}", markup=True, soft_wrap=True)


def report_errors(errors: list[SitegenError]) -> None:
    for error in errors:
        err.print(f"[red]error:[/] {_escape(str(error))}", soft_wrap=True)
    count = len(errors)
    err.print(f"{count} error{'s' if count != 1 else ''}; nothing was written.")


def _escape(text: str) -> str:
    """Show a message as written: a file may be named ``[draft] x.md`` or ``a\\[b].md``."""
    return escape_markup(text)


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
    watch: Annotated[bool, typer.Option("--watch", "-w", help="Keep running and rebuild "
                                        "whenever a file changes.")] = False,
    poll: Annotated[bool, typer.Option("--poll", help="With --watch: check files by polling "
                                       "(for WSL, network drives, VMs).")] = False,
    jobs: JobsOption = 0,
    clean: Annotated[bool, typer.Option("--clean", help="Ignore what earlier builds left in "
                                        "the build cache (.sitegen/) and build from scratch.",
                                        )] = False,
) -> None:
    """Build the site into a folder, ready to publish."""
    with exit_codes():
        options = BuildOptions(output=output, base_url=base_url, drafts=drafts, future=future,
                               jobs=jobs, clean=clean)
        if watch:
            from sitegen.output import check_output_dir
            from sitegen.watch import run_watch

            out = output or source / "_site"
            check_output_dir(source, out)
            _stop_on_terminate()
            try:
                run_watch(source, options, out, poll=poll, say=_say, report=_report_build_errors,
                          reporter=ConsoleReporter(quiet))
            except KeyboardInterrupt:
                err.print("Stopped.")
            return
        # A build makes millions of objects that live to its end: collecting young ones
        # less often saves about a tenth of a large build, for a few MiB.
        gc.set_threshold(50_000, 50, 100)
        result = build(source, options, ConsoleReporter(quiet))
        if not quiet:
            where = os.path.relpath(result.output)
            err.print(f"Built {result.pages} pages and copied {result.files} files from "
                      f"{result.articles} articles in {result.seconds:.2f} s -> {where}",
                      soft_wrap=True, highlight=False, markup=False)


def _stop_on_terminate() -> None:
    """SIGTERM stops a watching process as cleanly as Ctrl-C does."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def _report_build_errors(errors: list[SitegenError]) -> None:
    for error in errors:
        err.print(f"[red]error:[/] {_escape(str(error))}", soft_wrap=True)


@app.command("serve")
def serve_command(
    source: SourceOption = Path("."),
    port: Annotated[int, typer.Option("--port", "-p", help="The port to listen on (0: any free "
                                      "port).", min=0, max=65535)] = 8000,
    bind: Annotated[str, typer.Option("--bind", help="The address to listen on. Anything but "
                                      "127.0.0.1 lets other machines see your drafts.")
                    ] = "127.0.0.1",
    base_url: Annotated[str | None, typer.Option("--base-url", help="Preview as if served "
                                                 "from this URL (its path is kept).")] = None,
    drafts: Annotated[bool, typer.Option("--drafts", help="Include draft articles.")] = False,
    future: Annotated[bool, typer.Option("--future", help="Include articles dated in the "
                                         "future.")] = False,
    poll: Annotated[bool, typer.Option("--poll", help="Check files by polling (for WSL, "
                                       "network drives, VMs).")] = False,
    jobs: JobsOption = 0,
) -> None:
    """Build, serve on http://127.0.0.1:8000/ with live reload, and rebuild on every change."""
    from sitegen.serve import serve

    with exit_codes():
        if bind not in ("127.0.0.1", "localhost", "::1"):
            err.print(f"[yellow]warning:[/] serving on {bind}: other machines on the network "
                      "can see this preview, drafts included.")
        options = BuildOptions(base_url=base_url, drafts=drafts, future=future, jobs=jobs)
        _stop_on_terminate()
        serve(source, options, bind=bind, port=port, poll=poll, say=_say,
              report=_report_build_errors, reporter=ConsoleReporter(quiet=True))
        err.print("Stopped.")


# init, new, check, import, deploy and digest import their modules when run, so `sitegen build`
# starts fast.


def _say(text: str) -> None:
    err.print(text, soft_wrap=True, highlight=False, markup=False)


def _interactive() -> bool:
    return sys.stdin.isatty()


@app.command("init")
def init_command(
    folder: Annotated[Path, typer.Argument(help="Where to create the publication (made if "
                                           "missing; default: the current folder).")] = Path("."),
    title: Annotated[str | None, typer.Option("--title", help="The paper's name.")] = None,
    base_url: Annotated[str | None, typer.Option(
        "--base-url", help="Where the site will live, e.g. https://<user>.github.io/<repo>/.")
    ] = None,
    timezone: Annotated[str | None, typer.Option(
        "--timezone", help='The paper\'s timezone, e.g. "Asia/Seoul" (default: this '
                           "computer's).")] = None,
    sections: Annotated[list[str] | None, typer.Option(
        "--section", help="A section as key=Name, e.g. --section news=News; repeat it for each "
                          "section, in navigation order (default: a newsroom's usual eight).")
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Take the defaults for anything not "
                                      "given, without asking.")] = False,
) -> None:
    """Create a new publication: sitegen.toml, a sample article, and the GitHub Pages workflow."""
    import datetime as dt

    from sitegen import scaffold
    from sitegen.config import DEFAULT_SECTIONS
    from sitegen.deploy import Git, pages_url

    with exit_codes():
        scaffold.check_new_folder(folder)
        chosen = tuple(scaffold.parse_section(text) for text in sections or ())
        ask = not yes and _interactive()
        if title is None:
            title = typer.prompt("Name of the paper", default=scaffold.DEFAULT_TITLE) if ask \
                else scaffold.DEFAULT_TITLE
        if base_url is None:
            remote = Git(folder).run("remote", "get-url", "origin", check=False).stdout.strip() \
                if folder.is_dir() else ""
            guessed = pages_url(remote) or scaffold.DEFAULT_BASE_URL
            base_url = typer.prompt("Address of the site (e.g. https://<user>.github.io/<repo>/)",
                                    default=guessed) if ask else guessed
        if timezone is None:
            timezone = scaffold.local_timezone()
            if ask:
                timezone = typer.prompt("Timezone", default=timezone)
        if not chosen and ask:
            default = ", ".join(f"{s.key}={s.name}" for s in DEFAULT_SECTIONS)
            answer = typer.prompt("Sections, in navigation order (key=Name, separated by commas)",
                                  default=default)
            chosen = tuple(scaffold.parse_section(part) for part in answer.split(",")
                           if part.strip())
        publication = scaffold.NewPublication(title=title, base_url=base_url, timezone=timezone,
                                              sections=chosen or DEFAULT_SECTIONS)
        written = scaffold.init_site(folder, publication, now=dt.datetime.now(dt.UTC))
    for path in written:
        _say(f"  wrote {os.path.relpath(path)}")
    where = "" if folder.resolve() == Path.cwd().resolve() else f"cd {folder} && "
    _say(f"\nYour publication is ready. Next: {where}sitegen build, then push it to GitHub and "
         'set Settings -> Pages -> Source to "GitHub Actions".')
    requirement = (folder / scaffold.REQUIREMENTS).read_text(encoding="utf-8")
    if scaffold.SITEGEN_SOURCE in requirement:
        _say(f"Before you push: {scaffold.REQUIREMENTS} must say where GitHub can install "
             "sitegen from (this sitegen came from a file or folder on this computer); replace "
             "<owner> in it with the GitHub account that holds sitegen.")


@app.command("new")
def new_command(
    title: Annotated[str, typer.Argument(help="The headline.")],
    section: Annotated[str, typer.Option("--section", help="The section's key, e.g. news.")],
    author: Annotated[str, typer.Option("--author", "-a", help="The reporter's name.")],
    grade: Annotated[int | None, typer.Option("--grade", "-g", help="The reporter's grade.")
                     ] = None,
    slug: Annotated[str | None, typer.Option("--slug", help="The file name and URL (default: "
                                             "made from the title).")] = None,
    draft: Annotated[bool, typer.Option("--draft", help="Mark it a draft (not published).")
                     ] = False,
    source: SourceOption = Path("."),
) -> None:
    """Write a new article with its front matter filled in, and print its path."""
    import datetime as dt

    from sitegen.scaffold import NewArticle, new_article

    with exit_codes():
        wanted = NewArticle(title=title, section=section, author=author, grade=grade,
                            slug=slug or "", draft=draft)
        path = new_article(source, wanted, now=dt.datetime.now(dt.UTC))
    typer.echo(os.path.relpath(path))


@app.command("check")
def check_command(
    source: SourceOption = Path("."),
    base_url: Annotated[str | None, typer.Option("--base-url", help="Check links as served "
                                                 "from this URL (overrides sitegen.toml).")
                        ] = None,
    drafts: Annotated[bool, typer.Option("--drafts", help="Include draft articles.")] = False,
    future: Annotated[bool, typer.Option("--future", help="Include articles dated in the "
                                         "future.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print problems only.")] = False,
    strict: Annotated[bool, typer.Option("--strict", envvar="SITEGEN_STRICT", help="Fail "
                                         "(exit code 1) on warnings too.")] = False,
    jobs: JobsOption = 0,
) -> None:
    """Check articles, links, images and alt text, without writing the site.

    Editorial checks add warnings: a lead photo without a caption or credit, a one-word
    byline, a very short story, a quoted student without a grade, a skipped heading level,
    a file name as alt text, a summary too long for a card. Warnings do not fail the check
    unless --strict is given. In GitHub Actions, problems also show as annotations on the
    pull request's diff.
    """
    from sitegen.check import annotation, run_check

    with exit_codes():
        options = BuildOptions(base_url=base_url, drafts=drafts, future=future, jobs=jobs)
        report = run_check(source, options, ConsoleReporter(quiet))
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for level, problems in (("error", report.errors), ("warning", report.warnings)):
            for problem in problems:
                typer.echo(annotation(level, problem, source))
    for problem in report.errors:
        err.print(f"[red]error:[/] {_escape(str(problem))}", soft_wrap=True)
    warned = _count(len(report.warnings), "warning")
    if report.errors:
        _say(_count(len(report.errors), "error") + (f" and {warned}" if report.warnings else "")
             + ".")
        raise typer.Exit(1)
    if strict and report.warnings:
        _say(f"No errors, but {warned}, and --strict fails the check on warnings.")
        raise typer.Exit(1)
    if not quiet:
        _say(f"Checked {report.pages} pages from {report.articles} articles: no errors"
             + (f", {warned}." if report.warnings else "."))


def _count(number: int, what: str) -> str:
    return f"{number} {what}{'s' if number != 1 else ''}"


@app.command("import")
def import_command(
    kind: Annotated[str, typer.Argument(help="What the archive comes from: jekyll, hugo or "
                                        "wordpress.", metavar="jekyll|hugo|wordpress")],
    source: Annotated[Path, typer.Argument(
        help="The Jekyll or Hugo site's folder, or the WordPress export file (.xml, from "
             "Tools -> Export).")],
    site: Annotated[Path, typer.Option("--site", help="The sitegen site to import into "
                                       "(default: the current folder).", file_okay=False)
                    ] = Path("."),
    section_map: Annotated[list[str] | None, typer.Option(
        "--section-map", help='Put a category in a section: --section-map "Campus News=news"; '
                              "repeat it for each category.")] = None,
    uploads: Annotated[Path | None, typer.Option(
        "--uploads", help="WordPress: a copy of the old site's wp-content/uploads folder "
                          "(default: uploads/ next to the export file). Nothing is downloaded.",
        file_okay=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be imported; "
                                          "write nothing.")] = False,
) -> None:
    """Bring an archive from Jekyll, Hugo or a WordPress export into the site.

    Writes import-report-<kind>.md: what was converted, and what to fix by hand (file:line).
    """
    from sitegen.importers import run_import

    with exit_codes():
        report = run_import(kind, source, site, section_map=section_map or [],
                            dry_run=dry_run, uploads=uploads)
    _say(report.summary())
    for fix in report.fixes[:10]:
        err.print(f"[yellow]fix:[/] {_escape(str(fix))}", soft_wrap=True)
    if len(report.fixes) > 10:
        where = report.report_path.name if report.report_path else "the report"
        _say(f"... and {len(report.fixes) - 10} more in {where}")


@app.command("deploy")
def deploy_command(
    source: SourceOption = Path("."),
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="The built site to publish (default: _site).")] = None,
    base_url: Annotated[str | None, typer.Option("--base-url", help="The URL the site will be "
                                                 "served from (overrides sitegen.toml).")
                        ] = None,
    remote: Annotated[str, typer.Option("--remote", "-r", help="The git remote to push to.")
                      ] = "origin",
    branch: Annotated[str, typer.Option("--branch", "-b", help="The branch GitHub Pages "
                                        "serves.")] = "gh-pages",
    message: Annotated[str, typer.Option("--message", "-m", help="The commit message.")] = "",
    build_first: Annotated[bool, typer.Option("--build/--no-build", help="Build the site first "
                                              "(default), or publish the folder as it is.")
                           ] = True,
    push: Annotated[bool, typer.Option("--push/--no-push", help="Push the branch (default), or "
                                       "only commit it here.")] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
    jobs: JobsOption = 0,
) -> None:
    """Publish the site to a gh-pages branch (Pages' "Deploy from a branch").

    Your own branch, index and uncommitted changes are never touched.
    """
    from urllib.parse import urlsplit

    from sitegen.config import load_config
    from sitegen.deploy import DeployError, deploy, preflight

    out = output or source / "_site"
    with exit_codes():
        preflight(source, remote=remote, branch=branch, push=push)
        config = load_config(source)
        if base_url is not None:
            config = config.with_base_url(base_url)
        if build_first:
            build(source, BuildOptions(output=out, base_url=base_url, jobs=jobs),
                  ConsoleReporter(quiet))
        try:
            result = deploy(source, out, config, remote=remote, branch=branch, message=message,
                            push=push)
        except DeployError as exc:
            err.print(f"[red]error:[/] {_escape(str(exc))}", soft_wrap=True)
            raise typer.Exit(1) from None
    served = urlsplit(result.url).path or "/"
    if result.url and served != config.base_path:
        err.print("[yellow]warning:[/] " + _escape(
            f"the site was built for {config.base_path} but will be served under {served}: "
            f'set base_url = "{result.url}" in sitegen.toml (or pass --base-url)'),
            soft_wrap=True)
    if quiet:
        return
    short = result.commit[:7]
    if result.committed:
        _say(f"Committed {short} to {branch}" + (f" and pushed it to {remote}." if result.pushed
                                                 else " (not pushed)."))
    else:
        _say(f"Nothing changed since the last deploy ({short})"
             + (f"; pushed {branch} to {remote}." if result.pushed else "; nothing to push."))
    if result.url:
        _say(f"The site will appear at {result.url}")
    _say(f'(On GitHub: Settings -> Pages -> "Deploy from a branch", branch {branch}, folder /.)')


@app.command("digest")
def digest_command(
    folder: Annotated[Path, typer.Argument(help="The built site (default: _site).")
                      ] = Path("_site"),
) -> None:
    """Print one fingerprint of a built site: it changes when any file's name or bytes do.

    The GitHub Pages workflow publishes it with the site, so the hourly run publishes only
    when the new build differs from the live site.
    """
    from sitegen.digest import site_digest

    with exit_codes():
        digest = site_digest(folder)
    typer.echo(digest)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
