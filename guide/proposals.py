"""Facts proposed from a screenshot: their lines, their buttons, and the person's answers.

Nothing read from a screenshot is stored before the person confirms it, not even as a scratch
value: the proposed values live only in the bot's message in the person's own chat. Its lines
(``• 订单号：…``, see :func:`proposal_line`) are read back from the text of the message whose button
was pressed, which Telegram sends with the press. The person adopts a value (✅), corrects it
(✏️, the next text is parsed like any answer to a fact question) or rejects it. What is kept in
the scratch values is which facts of that message were answered (names, never values), under
``ocr:<case_id>:<message_id>``, dropped once its case is closed.

Button data is ``ocr|<case_id>|<fact or all>|<y, e or n>``: it names the proposal, never the
value, and is untrusted, so every check ends in a polite reply.
"""

from __future__ import annotations

import re

from domain.case import CaseState
from domain.labels import FACT_LABELS
from domain.limits import MAX_CALLBACK_DATA
from domain.messages import Button
from domain.outcome import DeleteUser
from guide import fact_records, scratch
from guide.facts import simplified
from guide.render import nav_button
from guide.turn import Turn, msg

OP = "ocr"
ALL = "all"
ADOPT, EDIT, REJECT = "y", "e", "n"
PENDING_PREFIX = "ocr:"

#: Facts read from a screenshot that a case can store (they are dialogue fact names too).
CASE_FACTS: tuple[str, ...] = tuple(
    name
    for name in FACT_LABELS
    if name in ("platform", "merchant", "activity", "order_no", "date", "amount", "shortfall")
)

_ID = re.compile(r"^[A-Za-z0-9_.:\-]{1,48}$")


SAME_NOTE = "（和已记录的一致）"
_CONFLICT = re.compile(r"^已有「.*」，截图「(?P<value>.+)」$")


def answered_key(case_id: str, message_id: int) -> str:
    """The scratch key of the facts already answered on message ``message_id`` of case ``case_id``."""
    return f"{PENDING_PREFIX}{case_id}:{message_id}"


def shown(message_text: str) -> dict[str, str]:
    """The proposed facts a message of ours shows (see :func:`proposal_line`), in the menu's order.

    The message may have been sent in Traditional characters to a Traditional writer; it is read
    back in Simplified, the form every fact is kept in.
    """
    by_label = {FACT_LABELS[name]: name for name in CASE_FACTS}
    found: dict[str, str] = {}
    for line in simplified(message_text).splitlines():
        label, colon, value = line.removeprefix("• ").partition("：")
        name = by_label.get(label)
        if not line.startswith("• ") or not colon or name is None or value.endswith(SAME_NOTE):
            continue
        conflict_line = _CONFLICT.match(value)
        value = conflict_line["value"] if conflict_line else value
        if value.strip():
            found.setdefault(name, value.strip())
    return {name: found[name] for name in CASE_FACTS if name in found}


def _answered(turn: Turn, case_id: str) -> set[str]:
    """Facts of the pressed message the person already answered."""
    raw = turn.pending.get(answered_key(case_id, turn.incoming.message_id), "")
    return {name for name in raw.split(",") if name}


def waiting(turn: Turn, case: CaseState) -> dict[str, str]:
    """The facts the pressed message proposes that still wait for the person."""
    answered = _answered(turn, case.id)
    return {
        name: value
        for name, value in shown(turn.incoming.message_text).items()
        if name not in answered and case.facts.get(name) != value
    }


def button_data(case_id: str, name: str, choice: str) -> str:
    """Callback data of a proposal button (``ocr|case|fact|choice``)."""
    return "|".join((OP, case_id, name, choice))


def owns(data: str) -> bool:
    """True when button ``data`` belongs to a screenshot proposal."""
    return data.startswith(OP + "|")


def _parse_button(data: str) -> tuple[str, str, str] | None:
    """(case id, fact or ``all``, choice) of proposal button ``data``, or ``None``."""
    if len(data.encode("utf-8")) > MAX_CALLBACK_DATA or not data.isascii():
        return None
    parts = data.split("|")
    if len(parts) != 4 or parts[0] != OP:
        return None
    _, case_id, name, choice = parts
    if not _ID.match(case_id) or name not in (*CASE_FACTS, ALL) or choice not in (ADOPT, EDIT, REJECT):
        return None
    return case_id, name, choice


def conflict(case: CaseState, name: str, value: str) -> str | None:
    """The value the person already gave for ``name`` when it differs from ``value``."""
    existing = case.facts.get(name)
    return existing if existing and existing != value else None


def proposal_line(case: CaseState, name: str, value: str) -> str:
    """``• 订单号：…`` or, when the person gave another value, both of them."""
    existing = conflict(case, name, value)
    if existing is not None:
        return f"• {FACT_LABELS[name]}：已有「{existing}」，截图「{value}」"
    return f"• {FACT_LABELS[name]}：{value}"


def proposal_rows(case: CaseState, new: dict[str, str], *, with_all: bool) -> list[list[Button]]:
    """A row of buttons per proposed fact, then 全部采用 / 都不对."""
    rows: list[list[Button]] = []
    for name, value in new.items():
        label = FACT_LABELS[name]
        if conflict(case, name, value) is not None:
            rows.append(
                [
                    Button(f"✅ 用截图的{label}", button_data(case.id, name, ADOPT)),
                    Button(f"↩️ 保留原{label}", button_data(case.id, name, REJECT)),
                    Button("✏️ 修改", button_data(case.id, name, EDIT)),
                ]
            )
        else:
            rows.append(
                [
                    Button(f"✅ 采用{label}", button_data(case.id, name, ADOPT)),
                    Button(f"✏️ 修改{label}", button_data(case.id, name, EDIT)),
                ]
            )
    last: list[Button] = []
    if with_all and any(conflict(case, name, value) is None for name, value in new.items()):
        last.append(Button("全部采用", button_data(case.id, ALL, ADOPT)))
    last.append(Button("都不对", button_data(case.id, ALL, REJECT)))
    rows.append(last)
    return rows


