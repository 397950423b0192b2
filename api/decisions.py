"""What a body decided: the answer to a "what was decided" question is the päätös of the §, never
its proposal, and says where the päätös departs from the ehdotus.

The § comes from the best result that belongs to one (`indexer/minutes.py` split the minutes, the
Ahjo parser the decision records); routine §s and appeal instructions never answer a decision
question. The päätös of the body's own handling is its decision (a § handled by several bodies
repeats theirs before it: `indexer.minutes.own_parts`), from the sentence that decides. A
päätös that accepts the proposal ("Lautakunta hyväksyi ehdotuksen.") is answered with the
proposal it accepted, both quoted. An agenda has no päätös of its own (a council's agenda
quotes the city board's): its proposal is answered as a proposal, and the answer says so.
"""

from __future__ import annotations

import re
from typing import Any

from api import render
from api.index import ATTENDANCE_OPENER, Hit
from api.query import VOTE, QueryInfo, asks_decision
from api.search import Searcher
from indexer.minutes import own_parts
from indexer.models import Part
from indexer.sentences import sentences

# "Lautakunta hyväksyi ehdotuksen.", "… hyväksyi sivistys- ja hyvinvointijohtajan ehdotuksen",
# "… kaupunginhallituksen puheenjohtajan muutetun ehdotuksen": the proposal is the content of the
# decision (the proposer's title may be several words: 183 päätös texts of the corpus name one so)
# — not a member's counter-proposal won in a vote ("hyväksyi äänestyksen jälkeen Virtasen
# tekemän ehdotuksen"): that is no proposal of the §
ACCEPTS_PROPOSAL = re.compile(r"hyväksyi\w*\s+(?:(?!äänesty|tekemän|vastaehdotu)[\w-]+\s+){0,4}?"
                              r"(?:muutetun\s+|korjatun\s+)?(?:ehdotukse|esitykse)\w*", re.I)
# the sentence that decides: the body's past-tense decision verb ("Kaupunginhallitus hyväksyi",
# "Lautakunta päätti", "merkitsi tiedoksi"); notes before it (who was present, who left before
# the decision) are part of the päätös but not the answer
DECIDES = re.compile(r"\b(?:hyväksyi|päätti|merkitsi|valitsi|myönsi|palautti|jätti|hylkäsi|nimesi|"
                     r"antoi|esitti|oikeutti|valtuutti|vahvisti|kumosi|hyväksyttiin|päätettiin|"
                     r"valittiin|myönnettiin|merkittiin)\b", re.I)
# the labels a part opens with: "Ehdotus Esittelijä: Satu Kankare, Kaupunginjohtaja",
# "Kaupunginjohtajan ehdotus:", "Päätös" (the decision's words follow on the same line)
_LEAD = re.compile(r"(?:Päätösehdotus|Ehdotus)(?:[ \t]+Esittelijä:[^\n]*)?\s*|"
                   r"[A-ZÅÄÖ][\w-]*(?: [\w-]+)?n (?:muutettu )?ehdotus:\s*|Päätös\b\s*:?\s*")
