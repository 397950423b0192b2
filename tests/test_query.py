"""What a question asks, read once from its form (api/query.py)."""

from __future__ import annotations

import pytest

from api.query import REASON, QueryReader, asks_decider, asks_decision, intent_of, is_month, period_cues
from indexer.analyze import get_analyzer
from indexer.glossary import Glossary


@pytest.mark.parametrize(("question", "intent"), [
    ("missä vaiheessa on rakennusvalvonnan arkiston digitointi?", ("status", None)),
    ("Onko Kemijärvellä otettu Kevan oppimisympäristö esimiesten käyttöön?", ("status", None)),
    ("Paljonko Kauhavan kunnallisvero poikkesi talousarviosta 2024?", ("figure", "difference")),
    ("Paljonko investoinnit ylittivät talousarvion?", ("figure", "difference")),
    ("Montako vakinaista työntekijää Kauhavalla oli 2023 lopussa?", ("figure", "count")),
    ("Mikä on lainakanta euroa asukasta kohden?", ("figure", "per_capita")),
    ("What was the unemployment rate in Kemi?", ("figure", "share")),
    ("Hur stor andel av kostnaderna täcktes med statsandelar?", ("figure", "share")),
    ("Paljonko Kemi sai valtionosuuksia 2022?", ("figure", "amount")),
    # a price asked by its verb, in each language
    ("What did a main meal cost for students in Lapua?", ("figure", "amount")),
    ("Vad betalar en passagerare för en skolskjuts i Lapua?", ("figure", "amount")),
    ("Till vilket pris beställde Helsingfors arbetena?", ("figure", "amount")),
    ("Mitä pääateria maksoi opiskelijoille Lapualla?", ("figure", "amount")),
    # a population is a count of people
    ("What was Seinäjoki's population at the end of 2024?", ("figure", "count")),
    ("Mikä oli Kemin väkiluku vuoden 2024 lopussa?", ("figure", "count")),
    ("Hur stor var befolkningen i Kemi 2024?", ("figure", "count")),
    ("Seinäjoen lainasalkun keskikoron tavoitetaso", ("goal", None)),
    ("miksi toimintakate heikkeni?", ("reason", None)),
    ("Kuka valittiin tarkastuslautakunnan puheenjohtajaksi?", ("who", None)),
    ("milloin uimahalli valmistuu?", ("when", None)),
    ("missä kaupungeissa työttömyys laski?", ("list", None)),
    ("vertaa Kemiä ja Heinolaa", ("list", None)),
    ("Which municipalities had a deficit?", ("list", None)),
    # English and Swedish figure questions by their own question words
    ("Hur stora var Seinäjokis verksamhetsintäkter 2024?", ("figure", "amount")),
    ("Hur hög var arbetslöshetsgraden i Lappo?", ("figure", "share")),
    ("Vad var Kauhavas soliditetsgrad?", ("figure", "share")),
    ("What were the operating expenses of the audit function?", ("figure", "amount")),
    ("How large was the deficit?", ("figure", "amount")),
    # "statsandelar" (state subsidies) is no share: "andel" only as a word's start
    ("Statsandelar i Kemi 2022", ("other", None)),
    # "syyskuu" (September) is no reason ("syy"); an "osuuskunta" (co-operative) no share
    ("Paljonko toimintakate oli syyskuun loppuun mennessä?", ("figure", "amount")),
    ("Mitä vesiosuuskunnan vuosikokous päätti?", ("other", None)),
    # a budget over- or underrun asked yes or no asks by how much; so do verbs of change
    ("Alittuivatko sosiaalipalvelujen menot talousarviosta?", ("figure", "difference")),
    ("Jäivätkö verotulot budjetista vuonna 2024?", ("figure", "difference")),
    ("Paljonko vuosikate pieneni vuodesta 2023?", ("figure", "difference")),
    ("Paljonko määrärahaa korotettiin toukokuussa?", ("figure", "difference")),
    # …but the amended budget is a figure of its own
    ("Mikä oli toimintakatteen talousarvio muutosten jälkeen?", ("figure", "amount")),
    ("Kuinka suuri osa menoista katettiin verotuloilla?", ("figure", "share")),
    ("Paljonko lainaa oli asukasta kohti?", ("figure", "per_capita")),
    ("Kuinka monen päivän kuluessa saamiset siirretään perintään?", ("figure", "count")),
    # a share asked in words is the figure, whatever the question says of the budget
    ("Ylittyikö budjetti, ja montako prosenttia siitä oli käytetty?", ("figure", "share")),
    # an osuuskunta (a cooperative) is no share, syyskuu (September) no reason (syy)
    ("Mitä Matarojan vesijohto-osuuskunnan vuosikokous päätti?", ("other", None)),
    ("Ovatko Lapuan toimintakulut pysyneet budjetissa syyskuuhun 2024 mennessä?", ("status", None)),
    ("Miten Kalevan Navetan markkinointi on onnistunut?", ("status", None)),
    # English and Swedish yes/no questions open with a finite verb, as "Onko…" does
    ("Did the company reach its target of a zero result in 2024?", ("status", None)),
    ("Does the group use its subsidiaries' own depreciation periods?", ("status", None)),
    ("Kan beslutet överklagas?", ("status", None)),
    # "mikä oli" + a state asks the status, not a figure; + a figure's name, the figure
    ("Mikä oli Kemin liikuntahankkeen tilanne kesäkuussa 2022?", ("status", None)),
    ("What was the status of the new school building in 2024?", ("status", None)),
    # "state" is a state only as "the state of …": "state subsidies" are a figure
    ("What was the state of the new school building in 2024?", ("status", None)),
    ("What were Kemi's state subsidies in January–June 2022?", ("figure", "amount")),
    ("Mikä oli hankkeen tilanne, montako prosenttia oli käytetty?", ("figure", "share")),
    # toteutui, onnistui in English and Swedish
    ("Hur har verksamhetskostnaderna utfallit 2024?", ("status", None)),
    ("How has the digital strategy been implemented?", ("status", None)),
    # which + one who acts asks who, as "mikä yritys" does; which cities asks across places
    ("Which firm was chosen as the city's auditor?", ("who", None)),
    ("Which municipality administers the project?", ("who", None)),
    ("Vilken entreprenör valdes?", ("who", None)),
    # …and in Finnish and Swedish by the actor's noun: an agency, a subsidiary, a board, a firm
    ("Mikä ELY-keskus antoi lausunnon?", ("who", None)),
    ("Minkä tytäryhtiön tulos parani eniten?", ("who", None)),
    ("Mikä kunnan lautakunta laittoi asian vireille?", ("who", None)),
    ("Vilken revisionsbyrå valdes?", ("who", None)),
    ("Mikä oli yhtiön liikevaihto vuonna 2024?", ("figure", "amount")),
    ("Which cities had a deficit?", ("list", None)),
    # a heading typed for a figure, by a line of the accounts or a noun of an amount…
    ("Kemin valtionosuudet tammi–kesäkuu 2022", ("figure", "amount")),
    ("Kauhavan lyhytaikaiset saamiset 31.12.2023", ("figure", "amount")),
    ("Lapuan konsernin vuosikate 2024", ("figure", "amount")),
    ("Ritaharjun kaava-alueen pinta-ala", ("figure", "amount")),
    ("K-Supermarketin tupakkaluvan vuosittainen valvontamaksu", ("figure", "amount")),
    # …not a heading of a topic, a plan's measures or a meeting's minutes
    ("Kemijärven hallinto- ja tukipalvelujen tehtävä", ("other", None)),
    ("liikenneturvallisuussuunnitelma Lapua 2025-2026 painopistealueet", ("other", None)),
    ("Kuntayhtymä Kympin elokuun 2025 pöytäkirja", ("other", None)),
    ("Mäntyhaka 28:10 viemäriverkostoon liittyminen", ("other", None)),
    ("What is the aim of the youth workshop?", ("goal", None)),
    # a cause asked with the verb after what it is asked of; an aim asked in a verb
    ("Mistä Kemin toimintakulujen kasvu vuonna 2022 johtuu?", ("reason", None)),
    ("Minkä takia uimahallin remontti viivästyi?", ("reason", None)),
    ("Mihin Lapuan etsivällä nuorisotyöllä pyritään?", ("goal", None)),
    ("Mihin Kemijärven elinvoimaohjelma tähtää?", ("goal", None)),
    ("Vilket målvärde hade staden för trivseln i skolorna?", ("goal", None)),
    # from or until when asks a day as "milloin" does
    ("Mistä alkaen Lapuan työkyvyn tuen toimintamalli otettiin käyttöön?", ("when", None)),
    ("Mistä lähtien palvelu on ollut käytössä?", ("when", None)),
    ("Mihin asti hallinto-oikeus antoi lisäaikaa?", ("when", None)),
    ("Mihin saakka sopimus on voimassa?", ("when", None)),
    # "what was/were …" asks for a figure as "mikä oli" does
    ("What were Kauhava's total liabilities at the end of 2024?", ("figure", "amount")),
    # "municipality", "vitality" hold "alit" (alittui) and ask no difference
    ("What was the operating revenue of the vitality division in 2021?", ("figure", "amount")),
    # "kuinka suuri / suuren / suurta …" asks how large, "kuinka moni", "monelleko" how many
    ("Kuinka suuren avustuksen seura sai?", ("figure", "amount")),
    ("Kuinka suurta lainaa yhdistys haki?", ("figure", "amount")),
    ("Kuinka suureksi tuki arvioitiin?", ("figure", "amount")),
    ("Kuinka moni osallistui koulutukseen?", ("figure", "count")),
    ("Monelleko yritykselle tukea myönnettiin?", ("figure", "count")),
    # a noun of an amount asked by "mikä on", "what is", "vilket": the figure; any other noun not
    ("Mikä on urakan hyväksytty hankinta-arvo?", ("figure", "amount")),
    ("Mikä on palvelujen enimmäishinta?", ("figure", "amount")),
    ("Mikä on toimintakulujen tilinpäätösennuste vuodelle 2022?", ("figure", "amount")),
    ("What is the monthly rent of the premises?", ("figure", "amount")),
    ("What net cost was budgeted for the service?", ("figure", "amount")),
    ("Vilket pris offererade företaget?", ("figure", "amount")),
    ("Millä kauppahinnalla tontti myytiin?", ("figure", "amount")),
    ("Mitkä olivat konsernin rahavarat vuoden lopussa?", ("figure", "amount")),
    ("How far over budget did the school project go?", ("figure", "difference")),
    ("Mikä on palvelualueen tehtävä?", ("other", None)),
    # a person's cost or fee is an amount, not a count of people
    ("Paljonko ympäristölautakunnan henkilöstökulut olivat vuonna 2024?", ("figure", "amount")),
    ("Paljonko luottamushenkilömaksuja tilitettiin puolueelle?", ("figure", "amount")),
    ("Montako henkilöä osallistui koulutukseen?", ("figure", "count")),
    ("Mikä on hankkeen tavoite?", ("goal", None)),
    ("What is the value of the cooperation for the region?", ("figure", "amount")),
    # a word only like an intent's asks nothing (a review of round 15's patterns)
    # an English amount noun is a word of its own: not "parent", "current", "different"
    ("What is the parent company of Lapuan Energia?", ("other", None)),
    ("What are the different options for the school?", ("other", None)),
    ("What is the current situation of the bridge?", ("other", None)),
    ("Parent councils in Seinäjoki", ("other", None)),
    ("Transparent procurement practices", ("other", None)),
    # "millä tavalla / toimenpiteillä" asks how, a noun far after "mikä on" asks no amount
    ("Millä tavalla kustannuksia leikataan?", ("other", None)),
    ("Millä toimenpiteillä kustannuksia vähennetään?", ("other", None)),
    ("Mikä on kaupungin strategia ja miten se vaikuttaa kustannuksiin?", ("other", None)),
    # "kuinka monipuolisia" is no "kuinka moni"
    ("Kuinka monipuolisia palvelut ovat?", ("other", None)),
    ("Kuinka monimutkainen hanke on?", ("other", None)),
    # "keskusta" (a town's centre) is no ELY-keskus; a genitive before the noun asked of
    ("Mikä keskustan kaava on voimassa?", ("other", None)),
    ("Miltä keskustan tulevaisuus näyttää?", ("other", None)),
    ("Vilka föreningsbidrag beviljades?", ("other", None)),
    ("Vilken byråkrati krävs?", ("other", None)),
    # a heading's word holding an accounts line's letters, not as its head
    ("Maksuton varhaiskasvatus Lapualla", ("other", None)),
    ("Talous- ja velkaneuvonta", ("other", None)),
    ("Tasaveroinen kohtelu", ("other", None)),
    ("Kirjaston lainausajat", ("other", None)),
    ("Maahantulo ja kotoutuminen", ("other", None)),
    ("Lapuan kaupungin maksupolitiikka", ("other", None)),
    ("Asukaskyselyn tulos", ("other", None)),
    # an actor of a who question or an accounts line of a heading is the head of its word
    # a company's figure asks no who (nor, in this order of words, a figure the form tells)
    ("Mikä yhtiön liikevaihto oli vuonna 2024?", ("other", None)),
    ("Mikä konsernin tytäryhtiöiden yhteenlaskettu tulos oli?", ("other", None)),
    ("Minkä verran yritystukia myönnettiin?", ("figure", "amount")),
    ("Minkä tytäryhtiön tulos heikkeni?", ("who", None)),
    ("Mille yhtiölle urakka annettiin?", ("who", None)),
    ("Vilka föreningar fick bidrag?", ("who", None)),
    ("Lapuan asiakasmaksut 2024", ("figure", "amount")),
    ("Kauhavan lainakanta 2024", ("figure", "amount")),
    ("Seinäjoen tilikauden tulos 2024", ("figure", "amount")),
    ("Kiinteistövero Seinäjoki 2024", ("figure", "amount")),
    ("What are the costs of the school?", ("figure", "amount")),
])
def test_intent_from_the_question_form(question: str, intent: tuple) -> None:
    assert intent_of(question) == intent


