"""Random draw of held-out question sources (seed 20261201).

Lapua: all pages of the 94 minutes PDFs under corpus/lapua/<Body>/... (files
directly in corpus/lapua/ are excluded) are enumerated in sorted path order;
a random.Random(SEED).sample of N_LAPUA (file, page) pairs is taken, in draw
order.  Ahjo: the same Random object then samples N_AHJO record indices of
decisions_latest.json.  Draws are used in order; a draw whose page is only
boilerplate is skipped and the next one in the sequence replaces it (the
sequence is longer than needed for that purpose).

Usage: .venv/bin/python eval/draw_minutes.py
  -> writes L##.txt, A##.txt and index.tsv under $DRAWS_OUT (default /tmp/kuntahaku-draws)
"""
import json
import os
import random
import sys
from html.parser import HTMLParser

import pypdfium2

MAIN = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the repository
SEED = 20261201
N_LAPUA = 40   # first 28 usable are used
N_AHJO = 30    # first 20 usable are used
OUT = os.environ.get("DRAWS_OUT", "/tmp/kuntahaku-draws")


def lapua_files():
    root = os.path.join(MAIN, "corpus/lapua")
    out = []
    for dp, _dirs, fn in os.walk(root):
        if os.path.abspath(dp) == os.path.abspath(root):
            continue
        for f in fn:
            if f.lower().endswith(".pdf"):
                out.append(os.path.join(dp, f))
    return sorted(out)


def page_text(path, i):
    doc = pypdfium2.PdfDocument(path)
    t = doc[i].get_textpage().get_text_range()
    doc.close()
    return t


BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "li", "tr", "br", "table", "ul", "ol", "td", "th"}


class Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "title", "head"):
            self.skip += 1
        if tag in BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title", "head"):
            self.skip -= 1
        if tag in BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_text(h):
    if not h:
        return ""
    p = Text()
    p.feed(h)
    p.close()
    lines = [" ".join(line.split()) for line in "".join(p.parts).split("\n")]
    return "\n".join(line for line in lines if line)


def ahjo_records():
    d = json.load(open(os.path.join(MAIN, "corpus/helsinki-ahjo/decisions_latest.json")))
    return [r[0] for r in d["decisions"]]


def main():
    rng = random.Random(SEED)
    files = lapua_files()
    assert len(files) == 94, len(files)
    pages = []
    for f in files:
        doc = pypdfium2.PdfDocument(f)
        pages += [(f, i) for i in range(len(doc))]
        doc.close()
    ldraw = rng.sample(pages, N_LAPUA)
    recs = ahjo_records()
    adraw = rng.sample(range(len(recs)), N_AHJO)
    os.makedirs(OUT, exist_ok=True)
    idx = open(os.path.join(OUT, "index.tsv"), "w")
    print(f"{len(files)} files, {len(pages)} pages, {len(recs)} Ahjo records", file=sys.stderr)
    for k, (f, i) in enumerate(ldraw, 1):
        rel = os.path.relpath(f, MAIN)
        t = page_text(f, i)
        open(os.path.join(OUT, f"L{k:02d}.txt"), "w").write(f"# {rel} page {i+1}\n{t}")
        idx.write(f"L{k:02d}\t{rel}\t{i+1}\n")
    for k, j in enumerate(adraw, 1):
        r = recs[j]
        org = (r.get("Organization") or {}).get("Name")
        meet = (r.get("Meeting") or {})
        day = meet.get("DateMeeting") if meet else None
        head = (f"# index {j} NativeId {r['NativeId']} | {org} | {day} | § {r.get('Section')} | "
                f"{r.get('Title')}")
        body = html_text(r.get("Content"))
        mot = html_text(r.get("Motion"))
        open(os.path.join(OUT, f"A{k:02d}.txt"), "w").write(f"{head}\n{body}\n\n=== MOTION ===\n{mot}\n")
        idx.write(f"A{k:02d}\tdecisions_latest.json#{r['NativeId'].strip('{}')}\t{org}\t{r.get('Title')}\n")
    idx.close()


if __name__ == "__main__":
    main()
