"""Simplified and Traditional Chinese: drafts are always Simplified, a Traditional writer is answered in Traditional.

The person's script is remembered in their scratch values (:data:`SCRIPT_KEY`) so button presses
are answered in it too. Text meant to be copied (drafts) is never converted on the way out.
"""

from __future__ import annotations

from functools import cache

import opencc

#: Scratch key holding ``"hant"`` while the person writes Traditional characters.
SCRIPT_KEY = "script"
TRADITIONAL = "hant"


@cache
def _converter(config: str) -> opencc.OpenCC:
    """An OpenCC converter, built on first use (never at import)."""
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """``text`` in Simplified characters (phrases converted too, so the length may change)."""
    converted: str = _converter("t2s").convert(text)
    return converted


def to_traditional(text: str) -> str:
    """``text`` in Traditional characters."""
    converted: str = _converter("s2t").convert(text)
    return converted


def written_script(text: str) -> str | None:
    """``"hant"`` when ``text`` has Traditional-only characters, ``"hans"`` when it has
    Simplified-only ones, ``None`` when it cannot tell (no Chinese, or characters common to both)."""
    if to_simplified(text) != text:
        return TRADITIONAL
    if to_traditional(text) != text:
        return "hans"
    return None