def test_a_share_is_read_from_a_percent_column_and_is_no_difference() -> None:
    share = period_cues("Kuinka suuri osa määrärahasta oli käytetty heinäkuun loppuun?")
    assert share.percent and not share.difference
    asked = period_cues("Ylittyikö budjetti syyskuuhun mennessä, montako prosenttia oli käytetty?")
    assert asked.percent and not asked.difference
    assert period_cues("Paljonko menot ylittivät talousarvion?").difference
    assert not period_cues("Mikä oli talousarvio muutosten jälkeen?").difference
    assert not period_cues("Mikä on Lapuan tuloveroprosentti?").percent


def test_a_period_ends_with_the_last_month_named_and_a_word_that_starts_like_one_is_none() -> None:
    assert period_cues("Kemin valtionosuudet tammi–kesäkuu 2022").end_month == 6
    assert period_cues("How much was spent from January to March 2024?").end_month == 3
    assert period_cues("How much was spent by the end of May 2024?").end_month == 5
    assert period_cues("Operating costs January–May 2024").end_month == 5
    assert period_cues("How much may the city borrow in 2025?").end_month is None  # the modal
    # "syystä" (for a reason), "kesäseteleistä" (summer vouchers) begin like syys-, kesä-
    for question in ("Mistä syystä hanke viivästyi?", "Paljonko kesäseteleistä maksettiin 2024?"):
        cues = period_cues(question)
        assert cues.end_month is None and not cues.actual, question


