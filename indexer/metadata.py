"""Document metadata: what the document states, checked against `corpus/manifest.json`.

Municipal reports print their period in many forms — "1.1.–31.7.2021", "Toteuma 30.6.2022",
"TOT 2024 9 kk", "Toteuma 1-6/2022", "TAMMI-KESÄKUUN OSAVUOSIKATSAUS 2022". `detect_period`
normalises them to an ISO date range; the manifest fills what the document does not say (also
the body and meeting day of minutes: `body`, `meeting_date`), and disagreements become warnings
in the index report.
"""

from __future__ import annotations

import calendar
import json
import re
from datetime import date
from pathlib import Path

from indexer.errors import ManifestError
from indexer.models import Meta

MONTHS = {
    "tammi": 1, "helmi": 2, "maalis": 3, "huhti": 4, "touko": 5, "kesä": 6,
    "heinä": 7, "elo": 8, "syys": 9, "loka": 10, "marras": 11, "joulu": 12,
}
_DASH = r"\s*[-\u2013\u2014]\s*"
_RANGE = re.compile(rf"\b1\.1\.(?:(\d{{4}}))?{_DASH}(\d{{1,2}})\.(\d{{1,2}})\.(\d{{4}})")
_MONTH_RANGE = re.compile(rf"\b1{_DASH}(\d{{1,2}})\s*/\s*((?:19|20)\d\d)\b")
_TOT_KK = re.compile(r"\bTOT\w*\s+((?:19|20)\d\d)\s+(\d{1,2})\s*kk\b", re.I)
_TOTEUMA_DATE = re.compile(r"\bTot(?:e|eu)tuma\s+(\d{1,2})\.(\d{1,2})\.(\d{4})", re.I)
_WORD_RANGE = re.compile(
    rf"\b({'|'.join(MONTHS)})\w*{_DASH}({'|'.join(MONTHS)})\w*\s+\w*\s*((?:19|20)\d\d)", re.I
)


def period_end_month(text: str) -> int | None:
    """The month a period stated in a column header or heading ends with: "Toteuma 1-6/2022" → 6,
    "TOT 2024 9 kk" → 9, "1.1.-30.6.2025" → 6 (the last date), "tammi–kesäkuu" → 6; None when
    it states none."""
    h = text.lower()
    m = re.search(r"\b1\s*[-–]\s*(\d{1,2})(?:\s*/|\b)(?!\.)", h) or re.search(r"(\d{1,2})\s*kk\b", h)
    if m:
        return int(m.group(1))
    dates = re.findall(r"\b\d{1,2}\.(\d{1,2})\.", h)
    if dates:
        return int(dates[-1])
    named = [(h.rfind(name), month) for name, month in MONTHS.items() if name in h]
    return max(named)[1] if named else None


def _iso_range(year: int, end_month: int, end_day: int | None = None) -> str:
    day = end_day or calendar.monthrange(year, end_month)[1]
    return f"{year}-01-01/{year}-{end_month:02d}-{day:02d}"


def detect_period(text: str) -> str | None:
    """The reporting period the document states first and most plainly, as an ISO range."""
    head = text[:6000]
    candidates: list[tuple[int, str]] = []
    for m in _RANGE.finditer(head):
        candidates.append((m.start(), _iso_range(int(m.group(4)), int(m.group(3)), int(m.group(2)))))
    for m in _MONTH_RANGE.finditer(head):
        if 1 <= int(m.group(1)) <= 12:
            candidates.append((m.start(), _iso_range(int(m.group(2)), int(m.group(1)))))
    for m in _TOT_KK.finditer(head):
        if 1 <= int(m.group(2)) <= 12:
            candidates.append((m.start(), _iso_range(int(m.group(1)), int(m.group(2)))))
    for m in _TOTEUMA_DATE.finditer(head):
        candidates.append((m.start(), _iso_range(int(m.group(3)), int(m.group(2)), int(m.group(1)))))
    for m in _WORD_RANGE.finditer(head):
        first, last = MONTHS[_month_key(m.group(1))], MONTHS[_month_key(m.group(2))]
        if first == 1:
            candidates.append((m.start(), _iso_range(int(m.group(3)), last)))
    return min(candidates)[1] if candidates else None


