#!/usr/bin/env bash
# System packages Kuntahaku uses, from Debian; idempotent and never fatal:
# - libvoikko1 + voikko-fi: Finnish lemmas and compound parts (else Snowball Finnish is used);
# - dict-freedict-eng-fin, dict-freedict-swe-fin: English/Swedish → Finnish words for questions
#   (beneath the glossary; without them only the glossary translates); dict-freedict-fin-swe,
#   read backwards, for the Swedish words swe-fin lacks; hunspell-sv: the Hunspell stems of the
#   Swedish forms Snowball does not bring to a headword ("fick": få), read through the `hunspell`
#   binding (libhunspell-dev and a C compiler build it: pyproject's `hunspell` extra);
#   wordnet-base: WordNet's lists of English irregular forms ("children child", "paid pay");
# - chromium + chromium-driver: the headless browser of the page's end-to-end tests
#   (tests/test_web.py fails in CI, and is skipped elsewhere, when it is missing);
# - poppler-utils: pdftotext, the independent extraction eval/bench_fidelity.py compares our PDF
#   page text with (without it the benchmark compares with pdfium's plain text alone), and
#   pdftoppm, which renders a page to check a table by eye;
# - tesseract-ocr + tesseract-ocr-fin, tesseract-ocr-swe: OCR of scanned PDF pages (pages without
#   a text layer, indexer/ocr.py); without them a scanned PDF is refused with a note to install
#   them, and the scanned pages of a mixed PDF are left empty.
set -u
wanted=(libvoikko1 voikko-fi dict-freedict-eng-fin dict-freedict-swe-fin dict-freedict-fin-swe
        hunspell-sv libhunspell-dev wordnet-base
        chromium chromium-driver
        poppler-utils tesseract-ocr tesseract-ocr-fin tesseract-ocr-swe)
missing=()
for pkg in "${wanted[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  sudo_cmd=""
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo_cmd="sudo"
else
  echo "install-system: cannot install ${missing[*]} (not root): Snowball Finnish is used without" \
       "Voikko, the browser tests need Chromium, and scanned PDFs need Tesseract" >&2
  exit 0
fi
$sudo_cmd apt-get update -qq >/dev/null 2>&1 || true
if ! DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq \
     "${missing[@]}" >/dev/null 2>&1; then
  # one package a mirror lacks fails the whole batch: then each on its own
  failed=()
  for pkg in "${missing[@]}"; do
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$pkg" >/dev/null 2>&1 \
      || failed+=("$pkg")
  done
  [ ${#failed[@]} -eq 0 ] || echo "install-system: apt-get install ${failed[*]} failed: Snowball" \
       "Finnish is used without Voikko, the browser tests need Chromium, and scanned PDFs need" \
       "Tesseract" >&2
fi
exit 0