def test_a_difference_word_is_a_word_of_its_own() -> None:
    # "alit" of "alittui" inside "municipality", "kvaliteetti"
    for question in ("Which municipality had the highest tax rate in 2024?",
                     "Mikä oli opetuksen kvaliteettitavoite 2024?"):
        assert not period_cues(question).difference, question
    assert period_cues("Paljonko menot alittivat talousarvion?").difference
    assert period_cues("Were costs higher than budgeted in 2024?").difference
    # a threshold is no comparison of two figures
    assert not period_cues("How many schools had more than 100 pupils in 2024?").difference
    # a figure against its budget, in English or Swedish
    assert period_cues("How far below budget were the land sales in 2024?").difference
    assert period_cues("Hur mycket låg kostnaderna under budgeten 2024?").difference
    assert not period_cues("How much was the budget for roads in 2024?").difference
    assert not period_cues("Did the centre reach its Erasmus exchange target?").difference
    # a time under the budget is no figure against it
    assert not period_cues("Hur mycket investerades under budgetåret 2024 i Lappo?").difference
    assert not period_cues("How much was spent on roads over the budget period 2024-2026?").difference


def test_a_forecast_is_asked_by_the_verb_as_by_the_noun() -> None:
    for question in ("Montako hoitopäivää Kemi ennusti vuodelle 2022?",
                     "Paljonko tuloja ennustetaan vuodelle 2022?",
                     "Mikä oli ennuste vuodelle 2022?", "What was forecast for 2022?"):
        assert period_cues(question).forecast, question
    assert not period_cues("Montako hoitopäivää toteutui vuonna 2022?").forecast


