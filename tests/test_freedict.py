"""English and Swedish words the glossary does not know reach the Finnish text through Debian's
FreeDict dictionaries (dictd format: an index of base64 offsets and a gzip-readable text)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from api.query import QueryReader
from indexer.analyze import get_analyzer
from indexer.freedict import _B64, FreeDict, parse_entry
from indexer.glossary import Glossary

# entries as FreeDict writes them (eng-fin 2022.12.07): one sense, several senses with glosses
SCHOOL = ("school /skuːl/ <n>\n1. kalaparvi, parvi\na group of fish\n2. koulukunta, koulu 2.\n"
          "(collectively) the followers of a particular doctrine\n 3.\nan art movement\n"
          "3. koulu 2.\nan institution dedicated to teaching and learning\n")
DEFICIT = "deficit /ˈdɛfɪsɪt/ <n>\nvaje, alijäämä\nshortfall\n"


def _b64(n: int) -> str:
    digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    out = ""
    while True:
        out = digits[n % 64] + out
        n //= 64
        if not n:
            return out


def write_dictd(folder: Path, name: str, entries: dict[str, str]) -> FreeDict:
    text, index = b"", []
    for head, entry in entries.items():
        data = entry.encode("utf-8")
        index.append(f"{head}\t{_b64(len(text))}\t{_b64(len(data))}")
        text += data
    (folder / f"{name}.index").write_text("00databaseinfo\tA\tB\n" + "\n".join(index) + "\n",
                                          encoding="utf-8")
    with gzip.open(folder / f"{name}.dict.dz", "wb") as f:
        f.write(text)
    return FreeDict(folder / f"{name}.index", folder / f"{name}.dict.dz")


def test_base64_numbers_round_trip() -> None:
    assert all(sum(_B64[c] * 64 ** i for i, c in enumerate(reversed(_b64(n)))) == n
               for n in (0, 63, 64, 4095, 1_000_003))


def test_translations_are_the_sense_lines_not_the_glosses() -> None:
    assert parse_entry(SCHOOL) == ["kalaparvi", "parvi", "koulukunta", "koulu"]
    assert parse_entry(DEFICIT) == ["vaje", "alijäämä"]


def test_lookup_strips_inflection_and_splits_swedish_compounds(tmp_path: Path) -> None:
    en = write_dictd(tmp_path, "freedict-eng-fin", {"deficit": DEFICIT, "school": SCHOOL})
    assert en.translations("Deficits", "en") == ["vaje", "alijäämä"]
    assert en.translations("schoolyard", "en") == []  # English compounds are not guessed
    org = write_dictd(tmp_path, "freedict-eng-fin", {
        "organization": "organization /x/ <n>\njärjestö, organisaatio\n"})
    # British spelling, as the dictionary spells it American
    assert org.translations("organisations", "en") == ["järjestö", "organisaatio"]
    assert org.translations("orange", "en") == []  # no such headword, nor stem
    sv = write_dictd(tmp_path, "freedict-swe-fin", {
        "arbetslöshet": "arbetslöshet /x/ <n, ut>\ntyöttömyys\n",
        "under": "under /x/ <prep>\nalla\n"})
    assert sv.translations("arbetslöshetsgraden", "sv") == ["työttömyys"]
    assert sv.translations("underskott", "sv") == []  # a compound starts with a noun, not "under"



def _entries(**senses: str) -> dict[str, str]:
    """headword → a FreeDict entry of that one sense line ("<x>": the part of speech unread)."""
    return {head: f"{head} /x/ <x>\n{sense}\n" for head, sense in senses.items()}


def test_an_inflected_word_is_looked_up_by_its_snowball_stem(tmp_path: Path) -> None:
    sv = write_dictd(tmp_path, "freedict-swe-fin", _entries(
        bevilja="myöntää", anbud="tarjous", kost="ravinto", kosta="maksaa", ficka="tasku"))
    assert sv.translations("beviljades", "sv") == ["myöntää"]  # a passive past
    assert sv.translations("anbuden", "sv") == ["tarjous"]  # a definite plural
    # both stem to "kost": the headword the word begins with, the longest
    assert sv.translations("kostade", "sv") == ["maksaa"]
    # a word the stemmer leaves whole is no form of a longer headword of that stem
    assert sv.translations("fick", "sv") == []
    en = write_dictd(tmp_path, "freedict-eng-fin", _entries(
        appeal="valittaa", service="palvelu", serviceable="käyttökelpoinen", subsidy="avustus"))
    assert en.translations("appealed", "en") == ["valittaa"]  # a past participle
    assert en.translations("services", "en") == ["palvelu"]  # not also "serviceable"
    assert en.translations("subsidies", "en") == ["avustus"]  # a stem no headword begins
    assert en.by_stem("services", "fi") == []  # no stemmer of the dictionary's language


def test_a_swedish_compound_is_translated_by_both_its_parts(tmp_path: Path) -> None:
    sv = write_dictd(tmp_path, "freedict-swe-fin", {
        "tand": "tand /x/ <n, ut>\nhammas\n",
        "vård": "vård /x/ <n, ut>\nhoito\n",
        "varumärke": "varumärke /x/ <n, neu>\ntavaramerkki\n",
        "utbildning": "utbildning /x/ <n, ut>\nkoulutus\n",
        "skydd": "skydd /x/ <n, neu>\nsuoja, suojelu\n",
        "grundvatten": "grundvatten /x/ <n, neu>\npohjavesi\n"})
    assert sv.translations("tandvården", "sv") == ["hammas", "hoito"]  # "vården": by its stem
    # the linking "s" between the parts
    assert sv.translations("varumärkesutbildning", "sv") == ["tavaramerkki", "koulutus"]
    assert sv.translations("grundvattenskyddet", "sv") == ["pohjavesi", "suoja", "suojelu"]
    assert sv.translations("tandläkare", "sv") == []  # "läkare" is no word of this dictionary


def test_a_swedish_compound_s_first_part_is_read_as_it_stands_alone(tmp_path: Path) -> None:
    sv = write_dictd(tmp_path, "freedict-swe-fin", {
        "skola": "skola /x/ <n, ut>\nkoulu\n", "skjuts": "skjuts /x/ <n, ut>\nkyyti\n",
        "ränta": "ränta /x/ <n, ut>\nkorko\n", "intäkt": "intäkt /x/ <n, ut>\ntulo\n",
        "kommunal": "kommunal /x/ <adj>\nkunnallinen\n", "skatt": "skatt /x/ <n, ut>\nvero\n",
        "katt": "katt /x/ <n, ut>\nkissa\n", "år": "år /x/ <n, neut>\nvuosi\n",
        "kurs": "kurs /x/ <n, ut>\nkurssi\n", "lam": "lam /x/ <adj>\nheikko\n",
        "minne": "minne /x/ <n, neut>\nmuisto\n", "vän": "vän /x/ <n, ut>\nystävä\n",
        "te": "te /x/ <n, neut>\ntee\n", "tid": "tid /x/ <n, ut>\naika\n"})
    assert sv.split("skolskjuts") == (["koulu"], ["kyyti"])  # skola, its -a dropped
    assert sv.split("ränteintäkter") == (["korko"], ["tulo"])  # ränta, its -a written -e
    # an adjective as written, with no linking "s" after it: kommunal|skatt, not kommunals|katt
    assert sv.split("kommunalskatt") == (["kunnallinen"], ["vero"])
    assert sv.split("årskurs") == (["vuosi"], ["kurssi"])  # a two-letter first part, its "s"
    # three letters of the word with its linking "s": a word's translations take it
    assert sv.translations("årskurs", "sv") == ["vuosi", "kurssi"]
    # an adjective's last part is a word, not a word's beginning: a Finnish name is no compound
    assert sv.split("lamminneva") == ([], [])
    # a compound's last part is no compound of a two-letter first part ("te|tiden")
    assert sv.split("väntetiden") == ([], [])


def test_a_word_swe_fin_lacks_is_read_backwards_from_fin_swe(tmp_path: Path) -> None:
    write_dictd(tmp_path, "freedict-swe-fin", {
        "bygga": "bygga /x/ <v>\nrakentaa\n", "skatt": "skatt /x/ <n, ut>\nvero\n"})
    write_dictd(tmp_path, "freedict-fin-swe", {
        "maahanmuutto": "maahanmuutto /x/ <n>\ninvandring\nmaahan muuttaminen\n",
        "korko": "korko /x/ <n>\n1. ränta\nraha\n2. klack\nkengän osa\n",
        "rakennus": "rakennus /x/ <n>\nbygge, byggnad\n",
        "verottaa": "verottaa /x/ <v>\nbeskatta, skatt\n"})
    sv = FreeDict.installed("sv", tmp_path, hunspell_folder=tmp_path)  # no Hunspell here
    assert sv.reverse is not None
    assert sv.translations("invandringen", "sv") == ["maahanmuutto"]  # by its Snowball stem
    assert sv.translations("räntan", "sv") == ["korko"]  # the Finnish headword, not its gloss
    assert sv.translations("skatt", "sv") == ["vero"]  # swe-fin's own entry comes first
    # of a stem's headwords swe-fin's own first ("bygger": bygga, not fin-swe's "bygge")
    assert sv.translations("bygger", "sv") == ["rakentaa"]
    assert sv.split("nettoinvandringen") == ([], [])  # "netto" is in neither
    assert sv.split("skatteinvandring") == (["vero"], ["maahanmuutto"])
    # a part's part of speech is the Finnish entry's: "ränta" is a noun's translation
    assert sv.lookup("ränta", ("n",)) == ["korko"] and sv.lookup("beskatta", ("n",)) == []


def test_installed_names_debians_files(tmp_path: Path) -> None:
    write_dictd(tmp_path, "freedict-swe-fin", {"skola": "skola /x/ <n>\nkoulu\n"})
    assert FreeDict.installed("sv", tmp_path, hunspell_folder=tmp_path).translations(
        "skolan", "sv") == ["koulu"]
    assert FreeDict.installed("en", tmp_path) is None  # not installed: no translation
    assert FreeDict.installed("fi", tmp_path) is None


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> QueryReader:
    folder = tmp_path_factory.mktemp("dictd")
    en = write_dictd(folder, "freedict-eng-fin", {
        "shortage": "shortage /x/ <n>\npula, puute\nlack\n",
        "playground": "playground /x/ <n>\nleikkikenttä, kalaparvi\n",
        "state": "state /x/ <n>\n1. tila\na condition\n2. osavaltio, valtio\na political division\n"})
    analyzer = get_analyzer("auto")
    index_terms = {"leikkikenttä", "pula", "puute", "valtio", "valtionosuus", "kemi"}
    return QueryReader(analyzer, Glossary(analyzer), ["Kemi"], [], {"en": en},
                       known=lambda term: term in index_terms)


def test_words_the_glossary_lacks_get_finnish_terms_sharing_their_weight(reader: QueryReader) -> None:
    info = reader.read("playground shortage in Kemi", "en")
    # only translations the index has; each word's weight shared by its translations
    assert info.translated == {"leikkikenttä": 1.0, "pula": 0.5, "puute": 0.5}
    assert {"leikkikenttä", "pula", "puute"} <= set(info.terms)
    assert "kalaparvi" not in info.terms and "kemi" not in info.translated  # a place stays a place


def test_a_translated_noun_is_also_searched_by_its_verb(tmp_path: Path) -> None:
    analyzer = get_analyzer("auto")
    if analyzer.name != "voikko":
        pytest.skip("Voikko is not installed here (make install puts it in)")
    index_terms = {"investointi", "investoida", "kemi"}
    reader = QueryReader(analyzer, Glossary(analyzer), ["Kemi"], [], {},
                         known=lambda term: term in index_terms)
    # the glossary's investointi; the reports write "Kemi investoi…" (investoida)
    info = reader.read("How much did Kemi invest in 2024?", "en")
    assert {"investointi", "investoida"} <= set(info.terms)
    assert info.translated["investoida"] == 0.5  # VERB_SHARE of the noun's weight
    assert frozenset({"investointi", "investoida"}) in info.senses  # one word
    assert info.met({"investoida"}) == info.met({"investointi", "investoida"}) == 1
    # a verb the index does not hold is no term; a Finnish question is read as written
    assert "investoida" not in QueryReader(analyzer, Glossary(analyzer), ["Kemi"], [], {},
                                           known=lambda term: term != "investoida").read(
        "How much did Kemi invest in 2024?", "en").terms
    assert "investoida" not in reader.read("Kemin investoinnit 2024", "fi").terms
    # a verb in more passages than its noun is a general one: not taken
    passages = {"investointi": 5, "investoida": 9, "kemi": 20}
    general = QueryReader(analyzer, Glossary(analyzer), ["Kemi"], [], {},
                          known=lambda term: term in index_terms, doc_freq=passages.get)
    assert "investoida" not in general.read("How much did Kemi invest in 2024?", "en").terms


def test_the_glossary_comes_first(reader: QueryReader) -> None:
    # "state subsidies" is a glossary phrase: valtionosuus, and no dictionary guess for "state"
    info = reader.read("state subsidies Kemi", "en")
    assert "valtionosuus" in info.terms
    assert "valtio" not in info.translated


def test_finnish_questions_are_not_translated(reader: QueryReader) -> None:
    assert reader.read("koulun alijäämä Kemissä", "fi").translated == {}


def test_a_translation_counts_its_share_in_lexical_scores(search_settings) -> None:  # noqa: ANN001
    import numpy as np

    from api.search import Searcher

    searcher = Searcher.open(search_settings)
    whole = searcher.understand("valtionosuudet")
    half = searcher.understand("valtionosuudet")
    half.translated = dict.fromkeys(half.terms, 0.5)
    assert np.allclose(searcher._lexical_scores(half), 0.5 * searcher._lexical_scores(whole))
    assert searcher.weight(half, half.terms[0]) == 0.5
    searcher.close()


def test_a_swedish_compound_splits_into_its_parts_translations(tmp_path: Path) -> None:
    sv = write_dictd(tmp_path, "freedict-swe-fin", {
        "tand": "tand /x/ <n, ut>\nhammas\n", "vård": "vård /x/ <n, ut>\nhoito\n"})
    assert sv.split("Tandvården") == (["hammas"], ["hoito"])
    assert sv.split("tand") == ([], [])  # no compound


@pytest.fixture(scope="module")
def compound_reader(tmp_path_factory: pytest.TempPathFactory) -> QueryReader:
    """English and Swedish entries as FreeDict writes them, and an index holding some Finnish
    compounds of their translations."""
    folder = tmp_path_factory.mktemp("dictd")
    en = write_dictd(folder, "freedict-eng-fin", {
        "family": "family /x/ <n>\n1. perhe\n2. suku\n",
        "care": "care /x/ <n>\n1. hoito, hoiva\n2. huoli\n",
        "adult": "adult /x/ <adj>\naikuinen\n",
        "social": "social /x/ <adj>\nsosiaalinen, yhteiskunnallinen\n",
        "work": "work /x/ <n>\n1. työ\n2. teos\n",
        "much": "much /x/ <adj>\npaljon\n",
        "end": "end /x/ <n>\nloppu, pää\n"})
    sv = write_dictd(folder, "freedict-swe-fin", {
        "tand": "tand /x/ <n, ut>\nhammas\n", "vård": "vård /x/ <n, ut>\nhoito\n"})
    analyzer = get_analyzer("auto")
    index_terms = {"perhe", "suku", "hoito", "hoiva", "huoli", "perhehoito", "aikuinen",
                   "sosiaalinen", "yhteiskunnallinen", "työ", "teos", "sosiaalityö",
                   "aikuissosiaalityö", "hammas", "hammashoito", "paljo", "loppu", "pää", "kemi"}
    asked: list[list[str]] = []

    def vocabulary(terms: list[str]) -> set[str]:
        asked.append(terms)
        return {t for t in terms if t in index_terms}
    reader = QueryReader(analyzer, Glossary(analyzer), ["Kemi"], [], {"en": en, "sv": sv},
                         known=lambda term: term in index_terms, vocabulary=vocabulary)
    reader.asked = asked  # type: ignore[attr-defined]
    return reader


def test_neighbouring_words_translate_as_the_finnish_compound_the_index_holds(
        compound_reader: QueryReader) -> None:
    info = compound_reader.read("family care in Kemi", "en")
    assert info.translated["perhehoito"] == 1.0  # a whole word's weight
    assert info.translated["perhe"] == 0.5  # each word's own senses still share its weight
    assert "hoivaperhe" not in info.translated and "perhehoiva" not in info.translated
    # each look-up of the index asks for many terms at once
    assert len(compound_reader.asked[-1]) > 1  # type: ignore[attr-defined]


def test_a_third_word_makes_the_longer_compound_which_replaces_the_shorter(
        compound_reader: QueryReader) -> None:
    # "sosiaalinen" joins as "sosiaali-", "aikuinen" as "aikuis-"
    info = compound_reader.read("adult social work in Kemi", "en")
    assert info.translated["aikuissosiaalityö"] == 1.0
    assert "sosiaalityö" not in info.translated  # its adult social work, not the children's


def test_a_swedish_compound_translates_as_the_finnish_compound_of_its_parts(
        compound_reader: QueryReader) -> None:
    info = compound_reader.read("väntetiden till tandvården i Kemi", "sv")
    assert info.translated["hammashoito"] == 1.0
    assert {"hammas", "hoito"} <= set(info.translated)


def test_a_word_before_a_one_word_glossary_phrase_translates_as_their_compound(
        tmp_path: Path) -> None:
    # "board" is the glossary's lautakunta: "harbour board" the compound the index holds
    en = write_dictd(tmp_path, "freedict-eng-fin", {"harbour": "harbour /x/ <n>\nsatama\n"})
    analyzer = get_analyzer("auto")
    index_terms = {"satama", "lautakunta", "satamalautakunta", "kemi", "nuoriso", "palvelu",
                   "nuorisopalvelu"}
    reader = QueryReader(analyzer, Glossary(analyzer), ["Kemi"], [], {"en": en},
                         known=lambda term: term in index_terms,
                         vocabulary=lambda terms: {t for t in terms if t in index_terms})
    info = reader.read("What did the harbour board of Kemi decide?", "en")
    assert info.translated["satamalautakunta"] == 1.0
    assert "lautakunta" in info.terms  # the glossary's own term stays
    # two one-word glossary phrases side by side: the glossary's nuoriso and palvelu
    assert reader.read("How much did the youth services of Kemi cost?", "en").translated[
        "nuorisopalvelu"] == 1.0


def test_the_question_form_and_period_words_are_not_translated(
        compound_reader: QueryReader) -> None:
    # "how much" asks for a figure and "end" for a column: "paljon" and "loppu" are words of
    # every report, not of what is asked about
    info = compound_reader.read("How much family care did Kemi buy at the end of 2024?", "en")
    assert "perhehoito" in info.translated
    assert not {"paljo", "paljon", "loppu", "pää"} & set(info.translated)
    # "uppgå till", "amount to" ask the figure as "what was" does: no "nousta", no "määrä"
    assert compound_reader._source_words("Hur mycket uppgick familjevården till?", "sv", set())[:3] \
        == [None, None, None]
    assert compound_reader._source_words("What did family care amount to?", "en", set())[-2:] \
        == [None, None]
    # "vid utgången av 2024" is Swedish for "at the end of 2024"
    assert compound_reader._source_words("Familjevården vid utgången av 2024", "sv", set()) \
        == ["Familjevården", None]


def test_both_backends_say_which_terms_are_the_index_s(backend_search_settings) -> None:  # noqa: ANN001
    from api.search import Searcher

    searcher = Searcher.open(backend_search_settings)
    try:
        words = ["valtionosuus", "kemi", "eisanaa", "perhehoitoxyz"]
        known = searcher.storage.known_terms(words)  # (PostgreSQL: one query, then its cache)
        assert known == {t for t in words if searcher.storage.doc_freq(t) is not None}
        assert "valtionosuus" in known and "eisanaa" not in known
        assert searcher.storage.known_terms(words + ["valtionosuus"]) == known
    finally:
        searcher.close()


def test_a_translated_word_s_senses_are_one_word(reader: QueryReader) -> None:
    info = reader.read("playground shortage in Kemi", "en")
    # "shortage" is met by either of its senses (or its own stem), "playground" by its one
    assert {"pula", "puute"} < next(g for g in info.senses if "pula" in g)
    assert not any("leikkikenttä" in g for g in info.senses)
    assert info.met({"pula", "puute", "leikkikenttä"}) == 2  # two words, not three terms
    assert info.met({"puute"}) == 1


def test_a_word_s_senses_weigh_as_one_word_in_a_share(search_settings) -> None:  # noqa: ANN001
    import math

    from api.search import Searcher

    searcher = Searcher.open(search_settings)
    a, b, c = "valtionosuus", "kemi", "toimintakate"
    idf = searcher.idf
    senses = (frozenset({b, c}),)
    # b and c are one word's senses: the word weighs the sense held, else their mean
    assert math.isclose(searcher.weight_share({a, b, c}, {a, b}, senses), 1.0)
    assert math.isclose(searcher.weight_share({a, b, c}, {a}, senses),
                        idf(a) / (idf(a) + (idf(b) + idf(c)) / 2))
    assert math.isclose(searcher.weight_share({a, b, c}, {c}, senses), idf(c) / (idf(a) + idf(c)))
    # without senses every term weighs its own
    assert math.isclose(searcher.weight_share({a, b, c}, {a, b}),
                        (idf(a) + idf(b)) / (idf(a) + idf(b) + idf(c)))
    searcher.close()


def test_a_finnish_name_the_dictionary_lacks_is_read_as_finnish(compound_reader: QueryReader) -> None:
    # "Kemin hammashoidon": a Finnish name kept in an English question, no dictionary's word:
    # read by Finnish morphology, as the reports write it (the place as well)
    info = compound_reader.read("How much did Kemin hammashoidon yksikkö buy?", "en")
    assert "hammashoito" in info.terms and "hammashoito" not in info.translated
    assert "yksikkö" not in info.terms  # a Finnish word the index lacks
    assert info.municipalities == ["Kemi"]
    # an English word Finnish morphology does not know is no Finnish term
    assert "zebra" not in compound_reader.read("the zebra care in Kemi", "en").terms


def test_two_words_that_are_one_headword_translate_as_it(tmp_path: Path) -> None:
    en = write_dictd(tmp_path, "freedict-eng-fin", {
        "wind": "wind /x/ <n>\n1. tuuli\n2. ilma, henki\n",
        "farm": "farm /x/ <n>\nmaatila, tila\n",
        "wind farm": "wind farm /x/ <n>\ntuulipuisto\n",
        "tunnel": "tunnel /x/ <n>\ntunneli\n",
        "wind tunnel": "wind tunnel /x/ <n>\nkoeputki\n"})
    analyzer = get_analyzer("auto")
    index_terms = {"tuuli", "ilma", "henki", "maatila", "tila", "tuulipuisto", "tunneli", "kemi"}
    reader = QueryReader(analyzer, Glossary(analyzer), ["Kemi"], [], {"en": en},
                         known=lambda term: term in index_terms)
    info = reader.read("the wind farms of Kemi", "en")  # the last word by its stem
    assert "tuulipuisto" in info.translated
    assert not {"ilma", "henki", "maatila", "tila"} & set(info.translated)  # not each word's senses
    # a headword whose Finnish (nor its compound's parts) no passage holds leaves its words
    # as they are
    info = reader.read("the wind tunnel of Kemi", "en")
    assert {"tuuli", "ilma", "henki", "tunneli"} <= set(info.translated)


def test_three_words_two_headwords_merge_the_first_pair_once(tmp_path: Path) -> None:
    en = write_dictd(tmp_path, "freedict-eng-fin", {
        "wind": "wind /x/ <n>\ntuuli\n", "farm": "farm /x/ <n>\nmaatila\n",
        "land": "land /x/ <n>\nmaa\n",
        "wind farm": "wind farm /x/ <n>\ntuulipuisto\n",
        "farm land": "farm land /x/ <n>\nviljelysmaa\n"})
    analyzer = get_analyzer("auto")
    # the index holds the headword's compound with itself, which is no word of the question
    index_terms = {"tuuli", "maatila", "maa", "tuulipuisto", "viljelysmaa",
                   "tuulipuistotuulipuisto", "kemi"}
    reader = QueryReader(analyzer, Glossary(analyzer), ["Kemi"], [], {"en": en},
                         known=lambda term: term in index_terms)
    info = reader.read("wind farm land in Kemi", "en")
    # "wind farm" is merged first; "farm land" does not overwrite it, "land" is itself
    assert "tuulipuisto" in info.translated and "viljelysmaa" not in info.translated
    assert "tuulipuistotuulipuisto" not in info.translated
    assert "maa" in info.translated
    assert frozenset({"tuulipuisto", "wind", "farm"}) <= next(
        g for g in info.senses if "tuulipuisto" in g)  # the two words are one sense group


def test_a_word_s_translations_take_no_two_letter_first_part(tmp_path: Path) -> None:
    sv = write_dictd(tmp_path, "freedict-swe-fin", {
        "bo": "bo /x/ <n, neut>\npesä\n", "städ": "städ /x/ <n, neut>\nalasin\n",
    })
    # the split (checked against the index's words) keeps it; the word's translations do not
    assert sv.split("bostäder") == (["pesä"], ["alasin"])
    assert sv.translations("bostäder", "sv") == []


def test_a_first_part_s_noun_comes_before_its_adjective(tmp_path: Path) -> None:
    folder = tmp_path
    text, index = b"", []
    for entry in ("vind /x/ <adj>\nvino\n", "vind /x/ <n, ut>\ntuuli\n",
                  "kraft /x/ <n, ut>\nvoima\n"):
        data = entry.encode("utf-8")
        index.append(f"{entry.split()[0]}\t{_b64(len(text))}\t{_b64(len(data))}")
        text += data
    (folder / "freedict-swe-fin.index").write_text("\n".join(index) + "\n", encoding="utf-8")
    with gzip.open(folder / "freedict-swe-fin.dict.dz", "wb") as f:
        f.write(text)
    sv = FreeDict.installed("sv", folder, hunspell_folder=folder)
    assert sv.lookup("vind") == ["vino", "tuuli"]  # the dictionary's order
    assert sv.lookup("vind", ("n", "adj")) == ["tuuli", "vino"]
    assert sv.translations("vindkraft", "sv") == ["tuuli", "vino", "voima"]


# a Hunspell dictionary as Debian's hunspell-sv writes one: strong verbs' pasts by suffix rules
# that change the stem ("få" → "fick", "fått"), a noun's genitive, compounding
HUNSPELL_AFF = """SET UTF-8
COMPOUNDFLAG Z
SFX M Y 2
SFX M å ick [fg]å
SFX M 0 tt [^l]å
SFX K Y 1
SFX K a de la
SFX E Y 1
SFX E 0 ns n
"""
HUNSPELL_DIC = "5\nfå/M\nbeställa/K\nfan/E\nvind/Z\nprojekt/Z\n"


def test_a_form_snowball_misses_is_looked_up_by_its_hunspell_stem(tmp_path: Path) -> None:
    pytest.importorskip("hunspell")
    (tmp_path / "sv_SE.aff").write_text(HUNSPELL_AFF, encoding="utf-8")
    (tmp_path / "sv_SE.dic").write_text(HUNSPELL_DIC, encoding="utf-8")
    write_dictd(tmp_path, "freedict-swe-fin", {
        "få": "få /x/ <adj>\nharva\n", "beställa": "beställa /x/ <v>\ntilata\n",
        "fan": "fan /x/ <interjection>\npiru\n", "vind": "vind /x/ <adj>\nvino\n"})
    write_dictd(tmp_path, "freedict-fin-swe", {"saada": "saada /x/ <v>\nfå\n"})
    sv = FreeDict.installed("sv", tmp_path, hunspell_folder=tmp_path, lemmas=False)
    assert sv.base_forms("fick") == [("få", "v"), ("få", "adj")]
    # a verb's stem as a verb: fin-swe's saada, not swe-fin's adjective "few"
    assert sv.translations("fick", "sv") == sv.translations("fått", "sv") == ["saada"]
    assert sv.translations("beställde", "sv") == ["tilata"]
    assert sv.translations("fanns", "sv") == []  # a noun parse (fan + ns) is no verb's form
    # a compound's "stem" is its first part, no base form of the word
    assert sv.base_forms("vindprojekt") == [] and sv.translations("vindprojekt", "sv") == []
    # without the Hunspell dictionary the step is left out
    assert FreeDict.installed("sv", tmp_path, hunspell_folder=tmp_path / "none",
                              lemmas=False).translations("fick", "sv") == []


def test_a_dictionary_that_will_not_load_leaves_out_its_step_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    import indexer.freedict as freedict
    pytest.importorskip("hunspell")
    calls = []

    def broken(*args: str) -> None:
        calls.append(args)
        raise OSError("unreadable")

    monkeypatch.setattr(freedict.hunspell, "HunSpell", broken)
    (tmp_path / "sv_SE.aff").write_text(HUNSPELL_AFF, encoding="utf-8")
    (tmp_path / "sv_SE.dic").write_text(HUNSPELL_DIC, encoding="utf-8")
    forms = freedict.BaseForms.installed("sv", hunspell_folder=tmp_path, lemmas=False)
    assert forms("fick") == [] and forms("beställde") == []  # no base forms, no error
    assert len(calls) == 1 and "unreadable" in caplog.text  # tried once, said once
    (tmp_path / "verb.exc").write_bytes(b"\xff\xfe not utf-8\n")
    assert freedict.BaseForms.installed("en", wordnet=tmp_path, lemmas=False)("paid") == []


def test_an_english_irregular_form_is_looked_up_by_wordnet_s_exception_lists(
        tmp_path: Path) -> None:
    (tmp_path / "noun.exc").write_text("children child\nmice mouse\n", encoding="utf-8")
    (tmp_path / "verb.exc").write_text("paid pay\nbuilt build\n", encoding="utf-8")
    write_dictd(tmp_path, "freedict-eng-fin", {
        "child": "child /x/ <n>\nlapsi\n", "build": "build /x/ <n>\nversio\n",
        "pay": "pay /x/ <n>\npalkka\n"})
    en = FreeDict.installed("en", tmp_path, wordnet=tmp_path, lemmas=False)
    assert en.base_forms("children") == [("child", "n")]
    assert en.translations("children", "en") == ["lapsi"]
    # a base form is looked up as its part of speech: "pay" is no verb of this dictionary
    assert en.translations("paid", "en") == []
    assert en.translations("mice", "en") == []  # no such headword
    assert FreeDict.installed("en", tmp_path, wordnet=tmp_path / "none",
                              lemmas=False).base_forms is None


def test_a_form_hunspell_misses_is_looked_up_by_its_lemma(tmp_path: Path) -> None:
    # simplemma's Swedish dictionary: an s-passive ("tas": ta), a deponent's past ("fanns":
    # finnas, sv_SE's Hunspell reads the noun "fan"), a particle verb's strong past ("deltog":
    # delta, which Hunspell lists as a word of its own)
    pytest.importorskip("simplemma")
    write_dictd(tmp_path, "freedict-swe-fin", {
        "ta": "ta /x/ <v>\n1. ottaa\n2. tuoda\n",
        "delta": "delta /x/ <n, neut>\nsuisto\n",
        "delta ": "delta /x/ <v>\nosallistua\n"})
    write_dictd(tmp_path, "freedict-fin-swe", {"olla": "olla /x/ <v>\nvara, finnas\n"})
    index = tmp_path / "freedict-swe-fin.index"  # two entries of one headword, as dictd lists them
    index.write_text(index.read_text(encoding="utf-8").replace("delta \t", "delta\t"),
                     encoding="utf-8")
    sv = FreeDict.installed("sv", tmp_path, hunspell_folder=tmp_path / "none")
    assert sv.translations("tas", "sv") == ["ottaa", "tuoda"]
    assert sv.translations("fanns", "sv") == ["olla"]  # fin-swe's, read backwards
    assert sv.translations("deltog", "sv") == ["osallistua"]  # the verb, not the river's delta
    # a form the lemma dictionary does not list has no base form: its rules guess none
    assert sv.base_forms("eltillbehör") == []
    assert FreeDict.installed("sv", tmp_path, hunspell_folder=tmp_path / "none",
                              lemmas=False).base_forms is None


def test_a_lemma_dictionary_that_will_not_load_leaves_out_its_step_once(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    import indexer.freedict as freedict
    pytest.importorskip("simplemma")
    calls = []

    class Broken:
        def get_lemma(self, word: str, lang: str) -> str:
            calls.append(word)
            raise OSError("unreadable")

    monkeypatch.setattr(freedict, "DictionaryLookupStrategy", Broken)
    forms = freedict.BaseForms(lemma_language="sv")
    assert forms("fanns") == [] and forms("tas") == []  # no base forms, no error
    assert calls == ["fanns"] and "unreadable" in caplog.text  # tried once, said once


@pytest.fixture(scope="module")
def glossary_reader(tmp_path_factory: pytest.TempPathFactory) -> QueryReader:
    """A Swedish dictionary without the glossary's words, and an index holding Finnish compounds
    of its translations and the glossary's terms."""
    folder = tmp_path_factory.mktemp("dictd")
    sv = write_dictd(folder, "freedict-swe-fin", {
        "ränta": "ränta /x/ <n, ut>\nkorko\n", "pris": "pris /x/ <n, neut>\nhinta\n",
        "balans": "balans /x/ <n, ut>\nliipotin\n", "räkning": "räkning /x/ <n, ut>\nlasku\n",
        "stad": "stad /x/ <n, ut>\nkaupunki\n"})
    analyzer = get_analyzer("auto")
    index_terms = {"korko", "tulo", "tuotto", "korkotuotto", "tarjous", "hinta", "tarjoushinta",
                   "kemi", "tase", "konserni", "konsernitase", "liipotin", "lasku", "kaupunki"}
    return QueryReader(analyzer, Glossary(analyzer), ["Kemi"], [], {"sv": sv},
                       known=lambda term: term in index_terms)


