// Kuntahaku page: the query lives in the URL (?q=&municipality=&year=&doc_type=&body=&date_from=
// &date_to=&lang=), so every
// search can be linked; the page talks only to its own server (/api/ask, /api/search,
// /api/documents/{id}/context, /api/tables/{id}). No build step, no outside files.

const TEXT = {
  fi: {
    skip: "Siirry sisältöön",
    tagline: "Haku ja vastaukset kuntien raporteista",
    label: "Kysy tai hae kuntien raporteista",
    submit: "Hae",
    hint: "Kirjoita kysymys tai hakusanoja. Kunnan, vuoden ja kauden voi sanoa kysymyksessä: ”Kemin valtionosuudet tammi–kesäkuu 2022”.",
    examples: "Esimerkkejä",
    refine: "Rajaa",
    source: "Lähde",
    close: "Sulje",
    footer: "Vastaukset ja lainaukset ovat suoraan kuntien raporteista. Tarkista luvut alkuperäisestä asiakirjasta.",
    otherLang: "In English",
    searching: "Haetaan…",
    answer: "Vastaus",
    notFound: "Ei löytynyt",
    notFoundText: "Raporteista ei löytynyt vastausta tähän kysymykseen.",
    nearest: "Lähimmät kohdat alla.",
    reasons: {
      no_match: "Mikään raportti ei vastaa hakua.",
      unknown_place: "Aineistossa ei ole tämän kunnan raportteja.",
      uncovered_year: "Aineistossa ei ole kysytyn vuoden raporttia tästä aiheesta.",
      unknown_topic: "Raporteissa ei puhuta kysytystä aiheesta.",
      uncovered_meeting: "Aineistossa ei ole toimielimen pöytäkirjaa kysytyltä päivältä.",
      weak_evidence: "Lähimmätkin kohdat vastaavat kysymykseen vain heikosti.",
      no_answer: "Mikään kohta ei vastaa kysymykseen.",
    },
    row: "Rivi",
    column: "Sarake",
    table: "Taulukko",
    citation: "Lähde",
    showSource: "Näytä lähteessä",
    results: (n) => (n === 1 ? "1 osuma" : `${n} osumaa`),
    noResults: "Ei osumia.",
    page: (p) => `s. ${p}`,
    kind: { passage: "Teksti", table: "Taulukko", table_row: "Taulukon rivi" },
    facet: { municipality: "Kunta", year: "Vuosi", doc_type: "Asiakirjatyyppi", body: "Toimielin" },
    dates: "Kokouspäivä tai kausi",
    dateFrom: "Alkaen",
    dateTo: "Päättyen",
    day: (iso) => iso.split("-").map(Number).reverse().join("."),
    inferred: "kysymyksestä",
    removeFilter: (v) => `Poista rajaus ${v}`,
    alsoIn: "Sama teksti myös:",
    open: "Avaa",
    original: "Alkuperäinen asiakirja",
    originalPage: (p) => `Alkuperäinen PDF, sivu ${p}`,
    quoteHere: "Lainattu kohta on korostettu.",
    cellHere: "Vastauksen solu on korostettu.",
    failedCheck: "Huom.: rivi ei täsmää taulukon omaan tarkistukseen:",
    conflict: (v, p) => `Sama luku on raportissa toisaalla toisin: ${v}${p ? ` (s. ${p})` : ""}`,
    error: "Haku epäonnistui",
    loadingSource: "Ladataan lähdettä…",
    understood: "Rajattu kysymyksen perusteella:",
    ocr: "tekstintunnistettu sivu (OCR)",
    part: { paatos: "päätös", ehdotus: "ehdotus", selostus: "selostus",
            perustelut: "perustelut", kasittely: "käsittely" },
    outcome: { changed: "Päätös poikkesi ehdotuksesta", returned: "Asia palautettiin valmisteluun",
               tabled: "Asia jätettiin pöydälle", vote: "Asiasta äänestettiin",
               removed: "Asia poistettiin esityslistalta" },
    ocrNote: "Tekstintunnistettu sivu (OCR): sivulla ei ollut tekstikerrosta, joten teksti luettiin kuvasta. Tarkista luvut alkuperäisestä asiakirjasta.",
  },
  en: {
    skip: "Skip to content",
    tagline: "Search and answers from Finnish municipal reports",
    label: "Ask or search the municipalities' reports",
    submit: "Search",
    hint: "Type a question or keywords. You can name the municipality, year and period in the question: “Kemi state subsidies January–June 2022”.",
    examples: "Examples",
    refine: "Refine",
    source: "Source",
    close: "Close",
    footer: "Answers and quotes come straight from the municipalities' reports. Check figures in the original document.",
    otherLang: "Suomeksi",
    searching: "Searching…",
    answer: "Answer",
    notFound: "Not found",
    notFoundText: "The reports do not answer this question.",
    nearest: "The nearest passages are listed below.",
    reasons: {
      no_match: "No report matches the search.",
      unknown_place: "The collection has no reports of this municipality.",
      uncovered_year: "No report on this topic covers the year asked about.",
      unknown_topic: "The reports do not speak of the topic asked about.",
      uncovered_meeting: "The collection has no minutes of that body from the day asked about.",
      weak_evidence: "Even the nearest passages answer the question only weakly.",
      no_answer: "No passage answers the question.",
    },
    row: "Row",
    column: "Column",
    table: "Table",
    citation: "Source",
    showSource: "Show in source",
    results: (n) => (n === 1 ? "1 result" : `${n} results`),
    noResults: "No results.",
    page: (p) => `p. ${p}`,
    kind: { passage: "Text", table: "Table", table_row: "Table row" },
    facet: { municipality: "Municipality", year: "Year", doc_type: "Document type", body: "Body" },
    dates: "Meeting day or period",
    dateFrom: "From",
    dateTo: "To",
    day: (iso) => iso,
    inferred: "from the question",
    removeFilter: (v) => `Remove filter ${v}`,
    alsoIn: "Same text also in:",
    open: "Open",
    original: "Original document",
    originalPage: (p) => `Original PDF, page ${p}`,
    quoteHere: "The quoted words are highlighted.",
    cellHere: "The answering cell is highlighted.",
    failedCheck: "Note: the row does not add up by its table's own check:",
    conflict: (v, p) => `The report prints this figure differently elsewhere: ${v}${p ? ` (p. ${p})` : ""}`,
    error: "The search failed",
    loadingSource: "Loading the source…",
    understood: "Narrowed by the question:",
    ocr: "page read by text recognition (OCR)",
    part: { paatos: "decision", ehdotus: "proposal", selostus: "case",
            perustelut: "grounds", kasittely: "handling" },
    outcome: { changed: "The decision departs from the proposal",
               returned: "Returned for further preparation", tabled: "Tabled",
               vote: "Decided by a vote", removed: "Removed from the agenda" },
    ocrNote: "Text recognition (OCR): the page had no text layer, so its text was read from the image. Check figures in the original document.",
  },
};

