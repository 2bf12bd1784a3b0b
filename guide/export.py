"""The case summary as a UTF-8 text document (facts, timeline, evidence, drafts, notice)."""

from __future__ import annotations

from collections.abc import Sequence

from guide.clock import shown
from guide.content import GuideContent
from guide.drafts import case_facts, render_drafts
from guide.labels import (
    CATEGORY_LABELS,
    FACT_LABELS,
    KIND_FACT,
    NOTICE,
    OUTCOME_LABELS,
    STAGE_NAMES,
    issue_label,
)
from guide.model import CaseState, Document, EvidenceItem, TimelineEntry

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
    return entry.detail


#: The lines around each draft in the export: what lies between them is the text to copy.
CUT = "—————— 复制以下内容 ——————"
CUT_END = "—————— 复制到此为止 ——————"


def render_export(
    content: GuideContent,
    case: CaseState,
    evidence: Sequence[EvidenceItem],
    timeline: Sequence[TimelineEntry],
) -> Document:
    """A .txt summary of ``case`` that the person can keep or forward."""
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
    lines += ["", "三、证据清单"]
    items = [item for item in evidence if item.case_id == case.id]
    for number, item in enumerate(items, start=1):
        category = CATEGORY_LABELS.get(item.category or "other", "其他材料")
        name = item.caption or item.file_name or ("图片" if item.kind == "photo" else "文件")
        lines.append(f"{number}. {category}｜{shown(item.received_at)}｜{name}")
    if not items:
        lines.append("（无）")
    drafts = render_drafts(content, case, evidence)
    lines += ["", "四、草稿", f"每份草稿只复制两条分隔线之间的内容。{NOTICE}"]
    for number, draft in enumerate(drafts.drafts, start=1):
        lines += ["", f"{number}. {draft.title}", CUT, draft.text, CUT_END]
    if drafts.missing:
        lines += ["", "草稿里标【待补充：…】的信息还缺：" + "、".join(FACT_LABELS[n] for n in drafts.missing)]
    lines.append("")
    text = "\n".join(lines)
    return Document(
        filename=f"weiquan-case-{case.id}.txt",
        content=text.encode("utf-8"),
        caption=f"案件摘要（{issue_label(case.issue_type)}）\n{NOTICE}",
    )
