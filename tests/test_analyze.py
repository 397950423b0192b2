"""Golden cases for the Finnish analysis behind lexical search."""

from __future__ import annotations

import pytest

from indexer.analyze import VoikkoAnalyzer, compound_parts, derivation_base, get_analyzer, marked, part_words
from indexer.language import detect_language


@pytest.fixture(scope="module")
def voikko():
    analyzer = get_analyzer("auto")
    if analyzer.name != "voikko":
        pytest.skip("Voikko is not installed here (make install puts it in)")
    return analyzer


def test_inflections_share_a_lemma(voikko) -> None:
    assert "valtionosuus" in voikko.terms("valtionosuudet")
    assert "valtionosuus" in voikko.terms("valtionosuuksia")
    assert "valtionosuus" in voikko.terms("Valtionosuuksien")


def test_compounds_give_their_parts(voikko) -> None:
    assert voikko.terms("arkistotoimen") == ["arkistotoimi", "arkisto", "toimi"]
    # a query with the parts apart meets the joined compound
    assert {"arkisto", "toimi"} <= set(voikko.terms("arkiston toimi"))


def test_line_break_hyphenation_is_joined(voikko) -> None:
    assert "digitointihanke" in voikko.terms("arkiston digi- tointihankkeen kilpailutus")
    # coordination hyphens stay apart
    assert "kasvatus" in voikko.terms("Kasvatus- ja opetuslautakunta")


def test_kemi_and_kemijarvi_are_different_terms(voikko) -> None:
    assert "kemi" in voikko.terms("Kemin")
    assert "kemijärvi" in voikko.terms("Kemijärven")
    assert "kemi" not in voikko.terms("Kemijärven")


def test_function_words_are_dropped_by_word_class(voikko) -> None:
    assert voikko.terms("missä on ja että") == []


def test_numbers_stay_tokens(voikko) -> None:
    assert voikko.terms("27 677 ja 54,58 % vuonna 2022") == ["27677", "54,58", "vuosi", "2022"]


def test_zero_width_spaces_do_not_split_numbers(voikko) -> None:
    assert "13,29" in voikko.terms("13,\u200b29 milj. euroa")


def test_snowball_fallback_stems() -> None:
    snowball = get_analyzer("snowball")
    assert snowball.name == "snowball"
    assert snowball.terms("talousarviossa") == snowball.terms("talousarvio")
    assert snowball.terms("kemi ja kemijärvi") == ["kemi", "kemijärv"]


def test_english_and_swedish_get_their_own_stemmer(voikko) -> None:
    assert voikko.terms("municipal subsidies", "en") == ["municip", "subsidi"]
    assert voikko.terms("kommunernas statsandelar", "sv") == ["kommun", "statsandel"]


def test_marked_words_are_those_meeting_the_query(voikko) -> None:
    text = "Kemin valtionosuudet olivat 27 677"
    assert marked(voikko.words(text), set(voikko.terms("valtionosuus"))) == [[6, 20]]


class _NoVoikko:
    def analyze(self, word: str) -> list:
        raise AssertionError(f"'{word}' was analysed again")


def test_remembered_analyses_are_not_made_again(voikko) -> None:
    text = "Arkiston digi- tointihankkeen kilpailutus"
    saved = voikko.word_terms([text])
    # both as `words` splits the text (at the hyphen) and as `terms` joins it
    assert {"arkiston", "digi", "tointihankkeen", "digitointihankkeen"} <= saved.keys()
    assert saved["digitointihankkeen"] == voikko.terms("digitointihankkeen")
    fresh = VoikkoAnalyzer()  # another process's analyzer, given what the index saved
    fresh.remember(saved)
    fresh._voikko = _NoVoikko()  # a word it had to analyse now would fail
    assert fresh.terms(text) == voikko.terms(text)
    wanted = set(voikko.terms("kilpailutus"))
    assert marked(fresh.words(text), wanted) == marked(voikko.words(text), wanted) == [[30, 41]]


def test_compound_parts_from_wordbases() -> None:
    assert compound_parts("+arkisto(arkisto)+toimi(toimi)") == ["arkisto", "toimi"]
    assert compound_parts("+digitoi(digitoida)+n+ti(+ti)") == []
    assert compound_parts("+Kemijärvi(Kemi=järvi)") == []


