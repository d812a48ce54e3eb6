"""One fingerprint of a built site, so a scheduled run can tell whether it differs from the
site that is live.

The GitHub Pages workflow writes the digest of what it built into the site as
``sitegen-digest.txt``; the hourly run compares the new digest with the one the live site
serves and publishes only when they differ. The digest hashes every file's path and bytes,
in sorted order, and nothing else (no file times), so two builds of the same sources on the
same day give the same digest.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from sitegen.errors import UsageError
from sitegen.output import MARKER

# Where the workflow puts the digest, at the top of the site: a plain name, because the
# Pages upload leaves out files whose names start with a dot.
DIGEST_FILE = "sitegen-digest.txt"

# Top-level files left out of the digest: the build's marker (never published) and the
# digest itself (written after the digest is taken).
IGNORED = frozenset({MARKER, DIGEST_FILE})


def site_digest(folder: Path) -> str:
    """The blake2b digest (hex) of every file under ``folder``: each relative path and its
    bytes, in sorted path order."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is not a folder: give the built site's folder, e.g. _site")
    if not folder.is_dir():
        raise UsageError(f"{folder} does not exist: build the site first (sitegen build)")
    files = sorted((os.fsencode(path.relative_to(folder).as_posix()), path)
                   for path in folder.rglob("*")
                   if path.is_file() and path.relative_to(folder).as_posix() not in IGNORED)
    total = hashlib.blake2b(digest_size=32)
    for name, path in files:
        with path.open("rb") as file:
            content = hashlib.file_digest(file, "blake2b").digest()
        # A path never holds a NUL byte and every content digest is 64 bytes long, so no
        # two different sites can feed the same bytes into the total.
        total.update(name + b"\0" + content)
    return total.hexdigest()