const FILTERS = ["municipality", "year", "doc_type", "body"]; // facets
const DATES = ["date_from", "date_to"]; // the date fields of the form
const $ = (id) => document.getElementById(id);
let lang = "fi";
let runId = 0;

const t = (key) => TEXT[lang][key] ?? TEXT.fi[key];

// -- small DOM helpers (text only: nothing from the server is ever parsed as HTML) --

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c !== null && c !== undefined && c !== false) node.append(c);
  }
  return node;
}

/** Text with [start, end) spans wrapped in <mark>. */
function marked(text, spans, cls = null) {
  const frag = document.createDocumentFragment();
  let at = 0;
  for (const [a, b] of [...(spans || [])].sort((x, y) => x[0] - y[0])) {
    if (a < at || b <= a) continue;
    frag.append(text.slice(at, a), el("mark", { class: cls }, text.slice(a, b)));
    at = b;
  }
  frag.append(text.slice(at));
  return frag;
}

// minutes and decision records: the body that met and the meeting day; reports: the period
function when(doc) {
  return doc.meeting_date ? t("day")(doc.meeting_date) : doc.period;
}

function metaLine(doc, page, section) {
  const parts = [doc.municipality, doc.body, doc.title, when(doc)];
  if (page) parts.push(t("page")(page));
  if (section) parts.push(section);
  return parts.filter(Boolean).join(" · ");
}

/** A small "OCR" badge beside a source read from a scanned page (`ocr: true`), or nothing. */
function ocrBadge(ocr) {
  return ocr ? [" ", el("span", { class: "ocr-badge", title: t("ocrNote") }, t("ocr"))] : null;
}

