"""The escalation ladder: customer service → 平台介入 → 12315 (ODR or 投诉) → 举报 → 消协 → court.

When a clock runs out or a filing is rejected, the next rungs are proposed with their drafts
ready; the person may also jump to any rung. Which rung follows which, and each rung's draft,
live in ``guide/tracking/ladder.toml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from domain.case import CaseState, EvidenceItem, Filing
from domain.labels import FACT_LABELS, NOTICE
from domain.messages import Button
from guide import clocks
from guide.content import GuideContent
from guide.drafts import placeholder, render_drafts, value
from guide.tracking import CHANNELS, Tracking

OP = "fl"

#: Filing status -> Chinese label.
STATUS_LABELS: dict[str, str] = {
    "submitted": "已提交",
    "accepted": "已受理",
    "rejected": "不予受理/被驳回",
    "mediation": "调解中",
    "settled": "已和解/已解决",
    "closed": "已结束",
}


def data(action: str, *args: str) -> str:
    """Callback data of a filings button: ``fl|action|arg...`` (ASCII ids, within 64 bytes)."""
    return "|".join((OP, action, *args))


def filing_lines(tracking: Tracking, filings: Sequence[Filing], at: datetime) -> list[str]:
    """One block per filing: channel, date, number, status, answer and the running clock."""
    out: list[str] = []
    for number, filing in enumerate(filings, start=1):
        label = tracking.channel(filing.channel).label
        code = f"，编号 {filing.number}" if filing.number else ""
        out.append(
            f"{number}. {label}｜{filing.filed_on:%Y-%m-%d} 提交{code}｜{STATUS_LABELS[filing.status]}"
        )
        if filing.answer:
            out.append(f"   答复：{filing.answer}")
        run = clocks.clock_for(tracking, filing)
        if run is not None:
            out.append(f"   {clocks.clock_line(run, at)}")
    return out


def history(tracking: Tracking, filings: Sequence[Filing]) -> str:
    """The filings so far as one line for a draft (``2026-03-01 12315 投诉（编号 …）：已提交``)."""
    parts = []
    for filing in filings:
        number = f"（编号 {filing.number}）" if filing.number else ""
        answer = f"，答复：{filing.answer}" if filing.answer else ""
        label = tracking.channel(filing.channel).label
        parts.append(f"{filing.filed_on:%Y-%m-%d} {label}{number}：{STATUS_LABELS[filing.status]}{answer}")
    return "；".join(parts) if parts else "（暂无）"


def draft(
    tracking: Tracking,
    content: GuideContent,
    case: CaseState,
    channel: str,
    filings: Sequence[Filing],
    evidence: Sequence[EvidenceItem],
    today: date,
) -> str:
    """The text to copy for filing at ``channel`` (the 12315 complaint, the customer-service message
    and, when nothing was paid, the 举报 come from :mod:`guide.drafts`; the others from the tracking file)."""
    drafts = render_drafts(content, case, evidence)
    written = {
        "complaint_12315": "complaint",
        "customer_service": "customer_service",
        "report_12315": "report",
    }
    found = drafts.get(written.get(channel, ""))
    if found is not None:
        return found.text
    values = {name: value(case, name) or placeholder(name) for name in FACT_LABELS}
    values["history"] = history(tracking, [f for f in filings if f.case_id == case.id])
    values["today"] = f"{today:%Y年%m月%d日}"
    return tracking.channel(channel).draft.format_map(values)


def next_channels(tracking: Tracking, filing: Filing | None) -> tuple[str, ...]:
    """The rungs after ``filing`` (the first rung when there is none yet)."""
    if filing is None:
        return (CHANNELS[0],)
    return tracking.channel(filing.channel).next


def proposal(
    tracking: Tracking, case: CaseState, channels: Sequence[str], reason: str
) -> tuple[str, list[list[Button]]]:
    """The message proposing ``channels`` as next steps, with a draft button each and a jump menu."""
    lines = [reason, "", "下一步可以："]
    rows: list[list[Button]] = []
    for channel in channels:
        spec = tracking.channel(channel)
        lines.append(f"• {spec.label}：{spec.how}")
        rows.append([Button(f"✍️ {spec.label}（草稿）", data("d", case.id, channel))])
    if not channels:
        lines.append("• 这已经是最后一步了；需要帮助可以拨打 12348 法律援助热线。")
    rows.append([Button("⏭ 选择其他步骤", data("l", case.id))])
    return "\n".join(lines), rows


def jump_menu(tracking: Tracking, case: CaseState) -> tuple[str, list[list[Button]]]:
    """Every rung, in ladder order, to jump ahead."""
    lines = ["可以直接跳到任何一步（按通常的先后顺序）："]
    rows: list[list[Button]] = []
    for channel in CHANNELS:
        spec = tracking.channel(channel)
        lines.append(f"• {spec.label}：{spec.how}")
        rows.append([Button(spec.label, data("d", case.id, channel))])
    return "\n".join(lines), rows


def draft_intro(tracking: Tracking, channel: str) -> str:
    """The message above a draft: how to file, and the notice (kept out of the text to copy)."""
    spec = tracking.channel(channel)
    return f"【{spec.label}】{spec.how}\n下面是可以复制的草稿，【待补充】处请自己填写。\n{NOTICE}"