def _month_key(word: str) -> str:
    word = word.lower()
    return next(k for k in MONTHS if word.startswith(k))


def mentions_municipality(text: str, name: str) -> bool:
    """True if the text names the municipality in a case form (Kemin, Kemissä — not Kemijärven)."""
    stem = name[:-1] if name.endswith(("i", "a", "ä")) and len(name) > 4 else name
    if name.endswith("joki"):
        stem = name[:-3]  # Seinäjoki → Seinäjoen
    for m in re.finditer(rf"\b{re.escape(stem)}([a-zåäö]*)\b", text, re.I):
        if len(m.group(1)) <= 5:  # a case ending, not another name (Kemi|järven)
            return True
    return False


def load_manifest(corpus_dir: Path) -> dict[str, dict[str, str]]:
    path = corpus_dir / "manifest.json"
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        docs = data["documents"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ManifestError(f"{path}: not a manifest ({exc})") from exc
    if not isinstance(docs, dict):
        raise ManifestError(f"{path}: 'documents' must map file paths to metadata")
    return docs


_DOC_TYPES = (
    ("tilinpäätös", "tilinpäätös"), ("tilinpaatos", "tilinpäätös"),
    ("osavuosikatsaus", "osavuosikatsaus"), ("pöytäkirja", "pöytäkirja"),
    ("esityslista", "esityslista"), ("talousarvio", "talousarvio"),
    ("käyttösuunnitelm", "käyttösuunnitelman toteutuminen"), ("seuranta", "talousseuranta"),
)
_CITY = re.compile(r"\b([A-ZÅÄÖ][a-zåäö]+)n (?:kaupunki|kunta)\b|\b([A-ZÅÄÖ]{3,})N KAUPUNKI\b")


# Minutes and agendas head every page with the body and the meeting day
# ("Hyvinvointilautakunta 14.11.2024") and say which they are ("Lapuan kaupunki Pöytäkirja 10/2024")
_BODY_LINE = re.compile(
    r"^([A-ZÅÄÖ][\w -]{0,60}?(?:lautakunta|hallitus|valtuusto|toimikunta|jaosto|työryhmä|"
    r"neuvosto))\s+(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$", re.M)
_MINUTES_KIND = re.compile(r"\b(Pöytäkirja|Esityslista|Kokouskutsu)\s+\d+\s*(?:/\s*\d{4}|\()")
_MEETING_TIME = re.compile(r"^Aika\s+(\d{1,2})\.(\d{1,2})\.(\d{4})", re.M)
_KINDS = {"Pöytäkirja": "pöytäkirja", "Esityslista": "esityslista", "Kokouskutsu": "esityslista"}


def minutes_meta(text: str) -> dict[str, str]:
    """doc_type, body and meeting_date (ISO) as minutes and agendas state them; {} for others.
    The meeting day is the "Aika" line's (an agenda's page header carries the day it was sent)."""
    head = text[:20000]
    kind, line = _MINUTES_KIND.search(head), _BODY_LINE.search(head)
    if not kind or not line:
        return {}
    when = _MEETING_TIME.search(head) or line
    day, month, year = int(when.group(when.re.groups - 2)), int(when.group(when.re.groups - 1)), \
        int(when.group(when.re.groups))
    return {"doc_type": _KINDS[kind.group(1)], "body": line.group(1),
            "meeting_date": f"{year}-{month:02d}-{day:02d}"}


def day_label(iso: str) -> str:
    """"2025-03-17" → "17.3.2025", as a Finnish reader writes a day; a month alone, "2025-03" →
    "3/2025"."""
    year, month, *day = iso.split("-")
    return f"{int(day[0])}.{int(month)}.{year}" if day else f"{int(month)}/{year}"


def resolve_meta(rel_path: str, text: str, entry: dict[str, str] | None) -> tuple[Meta, list[str]]:
    """Metadata from the manifest entry and the document; warnings where they disagree."""
    warnings: list[str] = []
    stated_minutes = minutes_meta(text)
    # what minutes state of themselves fills what the manifest leaves out
    entry = {**stated_minutes, **(entry or {})}
    if stated_minutes and "period" not in entry:
        entry["period"] = f"{entry['meeting_date']}/{entry['meeting_date']}"
        entry.setdefault("period_label", day_label(entry["meeting_date"]))
        entry.setdefault("title", f"{entry['body']}: {entry['doc_type']} "
                                  f"{day_label(entry['meeting_date'])}")
    stated = detect_period(text)
    period = entry.get("period") or stated or ""
    one_day = bool(period) and period.split("/")[0] == period.split("/")[-1]
    # Minutes and agendas are dated by their meeting; the periods their items report on differ.
    if stated and entry.get("period") and not one_day and \
            stated.split("/")[1] != entry["period"].split("/")[1]:
        warnings.append(f"period: manifest says {entry['period']}, document states {stated}")
    municipality = entry.get("municipality") or _guess_municipality(text)
    if not municipality:
        warnings.append("municipality: not in the manifest and not stated plainly; set it there")
        municipality = "tuntematon"
    elif entry.get("municipality") and not mentions_municipality(text, municipality):
        warnings.append(f"municipality: manifest says {municipality}, the document never names it")
    lowered = (rel_path + " " + text[:3000]).lower()
    doc_type = entry.get("doc_type") or next(
        (t for key, t in _DOC_TYPES if key in lowered), "raportti"
    )
    title = entry.get("title") or _first_line(text) or Path(rel_path).stem
    year = int(period[:4]) if period else _year_from(rel_path + " " + text[:3000])
    if period:
        year = int(period.split("/")[1][:4])
    label = entry.get("period_label") or (period.replace("/", "–") if period else str(year or ""))
    # the body that met and the meeting day, for minutes whose text does not state them in a
    # form the parser reads (a text export); reports have neither
    body = " ".join(str(entry.get("body") or "").split())
    meeting_date = str(entry.get("meeting_date") or "")
    if meeting_date and not _is_iso_day(meeting_date):
        warnings.append(f"meeting_date: manifest says '{meeting_date}', not a date (YYYY-MM-DD); "
                        "left out")
        meeting_date = ""
    if not year and meeting_date:  # minutes whose text names no year: the meeting's
        year = int(meeting_date[:4])
    return Meta(municipality, doc_type, title, period, label, year, body, meeting_date), warnings


def _is_iso_day(text: str) -> bool:
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _guess_municipality(text: str) -> str | None:
    m = _CITY.search(text[:5000])
    if not m:
        return None
    word = m.group(1) or m.group(2).capitalize()
    return word  # the genitive stem; the manifest should say it plainly


def _first_line(text: str) -> str:
    return next((ln.strip() for ln in text.split("\n") if len(ln.strip()) > 3), "")[:200]


def _year_from(text: str) -> int:
    years = re.findall(r"\b(20\d\d)\b", text)
    return int(max(set(years), key=years.count)) if years else 0


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def date_span(meeting_date: str, period_iso: str) -> tuple[str, str] | None:
    """The days a document is about, as ISO (first, last): its meeting day, else its reporting
    period; None when it states neither (the date filters leave it out)."""
    if _ISO_DAY.fullmatch(meeting_date or ""):
        return meeting_date, meeting_date
    first, _, last = (period_iso or "").partition("/")
    last = last or first
    if _ISO_DAY.fullmatch(first) and _ISO_DAY.fullmatch(last):
        return first, last
    return None


def day_numbers(span: tuple[str, str] | None) -> tuple[int, int]:
    """(first, last) day of a span as proleptic ordinals; (0, 0) for none or a date that is not one."""
    if span is None:
        return 0, 0
    try:
        return date.fromisoformat(span[0]).toordinal(), date.fromisoformat(span[1]).toordinal()
    except ValueError:
        return 0, 0
