"""Shared fixtures. Tests never touch the network (a model hub lookup would hang) and never
depend on ../shared: the corpus tests read the copies in corpus/."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

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
