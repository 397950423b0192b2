"""Place names as an English or Swedish question writes them, read as the Finnish name the
reports use: the Swedish names of Finnish towns (`data/place_names.tsv`: "Lappo" → Lapua,
"Helsingfors" → Helsinki, "S:t Michel" → Mikkeli, "Åbo" → Turku) and the Swedish genitive -s
("Seinäjokis", "Kauhavas", "Lappos": the name + s, as Swedish writes it for every noun).

A name read as Finnish is then known as any Finnish place name is: a corpus municipality filters
the search, another place is one the corpus has no reports of.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

PLACE_NAMES = Path(__file__).parent / "data" / "place_names.tsv"
FORMER_MUNICIPALITIES = Path(__file__).parent / "data" / "former_municipalities.tsv"
MUNICIPALITIES = Path(__file__).parent / "data" / "municipalities.tsv"
# a capitalised word (letters, a hyphenated second part: "Etelä-Pohjanmaas")
_CAPITALISED = re.compile(r"(?<![\w:])([A-ZÅÄÖ][\wåäö]+(?:-[A-ZÅÄÖ][\wåäö]+)?)(?!\w)")


def _name_lists(path: Path, columns: str) -> dict[str, str]:
    """{each name of the second column: the first column's name} of a tab-separated file whose
    second column lists names with "|"; `columns` says what the two are, for the error."""
    out: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 2 or not cols[0].strip():
            raise ValueError(f"{path}:{number}: expected 2 tab-separated columns ({columns}), "
                             f"got {line!r}")
        for name in cols[1].split("|"):
            out[name.strip()] = cols[0].strip()
    return out


class PlaceNames:
    """The Swedish names of Finnish places, and their Finnish names; the former municipalities
    of today's; the municipalities of Finland."""

    def __init__(self, path: Path = PLACE_NAMES, former: Path = FORMER_MUNICIPALITIES,
                 municipalities: Path = MUNICIPALITIES) -> None:
        of_country = _name_lists(municipalities, "Finnish name, Swedish names")
        # every municipality's Swedish name ("Hangö" → Hanko), and the other places' names
        self.finnish_of = {sv: fi for sv, fi in of_country.items() if sv != fi} | \
            _name_lists(path, "Finnish name, Swedish names")
        # {former municipality: the one it was merged into} ("Nurmo": "Seinäjoki")
        self.now_part_of = _name_lists(former, "municipality, its former municipalities")
        # every municipality of Finland and the former ones above, lower-cased ("oulu",
        # "nurmo"): a place named that is none of them (a region, a part of a town) is no place
        # the corpus lacks reports of
        self.municipalities = frozenset(m.lower() for m in [*of_country.values(), *self.now_part_of])
        # the names as written (capitalised, case-sensitive: "vasa" is no town), longest first
        # ("S:t Michel" before a shorter name inside it), with an optional genitive -s
        names = sorted(self.finnish_of, key=len, reverse=True)
        self._names = re.compile(r"(?<![\w:])(" + "|".join(map(re.escape, names)) + r")(s?)(?!\w)")

    def read(self, text: str, lang: str, is_place: Callable[[str], bool]) -> str:
        """`text` with each Swedish place name as its Finnish name and, in Swedish, each
        genitive of a place name (`is_place` of the word without its -s) as the bare name.
        Finnish text is returned as it is."""
        if lang == "fi":
            return text

        text = self._names.sub(lambda m: self.finnish_of[m.group(1)], text)
        if lang != "sv":
            return text

        def genitive(m: re.Match[str]) -> str:
            word = m.group(1)
            if len(word) > 3 and word.endswith("s") and is_place(word[:-1]):
                return word[:-1]
            return word

        return _CAPITALISED.sub(genitive, text)
