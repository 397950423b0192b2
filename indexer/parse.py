"""One file → one `Document`, or an `InputError` naming the file and the reason.

Text exports (.txt, .md) go through `parse_text`, PDFs through `parse_pdf`; both fill a
`DocBuilder`. Checks come first and are cheap: extension, size, emptiness, encoding, encryption,
damage, and whether a PDF has a text layer at all (a page without one is read by OCR,
indexer/ocr.py).
"""

from __future__ import annotations

import hashlib
import logging
import warnings as py_warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
from pypdf import PasswordType, PdfReader
from pypdf.errors import PdfReadError

from indexer import minutes, ocr, parse_pdf, pdf_lines
from indexer.blocks import DocBuilder
from indexer.conflicts import mark_conflicts
from indexer.errors import (
    CorruptPdfError,
    EmptyFileError,
    EncodingError,
    EncryptedPdfError,
    FileTooLargeError,
    InputError,
    NoTextLayerError,
    UnsupportedFileError,
)
from indexer.metadata import resolve_meta
from indexer.models import Document, document_id
from indexer.parse_ahjo import parse_decisions
from indexer.parse_text import parse_text

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
PDF_SUFFIXES = (".pdf",)
RECORD_SUFFIXES = (".json",)  # decision records (Helsinki's Ahjo API): one document a record
SUPPORTED = TEXT_SUFFIXES + PDF_SUFFIXES + RECORD_SUFFIXES
PARSER_VERSION = "32"  # bump when parsing changes, so cached documents are parsed again


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def parse_source(
    path: Path, rel_path: str, entry: dict[str, str] | None, max_bytes: int, sha: str = ""
) -> list[Document]:
    """Every document of one corpus file: a report gives one, a file of decision records one
    a record. Raises an `InputError` subclass naming `rel_path` and the reason."""
    _check_file(path, rel_path, max_bytes)
    if path.suffix.lower() in RECORD_SUFFIXES:
        return parse_decisions(path, rel_path, sha or sha256_file(path))
    return [_parse_report(path, rel_path, entry, sha)]


def _check_file(path: Path, rel_path: str, max_bytes: int) -> None:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise UnsupportedFileError(
            rel_path, f"unsupported file type '{suffix or '(none)'}'; use PDF, .txt, .md or "
            "a .json file of decision records"
        )
    size = path.stat().st_size
    if size == 0:
        raise EmptyFileError(rel_path, "the file is empty (0 bytes)")
    if size > max_bytes:
        raise FileTooLargeError(
            rel_path, f"{size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit "
            "(KUNTAHAKU_MAX_FILE_MB)"
        )


def parse_file(
    path: Path, rel_path: str, entry: dict[str, str] | None, max_bytes: int, sha: str = ""
) -> Document:
    """Parse one report. Raises an `InputError` subclass naming `rel_path` and the reason."""
    _check_file(path, rel_path, max_bytes)
    if path.suffix.lower() in RECORD_SUFFIXES:
        raise UnsupportedFileError(rel_path, "a file of decision records holds many documents; "
                                             "read it with parse_source")
    return _parse_report(path, rel_path, entry, sha)


def _parse_report(path: Path, rel_path: str, entry: dict[str, str] | None, sha: str) -> Document:
    suffix = path.suffix.lower()
    doc_id = document_id(rel_path)
    library: list[str] = []
    if suffix in TEXT_SUFFIXES:
        builder = _text_builder(path, rel_path, doc_id)
    else:
        with _library_warnings(library):
            builder = _pdf_builder(path, rel_path, doc_id, library)
    text = builder.text()
    if not text.strip():
        raise EmptyFileError(rel_path, "no text found in the file")
    # running headers ("Testilän kaupunki – Osavuosikatsaus") often carry the metadata
    meta, warnings = resolve_meta(rel_path, "\n".join([*builder.running, text]), entry)
    warnings = [*warnings, *library]
    items, blocks = (), tuple(builder.blocks)
    if minutes.is_minutes(meta.doc_type):
        items, blocks = minutes.split(doc_id, text, blocks)
    return Document(
        id=doc_id,
        source_file=rel_path,
        sha256=sha or sha256_file(path),
        meta=meta,
        text=text,
        pages=tuple(builder.pages),
        blocks=mark_conflicts(blocks, text, plans=not minutes.is_minutes(meta.doc_type)),
        warnings=tuple(warnings),
        items=items,
    )


def _text_builder(path: Path, rel_path: str, doc_id: str) -> DocBuilder:
    data = path.read_bytes()
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EncodingError(
            rel_path, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8"
        ) from exc
    return parse_text(raw, doc_id)


class _Collect(logging.Handler):
    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        message = f"PDF library ({record.name}): {record.getMessage()}"
        if message not in self.into and len(self.into) < 20:
            self.into.append(message)