MAX_ANSWER = 400  # characters of the päätös (or proposal) the answer quotes
# a question about a vote ("Miten … nimenhuutoäänestys päättyi?", "Äänestettiinkö…", "How did
# the vote end?") is answered by the vote's result, as the minutes state it: its tally
# ("Suoritetussa nimenhuutoäänestyksessä annettiin 1 JAA-ääntä … ja 8 EI-ääntä …", "Äänestys:
# jaa 14 (…), ei 34 (…)") and the chair's conclusion after it ("Puheenjohtaja totesi, että …
# päätökseksi tuli …"); the voting order before it ("… äänestävät JAA") is no result
TALLY = re.compile(r"\d+\s*JAA\b|\bjaa\s+\d+", re.I)
CONCLUDES = re.compile(r"päätökseksi tuli|päätökseksi on tullut", re.I)
# "kuka valmisteli / esitteli…" (what was done, past tense): every § names who prepared it
# ("Valmistelija / lisätiedot: …") and who presented the proposal ("Esittelijä: …"); the present
# "kuka valmistelee…" asks whose duty it is, which the case text or a statute says
PREPARED = re.compile(r"\b(?:valmisteli\w*|valmistellut|valmisteltiin|prepared|beredde\w*)\b", re.I)
PRESENTED = re.compile(r"\b(?:esitteli\w*|esitellyt|esiteltiin|presented|föredrog)\b", re.I)
_PRESENTER = re.compile(r"Esittelijä:[ \t]*([^\n]+)")
# the roles of a meeting its attendance list states beside a name ("Saapuvilla olleet jäsenet
# Kai Pöntinen, puheenjohtaja Pekka Kivisaari, 1. varapuheenjohtaja …", "Muut saapuvilla olleet …
# Tuula Vuori, Hallintosihteeri, sihteeri"), as the question's lemmas name them
MEETING_ROLES = ("varapuheenjohtaja", "puheenjohtaja", "pöytäkirjanpitäjä", "sihteeri", "esittelijä")
_NAME = r"[A-ZÅÄÖ][\w'’-]+ [A-ZÅÄÖ][\w'’-]+"  # first name and surname
OUTCOME_WORDS = {
    "changed": "Päätös poikkesi ehdotuksesta",
    "returned": "Asia palautettiin valmisteluun",
    "tabled": "Asia jätettiin pöydälle",
    "vote": "Asiasta äänestettiin",
    "removed": "Asia poistettiin esityslistalta",
}