def test_a_swedish_compound_s_last_part_may_be_a_glossary_word(glossary_reader: QueryReader) -> None:
    # "ränte|intäkter": swe-fin has no intäkt; the glossary's tulot|tuotot, ränta's korko
    sv = glossary_reader.dictionaries["sv"]
    assert glossary_reader.glossary_tail(sv, "ränteintäkter") == (["korko"], ["tulot", "tuotot"])
    info = glossary_reader.read("Hur mycket ränteintäkter hade Kemi 2024?", "sv")
    assert info.translated["korkotuotto"] == 1.0  # the compound the index holds
    assert {"korko", "tuotto"} <= set(info.terms)
    assert glossary_reader.glossary_tail(sv, "ränta") == ([], [])  # no compound
    # a first part the dictionary lacks leaves the glossary's word alone
    assert glossary_reader.glossary_tail(sv, "kyrkointäkter") == ([], ["tulot", "tuotot"])


def test_a_swedish_compound_s_first_part_may_be_a_glossary_word(glossary_reader: QueryReader) -> None:
    # "anbud|s|priset": the glossary covers the word as anbud, tarjous; the rest is pris, hinta
    info = glossary_reader.read("Vad var anbudspriset i Kemi?", "sv")
    assert "tarjous" in info.terms and info.translated["tarjoushinta"] == 1.0
    # the rest no word of the dictionary: no compound
    entries = glossary_reader.glossary.found(glossary_reader.analyzer.terms("anbuden", "sv"), "sv",
                                             ["anbuden"])[0]
    assert entries and glossary_reader.glossary_heads("Vem lämnade anbuden?", "sv", entries) == []


