"""Kuntahaku indexer: reports → documents, narrative passages and structured tables → index."""

__version__ = "0.1.0"