// -- the URL is the state --

function params() {
  return new URLSearchParams(location.search);
}

function urlWith(changes) {
  const p = params();
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === undefined || v === "") p.delete(k);
    else p.set(k, v);
  }
  const s = p.toString();
  return s ? `/?${s}` : "/";
}

function go(url) {
  history.pushState(null, "", url);
  run();
}

/** Same-page links (facets, examples, language) change the URL without a reload. */
function sameSite(event) {
  const a = event.target.closest("a[data-nav], #examples a, #lang, #home");
  if (!a || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  const url = new URL(a.getAttribute("href"), location.origin);
  if (a.id !== "lang" && lang === "en") url.searchParams.set("lang", "en"); // keep the language
  go(url.pathname + url.search);
}

// -- talking to the server --

async function api(path, body) {
  const init = body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  };
  const response = await fetch(path, init);
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    throw new Error(data?.error?.message || `${response.status} ${response.statusText}`);
  }
  return data;
}

// -- labels --

function applyLanguage() {
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll("[data-i18n]")) {
    node.textContent = t(node.dataset.i18n);
  }
  const other = lang === "fi" ? "en" : null;
  const link = $("lang");
  link.textContent = t("otherLang");
  link.lang = other || "fi";
  link.hreflang = other || "fi";
  link.href = urlWith({ lang: other });
}

// -- rendering --

function renderAnswer(ask) {
  const card = $("answer");
  card.replaceChildren();
  card.hidden = false;
  card.classList.toggle("not-found", !ask.found);
  if (!ask.found) {
    card.append(
      el("h2", { id: "answer-h" }, t("notFound")),
      el("p", {}, t("notFoundText"), " ", t("reasons")[ask.reason_code] || "",
         ask.results?.length ? ` ${t("nearest")}` : ""),
    );
    return;
  }
  card.append(el("h2", { id: "answer-h" }, t("answer")));
  if (ask.answer_type === "list" && ask.items) {
    // one item per municipality, each with its own answer and citations
    card.append(el("ul", { class: "items" }, ask.items.map((item) =>
      el("li", { class: item.found ? "item" : "item not-found" },
        el("h3", {}, item.municipality),
        item.found ? answerBody(item) : el("p", {}, t("notFound"), ": ",
                                           t("reasons")[item.reason_code] || "")))));
    return;
  }
  card.append(...answerBody(ask));
}

// The value (a table cell) or the words (a passage) of an answer, then its citations.
function answerBody(ask) {
  const parts = [];
  if (ask.answer_type === "table_cell" && ask.value) {
    parts.push(el("p", { class: "value" },
      el("span", { class: "number" }, ask.value.text),
      ask.value.unit ? el("span", { class: "unit" }, ` ${ask.value.unit}`) : null));
    if (ask.table) {
      parts.push(el("dl", { class: "cell" },
        el("dt", {}, t("row")), el("dd", {}, ask.table.row_label || "–"),
        el("dt", {}, t("column")), el("dd", {}, ask.table.column || "–"),
        ask.table.title ? [el("dt", {}, t("table")), el("dd", {}, ask.table.title)] : null));
      if (ask.table.failed_checks?.length) {
        parts.push(el("p", { class: "warning failed-check" }, t("failedCheck"), " ",
                      ask.table.failed_checks.join("; ")));
      }
    }
    for (const c of ask.conflicts || []) {
      parts.push(el("figure", { class: "warning conflict" },
        el("figcaption", {}, t("conflict")(c.value, c.page)),
        el("blockquote", { class: "quote" }, c.quote)));
    }
  } else {
    parts.push(el("p", { class: "answer-text" }, ask.answer));
  }
  // minutes: where the decision departs from the proposal, say so before the quotes
  const outcome = ask.decision && t("outcome")[ask.decision.outcome];
  if (outcome) {
    parts.push(el("p", { class: "warning outcome" }, `${outcome}: `, ask.decision.outcome_text || ""));
  }
  for (const c of ask.citations) {
    // "Lapua, Tekninen lautakunta 29.4.2025 § 63, s. 4 · § 63 Title" for minutes
    const where = c.citation ? [c.citation, c.section].filter(Boolean).join(" · ")
      : metaLine(c.document, c.page, c.section);
    const part = c.part && t("part")[c.part];
    parts.push(el("figure", { class: "citation" },
      el("blockquote", { class: "quote" }, c.quote),
      el("figcaption", {},
        el("span", { class: "cite-label" }, `${t("citation")}: `),
        el("span", { class: "cite-meta" }, where),
        part ? [" ", el("span", { class: "part-badge" }, part)] : null,
        ocrBadge(c.ocr), " ",
        el("button", {
          type: "button", class: "cite-open",
          onclick: () => openSource({ ...c, table: ask.table }),
        }, t("showSource")))));
  }
  return parts;
}