def test_compound_parts_as_words_keep_their_suffixes(voikko) -> None:
    # the parts as a report writes them ("terveys", "tarkastus"), not the roots terve, tarkastaa
    assert part_words("+terve(terve)+ys(+ys)+tarkast(tarkastaa)+us(+us)") == ["terveys", "tarkastus"]
    assert part_words("+kaupungin(kaupunki)+johta(johtaa)+ja(+ja)") == ["kaupunki", "johtaja"]
    assert part_words("+hallinto(hallinto)+-+oikeus(oikeus)") == ["hallinto", "oikeus"]
    assert part_words("+digitoi(digitoida)+n+ti(+ti)") == []  # a simple word
    assert part_words("+Kemijärvi(Kemi=järvi)") == []
    # a prefix with no base form begins the part after it, a suffix follows the part before
    assert part_words("+liiku(liikkua)+nta(+ta)+esi+opetus(opetus)") == ["liikunta", "esiopetus"]
    assert part_words("+koko(koko)+nais(nainen)+yli+jää(jäädä)+m+ä(+ä)") == ["koko", "nainen",
                                                                              "ylijäämä"]
    assert part_words("+tappio(tappio)+lli+nen(+nen)+vero(vero)") == ["tappiollinen", "vero"]
    assert voikko.compounds("äänestysprosentti") == [("äänestysprosentti", ["äänestys", "prosentti"])]
    assert ("lukiolainen", []) in voikko.compounds("lukiolaista")  # a simple reading too


def test_derivation_bases_from_wordbases(voikko) -> None:
    assert derivation_base("+yli+jäämä(jäämä)+inen(+inen)") == "ylijäämä"
    assert derivation_base("+tappio(tappio)+lli+nen(+nen)") == "tappio"
    assert derivation_base("+poist(poistaa)+o(+o)") == "poistaa"
    assert derivation_base("+arkisto(arkisto)+toimi(toimi)") is None  # a compound, not derived
    assert derivation_base("+kaupunki(kaupunki)") is None
    assert "ylijäämä" in voikko.bases("tilinpäätös muodostui ylijäämäiseksi")


def test_a_noun_s_source_verb(voikko) -> None:
    assert voikko.source_verb("investointi") == "investoida"  # '+investoi(investoida)+n+ti(+ti)'
    assert voikko.source_verb("hankinta") == "hankkia"
    assert voikko.source_verb("sähköinen") is None  # derived from a noun (sähkö), no verb
    assert voikko.source_verb("investoida") is None  # a verb itself
    assert voikko.source_verb("kaupunki") is None  # not derived


@pytest.mark.parametrize(("text", "lang"), [
    ("Kemin valtionosuudet", "fi"),
    ("missä vaiheessa on rakennusvalvonnan arkiston digitointi?", "fi"),
    ("What were the state subsidies of Kemi in 2022?", "en"),
    ("Hur mycket investerade Kauhava år 2024?", "sv"),
])
def test_language_detection(voikko, text: str, lang: str) -> None:
    assert detect_language(text, voikko) == lang


def test_person_names_but_not_a_question_word_read_as_one(voikko) -> None:
    assert voikko.names_person("Kaupunginjohtajaksi valittiin Matti Virtanen.")
    assert not voikko.names_person("Milloin valtuusto kokoontuu?")  # "Milloin": the name Milla
    assert voikko.place_names("Kemin ja Kemijärven valtionosuudet") == ["Kemi", "Kemijärvi"]


def test_lemmas_without_a_compounds_parts(voikko) -> None:
    assert voikko.lemmas("Yhtiökokous hyväksyi jäsenmaksun") == ["yhtiökokous", "hyväksyä", "jäsenmaksu"]
    assert "jäsen" in voikko.terms("jäsenmaksun")  # (the index's terms hold the parts)
    # a word broken over a line is one word, a number its term
    assert voikko.lemmas("kaupun- ginjohtajalle 2 500") == ["kaupunginjohtaja", "2500"]


def test_a_words_lemmas_without_its_compounds_parts(voikko) -> None:
    # every reading's lemma ("vakinaista": vakinaistaa or vakinainen), not a part ("toiminta")
    assert voikko.word_lemmas("Toimintatuotot") == ["toimintatuotto"]
    assert set(voikko.word_lemmas("vakinaista")) >= {"vakinainen"}
    # a stopword's too ("muut", which `terms` drops)
    assert voikko.word_lemmas("muut") == ["muu"] and voikko.terms("muut") == []


def test_a_verb_is_one_in_some_reading_a_participle_too(voikko) -> None:
    assert voikko.is_verb("kasvoivat") and voikko.is_verb("ylittivät") and voikko.is_verb("jäi")
    # Voikko reads a participle as an adjective only ("on kasvanut", "ylittyneet", "vähentynyt"),
    # an ambiguous form as a verb and a noun or an adjective ("parani": para; "kasvavat": kasvava)
    assert all(voikko.is_verb(w) for w in ("kasvaneet", "kasvanut", "ylittyneet", "laskenut",
                                           "vähentynyt", "kasvavat", "parani"))
    # the noun of a change is what a row's label says; "muutos", "vähennys" are no verbs
    assert not voikko.is_verb("vähennys") and not voikko.is_verb("muutos")
    assert not voikko.is_verb("Kauhavan")
    # an agent participle is a noun, a column's label ("Poikkeama", "Toteutuma"), and an
    # imperative reading no question's verb ("eroa": erota's, or ero's partitive)
    assert not any(voikko.is_verb(w) for w in ("poikkeama", "toteutuma", "eroa"))
