"""Scanned PDF pages → words (Tesseract) → the lines `pdf_lines` makes of a text layer.

A page without a text layer but with an image on it (a scan is one image) is rendered
at 300 dpi and read by the `tesseract` program (Debian's tesseract-ocr with its Finnish model,
and the Swedish one where installed: bilingual municipalities print both languages, and one
model for each keeps å, ä and ö apart; the document's language is not known before its text
is). Tesseract's TSV output gives every word with its box and confidence. The boxes, turned
into PDF points, go through the same line and cell grouping as a text layer's runs, so
headings and paragraphs (and tables, where the words line up) come out as on a text page.

Tesseract runs as a child process that the parser waits on. The per-file time limit's alarm
(indexer/build.py `_safe_parse`) interrupts that wait with an exception; the child is then
killed, not left running after its file was given up.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from indexer.pdf_lines import Line, Seg, _group_lines

DPI = 300  # Tesseract reads body text best with capital letters ~30 px tall: 10 pt at 300 dpi
# words read with less confidence are mostly specks, rules and pictures taken for letters
MIN_CONFIDENCE = 30.0
INSTALL_HINT = "install tesseract-ocr and tesseract-ocr-fin (make install)"


class OcrError(RuntimeError):
    """Tesseract ran but failed on a page (its message)."""


@dataclass(frozen=True)
class OcrPage:
    lines: list[Line]
    height: float  # pt, as `pdf_lines.page_lines` gives it
    confidences: tuple[float, ...]  # of the words kept, 0–100


@cache
def languages() -> str | None:
    """Tesseract's `-l` argument, "fin+swe" or "fin"; None when the program or its Finnish
    model is not installed (then scans are refused with `INSTALL_HINT`)."""
    exe = shutil.which("tesseract")
    if exe is None:
        return None
    try:
        listed = subprocess.run([exe, "--list-langs"], capture_output=True, text=True,
                                timeout=30, check=False).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return None
    if "fin" not in listed:
        return None
    return "fin+swe" if "swe" in listed else "fin"


def has_image(page: pdfium.PdfPage) -> bool:
    """Whether an image is drawn on the page (a scan is one). A page of lines and shapes alone
    (a chart, table rules, a damaged file's leftovers) or a blank one is not read: what OCR
    would find there is noise, at half a second a page."""
    return next(iter(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])), None) is not None


def read_page(page: pdfium.PdfPage, langs: str) -> OcrPage:
    """The page's words as lines (top-down PDF points). Raises `OcrError` when Tesseract fails."""
    scale = DPI / 72
    image = page.render(scale=scale, grayscale=True).to_pil()
    png = io.BytesIO()
    image.save(png, "PNG")
    tsv = _tesseract(["stdin", "stdout", "--dpi", str(DPI), "-l", langs, "tsv"], png.getvalue())
    segs: list[Seg] = []
    confidences: list[float] = []
    for left, top, width, height, conf, text in _words(tsv):
        if conf < MIN_CONFIDENCE:
            continue
        # the trailing space tells the cell grouping these are separate words
        segs.append(Seg(left / scale, (left + width) / scale, top / scale,
                        (top + height) / scale, text + " "))
        confidences.append(conf)
    return OcrPage(_group_lines(segs), image.height / scale, tuple(confidences))


def _words(tsv: str) -> list[tuple[int, int, int, int, float, str]]:
    """Word rows (level 5) of Tesseract's TSV: left, top, width, height (px), conf, text."""
    words = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) == 12 and cols[0] == "5" and cols[11].strip():
            left, top, width, height = (int(c) for c in cols[6:10])
            words.append((left, top, width, height, float(cols[10]), cols[11].strip()))
    return words


def _tesseract(args: list[str], data: bytes) -> str:
    exe = shutil.which("tesseract") or "tesseract"
    # one thread: the build already runs a parser per core
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with subprocess.Popen([exe, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=env) as proc:  # closes the pipes, waits
        try:
            out, err = proc.communicate(data)
        except BaseException:  # the time limit's alarm (a BaseException) or an interrupt
            proc.kill()
            raise
    if proc.returncode != 0:
        message = err.decode("utf-8", "replace").strip().splitlines()
        raise OcrError(f"tesseract exited with {proc.returncode}: "
                       f"{message[-1] if message else 'no message'}")
    return out.decode("utf-8", "replace")
