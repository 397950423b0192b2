"""The memory check at open (api/memory.py): an index that fits loads as before, one that fits
only with its dense index memory-mapped is served that way, one that does not fit is refused
with the sizes named — never a server the kernel kills part-way."""

from __future__ import annotations

import pytest

from api import memory
from api.search import Searcher
from indexer import store
from indexer.errors import IndexError_
from indexer.settings import Settings


def _need(settings: Settings) -> dict[str, int]:
    folder = store.live_folder(settings.index)
    return memory.needed_bytes(folder, store.read_manifest(folder))


def _open_with(monkeypatch: pytest.MonkeyPatch, settings: Settings, free: int) -> Searcher:
    monkeypatch.setattr(memory, "available_bytes", lambda: free)
    return Searcher.open(settings)


def test_needed_bytes_counts_every_part(search_settings: Settings) -> None:
    need = _need(search_settings)
    assert need["dense"] > 0 and need["lexical"] > 0
    passages = store.read_manifest(store.live_folder(search_settings.index))["dense_index"]["vectors"]
    assert need["passages"] == passages * memory.PASSAGE_BYTES


def test_fitting_index_is_read_into_memory(search_settings: Settings, monkeypatch) -> None:
    searcher = _open_with(monkeypatch, search_settings, 2**40)
    assert not searcher.dense_mapped
    assert searcher.search("Kemijärven valtionosuudet")["results"]


def test_dense_index_is_mapped_when_only_the_rest_fits(search_settings: Settings,
                                                       monkeypatch) -> None:
    need = _need(search_settings)
    in_memory = _open_with(monkeypatch, search_settings, 2**40)
    mapped = _open_with(monkeypatch, search_settings, need["lexical"] + need["passages"])
    assert mapped.dense_mapped
    query = "Kemijärven valtionosuudet"
    assert mapped.search(query)["results"] == in_memory.search(query)["results"]


def test_index_that_does_not_fit_is_refused_with_the_sizes(search_settings: Settings,
                                                           monkeypatch) -> None:
    with pytest.raises(IndexError_) as refused:
        _open_with(monkeypatch, search_settings, 1000)
    message = str(refused.value)
    assert "needs about" in message and "0.00 GB is available" in message
    assert "KUNTAHAKU_MEMORY_CHECK=false" in message


def test_check_can_be_turned_off(search_settings: Settings, monkeypatch) -> None:
    settings = search_settings.model_copy(update={"memory_check": False})
    assert not _open_with(monkeypatch, settings, 1000).dense_mapped
