"""The case summary as a UTF-8 text document or a PDF (facts, timeline, evidence index, filings, drafts, notice)."""

from __future__ import annotations

from collections.abc import Sequence

from domain.case import CaseState, EvidenceItem, TimelineEntry
from domain.issues import KIND_FACT, issue_label
from domain.labels import CATEGORY_LABELS, FACT_LABELS, NOTICE, OUTCOME_LABELS
from domain.messages import Document
from domain.stages import STAGE_NAMES
from guide.clock import shown
from guide.content import GuideContent
from guide.drafts import case_facts, render_drafts
from guide.pdf import render_pdf

#: Timeline event -> Chinese label.
EVENT_LABELS: dict[str, str] = {
    "opened": "创建案件",
    "type": "设定问题类型",
    "stage": "进入阶段",
    "fact": "记录信息",
    "evidence": "添加证据",
    "contacted": "联系客服",
    "reminder": "跟进提醒",
    "draft": "生成草稿",
    "follow_up": "跟进结果",
    "closed": "结案",
    "solved_said": "告知问题已解决",
    "reopened": "重新打开案件",
    "filing": "提交投诉",
    "filing_status": "投诉状态",
    "filing_due": "期限到期",
}

#: Filing channel and status ids as the export's timeline names them.
_FILING_DETAILS: dict[str, str] = {
    "customer_service": "平台客服",
    "platform": "平台介入",
    "complaint_12315": "12315 投诉",
    "odr_12315": "12315 在线和解",
    "report_12315": "12315 举报",
    "consumer_assoc": "消协调解",
    "heimao": "黑猫投诉",
    "court": "法院",
    "submitted": "已提交",
    "accepted": "已受理",
    "rejected": "不予受理/被驳回",
    "mediation": "调解中",
    "settled": "已和解/已解决",
    "closed": "已结束",
    "no_reply": "没有按时答复",
}


_DETAILS: dict[str, str] = {
    "asked": "询问处理结果",
    "resolved": "已解决",
    "unresolved": "未解决",
    "abandoned": "放弃",
    "cancelled": "已取消",
}


def _when(entry: TimelineEntry) -> str:
    return shown(entry.at)


def _detail(entry: TimelineEntry) -> str:
    if entry.event == "stage":
        return STAGE_NAMES.get(entry.detail, entry.detail)
    if entry.event == "fact":
        return "具体情况" if entry.detail == KIND_FACT else FACT_LABELS.get(entry.detail, entry.detail)
    if entry.event in ("opened", "type"):
        return issue_label(entry.detail or None)
    if entry.event in ("follow_up", "closed"):
        return _DETAILS.get(entry.detail, entry.detail)
    if entry.event == "evidence":
        return CATEGORY_LABELS.get(entry.detail, entry.detail)
    if entry.event in ("filing", "filing_status"):
        return _FILING_DETAILS.get(entry.detail, entry.detail)
    return entry.detail


def evidence_index(case: CaseState, evidence: Sequence[EvidenceItem]) -> list[str]:
    """The evidence index: file, kind, time received, SHA-256 and what it shows, one block per item."""
    lines: list[str] = []
    items = [item for item in evidence if item.case_id == case.id]
    for number, item in enumerate(items, start=1):
        kind = "图片" if item.kind == "photo" else "文件"
        name = item.file_name or f"{kind}{number}"
        shows = CATEGORY_LABELS.get(item.category or "other", "其他材料")
        if item.caption:
            shows += f"（{item.caption}）"
        lines += [
            f"{number}. {name}｜{kind}｜收到时间 {shown(item.received_at, '%Y-%m-%d %H:%M:%S')}",
            f"   内容：{shows}",
            f"   SHA-256：{item.sha256 or '未计算（文件未能下载）'}",
        ]
    if not items:
        lines.append("（无）")
    return lines


#: The lines around each draft in the export: what lies between them is the text to copy.
CUT = "—————— 复制以下内容 ——————"
CUT_END = "—————— 复制到此为止 ——————"


def export_lines(
    content: GuideContent,
    case: CaseState,
    evidence: Sequence[EvidenceItem],
    timeline: Sequence[TimelineEntry],
    *,
    filings: Sequence[str] = (),
    guidance: str = "",
) -> list[str]:
    """The lines of the case summary (shared by the text and the PDF export).

    ``filings`` are the lines of the filings section (see ``guide.ladder.filing_lines``),
    ``guidance`` the advice on preserving evidence.
    """
    status = "进行中" if case.status == "open" else "已结案"
    if case.outcome:
        status += f"（{OUTCOME_LABELS.get(case.outcome, case.outcome)}）"
    lines = [
        "维权助手 · 案件摘要",
        NOTICE,
        "",
        f"案件编号：{case.id}",
        f"问题类型：{issue_label(case.issue_type, case.facts.get(KIND_FACT))}",
        f"状态：{status}",
        f"当前阶段：{STAGE_NAMES.get(case.stage, case.stage)}",
        f"创建时间：{shown(case.created_at)}",
        "",
        "一、案件信息",
        *[f"{FACT_LABELS[name]}：{case.facts.get(name) or '待补充'}" for name in case_facts(content, case)],
        "",
        "二、时间线",
    ]
    entries = [entry for entry in timeline if entry.case_id == case.id]
    lines.extend(f"{_when(e)}  {EVENT_LABELS.get(e.event, e.event)}  {_detail(e)}".rstrip() for e in entries)
    if not entries:
        lines.append("（无）")
    lines += ["", "三、证据清单与索引（收到时间为北京时间；SHA-256 可用来核对原文件未被修改）"]
    lines += evidence_index(case, evidence)
    if guidance:
        lines += ["", guidance]
    lines += ["", "投诉记录"]
    lines += list(filings) or ["（无）"]
    drafts = render_drafts(content, case, evidence)
    lines += ["", "四、草稿", f"每份草稿只复制两条分隔线之间的内容。{NOTICE}"]
    for number, draft in enumerate(drafts.drafts, start=1):
        lines += ["", f"{number}. {draft.title}", CUT, draft.text, CUT_END]
    if drafts.missing:
        lines += ["", "草稿里标【待补充：…】的信息还缺：" + "、".join(FACT_LABELS[n] for n in drafts.missing)]
    lines.append("")
    return lines


def render_export(
    content: GuideContent,
    case: CaseState,
    evidence: Sequence[EvidenceItem],
    timeline: Sequence[TimelineEntry],
    *,
    filings: Sequence[str] = (),
    guidance: str = "",
) -> Document:
    """A .txt summary of ``case`` that the person can keep or forward."""
    text = "\n".join(export_lines(content, case, evidence, timeline, filings=filings, guidance=guidance))
    return Document(
        filename=f"weiquan-case-{case.id}.txt",
        content=text.encode("utf-8"),
        caption=f"案件摘要（{issue_label(case.issue_type)}）\n可打印的 PDF 版：发送 /export pdf\n{NOTICE}",
    )


def render_export_pdf(
    content: GuideContent,
    case: CaseState,
    evidence: Sequence[EvidenceItem],
    timeline: Sequence[TimelineEntry],
    *,
    filings: Sequence[str] = (),
    guidance: str = "",
) -> Document:
    """The same summary as a printable PDF; raises :class:`guide.pdf.NoCjkFont` without a CJK font."""
    lines = export_lines(content, case, evidence, timeline, filings=filings, guidance=guidance)
    return Document(
        filename=f"weiquan-case-{case.id}.pdf",
        content=render_pdf(lines[0], lines[1:]),
        caption=f"案件摘要 PDF（{issue_label(case.issue_type)}），可打印\n{NOTICE}",
    )
