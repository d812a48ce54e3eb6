"""What an import did and what a person must still do: a Markdown file in the site, and a
short summary for the terminal. The file holds only what the same import would decide
again, so running the import twice leaves it byte for byte the same."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

KIND_NAMES = {"jekyll": "Jekyll", "hugo": "Hugo", "wordpress": "WordPress"}


@dataclass
class Fix:
    path: str  # site-relative: content/news/x.md
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class ArticleReport:
    path: str  # content/news/x.md
    origin: str
    title: str
    section: str
    section_how: str
    category: str
    authors: list[str]
    draft: bool
    aliases: list[str]
    converted: dict[str, int]
    notes: list[str]
    images: int  # files placed next to it
    outcome: str  # written, unchanged, kept, or "would write" in a dry run


@dataclass
class ImportReport:
    kind: str
    source: str  # the source's name (folder or file), not its path: the report moves with it
    site: Path
    dry_run: bool = False
    articles: list[ArticleReport] = field(default_factory=list)
    fixes: list[Fix] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    sections: list[tuple[str, str, str]] = field(default_factory=list)  # category, key, how
    notes: list[str] = field(default_factory=list)
    files_written: int = 0  # this run: articles, copies and the report
    report_path: Path | None = None

    @property
    def drafts(self) -> int:
        return sum(a.draft for a in self.articles)

    @property
    def images(self) -> int:
        return sum(a.images for a in self.articles if a.outcome != "kept")

    @property
    def aliases(self) -> int:
        return sum(len(a.aliases) for a in self.articles if a.outcome != "kept")

    @property
    def kept(self) -> list[ArticleReport]:
        return [a for a in self.articles if a.outcome == "kept"]

    def count(self, outcome: str) -> int:
        return sum(a.outcome == outcome for a in self.articles)

    def markdown(self) -> str:
        name = KIND_NAMES.get(self.kind, self.kind)
        out = [f"# Import from {name}: {self.source}", "",
               "Written by `sitegen import`. Running the same import again changes nothing; "
               "an article you have edited since is kept as you left it.", "",
               "| | |", "| --- | --- |",
               f"| articles | {len(self.articles) - len(self.kept)} |",
               f"| drafts among them | {self.drafts} |",
               f"| images and files copied | {self.images} |",
               f"| old URLs kept as aliases | {self.aliases} |",
               f"| not imported | {len(self.skipped) + len(self.kept)} |",
               f"| to fix by hand | {len(self.fixes)} |", ""]
        out += ["## To fix by hand", ""]
        out += [f"- `{fix.path}:{fix.line}`: {' '.join(fix.message.split())}"
                for fix in self.fixes] or ["None."]
        out.append("")
        if self.sections:
            out += ["## Categories and sections", "", "| category | section | why |",
                    "| --- | --- | --- |"]
            out += [f"| {_cell(category)} | {key} | {_cell(how)} |"
                    for category, key, how in self.sections]
            out.append("")
        if self.skipped:
            out += ["## Not imported", ""]
            out += [f"- {origin}: {' '.join(why.split())}" for origin, why in self.skipped]
            out.append("")
        if self.notes:
            out += ["## Notes", ""]
            out += [f"- {note}" for note in self.notes]
            out.append("")
        out += ["## Articles", ""]
        for article in self.articles:
            out += [f"### `{article.path}`", "",
                    f"- from {article.origin}: {article.title}",
                    f"- section {article.section} ({article.section_how}"
                    + (f', category "{article.category}"' if article.category else "") + ")",
                    "- by " + ", ".join(article.authors)]
            if article.draft:
                out.append("- draft")
            if article.aliases:
                out.append("- old URLs: " + ", ".join(f"`{a}`" for a in article.aliases))
            if article.converted:
                out.append("- converted: " + ", ".join(
                    f"{what} ({count})" if count > 1 else what
                    for what, count in sorted(article.converted.items())))
            out += [f"- {note}" for note in article.notes]
            if article.outcome == "kept":
                out.append("- **not written**: the file exists and differs from the import")
            out.append("")
        return "\n".join(out).rstrip("\n") + "\n"

    def summary(self) -> str:
        """A few lines for the terminal."""
        name = KIND_NAMES.get(self.kind, self.kind)
        verb = "Would import" if self.dry_run else "Imported"
        files = _count(self.images, "image or file", "images and files")
        lines = [f"{verb} {_count(len(self.articles) - len(self.kept), 'article')} from {name} "
                 f"({_count(self.drafts, 'draft')}), {files}, "
                 f"{_count(self.aliases, 'old URL')} as aliases."]
        if self.dry_run:
            lines.append("Dry run: nothing was written.")
        else:
            lines.append(f"{_count(self.count('written'), 'article')} written, "
                         f"{self.count('unchanged')} already up to date; "
                         f"{_count(self.files_written, 'file')} written in all.")
        if self.kept:
            lines.append(f"{len(self.kept)} not written: the file exists and differs "
                         "(see the report).")
        if self.skipped:
            lines.append(f"{_count(len(self.skipped), 'item')} of the source not imported.")
        if self.fixes:
            where = f": see {self.report_path.name}" if self.report_path else ""
            lines.append(f"{_count(len(self.fixes), 'thing')} to fix by hand{where}.")
        elif self.report_path:
            lines.append(f"Nothing to fix by hand; the report is {self.report_path.name}.")
        return "\n".join(lines)


def _count(number: int, one: str, many: str = "") -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