def test_swedish_var_asks_where_not_yes_or_no() -> None:
    assert intent_of("Var byggdes den nya skolan i Lappo?")[0] != "status"


def test_two_places_named_ask_across_places() -> None:
    assert intent_of("Kemin ja Kemijärven valtionosuudet", places=2) == ("list", None)
    # one place named asks no list (the heading of a line of the accounts asks its figure)
    assert intent_of("Kemin valtionosuudet", places=1) == ("figure", "amount")


def test_a_body_is_named_by_the_head_of_its_name_where_no_other_body_shares_it() -> None:
    analyzer = get_analyzer("auto")
    reader = QueryReader(analyzer, Glossary(analyzer), ["Lapua"], [],
                         bodies=["Kaupunginvaltuusto", "Kaupunginhallitus", "Tekninen lautakunta",
                                 "Hyvinvointilautakunta", "Kulttuuri- ja vapaa-aikalautakunta"])
    assert reader.read("Mitä valtuusto päätti sopimuksesta?").bodies == ["Kaupunginvaltuusto"]
    assert reader.read("Hyväksyikö hallitus ohjeen?").bodies == ["Kaupunginhallitus"]
    assert reader.read("Mitä tekninen lautakunta päätti?").bodies == ["Tekninen lautakunta"]
    # "lautakunta" ends every board's name: it names none of them; "vapaa" is no head
    assert reader.read("Mitä lautakunta päätti?").bodies == []
    assert reader.read("Onko uimahalli vapaa?").bodies == []


@pytest.fixture(scope="module")
def places_reader() -> QueryReader:
    analyzer = get_analyzer("auto")
    return QueryReader(analyzer, Glossary(analyzer), ["Helsinki", "Kauhava", "Lapua", "Mikkeli",
                                                      "Seinäjoki"], [])


@pytest.mark.parametrize(("question", "lang", "named"), [
    ("Hur hög var arbetslösheten i Lappo 2025?", "sv", ["Lapua"]),
    ("När ska protokollet hållas tillgängligt i Helsingfors?", "sv", ["Helsinki"]),
    ("Hur mycket återstod i S:t Michel efter juli?", "sv", ["Mikkeli"]),
    # the Swedish genitive -s of a name both languages share
    ("Vad var Kauhavas soliditetsgrad 2024?", "sv", ["Kauhava"]),
    ("Hur stora var Seinäjokis verksamhetsintäkter?", "sv", ["Seinäjoki"]),
    ("What were Lappo's operating expenses?", "en", ["Lapua"]),
])
def test_swedish_place_names_and_genitives_name_the_corpus_town(
        places_reader: QueryReader, question: str, lang: str, named: list[str]) -> None:
    info = places_reader.read(question, lang)
    assert info.municipalities == named
    assert info.unknown_places == []


