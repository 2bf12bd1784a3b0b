"""The guided dialogue of 维权助手: pure, content-driven, importing neither telegram nor sqlalchemy.

``Dialogue(load_content(), classify).handle(view, incoming) -> Outcome``.
"""

from __future__ import annotations

from guide.commands import COMMANDS
from guide.content import GuideContent, default_content_dir, load_content
from guide.dialogue import Dialogue, reads_timeline
from guide.facts import extract_facts
from guide.tomlfile import GuideFileError

__all__ = [
    "COMMANDS",
    "Dialogue",
    "GuideContent",
    "GuideFileError",
    "default_content_dir",
    "extract_facts",
    "load_content",
    "reads_timeline",
]
