"""Filings told in free text: 「我在12315投诉了，编号是…」, 「申请了平台介入，说3个工作日内回复」, and the
complaint number or answer the bot asked for (see :data:`guide.filings.PENDING_KEY`)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from domain.outcome import UpdateFiling
from guide import clocks, filings, scratch
from guide.clock import local_date
from guide.facts import extract_facts, simplified
from guide.render import type_buttons
from guide.tracking import CHANNELS, Tracking
from guide.turn import Turn, msg
from guide.workdays import add_days, add_workdays

_NUMBER = re.compile(
    r"(?:编号|单号|工单号|受理号|投诉号|举报号|案号|登记号|号码)\s*(?:是|为|:|：)?\s*([A-Za-z0-9][A-Za-z0-9\-]{3,39})"
)
_BARE_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-]{3,39}$")
_DONE = re.compile(r"了|已|过|提交|递交")
_NOT_YET = re.compile(r"想|要不要|准备|打算|怎么|如何|能不能|可不可以|可以吗|吗|？|\?")
_PROMISE = re.compile(r"(\d{1,3})\s*个?\s*(工作日|天|日|小时)\s*内")
_SKIP = re.compile(r"没有|没|跳过|不知道|无")


def _promise(text: str, filed_on: date, at: datetime) -> datetime | None:
    """The answer time the platform promised (「3个工作日内」「48小时内」), if the text gives one."""
    found = _PROMISE.search(text)
    if found is None or int(found.group(1)) == 0:
        return None
    number, unit = min(int(found.group(1)), 365), found.group(2)
    if unit == "小时":
        return at + timedelta(hours=number)
    deadline = add_workdays(filed_on, number) if unit == "工作日" else add_days(filed_on, number)
    return clocks.aligned(clocks.morning_after(deadline.last_day), at)


def parse_text(tracking: Tracking, text: str) -> tuple[str, str] | None:
    """(channel, number) when ``text`` says the person filed somewhere, else ``None``."""
    compact = simplified("".join(text.split()))
    best: tuple[int, str] | None = None
    for channel in CHANNELS:
        for keyword in tracking.channel(channel).keywords:
            if keyword in compact and (best is None or len(keyword) > best[0]):
                best = (len(keyword), channel)
    if best is None:
        return None
    found = _NUMBER.search(compact)
    number = found.group(1) if found else ""
    if not number and (not _DONE.search(compact) or _NOT_YET.search(compact)):
        return None  # 「我想去12315投诉」 asks how; it records nothing
    return best[1], number


def take_text(turn: Turn, tracking: Tracking, text: str) -> bool:
    """Handle free text about filings (a number or an answer the bot asked for, or 「我在…投诉了」).

    Returns False when the text is not about filings and the dialogue should go on as usual.
    """
    waiting = turn.pending.get(filings.PENDING_KEY, "")
    if waiting:
        scratch.set_pending(turn, {k: v for k, v in turn.pending.items() if k != filings.PENDING_KEY})
        if _waited(turn, tracking, waiting, text.strip()):
            return True
    parsed = parse_text(tracking, text)
    if parsed is None:
        return False
    channel, number = parsed
    case = turn.open_current or turn.open_case(None)
    filed = extract_facts(text, turn.at).get("date")
    filed_on = date.fromisoformat(filed) if filed else local_date(turn.at)
    promised = _promise(simplified(text), filed_on, turn.at)
    filings.record(turn, tracking, case, channel, filed_on=filed_on, number=number, promised_until=promised)
    if case.issue_type is None:
        turn.say(msg(turn, "evidence_need_type"), type_buttons(case.id))
    return True


def _waited(turn: Turn, tracking: Tracking, waiting: str, text: str) -> bool:
    """The answer to the question in ``waiting`` (``no:<id>`` or ``answer:<id>``); False if it is none."""
    kind, _, filing_id = waiting.partition(":")
    filing = filings.filing_of(turn, filing_id)
    if filing is None:
        return False
    if kind == "no":
        compact = "".join(text.split())
        found = _NUMBER.search(compact) or _BARE_NUMBER.match(compact)
        if found is None:
            if _SKIP.search(compact) and len(compact) <= 10:
                turn.say("好的，没有编号也没关系。发送 /filings 可以随时查看和补充。")
                return True
            return False
        number = found.group(1) if found.re is _NUMBER else found.group(0)
        turn.emit(UpdateFiling(filing.evolve(number=number[: filings.MAX_NUMBER], updated_at=turn.at)))
        turn.say(f"编号已记下：{number[: filings.MAX_NUMBER]}。发送 /filings 可以查看全部投诉和期限。")
        return True
    if kind == "answer" and len(text) >= 2 and not parse_text(tracking, text):
        answer = " ".join(text.split())[: filings.MAX_ANSWER]
        turn.emit(UpdateFiling(filing.evolve(answer=answer, updated_at=turn.at)))
        turn.say("答复已记下，会出现在 /filings 和导出的案件摘要里。")
        return True
    return False
