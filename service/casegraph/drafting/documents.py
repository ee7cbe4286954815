"""Read a case document — plain text, Word, a web page or a PDF — into text.

The libraries, chosen for being maintained, pure Python or wheel-installed, and
offline:

* ``.docx``: python-docx (the reference reader of the format; paragraphs in
  document order, tables' cells after them);
* ``.html``: trafilatura, the main-text extractor with the best published
  precision on news pages, which leaves out navigation, comments and footers;
  the page's canonical address (or the one given) is kept as the source;
* ``.pdf``: pypdf, the text layer only (a scanned PDF without one is refused,
  not guessed at by OCR).

The text is returned as read; ``draft_case`` applies the repair of damaged text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class DocumentError(ValueError):
    """A document that cannot be read: the file and what is wrong with it."""


@dataclass
class Document:
    text: str
    source: str | None = None  # the page's address, for dcterms:source


def read_document(path: Path, data: bytes | None = None) -> Document:
    """The text of ``path`` (or of ``data`` named like ``path``), by its extension."""
    suffix = path.suffix.lower()
    raw = data if data is not None else path.read_bytes()
    if suffix in {".txt", ".text", ".md", ""}:
        try:
            return Document(raw.decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            raise DocumentError(
                f"{path}: not UTF-8 text ({error.reason} at byte {error.start})"
            ) from error
    if suffix == ".docx":
        return Document(_docx(path, raw))
    if suffix in {".html", ".htm"}:
        return _html(path, raw)
    if suffix == ".pdf":
        return Document(_pdf(path, raw))
    raise DocumentError(f"{path}: unsupported document type {suffix!r} (use .txt, .docx, .html or .pdf)")


def _docx(path: Path, raw: bytes) -> str:
    import io
    import zipfile

    import docx

    try:
        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise DocumentError(f"{path}: not a Word .docx document ({error})") from error
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines).strip() + "\n"


def _html(path: Path, raw: bytes) -> Document:
    import trafilatura

    metadata = trafilatura.extract_metadata(raw)
    text = trafilatura.extract(raw, include_comments=False, include_tables=True, favor_precision=True)
    if not text:
        raise DocumentError(f"{path}: no main text found in the page")
    source = metadata.url if metadata is not None and metadata.url else None
    return Document(text.strip() + "\n", source)


def _pdf(path: Path, raw: bytes) -> str:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(raw))
        pages = [page.extract_text() or "" for page in reader.pages]
    except PdfReadError as error:
        raise DocumentError(f"{path}: not a readable PDF ({error})") from error
    text = "\n".join(pages).strip()
    if not text:
        raise DocumentError(f"{path}: the PDF has no text layer (scanned pages are not read)")
    return text + "\n"
