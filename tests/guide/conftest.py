"""Fixtures of the dialogue tests: the shipped content and a fresh conversation."""

from __future__ import annotations

import pytest

from guide import GuideContent, load_content
from tests.guide.memory import Conversation


@pytest.fixture(scope="session")
def content() -> GuideContent:
    """The shipped step files, loaded once."""
    return load_content()


@pytest.fixture
def convo(content: GuideContent) -> Conversation:
    """A conversation with the keyword fake classifier."""
    return Conversation(content)