def done_rows(case: CaseState) -> list[list[Button]]:
    """Buttons once nothing waits for confirmation."""
    return [[nav_button(case, "▶️ 继续当前步骤", "resume"), nav_button(case, "✍️ 生成草稿", "draft")]]


# --- the person answers --------------------------------------------------------------------


def _drop(turn: Turn, case_id: str, names: tuple[str, ...]) -> None:
    """Note that the facts ``names`` of the pressed message were answered (names only)."""
    key = answered_key(case_id, turn.incoming.message_id)
    answered = _answered(turn, case_id) | set(names)
    scratch.set_pending(turn, {**turn.pending, key: ",".join(n for n in CASE_FACTS if n in answered)})


def _left(turn: Turn, case: CaseState, text: str) -> None:
    """Say ``text`` and how many proposals still wait (or offer to go on when none)."""
    count = len(waiting(turn, case))
    if count:
        turn.say(text + "\n" + msg(turn, "reading_left", count=str(count)))
    else:
        turn.say(text + "\n" + msg(turn, "reading_all_done"), done_rows(case))


def _adopt(turn: Turn, case: CaseState, facts: dict[str, str]) -> CaseState:
    """Store the adopted proposals in the case and note them answered."""
    case, _ = fact_records.record_facts(turn, case, facts)
    _drop(turn, case.id, tuple(facts))
    return case


def _answer_all(turn: Turn, case: CaseState, choice: str) -> None:
    """全部采用 (every proposal that contradicts nothing) or 都不对 (drop them all)."""
    asked = waiting(turn, case)
    if not asked:
        turn.say(msg(turn, "reading_done"))
        return
    if choice == REJECT:
        _drop(turn, case.id, tuple(asked))
        turn.say(msg(turn, "reading_rejected"))
        return
    if choice != ADOPT:
        turn.say(msg(turn, "reading_done"))
        return
    clear = {name: value for name, value in asked.items() if conflict(case, name, value) is None}
    conflicts = {name: value for name, value in asked.items() if name not in clear}
    case = _adopt(turn, case, clear)
    saved = msg(turn, "reading_saved", facts=fact_records.facts_lines(clear)) if clear else ""
    if conflicts:
        lines = [saved] if saved else []
        lines.append(msg(turn, "reading_conflicts"))
        lines += [proposal_line(case, name, value) for name, value in conflicts.items()]
        turn.say("\n".join(lines), proposal_rows(case, conflicts, with_all=False))
        return
    _left(turn, case, saved)


def press(turn: Turn, data: str) -> None:
    """Handle a proposal button: adopt, correct or reject one proposed fact, or all of them."""
    parsed = _parse_button(data)
    case = turn.cases.get(parsed[0]) if parsed is not None else None
    if parsed is None or case is None or case.status != "open":
        turn.say(msg(turn, "reading_done"))
        return
    if not turn.incoming.message_text:  # Telegram no longer shows the message: nothing to read back
        turn.say(msg(turn, "reading_gone"))
        return
    _, name, choice = parsed
    if name == ALL:
        _answer_all(turn, case, choice)
        return
    value = waiting(turn, case).get(name)
    if value is None:
        turn.say(msg(turn, "reading_done"))
        return
    label = FACT_LABELS[name]
    if choice == ADOPT:
        case = _adopt(turn, case, {name: value})
        _left(turn, case, msg(turn, "reading_saved", facts=fact_records.facts_lines({name: value})))
    elif choice == REJECT:
        _drop(turn, case.id, (name,))
        kept = case.facts.get(name)
        key = "reading_kept_fact" if kept else "reading_dropped_fact"
        _left(turn, case, msg(turn, key, fact=label, value=kept or ""))
    else:
        _drop(turn, case.id, (name,))
        turn.set_current(case.id)
        current = case.facts.get(name)
        case = turn.save(case.evolve(awaiting=name))
        note = msg(turn, "reading_edit", value=value)
        if current:
            note = f"当前记录：{current}\n{note}"
        turn.say(f"{turn.content.prompts[name]}\n{note}\n发送 /cancel 可跳过。")


def tidy(turn: Turn) -> None:
    """Drop the answered-facts notes of cases no longer open (closed or gone) from the scratch.

    Also drops what an older version kept there (``ocr:<case>:<fact>`` with the proposed value).
    """
    if any(isinstance(effect, DeleteUser) for effect in turn.effects):
        return  # the scratch is erased with everything else
    kept = {
        key: value
        for key, value in turn.pending.items()
        if not key.startswith(PENDING_PREFIX) or _open_case_of(turn, key)
    }
    if len(kept) != len(turn.pending):
        scratch.set_pending(turn, kept)


def _open_case_of(turn: Turn, key: str) -> bool:
    """True when the proposal ``key`` belongs to an open case of the person."""
    case_id, _, message_id = key[len(PENDING_PREFIX) :].rpartition(":")
    case = turn.cases.get(case_id)
    return case is not None and case.status == "open" and message_id.isdigit()
