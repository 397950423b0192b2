"""The README documents every setting (like datasette's tests/test_docs.py)."""

from pathlib import Path

from indexer.settings import Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme() -> None:
    for name in Settings.model_fields:
        assert f"`KUNTAHAKU_{name.upper()}`" in README, name
