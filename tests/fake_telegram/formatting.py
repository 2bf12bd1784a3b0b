"""Checking formatted text as Telegram does before it accepts a message.

Telegram parses ``parse_mode`` markup first and then limits the *visible* text (4096
characters for messages, 1024 for captions). Bad markup is a 400
``Bad Request: can't parse entities: ...``. These checks are deliberately close to the
real parser for the mistakes bots actually make (an unescaped ``<`` or ``&`` in HTML, an
unescaped ``.`` or ``-`` in MarkdownV2, an unclosed tag) without reproducing every rule.
Lengths are counted in Unicode code points.
"""

from __future__ import annotations

import html

from tests.fake_telegram.models import ApiError, bad_request

HTML_TAGS: frozenset[str] = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-emoji",
    }
)
MARKDOWN_V2_RESERVED = "_*[]()~`>#+-=|{}.!"


def _entity_error(reason: str) -> ApiError:
    return bad_request(f"can't parse entities: {reason}")


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def visible_text(text: str, parse_mode: str | None) -> str:
    """The text a user would see once ``parse_mode`` markup is applied; raises on bad markup."""
    if parse_mode is None or parse_mode == "":
        return text
    mode = parse_mode.lower()
    if mode == "html":
        return _parse_html(text)
    if mode == "markdownv2":
        return _parse_markdown_v2(text)
    if mode == "markdown":
        return _parse_markdown(text)
    raise bad_request(f"unsupported parse_mode {parse_mode}")


def _parse_html(text: str) -> str:
    out: list[str] = []
    stack: list[tuple[str, int]] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "<":
            end = text.find(">", index)
            if end == -1:
                raise _entity_error(f"Unclosed start tag at byte offset {_byte_offset(text, index)}")
            body = text[index + 1 : end].strip()
            if body.startswith("/"):
                name = body[1:].strip().lower()
                if not stack:
                    raise _entity_error(f"Unexpected end tag at byte offset {_byte_offset(text, index)}")
                expected, _ = stack.pop()
                if name != expected:
                    raise _entity_error(
                        f'Unmatched end tag at byte offset {_byte_offset(text, index)}, expected "</{expected}>", found "</{name}>"'
                    )
            else:
                name = body.split(None, 1)[0].lower() if body else ""
                if name not in HTML_TAGS:
                    raise _entity_error(
                        f'Unsupported start tag "{name}" at byte offset {_byte_offset(text, index)}'
                    )
                stack.append((name, index))
            index = end + 1
        elif char == "&":
            end = text.find(";", index)
            entity = text[index : end + 1] if end != -1 else ""
            decoded = html.unescape(entity) if entity else ""
            if not entity or decoded == entity or " " in entity:
                # Telegram keeps a bare '&' that does not start an entity as text.
                out.append("&")
                index += 1
            else:
                out.append(decoded)
                index = end + 1
        else:
            out.append(char)
            index += 1
    if stack:
        name, _ = stack[-1]
        raise _entity_error(f'Can\'t find end tag corresponding to start tag "{name}"')
    return "".join(out)


def _reserved(char: str) -> ApiError:
    return _entity_error(f"Character '{char}' is reserved and must be escaped with the preceding '\\'")


def _scan_until(text: str, index: int, closing: str) -> tuple[str, int]:
    """Read escaped content up to ``closing``; return it and the index after ``closing``."""
    out: list[str] = []
    while index < len(text):
        if text[index] == "\\" and index + 1 < len(text):
            out.append(text[index + 1])
            index += 2
        elif text.startswith(closing, index):
            return "".join(out), index + len(closing)
        else:
            out.append(text[index])
            index += 1
    raise ValueError(closing)


def _parse_markdown_v2(text: str) -> str:
    names = {"*": "Bold", "_": "Italic", "__": "Underline", "~": "Strikethrough", "||": "Spoiler"}
    out: list[str] = []
    stack: list[tuple[str, int]] = []
    index = 0
    at_line_start = True
    while index < len(text):
        char = text[index]
        line_start, at_line_start = at_line_start, False
        if char == "\\":
            if index + 1 >= len(text):
                raise _entity_error("Can't find end of the entity")
            out.append(text[index + 1])
            index += 2
        elif char == "`":
            fence = "```" if text.startswith("```", index) else "`"
            try:
                content, index = _scan_until(text, index + len(fence), fence)
            except ValueError:
                raise _entity_error(
                    f"Can't find end of {'Pre' if fence == '```' else 'Code'} entity at byte offset {_byte_offset(text, index)}"
                ) from None
            out.append(content.split("\n", 1)[1] if fence == "```" and "\n" in content else content)
        elif char == "[":
            stack.append(("[", index))
            index += 1
        elif char == "]":
            if not stack or stack[-1][0] != "[" or not text.startswith("(", index + 1):
                raise _reserved("]")
            stack.pop()
            try:
                _, index = _scan_until(text, index + 2, ")")
            except ValueError:
                raise _entity_error(
                    f"Can't find end of a url at byte offset {_byte_offset(text, index)}"
                ) from None
        elif char in "*_~|":
            token = text[index : index + 2] if text.startswith(("__", "||"), index) else char
            if token == "|":
                raise _reserved("|")
            if stack and stack[-1][0] == token:
                stack.pop()
            else:
                stack.append((token, index))
            index += len(token)
        elif char == ">" and line_start:
            index += 1
        elif char in MARKDOWN_V2_RESERVED:
            raise _reserved(char)
        else:
            out.append(char)
            at_line_start = char == "\n"
            index += 1
    if stack:
        token, start = stack[-1]
        entity = names.get(token)
        where = _byte_offset(text, start)
        if entity is None:
            raise _entity_error(f"Can't find end of the entity starting at byte offset {where}")
        raise _entity_error(f"Can't find end of {entity} entity at byte offset {where}")
    return "".join(out)


def _parse_markdown(text: str) -> str:
    """Legacy Markdown: only unclosed ``*``, ``_``, backquotes and links are errors."""
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char in "*_`" or char == "[":
            fence = "```" if text.startswith("```", index) else char
            closing = "]" if char == "[" else fence
            end = text.find(closing, index + len(fence))
            if end == -1:
                raise _entity_error(
                    f"Can't find end of the entity starting at byte offset {_byte_offset(text, index)}"
                )
            out.append(text[index + len(fence) : end])
            index = end + len(closing)
            if char == "[" and text.startswith("(", index):
                close = text.find(")", index)
                index = close + 1 if close != -1 else len(text)
        else:
            out.append(char)
            index += 1
    return "".join(out)
