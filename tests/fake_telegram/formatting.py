"""Checking formatted text as Telegram does before it accepts a message.

Telegram parses ``parse_mode`` markup into plain text plus ``entities`` (offsets in UTF-16
code units) and then limits the *visible* text (4096 characters for messages, 1024 for
captions). Bad markup is a 400 ``Bad Request: can't parse entities: ...``. These checks are
deliberately close to the real parser for the mistakes bots actually make (an unescaped
``<`` in HTML, an unescaped ``.`` or ``-`` in MarkdownV2, an unclosed tag) without
reproducing every rule. Lengths are counted in Unicode code points; legacy Markdown is
checked but yields no entities.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from tests.fake_telegram.models import ApiError, JsonDict, bad_request

HTML_ENTITY_TYPES: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
MARKDOWN_V2_TYPES: dict[str, str] = {
    "*": "bold",
    "_": "italic",
    "__": "underline",
    "~": "strikethrough",
    "||": "spoiler",
}
MARKDOWN_V2_RESERVED = "_*[]()~`>#+-=|{}.!"
ATTRIBUTE = re.compile(r"""([a-z-]+)\s*=\s*["']([^"']*)["']""")


@dataclass(slots=True)
class Formatted:
    """Visible text and its entities, built while markup is parsed."""

    parts: list[str] = field(default_factory=list)
    utf16_length: int = 0
    entities: list[JsonDict] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The visible text so far."""
        return "".join(self.parts)

    def add(self, chunk: str) -> None:
        """Append visible text."""
        self.parts.append(chunk)
        self.utf16_length += len(chunk.encode("utf-16-le")) // 2

    def entity(self, kind: str, start: int, **extra: str) -> None:
        """Record an entity from UTF-16 offset ``start`` to here (empty ones are dropped)."""
        if self.utf16_length > start:
            self.entities.append(
                {"type": kind, "offset": start, "length": self.utf16_length - start, **extra}
            )

    def sorted_entities(self) -> list[JsonDict]:
        """Entities ordered as Telegram returns them: by offset, outer before inner."""
        return sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))


def _entity_error(reason: str) -> ApiError:
    return bad_request(f"can't parse entities: {reason}")


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def parse_formatted(text: str, parse_mode: str | None) -> tuple[str, list[JsonDict]]:
    """Visible text and entities of ``text`` under ``parse_mode``; raises on bad markup."""
    if parse_mode is None or parse_mode == "":
        return text, []
    mode = parse_mode.lower()
    if mode == "html":
        result = _parse_html(text)
    elif mode == "markdownv2":
        result = _parse_markdown_v2(text)
    elif mode == "markdown":
        return _parse_markdown(text), []
    else:
        raise bad_request(f"unsupported parse_mode {parse_mode}")
    return result.text, result.sorted_entities()


def visible_text(text: str, parse_mode: str | None) -> str:
    """The text a user would see once ``parse_mode`` markup is applied; raises on bad markup."""
    return parse_formatted(text, parse_mode)[0]


def _html_entity(out: Formatted, name: str, start: int, attributes: str, inner: dict[str, str]) -> None:
    attrs = dict(ATTRIBUTE.findall(attributes))
    kind = HTML_ENTITY_TYPES[name]
    if name == "a":
        out.entity(kind, start, url=attrs.get("href", ""))
    elif name == "span" and attrs.get("class") != "tg-spoiler":
        return
    elif name == "tg-emoji":
        out.entity(kind, start, custom_emoji_id=attrs.get("emoji-id", ""))
    elif name == "pre" and "language" in inner:
        out.entity(kind, start, language=inner["language"])
    elif name == "blockquote" and "expandable" in attributes.split():
        out.entity("expandable_blockquote", start)
    else:
        out.entity(kind, start)


