"""``casegraph new-case``: the folder a curator fills in."""

from __future__ import annotations

import re
from pathlib import Path

from casegraph import paths

TEMPLATE = Path(__file__).with_name("case_template.trig")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def scaffold_case(slug: str, cases_dir: Path | None = None) -> Path:
    """Create ``<cases_dir>/<slug>/`` with a commented case.trig and an empty source.txt.

    Refuses a slug that is not a readable ASCII slug (it becomes part of every
    IRI of the case) and never overwrites an existing case.
    """
    if not SLUG.match(slug):
        raise ValueError(f"slug {slug!r}: use lower-case ASCII words joined by hyphens")
    folder = (cases_dir or paths.CASES_DIR) / slug
    if folder.exists():
        raise FileExistsError(f"{folder} exists: pick another slug or edit that case")
    folder.mkdir(parents=True)
    (folder / "case.trig").write_text(
        TEMPLATE.read_text(encoding="utf-8").replace("{slug}", slug), encoding="utf-8"
    )
    (folder / "source.txt").write_text("", encoding="utf-8")
    return folder
