"""Kuntahaku service side: retrieval, answers, the HTTP API and the CLI."""