@pytest.mark.parametrize(("question", "unknown"), [
    ("Hur hög var arbetslösheten i Vasa i augusti 2025?", ["Vaasa"]),
    ("Hur stora var Åbos verksamhetsintäkter 2024?", ["Turku"]),
    ("Hur stort var Kuopios främmande kapital 2024?", ["Kuopio"]),  # genitive of a Finnish name
])
def test_a_swedish_named_place_outside_the_corpus_is_unknown(
        places_reader: QueryReader, question: str, unknown: list[str]) -> None:
    info = places_reader.read(question, "sv")
    assert info.municipalities == []
    assert info.unknown_places == unknown


@pytest.mark.parametrize(("question", "unknown"), [
    ("Kuka on Tampereen kaupunginhallituksen puheenjohtaja?", ["Tampere"]),
    ("Paljonko Pietarsaaren kaupungin vuosikate oli vuonna 2024?", ["Pietarsaari"]),
    # a region of corpus towns and parts of a town are no municipality the corpus lacks: the
    # towns' own reports name them
    ("Milloin Etelä-Pohjanmaan kuntien yhteistyösopimus arvioidaan seuraavan kerran?", []),
    ("K-Supermarket Kaisaniemen tupakkaluvan vuosittainen valvontamaksu", []),
    ("Paljonko Törnävän kartanon investointi alitti talousarvion vuonna 2024?", []),
])
def test_only_a_municipality_outside_the_corpus_is_an_unknown_place(
        places_reader: QueryReader, question: str, unknown: list[str]) -> None:
    assert places_reader.read(question, "fi").unknown_places == unknown


@pytest.mark.parametrize(("question", "named", "term"), [
    ("Miksi Kortesjärven terveysaseman lämmitystä ei uusittu?", ["Kauhava"], "kortesjärvi"),
    ("Montako opiskelijaa Nurmon lukiossa oli?", ["Seinäjoki"], "nurmo"),
    ("Paljonko Ylistaron koulu maksoi Seinäjoelle?", ["Seinäjoki"], "ylistaro"),
])
def test_a_former_municipality_names_the_town_it_is_now_part_of(
        places_reader: QueryReader, question: str, named: list[str], term: str) -> None:
    # merged into Kauhava and Seinäjoki in 2009: their reports' places, not places outside the
    # corpus; the old name stays a word of what is asked
    info = places_reader.read(question, "fi")
    assert info.municipalities == named
    assert info.unknown_places == []
    assert term in info.content_terms
    # a former municipality of a town the index lacks names no town of it
    assert QueryReader(places_reader.analyzer, places_reader.glossary, ["Lapua"], []).read(
        question, "fi").unknown_places != []


def test_finnish_questions_keep_their_words(places_reader: QueryReader) -> None:
    # no Swedish reading of a Finnish question: "Vasa" and a final -s are Finnish words there
    info = places_reader.read("Paljonko Kauhavan kunnallisvero oli 2024?", "fi")
    assert info.text == "Paljonko Kauhavan kunnallisvero oli 2024?"
    assert info.municipalities == ["Kauhava"]


def test_a_genitive_s_is_removed_only_from_a_place(places_reader: QueryReader) -> None:
    info = places_reader.read("Hur stora var kostnaderna för Ylistaros skolor?", "sv")
    assert "Ylistaros" not in info.text  # a place Finnish morphology knows
    info = places_reader.read("Hur många Boys fanns det i Kauhava?", "sv")
    assert "Boys" in info.text  # no place


def test_a_tie_between_the_glossaries_goes_to_language_detection(places_reader: QueryReader) -> None:
    # "budgeterade" is a glossary word of both languages; the sentence is Swedish
    question = "Hur mycket av de budgeterade försäljningsintäkterna återstod i S:t Michel efter juli?"
    assert places_reader.read(question).language == "sv"
    assert places_reader.read("Budget Kemi 2022").language == "en"


def test_source_words_no_passage_holds_are_left_out(places_reader: QueryReader) -> None:
    known = {"talousarvio", "kauhava", "2024"}
    analyzer = places_reader.analyzer
    reader = QueryReader(analyzer, Glossary(analyzer), ["Kauhava"], [],
                         known=lambda term: term in known)
    info = reader.read("Kauhava budget 2024 unheardofword", "en")
    assert "talousarvio" in info.terms
    assert all(known.__contains__(t) for t in info.terms)
    # a Finnish question keeps them: a word no passage holds is a topic the corpus lacks
    finnish = reader.read("Kauhava talousarvio 2024 tuntematonsana", "fi").terms
    assert not all(known.__contains__(t) for t in finnish)


def test_a_word_with_finnish_terms_is_searched_by_them_not_by_its_own_stem(
        places_reader: QueryReader) -> None:
    # the index holds "budget" and "group" too (a few English passages): a word the glossary
    # translates is searched by its Finnish terms alone, a word it does not by its own stem
    known = {"talousarvio", "kauhava", "2024", "budget", "group", "pizza"}
    analyzer = places_reader.analyzer
    reader = QueryReader(analyzer, Glossary(analyzer), ["Kauhava"], [],
                         known=lambda term: term in known)
    info = reader.read("Kauhava budget pizza 2024", "en")
    assert "talousarvio" in info.terms and "budget" not in info.terms
    assert "pizza" in info.terms


