"""Scam warnings: does a text mention one of the scam keywords of the step files."""

from __future__ import annotations


def is_scam_text(text: str, keywords: tuple[str, ...]) -> bool:
    """True when ``text`` mentions one of the scam keywords."""
    compact = "".join(text.split())
    return any(keyword in compact for keyword in keywords)