function renderFacets(search) {
  const box = $("facet-groups");
  box.replaceChildren();
  const explicit = params();
  for (const name of FILTERS) {
    const values = search.facets?.[name] || [];
    if (!values.length) continue;
    const list = el("ul", { class: "facet-values" });
    for (const v of values) {
      const value = String(v.value);
      const fromQuestion = v.selected && !explicit.get(name);
      const href = urlWith({ [name]: v.selected ? null : value });
      const label = [value, el("span", { class: "count" }, ` (${v.count})`)];
      let item;
      if (fromQuestion) {
        item = el("span", { class: "facet selected", "aria-current": "true" }, label,
          el("span", { class: "inferred" }, ` – ${t("inferred")}`));
      } else {
        item = el("a", {
          href, "data-nav": true, class: v.selected ? "facet selected" : "facet",
          "aria-current": v.selected ? "true" : null,
          "aria-label": v.selected ? t("removeFilter")(value) : null,
        }, label, v.selected ? el("span", { "aria-hidden": "true", class: "x" }, " ✕") : null);
      }
      list.append(el("li", {}, item));
    }
    box.append(el("section", { class: "facet-group", "data-facet": name },
      el("h3", {}, t("facet")[name]), list));
  }
}

function renderResults(search) {
  const list = $("result-list");
  list.replaceChildren();
  $("results-h").textContent = search.results.length ? t("results")(search.results.length)
    : t("noResults");
  for (const r of search.results) {
    const also = r.also_in?.length ? el("p", { class: "also" }, `${t("alsoIn")} `,
      r.also_in.map((a, i) => [i ? ", " : "", el("button", {
        type: "button", class: "link also-open", onclick: () => openSource(a),
      }, metaLine(a.document, a.page, null)), ocrBadge(a.ocr)])) : null;
    list.append(el("li", { class: "result", "data-kind": r.kind },
      el("article", {},
        el("h3", {}, el("button", { type: "button", class: "link result-open", onclick: () => openSource(r) },
          `${r.document.municipality} · ${r.document.title}`)),
        el("p", { class: "meta" }, [t("kind")[r.kind], r.document.body, when(r.document),
          r.page ? t("page")(r.page) : null, r.section].filter(Boolean).join(" · "), ocrBadge(r.ocr)),
        el("p", { class: "text" }, marked(r.text, r.highlights)),
        also)));
  }
}

// -- source view --

async function openSource(ref) {
  const dialog = $("source");
  const body = $("source-body");
  body.replaceChildren(el("p", { class: "status" }, t("loadingSource")));
  if (!dialog.open) dialog.showModal();
  try {
    const parts = [];
    const tableId = ref.table?.id || ref.table_id;
    const doc = ref.document;
    if (tableId) {
      const tab = await api(`/api/tables/${encodeURIComponent(tableId)}`);
      const row = ref.table?.row_index ?? ref.row_index;
      const col = ref.table?.column_index ?? null;
      parts.push(el("p", { class: "meta" }, metaLine(tab.document, tab.page, tab.section)),
        tableView(tab.table, row, col),
        el("p", { class: "hint" }, col !== null ? t("cellHere") : ""));
    }
    if (ref.start !== null && ref.start !== undefined && ref.end > ref.start) {
      const ctx = await api(`/api/documents/${encodeURIComponent(doc.id)}/context?start=${ref.start}&end=${ref.end}`);
      if (!tableId) parts.push(el("p", { class: "meta" }, metaLine(ctx.document, ctx.page, ref.section)));
      if (ctx.ocr) parts.push(el("p", { class: "warning ocr-note" }, t("ocrNote")));
      parts.push(el("pre", { class: "context", tabindex: "0" }, marked(ctx.text, [ctx.quote], "quote-mark")),
        el("p", { class: "hint" }, t("quoteHere")));
      parts.push(originalLink(doc.id, ctx.page));
    } else {
      parts.push(originalLink(doc.id, ref.page));
    }
    $("source-h").textContent = `${doc.municipality} · ${doc.title}`;
    body.replaceChildren(...parts);
    body.querySelector(".quote-mark, td.hit, tr.hit")?.scrollIntoView({ block: "center" });
  } catch (err) {
    body.replaceChildren(el("p", { class: "error", role: "alert" }, `${t("error")}: ${err.message}`));
  }
}

