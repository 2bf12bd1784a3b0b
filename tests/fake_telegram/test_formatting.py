"""The fake's parse_mode checks: properly escaped text always passes, common mistakes fail."""

from __future__ import annotations

import html
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram import Chat, Message, MessageEntity
from telegram.helpers import escape_markdown

from tests.fake_telegram.formatting import parse_formatted, visible_text
from tests.fake_telegram.models import ApiError

TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=200)


@given(TEXT)
def test_html_escaped_text_is_accepted_and_shown_unchanged(text: str) -> None:
    assert visible_text(html.escape(text, quote=False), "HTML") == text


@given(TEXT)
def test_markdown_v2_escaped_text_is_accepted_and_shown_unchanged(text: str) -> None:
    assert visible_text(escape_markdown(text, version=2), "MarkdownV2") == text


@given(TEXT)
def test_plain_text_is_never_checked(text: str) -> None:
    assert visible_text(text, None) == text


@pytest.mark.parametrize(
    ("text", "parse_mode", "shown"),
    [
        ("<b>第一步</b>：<i>截图</i>", "HTML", "第一步：截图"),
        ('<pre><code class="language-python">x &lt; 1</code></pre>', "HTML", "x < 1"),
        ('<span class="tg-spoiler">秘</span> &#36825;', "HTML", "秘 这"),
        ("A&B", "HTML", "A&B"),
        ("```python\nx = 1\n```", "MarkdownV2", "x = 1\n"),
        ("__下划线__ ~删除~", "MarkdownV2", "下划线 删除"),
        ("[链接](http://x.y)", "Markdown", "链接"),
    ],
)
def test_markup_is_removed_from_the_shown_text(text: str, parse_mode: str, shown: str) -> None:
    assert visible_text(text, parse_mode) == shown


@pytest.mark.parametrize(
    ("text", "parse_mode", "reason"),
    [
        ("金额<100元", "HTML", "Unclosed start tag"),
        ("金额 <100> 元", "HTML", 'Unsupported start tag "100"'),
        ("<br>", "HTML", 'Unsupported start tag "br"'),
        ("</b>", "HTML", "Unexpected end tag"),
        ("<b><i>x</b></i>", "HTML", "Unmatched end tag"),
        ("订单号: 123-456", "MarkdownV2", "Character '-' is reserved"),
        ("(见附件)", "MarkdownV2", "Character '(' is reserved"),
        ("`code", "MarkdownV2", "Can't find end of Code entity"),
        ("_斜", "MarkdownV2", "Can't find end of Italic entity"),
        ("*粗", "Markdown", "Can't find end of the entity"),
        ("x", "Fancy", "unsupported parse_mode"),
    ],
)
def test_common_markup_mistakes_are_rejected(text: str, parse_mode: str, reason: str) -> None:
    with pytest.raises(ApiError) as raised:
        visible_text(text, parse_mode)
    assert raised.value.error_code == 400
    assert raised.value.description.startswith("Bad Request: ")
    assert reason in raised.value.description


def _rendered(text: str, parse_mode: str) -> Message:
    shown, entities = parse_formatted(text, parse_mode)
    return Message(
        message_id=1,
        date=datetime.now(UTC),
        chat=Chat(1, "private"),
        text=shown,
        entities=[MessageEntity(**entity) for entity in entities],
    )


@pytest.mark.parametrize(
    "text",
    [
        '😀<b>粗</b> 和 <a href="https://x.y/?a=1">链接</a> <i>斜<u>下</u></i>',
        '<s>删</s> <span class="tg-spoiler">秘</span> <code>x</code>',
        "<pre>plain</pre> <code>a&lt;b</code>",
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji> <blockquote>引用</blockquote>',
    ],
)
def test_html_entities_round_trip_through_python_telegram_bot(text: str) -> None:
    assert _rendered(text, "HTML").text_html == text


@pytest.mark.parametrize(
    "text",
    [
        "😀*粗* 和 [链接](https://x.y/) _斜_ __下__ ~删~ ||秘|| `x.y`",
        "```python\nx = 1```",
    ],
)
def test_markdown_v2_entities_round_trip_through_python_telegram_bot(text: str) -> None:
    assert _rendered(text, "MarkdownV2").text_markdown_v2 == text


def test_pre_blocks_carry_their_language() -> None:
    shown, entities = parse_formatted('<pre><code class="language-python">x = 1</code></pre>', "HTML")
    assert (shown, entities) == ("x = 1", [{"type": "pre", "offset": 0, "length": 5, "language": "python"}])