def test_two_words_are_one_headword_by_the_first_word_s_base_form(tmp_path: Path) -> None:
    pytest.importorskip("simplemma")
    write_dictd(tmp_path, "freedict-eng-fin", {
        "take part": "take part /x/ <v>\nosallistua\n", "part": "part /x/ <n>\nosa\n"})
    en = FreeDict.installed("en", tmp_path, wordnet=tmp_path / "none")
    assert en.phrase("took", "part", "en") == en.phrase("taking", "part", "en") == ["osallistua"]
    assert en.phrase("big", "part", "en") == []  # no headword of the two


def test_a_british_re_is_looked_up_as_the_dictionary_s_er(tmp_path: Path) -> None:
    en = write_dictd(tmp_path, "freedict-eng-fin", {
        "theater": "theater /x/ <n>\nteatteri\n", "moer": "moer /x/ <n>\nmuu\n"})
    assert en.translations("Theatres", "en") == en.translations("theatre", "en") == ["teatteri"]
    assert en.translations("more", "en") == []  # a vowel before "re" is no British ending


def test_british_spellings_are_looked_up_as_the_dictionary_s_american(tmp_path: Path) -> None:
    en = write_dictd(tmp_path, "freedict-eng-fin", {
        "labor": "labor /x/ <n>\ntyövoima\n", "behavior": "behavior /x/ <n>\nkäyttäytyminen\n",
        "license": "license /x/ <n>\nlupa\n", "program": "program /x/ <n>\nohjelma\n",
        "programme manager": "programme manager /x/ <n>\nohjelmapäällikkö\n",
        "organizational": "organizational /x/ <adj>\norganisatorinen\n",
        "analyze": "analyze /x/ <v>\nanalysoida\n", "fulfill": "fulfill /x/ <v>\ntäyttää\n",
        "travel": "travel /x/ <v>\nmatkustaa\n", "pediatric": "pediatric /x/ <adj>\npediatrinen\n",
        "four": "four /x/ <num>\nneljä\n", "fill": "fill /x/ <v>\ntäyttää\n",
        "file": "file /x/ <n>\ntiedosto\n"})
    for british, finnish in (("labour", "työvoima"), ("behaviour", "käyttäytyminen"),
                             ("licence", "lupa"), ("organisational", "organisatorinen"),
                             ("analysed", "analysoida"), ("fulfil", "täyttää"),
                             ("travelled", "matkustaa"), ("paediatric", "pediatrinen")):
        assert en.translations(british, "en") == [finnish], british
    # a word that is no headword of its own, in the American spelling before its stem's others
    assert en.translations("programme", "en") == ["ohjelma"]
    assert en.translations("four", "en") == ["neljä"]  # a headword as written stays itself
    assert en.translations("filled", "en") == ["täyttää"]  # one syllable: no "filed"
    assert en.translations("sour", "en") == []  # no headword in either spelling