def test_an_english_question_is_compared_with_labels_in_its_finnish_terms() -> None:
    analyzer = get_analyzer("auto")
    index_terms = {"toimintakulu", "muut", "toimintakulut", "toimia", "kulu", "kemijärvi", "2022"}
    reader = QueryReader(analyzer, Glossary(analyzer), ["Kemijärvi"], [],
                         known=lambda term: term in index_terms)
    info = reader.read("What were the other operating expenses of Kemijärvi in June 2022?", "en")
    words = info.finnish_text.split()
    written = {w for p in info.written for w in p.split()}
    assert "toimintakulu" in words and set(words) - written <= index_terms  # no "oper", "expens"
    # the glossary's phrase as the reports write it: "muut", no term, tells the row from the total
    assert "muut toimintakulut" in info.written and "muut toimintakulut" in info.finnish_text
    finnish = reader.read("Paljonko Kemijärven toimintakulut olivat?", "fi")
    assert finnish.finnish_text == finnish.text


def test_the_sections_and_days_a_question_names() -> None:
    from api.query import QueryInfo

    info = QueryInfo("Miten kaupunginhallituksen äänestys 2.12.2024 (§ 357) päättyi? Entä 12 §?",
                     "fi", [])
    assert info.item_refs == (12, 357) and info.days == ("2024-12-02",)
    assert QueryInfo("Kemin valtionosuudet 1.1.–30.6.2022", "fi", []).item_refs == ()
    # every day asked, in numbers or by the month's name; no day of a year or a month alone
    assert QueryInfo("Who was hired from 15 January 2022?", "en", []).asked_days == {"2022-01-15"}
    assert QueryInfo("Kuka otettiin virkaan 15.1.2022 alkaen?", "fi", []).asked_days == {"2022-01-15"}
    assert QueryInfo("Kuka oli puheenjohtaja elokuussa 2025?", "fi", []).asked_days == frozenset()


def test_the_days_a_text_writes_in_numbers() -> None:
    from api.query import iso_days

    assert iso_days("toimikaudeksi 1.9.2021–31.8.2022") == ["2021-09-01", "2022-08-31"]
    # a day without its year, a day that is none, a year alone: no day
    assert iso_days("kokoukset pidetään 11.6., 27.8. ja 31.2.2024 vuonna 2024") == []


def test_a_day_or_month_as_the_reports_write_it() -> None:
    from indexer.metadata import day_label

    assert day_label("2024-02-07") == "7.2.2024"
    assert day_label("2024-03") == "3/2024"


def test_the_days_a_text_names_on_their_own() -> None:
    """A range's days are a period's, not a day something was decided or held on: a decision
    quoted with its meeting's day is told by the day alone."""
    from api.query import single_days

    text = ("Sivistyslautakunta on kokouksessaan 10.6.2021 § 16 päättänyt koulukuljetuksista "
            "ajalle 1.8.2021-31.7.2024; toteuma ajalta 1.1.-31.7.2025 ja 24. maaliskuuta 2025")
    assert single_days(text) == ["2021-06-10", "2025-03-24"]


def test_finnish_compounds_of_two_parts() -> None:
    from api.query import compounds

    assert compounds(["kiinteistö"], ["vero"]) == ["kiinteistövero"]
    # an adjective in -nen joins by its compound stem, either way Finnish writes it
    assert compounds(["sosiaalinen"], ["työ"]) == ["sosiaalinentyö", "sosiaalistyö", "sosiaalityö"]
    assert compounds(["työ"], ["työ"]) == []  # a word is no compound of itself


@pytest.mark.parametrize(("word", "month"), [
    ("kesäkuun", True), ("tammi", True), ("joulukuussa", True),
    ("kesäseteleistä", False), ("elokuva", False), ("tammikuusi", True),
])
def test_a_month_is_its_name_not_a_word_starting_like_one(word: str, month: bool) -> None:
    # (a period word is no content word: "kesäseteleistä" was dropped from what a passage must hold)
    assert is_month(word) is month


@pytest.mark.parametrize(("question", "decider"), [
    ("kuka päätti kokousten striimauspalveluista?", True),
    ("Kuka hyväksyi katusuunnitelman?", True),
    ("Who decided on the streaming service?", True),
    ("kenet lautakunta hyväksyi urakoitsijaksi?", False),
    ("Kuka valittiin virkaan?", False),
    ("mitä lautakunta päätti?", False),
])
def test_who_decided_asks_for_the_decider(question: str, decider: bool) -> None:
    assert asks_decider(question) is decider
    assert asks_decision(question)


