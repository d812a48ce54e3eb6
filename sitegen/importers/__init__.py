"""``sitegen import``: bring an archive from Jekyll, Hugo or a WordPress export into a site.

source (a Jekyll or Hugo folder, a WXR file) -> reader -> [SourcePost]
  -> plan (section, slug, bylines, tags, old URLs) -> compose (body -> Markdown, files placed)
  -> write: content/<section>/<slug>.md + the files next to it, only what changed
  -> ImportReport (import-report-<kind>.md in the site, and a summary)

Nothing is downloaded, nothing is written outside the site's ``content/`` (but the report,
beside it), and an article someone edited since the last import is left as it is.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from sitegen.config import load_config
from sitegen.errors import UsageError
from sitegen.importers import hugo, jekyll, wordpress
from sitegen.importers.compose import compose
from sitegen.importers.media import Files
from sitegen.importers.plan import Article, parse_section_map, plan, refs_of, targets_of
from sitegen.importers.report import ArticleReport, Fix, ImportReport
from sitegen.importers.source import ImportFailed, SourceSite

__all__ = ["KINDS", "ImportFailed", "ImportReport", "run_import"]

READERS: dict[str, Callable[..., SourceSite]] = {
    "jekyll": jekyll.read_site,
    "hugo": hugo.read_site,
    "wordpress": wordpress.read_export,
}
KINDS = tuple(READERS)


def run_import(kind: str, source: Path, site: Path, *,
               section_map: Mapping[str, str] | Sequence[str] = (), dry_run: bool = False,
               uploads: Path | None = None, now: dt.datetime | None = None) -> ImportReport:
    """Import ``source`` (a Jekyll or Hugo site's folder, or a WordPress export file) into the
    sitegen site at ``site``. ``uploads``: for WordPress, a copy of the old site's
    ``wp-content/uploads`` folder (default: ``uploads/`` next to the export file). Raises
    UsageError (bad arguments, unreadable source) or BuildFailed (the site's sitegen.toml)."""
    if kind not in READERS:
        raise UsageError(f'cannot import "{kind}": choose one of {", ".join(KINDS)}')
    if not site.is_dir():
        raise UsageError(f"{site}: no such folder (the site to import into)")
    config = load_config(site)
    overrides = parse_section_map(section_map, config)
    now = now or dt.datetime.now(dt.UTC)
    options = {"uploads": uploads} if kind == "wordpress" else {}
    if uploads is not None and kind != "wordpress":
        raise UsageError("--uploads is for WordPress exports only")
    source_site = READERS[kind](source, config.zone, **options)

    articles, sections = plan(source_site, config, overrides)
    targets, refs = targets_of(articles, now), refs_of(articles, now)
    files = Files()
    content_dir = config.content_dir
    for article in articles:
        compose(article, source_site, files, content_dir, targets, refs)

    report = ImportReport(kind=kind, source=source_site.name, site=site, dry_run=dry_run,
                          skipped=sorted(source_site.skipped), notes=source_site.notes)
    for article in sorted(articles, key=lambda a: a.rel):
        article.outcome = _settle(article, content_dir, dry_run)
        report.articles.append(_article_report(article))
        if article.outcome != "kept":
            report.fixes += [Fix(f"content/{article.rel}", line, message)
                             for line, message in article.fixes]
        else:
            report.fixes.append(Fix(f"content/{article.rel}", 1, _kept_message(article)))
    report.fixes.sort(key=lambda fix: (fix.path, fix.line, fix.message))
    report.sections = sorted(
        [(category, choice.section, choice.how) for category, choice in sections.used.items()]
        + [(category, key, "no section matches: the first section; choose one with "
                           f'--section-map "{category}=..."')
           for category, key in sections.unmatched.items()],
        key=lambda row: (row[0].casefold(), row[0]))

    if not dry_run:
        for article in articles:
            if article.outcome in ("written", "unchanged"):
                report.files_written += _write_files(article, content_dir)
        report.report_path = site / f"import-report-{kind}.md"
        report.files_written += _write_if_changed(report.report_path,
                                                  report.markdown().encode("utf-8"))
    return report


def _kept_message(article: Article) -> str:
    return ("this file exists and is not what the import would write (edited since, or not "
            f"from this import): it was left as it is; {article.post.origin} was not imported. "
            "Delete or rename the file to import the post again.")


def _article_report(article: Article) -> ArticleReport:
    return ArticleReport(
        path=f"content/{article.rel}", origin=article.post.origin, title=article.post.title,
        section=article.section.section, section_how=article.section.how,
        category=article.section.category, authors=article.authors, draft=article.post.draft,
        aliases=article.aliases, converted=dict(article.log.converted), notes=article.notes,
        images=len(article.copies), outcome=article.outcome)


def _target(content_dir: Path, rel: str) -> Path:
    """``content/rel``, refusing anything that would land outside ``content/``."""
    path = content_dir / rel
    if ".." in Path(rel).parts or Path(rel).is_absolute():
        raise UsageError(f"refusing to write {rel}: outside content/")
    real_content = content_dir.resolve()
    if not path.parent.resolve().is_relative_to(real_content) or path.is_symlink():
        raise UsageError(f"refusing to write content/{rel}: it leads outside content/")
    return path


def _settle(article: Article, content_dir: Path, dry_run: bool) -> str:
    """written / unchanged / kept (exists and differs) / would write."""
    path = _target(content_dir, article.rel)
    if path.exists() or path.is_symlink():
        if not path.is_file() or path.is_symlink():
            return "kept"
        return "unchanged" if path.read_bytes() == article.text.encode("utf-8") else "kept"
    return "would write" if dry_run else "written"


def _write_files(article: Article, content_dir: Path) -> int:
    written = 0
    for copy in article.copies:
        dest = _target(content_dir, copy.dest.relative_to(content_dir).as_posix())
        written += _write_if_changed(dest, copy.source.read_bytes())
    written += _write_if_changed(_target(content_dir, article.rel),
                                 article.text.encode("utf-8"))
    return written


def _write_if_changed(path: Path, data: bytes) -> int:
    """Write atomically, and only when the bytes differ: an unchanged file keeps its mtime."""
    if path.is_file() and path.read_bytes() == data:
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".import-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return 1