class Decisions:
    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher

    def answer(self, info: QueryInfo, hits: list[Hit]) -> dict[str, Any] | None:
        """The päätös of the § the best result belongs to, or None when that result is no §'s."""
        item, doc_id = self._best_item(hits)  # none: a report, which the other rules answer
        if item is None:
            return None
        return self._from_item(doc_id, item, vote=bool(VOTE.search(info.text)))

    def _tally(self, doc_id: str, item: dict[str, Any], own: list[dict[str, Any]]) -> dict[str, Any] | None:
        """The result of the last vote of the § 's own body (its tally, and the chair's
        conclusion where it follows), cited; None when its päätös and handling state no tally.
        A § handled by several bodies repeats the handling of those before it ("Kaupunginhallitus,
        3.11.2025, § 370", up to its päätös): only the body's own parts (`_own`) count (its
        Käsittely before its päätös, or after it as Ahjo and Dynasty print it)."""
        s = self.searcher
        found = None
        for part in own:
            if part["kind"] not in ("paatos", "kasittely"):
                continue
            text = s.text_span(doc_id, part["start"], part["end"])
            span = vote_result(text)
            if span is not None:
                found = (part["start"] + span[0], part["start"] + span[1], text[span[0]:span[1]])
        return self._cite(doc_id, item, *found) if found else None

    def role(self, info: QueryInfo, hits: list[Hit]) -> dict[str, Any] | None:
        """Who prepared or presented the § the best result belongs to, from its Valmistelija part
        or its Esittelijä line; None when the question asks neither or the best result is no §'s."""
        prepared, presented = PREPARED.search(info.text), PRESENTED.search(info.text)
        if not info.who or not (prepared or presented):
            return None
        item, doc_id = self._best_item(hits)
        if item is None:
            return None
        if prepared:
            part = next((x for x in item["parts"] if x["kind"] == "valmistelija"), None)
            cited = self._quote(doc_id, item, part) if part is not None else None
        else:
            cited = self._presenter(doc_id, item)
        if cited is None:
            return None
        return {"answer": cited["quote"], "answer_type": "passage", "value": None,
                "citations": [cited]}

    def holder(self, info: QueryInfo, hits: list[Hit]) -> dict[str, Any] | None:
        """Who held a role at the meeting a who question names ("Kuka oli Lapuan
        kaupunginhallituksen puheenjohtaja toukokuussa 2025?", "Who chaired … of 24 March
        2025?"): the name its attendance list gives that role, from the best result that is the
        meeting's attendance list; None when the question asks no meeting's role holder."""
        role = next((r for r in MEETING_ROLES if r in info.terms), None)
        if role is None or not info.asks_meeting or info.item_refs or asks_decision(info.text):
            return None  # (whom a body chose as its chair is its decision, a § of its own)
        s = self.searcher
        for n in s.attendance_lists(hits, info):
            p = s.passages[n]
            span = role_entry(p["text"], role)
            if span is not None:
                quote = " ".join(p["text"][span[0]:span[1]].split())
                return {"answer": quote, "answer_type": "passage", "value": None,
                        "citations": [render.citation(s, p, quote, p["start"] + span[0],
                                                      p["start"] + span[1])]}
        return None

    def _presenter(self, doc_id: str, item: dict[str, Any]) -> dict[str, Any] | None:
        """The "Esittelijä: Name, title" line of the § (its last proposal's), cited."""
        s = self.searcher
        found = None
        for part in item["parts"]:
            if part["kind"] in ("ehdotus", "esittelija"):
                m = _PRESENTER.search(s.text_span(doc_id, part["start"], part["end"]))
                found = (part["start"] + m.start(), part["start"] + m.end(), m.group()) if m else found
        if found is None:
            return None
        return self._cite(doc_id, item, *found)

    def _best_item(self, hits: list[Hit]) -> tuple[dict[str, Any] | None, str]:
        """The § of the best results' first that is not routine, and its document; (None, "")
        when the best evidence is a report (no §)."""
        s = self.searcher
        for h in hits[:3]:
            p = s.passages[h.n]
            item = s.items.get(p["item_id"] or "")
            if item is None:
                return None, ""
            if not item["boilerplate"]:
                return item, p["doc_id"]
        return None, ""

    def _from_item(self, doc_id: str, item: dict[str, Any], vote: bool = False
                   ) -> dict[str, Any] | None:
        """The § 's päätös (or an agenda's proposal) as the answer, and how it stands to the
        proposal; `vote`: a question about a vote, whose result (`_tally`) the answer opens with
        where the § states one, in place of the sentence the outcome was read from (for a vote,
        the voting order: "… äänestävät JAA … EI")."""
        own = self._own(doc_id, item)
        decision = next((x for x in reversed(own) if x["kind"] == "paatos"), None)
        # the proposal decided on: the body's own, else the one it received (the board's)
        proposal = next((x for parts in (own, item["parts"]) for x in reversed(parts)
                         if x["kind"] == "ehdotus"
                         and (decision is None or x["start"] < decision["start"])), None)
        if decision is None and proposal is None:
            return None
        tally = self._tally(doc_id, item, own) if vote else None
        cited = []
        if decision is not None:
            cited.append(self._quote(doc_id, item, decision))
            body = cited[0]["quote"]
            if ACCEPTS_PROPOSAL.search(body) and proposal is not None:
                cited.append(self._quote(doc_id, item, proposal))
                answer = f"{body} Ehdotus: {cited[1]['quote']}"
            else:
                answer = body
        else:  # an agenda: what is proposed, not yet decided
            cited.append(self._quote(doc_id, item, proposal))
            answer = f"Ehdotus (ei vielä päätös): {cited[0]['quote']}"
        outcome = item["outcome"]
        if tally is not None:
            answer = f"{tally['quote']} — {answer}"
            cited.insert(0, tally)
        elif outcome and item["outcome_text"] and item["outcome_text"] not in answer:
            answer += f" — {OUTCOME_WORDS[outcome]}: {item['outcome_text']}"
        return {"answer": answer, "answer_type": "passage", "value": None,
                "citations": [c for c in cited if c is not None],
                "decision": {"item": item["number"], "title": item["title"],
                             "case_id": item["case_id"], "decided": decision is not None,
                             "outcome": outcome or ("as_proposed" if decision and proposal
                                                    else ""),
                             "outcome_text": item["outcome_text"]}}

    def _own(self, doc_id: str, item: dict[str, Any]) -> list[dict[str, Any]]:
        """The parts of the § body's own handling (`indexer.minutes.own_parts`): an agenda of
        the council quoting the city board's päätös holds no päätös of its own."""
        parts = item["parts"]
        text = self.searcher.text_span(doc_id, item["start"], item["end"])
        own = own_parts(tuple(Part(x["kind"], x["start"], x["end"]) for x in parts), text,
                        item["number"], offset=item["start"])
        return parts[len(parts) - len(own):]

    def _quote(self, doc_id: str, item: dict[str, Any], part: dict[str, Any]) -> dict[str, Any]:
        """A citation of a part's words (its label dropped), at most MAX_ANSWER characters cut at a
        sentence end, from the passage that holds its start."""
        s = self.searcher
        text = s.text_span(doc_id, part["start"], part["end"])
        skip = 0
        while (m := _LEAD.match(text, skip)) and skip < m.end() < len(text):
            skip = m.end()
        skip += _decisive_start(text[skip:]) if part["kind"] == "paatos" else 0
        body = text[skip:]
        if len(body) > MAX_ANSWER:
            cut = max(body.rfind(". ", 0, MAX_ANSWER), body.rfind(".\n", 0, MAX_ANSWER))
            body = body[:cut + 1] if cut > 40 else body[:MAX_ANSWER]
        start = part["start"] + skip
        return self._cite(doc_id, item, start, start + len(body), body)

    def _cite(self, doc_id: str, item: dict[str, Any], start: int, end: int, words: str
              ) -> dict[str, Any]:
        """A citation of the § text [start, end) (`words`, already read), from the passage that
        holds its start."""
        s = self.searcher
        n = next((n for n in s.item_passages.get(item["id"], ())
                  if s.passages[n]["start"] <= start < s.passages[n]["end"]),
                 None)
        if n is None:
            n = s.item_passages[item["id"]][0]
        quote = " ".join(words.split())
        return render.citation(s, s.passages[n], quote, start, end)