def test_the_meeting_a_question_names() -> None:
    from api.query import QueryInfo

    def meeting(text: str, years: list[int]) -> tuple[str, ...]:  # the cues as the reader reads them
        return QueryInfo(text, "fi", [], years=years, cues=period_cues(text)).meeting

    assert meeting("Kuka poistui esteellisenä kokouksesta 7.4.2025?", [2025]) == ("2025-04-07",)
    assert meeting("Who chaired the council meeting of 24 March 2025?", [2025]) == ("2025-03-24",)
    assert meeting("Vem ledde mötet den 24 mars 2025?", [2025]) == ("2025-03-24",)
    assert meeting("Kuka oli puheenjohtaja elokuussa 2025?", [2025]) == ("2025-08",)
    # no month, two months, two years, or a word that only starts like a month: no one meeting
    assert meeting("Kuka oli puheenjohtaja vuonna 2025?", [2025]) == ()
    assert meeting("Kuka johti kokouksia touko- ja kesäkuussa 2025?", [2025]) == ()
    assert meeting("Kuka oli puheenjohtaja elokuussa 2024 ja 2025?", [2024, 2025]) == ()
    assert meeting("Kuka jakoi kesäsetelit 2025?", [2025]) == ()
    assert meeting("Who may sign the board's minutes in 2025?", [2025]) == ()  # the modal "may"
    # a who question naming a body and a meeting asks about that meeting
    asked = "Kuka oli tarkastuslautakunnan puheenjohtaja joulukuussa 2024?"
    info = QueryInfo(asked, "fi", [], years=[2024], bodies=["Tarkastuslautakunta"], cues=period_cues(asked))
    assert info.asks_meeting
    assert not QueryInfo("tarkastuslautakunnan toimintakulut joulukuussa 2024", "fi", [],
                         years=[2024], bodies=["Tarkastuslautakunta"]).asks_meeting


def test_what_a_body_did_with_a_matter_asks_its_decision() -> None:
    from api.query import asks_decision

    assert asks_decision("Mitä kaupunginvaltuusto teki kännykkäkieltoa koskevalle aloitteelle?")
    assert asks_decision("Mitä Lapuan ympäristölautakunta teki toimintasuunnitelmalle?")
    # a service's doings are no body's decision, nor a town's
    assert not asks_decision("Montako yrityskäyntiä Mikkelin työllisyyspalvelut tekivät vuonna 2021?")
    assert not asks_decision("Mitä kaupunki teki asialle?")


def test_a_vote_asked_about_in_any_language_asks_a_decision() -> None:
    # the vote words the decision answerer reads a tally by are those that reach it
    from api import decisions, query

    assert decisions.VOTE is query.VOTE
    for question in ("How did the vote on the school closure end in Lapua?",
                     "Hur slutade omröstningen om skolan?", "Who voted against the budget?",
                     "Miten Lapuan teknisen lautakunnan nimenhuutoäänestys 18.2.2025 päättyi?"):
        assert asks_decision(question), question
    assert not asks_decision("How many voters did Lapua have?")


def test_a_yes_no_clitic_is_read_off_the_word_not_its_ending() -> None:
    analyzer = get_analyzer("auto")
    if analyzer.name != "voikko":
        pytest.skip("Voikko is not installed here (make install puts it in)")
    for asked in ("pantiinko", "onko", "hyväksyttiinkö"):
        assert analyzer.asks_yes_no(asked), asked
    for named in ("verkko", "Koivikko", "Marko", "Hanko", "Tilinpäätöstaulukko"):
        assert not analyzer.asks_yes_no(named), named
    # a § titled by a noun in -kko is a topic named alone
    reader = QueryReader(analyzer, Glossary(analyzer), ["Lapua"], [])
    assert reader.read("Sadevesiverkko Mäntyhaka", "fi").names_topic


def test_yes_or_no_is_asked_in_every_language(places_reader: QueryReader) -> None:
    reader = places_reader
    assert reader.read("Toteutuiko koulukuljetusten kilpailutus?").yes_no
    assert reader.read("Has the school transport tender been completed?").yes_no
    assert reader.read("Har upphandlingen av skolskjutsar slutförts?").yes_no
    assert not reader.read("Who provides Heinola's bookkeeping?").yes_no


def test_a_reason_asked_by_mista_johtuu_is_bounded() -> None:
    assert intent_of("Mistä verotulojen lasku johtuu?")[0] == "reason"
    # a verb of "johtua" far after "mistä" in a question without its mark is another question's
    assert not REASON.search("mistä löytyy tieto siitä kuka on vastuussa hankkeesta ja mihin se johtuu")


def test_the_verbs_asking_a_difference_are_read_apart(places_reader: QueryReader) -> None:
    if places_reader.analyzer.name != "voikko":
        pytest.skip("the word class is Voikko's")
    info = places_reader.read("Paljonko Kauhavan verotulot kasvoivat vuonna 2024?", "fi")
    assert info.difference_terms == {"kasvaa"}
    # only the terms no other word of the question gives (`period_terms` alike)
    assert places_reader._only_terms(["verotulot", "kasvoivat"], ["kasvoivat"]) == {"kasvaa"}
    assert places_reader._only_terms(["kasvaa", "kasvoivat"], ["kasvoivat"]) == frozenset()
    # a participle ("ovat vähentyneet", Voikko's adjective) asks as much
    assert places_reader.read("Kuinka paljon Kauhavan toimintakulut ovat vähentyneet vuonna 2024?",
                              "fi").difference_terms == {"vähentynyt"}
    # a noun of the change is what the row's label says: no asking word
    info = places_reader.read("Paljonko Kauhavan pitkäaikaisten lainojen vähennys jäi talousarviosta "
                              "vuonna 2024?", "fi")
    assert info.difference_terms == {"jäädä"}
    assert places_reader.read("Paljonko Kauhavan verotulot olivat vuonna 2024?", "fi").difference_terms \
        == frozenset()
    # English and Swedish questions are searched by their translation
    assert places_reader.read("By how much did Kauhava's tax revenue grow in 2024?",
                              "en").difference_terms == frozenset()


