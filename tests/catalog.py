"""The UI strings of the source as it is now, extracted the way `make extract` does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def extract(directory: Path) -> Catalog:
    """Extract every message of the source into `directory` and read it back (not the committed
    template, which may lag behind)."""
    pot = directory / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", str(ROOT / "babel.cfg"),
         "-k", "_l", "-k", "lazy_gettext", "-k", "lazy_ngettext:1,2", "--no-location", "-o", str(pot), "."],
        check=True,
        cwd=ROOT,
    )  # fmt: skip
    with pot.open("rb") as handle:
        return read_po(handle)