def test_a_glossary_word_in_a_compound_comes_before_the_dictionary_s_parts(
        glossary_reader: QueryReader) -> None:
    # balansräkning is the glossary's tase; the dictionary's balans|räkning is liipotin, lasku
    sv = glossary_reader.dictionaries["sv"]
    assert sv.translations("stadsbalansräkning", "sv")[:1] == ["kaupunki"]  # its parts
    info = glossary_reader.read("Hur stor var stadsbalansräkningen i Kemi?", "sv")
    assert "tase" in info.terms and not {"liipotin", "lasku"} & set(info.terms)
    # the glossary's first part (koncern, konserni) and its last (balansräkning, tase): their
    # compound, which the index holds, is the one meant
    info = glossary_reader.read("Hur stor var Kemis koncernbalansräkning?", "sv")
    assert "konserni" in info.terms and info.translated["konsernitase"] == 1.0
    assert not {"liipotin", "lasku", "tase"} & set(info.terms)


def test_a_glossary_word_s_compound_the_index_lacks_leaves_its_parts(
        glossary_reader: QueryReader, monkeypatch: pytest.MonkeyPatch) -> None:
    word = "koncernbalansräkning"
    entries = glossary_reader.glossary.found(glossary_reader.analyzer.terms(word, "sv"), "sv", [word])[0]
    vocabulary = glossary_reader.vocabulary
    monkeypatch.setattr(glossary_reader, "vocabulary",
                        lambda terms: {t for t in vocabulary(terms) if t != "konsernitase"})
    assert glossary_reader.glossary_heads(word, "sv", entries) == ["tase"]
