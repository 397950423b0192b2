"""The whole default corpus served (issue #17): what it holds, an unchanged re-index, a real
server's memory and latency, and — with `--fresh-clone` — a new user's wait for a first answer.
Written to eval/RESULTS.md (section between markers).

    .venv/bin/python eval/bench_corpus.py [--fresh-clone]

Needs a built index of corpus/ (`make index`). Latency: a real `kuntahaku serve` on a loopback
port, one keep-alive client, each question of the dev set and of the held-out minutes set asked
once as a search and once as a question (`POST /api/ask`), every query new to the server. Memory:
the server's resident set (VmRSS, /proc) after loading and after the queries. `--fresh-clone`
clones this repository's HEAD into a temporary folder and times `make run` there — install,
index, serve — until `/api/ask` answers, with `KUNTAHAKU_CACHE` pointed at an empty folder, so
no vector made on this machine is reused: what a new user waits.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eval.bench_load import rss_mb  # noqa: E402
from eval.bench_serve import Client, free_port, p50, p95, running_server  # noqa: E402
from eval.evaluate import load_questions, write_section  # noqa: E402
from indexer import store  # noqa: E402
from indexer.settings import Settings  # noqa: E402

QUESTION_SETS = ("eval/questions.json", "eval/heldout_minutes.json")


def counts(folder: Path) -> dict[str, int]:
    con = sqlite3.connect(folder / store.DB_NAME)
    try:
        one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "documents": one("SELECT count(*) FROM documents"),
            "minutes": one("SELECT count(*) FROM documents WHERE doc_type IN "
                           "('pöytäkirja', 'esityslista')"),
            "decisions": one("SELECT count(*) FROM documents WHERE source_file LIKE '%#%'"),
            "pages": one("SELECT sum(n_pages) FROM documents"),
            "sections": one("SELECT count(*) FROM items WHERE number != ''"),
            "routine": one("SELECT count(*) FROM items WHERE boilerplate = 1"),
            "passages": one("SELECT count(*) FROM passages WHERE kind = 'passage'"),
            "tables": one("SELECT count(*) FROM passages WHERE kind = 'table'"),
            "rows": one("SELECT count(*) FROM passages WHERE kind = 'table_row'"),
        }
    finally:
        con.close()


def post(client: Client, path: str, body: dict) -> float:
    t0 = time.perf_counter()
    client.con.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
    response = client.con.getresponse()
    data = response.read()
    if response.status != 200:
        raise SystemExit(f"{path} {body} answered {response.status}: {data[:300]!r}")
    return (time.perf_counter() - t0) * 1000


def served(questions: list[str]) -> dict[str, float]:
    with running_server() as port:
        pid = int(subprocess.run(["fuser", f"{port}/tcp"], capture_output=True, text=True)
                  .stdout.split()[0])
        loaded = rss_mb(pid)
        client = Client(port)
        search = [client.get("/api/search", q=q)[0] for q in questions]
        ask = [post(client, "/api/ask", {"question": f"{q} ?"}) for q in questions]
        client.close()
        after = rss_mb(pid)
    return {"search_p50": p50(search), "search_p95": p95(search), "ask_p50": p50(ask),
            "ask_p95": p95(ask), "rss_loaded": loaded, "rss_after": after, "n": len(questions)}


def reindex_unchanged() -> float:
    kuntahaku = [sys.executable, "-m", "api.cli", "index"]
    subprocess.run(kuntahaku, cwd=ROOT, check=True, capture_output=True)  # up to date first
    t0 = time.perf_counter()
    out = subprocess.run(kuntahaku, cwd=ROOT, check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if "unchanged" not in out.stdout + out.stderr:
        raise SystemExit(f"the second index run was not unchanged: {out.stdout}{out.stderr}")
    return seconds


def fresh_clone(question: str) -> dict[str, float]:
    """Seconds from `git clone` to the first answer of `make run` (install, index, serve)."""
    root = Path(tempfile.mkdtemp(prefix="kuntahaku-clone-"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KUNTAHAKU_", "VIRTUAL_ENV"))}
    env["KUNTAHAKU_CACHE"] = str(root / "empty-cache")
    t0 = time.perf_counter()
    subprocess.run(["git", "clone", "-q", str(ROOT), str(root / "k")], check=True)
    log = (root / "make-run.log").open("w")
    server = subprocess.Popen(["make", "run", f"PORT={port}"], cwd=root / "k", env=env,
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    marks: dict[str, float] = {}
    try:
        while time.perf_counter() - t0 < 1800:
            if server.poll() is not None:
                raise SystemExit(f"make run ended ({server.returncode}); see {root}/make-run.log")
            if "installed" not in marks and (root / "k" / ".venv" / ".installed").exists():
                marks["installed"] = time.perf_counter() - t0
            try:
                con = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                con.request("POST", "/api/ask", json.dumps({"question": question}),
                            {"Content-Type": "application/json"})
                if con.getresponse().status == 200:
                    marks["answer"] = time.perf_counter() - t0
                    marks["embedded"] = _embedded((root / "make-run.log").read_text(
                        errors="replace"))
                    return marks
            except OSError:
                time.sleep(2)
        raise SystemExit("no answer within 30 minutes")
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=60)
        shutil.rmtree(root, ignore_errors=True)


def _embedded(log: str) -> float:
    """'… 123 passages embedded …' from the index report in make run's output."""
    for line in log.splitlines():
        if "passages embedded" in line:
            return float(line.split(" passages embedded")[0].rsplit(" ", 1)[-1])
    return -1.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "eval" / "RESULTS.md"))
    ap.add_argument("--fresh-clone", action="store_true")
    args = ap.parse_args()
    folder = store.live_folder(Settings().index)
    if folder is None:
        raise SystemExit("no index; run 'make index' first")
    questions = [q.question for path in QUESTION_SETS for q in load_questions(ROOT / path)]
    c = counts(folder)
    unchanged = reindex_unchanged()
    real = served(questions)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [
        f"### The whole corpus served ({time.strftime('%Y-%m-%d')}, {machine})",
        "",
        "Command: `.venv/bin/python eval/bench_corpus.py" +
        (" --fresh-clone`" if args.fresh_clone else "`") + ".",
        "",
        f"Corpus: {c['documents']} documents ({c['minutes']} minutes and agendas, "
        f"{c['decisions']} Helsinki decision records), {c['pages']} pages; {c['sections']} §s "
        f"(minutes and decisions split by §; {c['routine']} items are routine, front matter or "
        f"appeal instructions); {c['passages']} narrative passages, {c['tables']} "
        f"tables, {c['rows']} table rows.",
        "",
        "| measure | value | target |",
        "|---|---|---|",
        f"| unchanged re-index (`kuntahaku index`, nothing to do) | {unchanged:.1f} s | < 5 s |",
        f"| server memory (RSS) loaded / after {2 * real['n']} requests "
        f"| {real['rss_loaded']:.0f} / {real['rss_after']:.0f} MB | |",
        f"| `GET /api/search` p50 / p95 ({real['n']} new queries) "
        f"| {real['search_p50']:.1f} / {real['search_p95']:.1f} ms | p50 ≤ 30 ms |",
        f"| `POST /api/ask` p50 / p95 | {real['ask_p50']:.1f} / {real['ask_p95']:.1f} ms "
        f"| p95 ≤ 100 ms |",
    ]
    if args.fresh_clone:
        first = fresh_clone("mitä kaupunginhallitus päätti uimahallista?")
        lines.append(f"| fresh clone → first answer of `make run` (install {first['installed']:.0f} s, "
                     f"{first['embedded']:.0f} passages embedded) | {first['answer']:.0f} s "
                     f"| ≤ 300 s |")
    print(write_section(Path(args.out), "bench_corpus", lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