def _parse_html(text: str) -> Formatted:
    out = Formatted()
    # Open tags: name, where it starts in the source, its UTF-16 start, its attributes, and
    # what an inner <code class="language-x"> tells an enclosing <pre>.
    stack: list[tuple[str, int, int, str, dict[str, str]]] = []
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
                expected, _, start, attributes, inner = stack.pop()
                if name != expected:
                    raise _entity_error(
                        f'Unmatched end tag at byte offset {_byte_offset(text, index)}, expected "</{expected}>", found "</{name}>"'
                    )
                language = dict(ATTRIBUTE.findall(attributes)).get("class", "")
                if name == "code" and stack and stack[-1][0] == "pre":
                    if language.startswith("language-"):
                        stack[-1][4]["language"] = language.removeprefix("language-")
                else:
                    _html_entity(out, name, start, attributes, inner)
            else:
                parts = body.split(None, 1)
                name = parts[0].lower() if parts else ""
                attributes = parts[1] if len(parts) > 1 else ""
                if name not in HTML_ENTITY_TYPES:
                    raise _entity_error(
                        f'Unsupported start tag "{name}" at byte offset {_byte_offset(text, index)}'
                    )
                stack.append((name, index, out.utf16_length, attributes, {}))
            index = end + 1
        elif char == "&":
            end = text.find(";", index)
            entity = text[index : end + 1] if end != -1 else ""
            decoded = html.unescape(entity) if entity else ""
            if not entity or decoded == entity or " " in entity:
                # Telegram keeps a bare '&' that does not start an entity as text.
                out.add("&")
                index += 1
            else:
                out.add(decoded)
                index = end + 1
        else:
            out.add(char)
            index += 1
    if stack:
        raise _entity_error(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    return out


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


def _markdown_code(text: str, index: int, out: Formatted) -> int:
    fence = "```" if text.startswith("```", index) else "`"
    try:
        content, after = _scan_until(text, index + len(fence), fence)
    except ValueError:
        kind = "Pre" if fence == "```" else "Code"
        raise _entity_error(
            f"Can't find end of {kind} entity at byte offset {_byte_offset(text, index)}"
        ) from None
    start = out.utf16_length
    if fence == "`":
        out.add(content)
        out.entity("code", start)
        return after
    language, newline, body = content.partition("\n")
    if newline and language.strip():
        out.add(body)
        out.entity("pre", start, language=language.strip())
    else:
        out.add(body if newline else content)
        out.entity("pre", start)
    return after


def _parse_markdown_v2(text: str) -> Formatted:
    names = {"*": "Bold", "_": "Italic", "__": "Underline", "~": "Strikethrough", "||": "Spoiler"}
    out = Formatted()
    stack: list[tuple[str, int, int]] = []  # token, source index, UTF-16 start
    index = 0
    at_line_start = True
    while index < len(text):
        char = text[index]
        line_start, at_line_start = at_line_start, False
        if char == "\\":
            if index + 1 >= len(text):
                raise _entity_error("Can't find end of the entity")
            out.add(text[index + 1])
            index += 2
        elif char == "`":
            index = _markdown_code(text, index, out)
        elif char == "[" or text.startswith("![", index):
            # "![emoji](tg://emoji?id=...)" is a custom emoji: the '!' belongs to the markup.
            stack.append(("[", index, out.utf16_length))
            index += 2 if char == "!" else 1
        elif char == "]":
            if not stack or stack[-1][0] != "[" or not text.startswith("(", index + 1):
                raise _reserved("]")
            _, _, start = stack.pop()
            try:
                url, index = _scan_until(text, index + 2, ")")
            except ValueError:
                raise _entity_error(
                    f"Can't find end of a url at byte offset {_byte_offset(text, index)}"
                ) from None
            if url.startswith("tg://emoji?id="):
                out.entity("custom_emoji", start, custom_emoji_id=url.removeprefix("tg://emoji?id="))
            else:
                out.entity("text_link", start, url=url)
        elif line_start and text.startswith("**>", index):
            index += 3  # expandable block quotation
        elif char in "*_~|":
            token = text[index : index + 2] if text.startswith(("__", "||"), index) else char
            if token == "|":
                raise _reserved("|")
            if stack and stack[-1][0] == token:
                out.entity(MARKDOWN_V2_TYPES[token], stack.pop()[2])
            else:
                stack.append((token, index, out.utf16_length))
            index += len(token)
        elif char == ">" and line_start:
            index += 1
        elif char in MARKDOWN_V2_RESERVED:
            raise _reserved(char)
        else:
            out.add(char)
            at_line_start = char == "\n"
            index += 1
    if stack:
        token, start, _ = stack[-1]
        entity = names.get(token)
        where = _byte_offset(text, start)
        if entity is None:
            raise _entity_error(f"Can't find end of the entity starting at byte offset {where}")
        raise _entity_error(f"Can't find end of {entity} entity at byte offset {where}")
    return out


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