def role_entry(text: str, role: str) -> tuple[int, int] | None:
    """[start, end) in an attendance list `text` of the entry giving `role` to a name: "Kai
    Pöntinen, puheenjohtaja", "Pekka Kivisaari, 1. varapuheenjohtaja", "Tuula Vuori,
    Hallintosihteeri, sihteeri" (a title between), from the list's opening words where the entry
    is its first ("Saapuvilla olleet jäsenet Kai Pöntinen, puheenjohtaja"). A role of another body
    ("Anneli Jäätteenmäki, Kaupunginvaltuuston puheenjohtaja") is no role of this meeting."""
    # a title between name and role ("Hallintosihteeri") is no role of the list: else "Kai
    # Pöntinen, Puheenjohtaja Pekka Kivisaari, 1. varapuheenjohtaja" would make Kai the vice chair
    title = rf"(?:(?!(?i:{'|'.join(MEETING_ROLES)}))[A-ZÅÄÖ][^,\n]*,[ \t]+)?"
    m = re.search(rf"(?<![\w-])({_NAME}),[ \t]+{title}(?:\d\.[ \t]*)?(?i:{role})\b", text)
    if m is None:
        return None
    opener = next((o for o in ATTENDANCE_OPENER.finditer(text, 0, m.start(1))
                   if not text[o.end():m.start(1)].strip()), None)
    return (opener.start() if opener else m.start(1)), m.end()


def vote_result(text: str) -> tuple[int, int] | None:
    """[start, end) in a part's `text` of its last vote's result: the sentence stating the tally
    and the chair's conclusion where it follows (`TALLY`, `CONCLUDES`); None for no tally."""
    spans = sentences(text)
    found = None
    for i, (a, b) in enumerate(spans):
        if TALLY.search(text, a, b):
            if i + 1 < len(spans) and CONCLUDES.search(text, *spans[i + 1]):
                b = spans[i + 1][1]
            found = (a, b)
    return found


def _decisive_start(text: str) -> int:
    """Offset of the first sentence that states the decision (0: the first one, or none does)."""
    return next((a for a, b in sentences(text) if DECIDES.search(text, a, b)), 0)