function originalLink(docId, page) {
  const href = `/api/documents/${encodeURIComponent(docId)}/source${page ? `#page=${page}` : ""}`;
  return el("p", {}, el("a", { href, target: "_blank", rel: "noopener", class: "original" },
    page ? t("originalPage")(page) : t("original")));
}

function tableView(table, hitRow, hitCol) {
  const head = el("tr", {}, el("th", { scope: "col" }, table.label_header || ""),
    table.columns.map((c) => el("th", { scope: "col" }, c || "")));
  const rows = table.rows.map((r, i) => el("tr", { class: i === hitRow ? "hit" : null },
    el("th", { scope: "row" }, [...(r.groups || []).filter(Boolean), r.label || ""].join(" › ")),
    r.cells.map((c, j) => el("td", {
      class: i === hitRow && j === hitCol ? "hit" : null,
      "aria-current": i === hitRow && j === hitCol ? "true" : null,
    }, c.text))));
  return el("div", { class: "table-wrap", tabindex: "0" },
    el("table", {}, el("caption", {}, table.title || ""), el("thead", {}, head), el("tbody", {}, rows)));
}

// -- one search --

async function run() {
  const p = params();
  lang = p.get("lang") === "en" ? "en" : "fi";
  applyLanguage();
  const q = (p.get("q") || "").trim();
  $("q").value = q;
  for (const f of DATES) $(f).value = p.get(f) || "";
  document.title = q ? `${q} – Kuntahaku` : "Kuntahaku";
  const id = ++runId;
  $("examples").hidden = Boolean(q);
  if (!q) {
    $("answer").hidden = true;
    $("found").hidden = true;
    $("status").textContent = "";
    return;
  }
  const filters = {};
  for (const f of FILTERS) if (p.get(f)) filters[f] = f === "year" ? Number(p.get(f)) : p.get(f);
  for (const f of DATES) if (p.get(f)) filters[f] = p.get(f);
  $("status").textContent = t("searching");
  try {
    const query = new URLSearchParams({ q, k: "10", ...filters });
    const [ask, search] = await Promise.all([
      api("/api/ask", { question: q, k: 5, ...filters }),
      api(`/api/search?${query}`),
    ]);
    if (id !== runId) return; // a newer search has started
    renderAnswer(ask);
    renderFacets(search);
    renderResults(search);
    $("found").hidden = false;
    $("status").textContent = `${ask.found ? t("answer") : t("notFound")} · ${t("results")(search.results.length)}`;
  } catch (err) {
    if (id !== runId) return;
    $("answer").hidden = true;
    $("found").hidden = true;
    $("status").textContent = `${t("error")}: ${err.message}`;
  }
}

function dates() {
  return Object.fromEntries(DATES.map((f) => [f, $(f).value || null]));
}

function start() {
  $("search").addEventListener("submit", (event) => {
    event.preventDefault();
    const q = $("q").value.trim();
    if (!q) return;
    // a new question starts without the previous question's facet filters; the dates are
    // fields of the form, taken as they stand
    go(urlWith({ q, municipality: null, year: null, doc_type: null, body: null, ...dates() }));
  });
  for (const f of DATES) {
    // a changed date applies at once to the search shown
    $(f).addEventListener("change", () => { if (params().get("q")) go(urlWith(dates())); });
  }
  document.addEventListener("click", sameSite);
  $("source-close").addEventListener("click", () => $("source").close());
  $("source").addEventListener("click", (e) => { if (e.target === $("source")) $("source").close(); });
  window.addEventListener("popstate", run);
  run();
}

start();