def test_a_year_written_as_a_column_heads_it_is_the_question_s_year(
        places_reader: QueryReader) -> None:
    # "TA 24" as the reports head a budget column: the year 2024, as "TA 2024" is
    info = places_reader.read("Lapuan kaupunginhallituksen toimintakulut TA 24")
    assert info.years == [2024] and info.cues.years == (2024,)
    assert places_reader.read("Lapuan toimintakulut TA 2024").years == [2024]
    # a month before a slash and a count of months are no year
    assert places_reader.read("Lapuan toimintakulut Tot 06/25").years == []
    assert places_reader.read("Lapuan toimintakulut TOT 12 kk").cues.years == ()


@pytest.mark.parametrize(("question", "differs"), [
    ("Paljonko Kauhavan verotulot kasvoivat vuonna 2024?", True),
    ("Paljonko toimintakatekasvu oli vuonna 2024?", True),  # the compound's head
    ("Milloin valtuusto käsitteli määrärahaylitykset?", True),
    ("Jäivätkö tulot talousarviosta?", True),  # over words
    # a difference word inside another word, or a compound's first part: none
    ("Paljonko Törnävän puukoulun muutostöihin käytettiin vuonna 2024?", False),
    ("Mikä oli kasvupalvelujen toimintakate vuonna 2024?", False),
    ("Kuka valittiin Lapuan tarkastuslautakunnan puheenjohtajaksi?", False),
    ("Miksi osakkeiden alaskirjaus on lopullinen?", False),
    ("Paljonko muutos- ja korjaustöihin käytettiin vuonna 2024?", False),  # the head elided
])
def test_a_difference_is_asked_by_a_word_or_a_compounds_head(places_reader: QueryReader,
                                                              question: str, differs: bool) -> None:
    if places_reader.analyzer.name != "voikko":
        pytest.skip("compounds are Voikko's")
    info = places_reader.read(question, "fi")
    assert places_reader.asks_difference(question) is differs
    assert info.cues.difference is differs
    assert (info.intent == ("figure", "difference")) is (differs and info.intent[0] == "figure")
    if not differs and info.intent[0] == "figure":
        assert info.intent[1] != "difference"


def test_a_unit_written_out_is_met_by_the_word_or_by_its_symbol(places_reader: QueryReader) -> None:
    if places_reader.analyzer.name != "voikko":
        pytest.skip("compounds are Voikko's")
    info = places_reader.read("Kuinka monta kilometriä yksityisteitä Kauhavalla oli vuonna 2024?", "fi")
    assert "km" in info.terms and {"kilometri", "km"} <= info.content_terms
    # one word's alternatives: "97 km" meets it, and so does "42 kilometriä"
    unit = next(g for g in info.senses if "km" in g)
    assert {"kilometri", "kilo", "metri", "km"} <= unit
    assert info.met({"km", "yksityistie"}) == info.met({"kilometri", "kilo", "metri", "yksityistie"})
    assert "mwh" in places_reader.read("Paljonko energiaa myytiin megawattitunteina?", "fi").terms
    assert places_reader.measure_unit("neliömetriä") and not places_reader.measure_unit("kilometrikorvauksia")


def test_a_finnish_yes_no_question_by_its_clitic_asks_the_status() -> None:
    # "Julkaiseeko…?", "Saiko…?": the question clitic as morphology reads it (QueryInfo.yes_no)
    assert intent_of("Julkaiseeko kaupunki hankintakalenteria?", yes_no=True) == ("status", None)
    assert intent_of("Julkaiseeko kaupunki hankintakalenteria?") == ("other", None)
    # a figure asked besides stays the figure
    assert intent_of("Saiko hanke avustusta, ja kuinka suuren?", yes_no=True) == ("figure", "amount")


def test_the_clitic_asks_the_status_through_the_reader_only_as_voikko_reads_it(
        places_reader: QueryReader) -> None:
    # through QueryInfo.intent: Voikko's reading of the clitic asks the status
    if places_reader.analyzer.reads_clitic:
        assert places_reader.read("Julkaiseeko kaupunki hankintakalenteria?", "fi").intent == \
            ("status", None)
    # the fallback's guess by a word's ending ("verkko", "Tuloksen heikko kehitys") asks nothing
    stems = get_analyzer("snowball")
    reader = QueryReader(stems, Glossary(stems), ["Lapua"], [])
    assert stems.asks_yes_no("Sadevesiverkko Lapua") and not stems.reads_clitic
    assert reader.read("Sadevesiverkko Lapua", "fi").intent == ("other", None)
    assert reader.read("Tuloksen heikko kehitys", "fi").intent == ("other", None)