@contextmanager
def _library_warnings(into: list[str]) -> Iterator[None]:
    """pypdf's and pypdfium2's warnings while one PDF is read, kept as that document's warnings
    (reported with its name) instead of printed anonymously on stderr."""
    handler = _Collect(into)
    loggers = [logging.getLogger(name) for name in ("pypdf", "pypdfium2")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        with py_warnings.catch_warnings(record=True) as caught:
            py_warnings.simplefilter("always")
            yield
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    for w in caught:
        handler.emit(logging.LogRecord(w.category.__name__, logging.WARNING, w.filename, w.lineno,
                                       str(w.message), None, None))


def _check_pdf(path: Path, rel_path: str) -> int:
    """pypdf opens the file for the structural checks; returns the page count. A PDF with only
    an owner password (an empty user password: common for official documents, which forbid
    editing) opens with "" and is read; one that needs a password to open is refused."""
    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise EncryptedPdfError(rel_path, "the PDF is encrypted (password-protected)")
        return len(reader.pages)
    except InputError:
        raise
    except (PdfReadError, OSError, ValueError, KeyError, TypeError) as exc:
        raise CorruptPdfError(rel_path, f"the PDF is damaged or truncated ({exc})") from exc


def _pdf_builder(path: Path, rel_path: str, doc_id: str, notes: list[str]) -> DocBuilder:
    """The PDF laid out page by page; a page without a text layer is read by OCR (a note in
    `notes` says how many and how sure)."""
    n_pages = _check_pdf(path, rel_path)
    try:
        pdf = pdf_lines.open_pdf(str(path))
        try:
            pages = list(parse_pdf.iter_pages(pdf))
            read = _read_scans(pdf, pages, notes)
        finally:
            pdf.close()
    except pdfium.PdfiumError as exc:
        raise CorruptPdfError(rel_path, f"the PDF is damaged or truncated ({exc})") from exc
    if not pages or n_pages == 0:
        raise CorruptPdfError(rel_path, "the PDF has no pages")
    if not any(lines for lines, _ in pages):
        if read.unread:
            raise NoTextLayerError(
                rel_path, f"none of its {len(pages)} pages has a text layer (a scan?) and "
                f"Tesseract OCR is not installed: {ocr.INSTALL_HINT}"
            )
        blank = "" if read.scanned else " (no page has an image to read)"
        failed = f" ({read.failure})" if read.failure else ""
        raise NoTextLayerError(
            rel_path, f"none of its {len(pages)} pages has a text layer, and OCR found no "
            f"text{blank}{failed}"
        )
    keys = parse_pdf.running_keys(pages)
    builder = DocBuilder(doc_id)
    for number, (lines, height) in enumerate(pages, start=1):
        body, label = parse_pdf.strip_running(lines, height, keys, builder.running)
        builder.start_page(number, label if label and label != str(number) else None,
                           ocr=number in read.pages)
        parse_pdf.layout_page(builder, body, number)
        builder.end_page()
    return builder


@dataclass
class _Scans:
    scanned: int = 0  # pages without a text layer but with an image
    pages: set[int] = field(default_factory=set)  # page numbers whose text OCR read
    unread: list[int] = field(default_factory=list)  # scans left empty: no Tesseract
    failure: str = ""  # Tesseract's message where it failed on a page


def _read_scans(pdf: pdfium.PdfDocument, pages: list[tuple[list[pdf_lines.Line], float]],
                notes: list[str]) -> _Scans:
    """OCR every page without text lines that has an image, in place in `pages`. Text-layer
    pages are never OCR'd; blank ones stay empty."""
    read = _Scans()
    confidences: list[float] = []
    langs = ocr.languages()
    for index, (lines, _) in enumerate(pages):
        if lines:
            continue
        page = pdf[index]
        try:
            if not ocr.has_image(page):
                continue
            read.scanned += 1
            if langs is None:
                read.unread.append(index + 1)
                continue
            try:
                found = ocr.read_page(page, langs)
            except (ocr.OcrError, OSError) as exc:
                read.failure = str(exc)
                notes.append(f"page {index + 1}: OCR failed ({exc})")
                continue
        finally:
            page.close()
        if found.lines:
            pages[index] = (found.lines, found.height)
            read.pages.add(index + 1)
            confidences.extend(found.confidences)
    if read.pages:
        mean = sum(confidences) / len(confidences)
        notes.append(f"{len(read.pages)} of {len(pages)} pages had no text layer and were read "
                     f"by OCR (Tesseract, {langs}): mean word confidence {mean:.0f} %; check "
                     "figures against the original")
    if read.unread:
        numbers = ", ".join(str(n) for n in read.unread[:10])
        notes.append(f"page(s) {numbers} have no text layer (scans?) and were left empty: "
                     f"to read them, {ocr.INSTALL_HINT}")
    return read
