"""Build the messages of the flow: steps, stage menu, status, facts menu, evidence list."""

from __future__ import annotations

from collections.abc import Sequence

from domain.case import CaseState, EvidenceItem, Reminder
from domain.issues import ISSUE_LABELS, KIND_FACT, issue_label
from domain.labels import FACT_LABELS
from domain.messages import Button, Reply
from guide import callbacks
from guide.clock import shown
from guide.content import ButtonSpec, EvidenceSpec, GuideContent
from guide.drafts import case_facts
from guide.turn import clip

Rows = list[list[Button]]


def type_buttons(target: str, op: str = "t", types: Sequence[str] | None = None) -> Rows:
    """One row of issue-type buttons; ``target`` is a case id or ``callbacks.NEW``."""
    chosen = set(types) if types else set(ISSUE_LABELS)
    # Always in the labels' order, so "the second one" means the same type everywhere.
    return [
        [Button(label, callbacks.make(op, target, t)) for t, label in ISSUE_LABELS.items() if t in chosen]
    ]


def nav_button(case: CaseState, label: str, action: str) -> Button:
    """A position-independent button of ``case`` (``n|case|action``)."""
    return Button(label, callbacks.make("n", case.id, action))


def _step_rows(content: GuideContent, case: CaseState, buttons: Sequence[ButtonSpec], nav: bool) -> Rows:
    rows: Rows = [
        [Button(spec.label, callbacks.step_data(case.id, case.stage, case.step, spec.action))]
        for spec in buttons
    ]
    if nav:
        rows.append([nav_button(case, spec.label, spec.action) for spec in content.nav_buttons])
    return rows


def position_label(content: GuideContent, case: CaseState) -> str:
    """``一、确认问题 · 第1/3步 看清规则和承诺``."""
    stage = content.stage(case.stage)
    step = content.step(case.stage, case.step)
    if stage is None or step is None:
        return case.stage
    return f"{stage.title} · 第{case.step + 1}/{len(stage.steps)}步 {step.title}"


def step_reply(content: GuideContent, case: CaseState, prefix: str = "") -> Reply:
    """The current step of ``case`` with its buttons (``prefix`` goes above it)."""
    step = content.step(case.stage, case.step)
    if step is None:  # a stored position the content no longer has: show the stage menu instead
        return stage_menu(content, case, prefix)
    head = f"{prefix}\n\n" if prefix else ""
    text = f"{head}【{position_label(content, case)}】\n{step.text_for(case.issue_type, case.facts.get(KIND_FACT))}"
    return Reply(clip(text), _as_tuple(_step_rows(content, case, step.buttons, step.nav)))


def stage_menu(content: GuideContent, case: CaseState, prefix: str = "") -> Reply:
    """The stages to jump to: each named once, on its button (👉 marks the current one)."""
    lines = [prefix, ""] if prefix else []
    lines.append("选择要进入的阶段：")
    rows: Rows = []
    for stage in content.stages:
        mark = "👉 " if stage.id == case.stage else ""
        rows.append([Button(f"{mark}{stage.title}", callbacks.make("m", case.id, stage.id))])
    return Reply(clip("\n".join(lines)), _as_tuple(rows))


def brief_step_reply(content: GuideContent, case: CaseState, prefix: str) -> Reply:
    """``prefix`` and where the person is in one line, with the step's buttons (not its text)."""
    step = content.step(case.stage, case.step)
    if step is None:
        return stage_menu(content, case, prefix)
    text = f"{prefix}\n📍 {position_label(content, case)}"
    return Reply(clip(text), _as_tuple(_step_rows(content, case, step.buttons, step.nav)))


def facts_summary(case: CaseState) -> str:
    """The facts of ``case`` as lines (``订单号：…``), or a note that there are none."""
    lines = [f"{FACT_LABELS[name]}：{case.facts[name]}" for name in FACT_LABELS if case.facts.get(name)]
    return "\n".join(lines) if lines else "（还没有记录信息）"


#: Facts that fit only some issue types (the others fit every case).
FACT_TYPES: dict[str, tuple[str, ...]] = {"shortfall": ("bargain_failed",)}


def fits(name: str, issue_type: str | None) -> bool:
    """True when fact ``name`` makes sense for a case of ``issue_type``."""
    types = FACT_TYPES.get(name)
    return types is None or issue_type is None or issue_type in types


def facts_menu(content: GuideContent, case: CaseState) -> Reply:
    """The facts that matter for the case (its track's, and any given), what is missing in one
    line, and a button per fact."""
    wanted = list(case_facts(content, case))
    names = wanted + [name for name in FACT_LABELS if name not in wanted and case.facts.get(name)]
    lines = ["案件信息（点按钮填写或修改）："]
    lines += [f"• {FACT_LABELS[name]}：{case.facts[name]}" for name in names if case.facts.get(name)]
    missing = [FACT_LABELS[name] for name in names if not case.facts.get(name)]
    if missing:
        lines.append("待补充：" + "、".join(missing))
    buttons = [
        Button(
            ("修改" if case.facts.get(name) else "填写") + FACT_LABELS[name],
            callbacks.make("f", case.id, name),
        )
        for name in names
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    return Reply(clip("\n".join(lines)), _as_tuple(rows))


def missing_evidence(
    content: GuideContent, case: CaseState, evidence: Sequence[EvidenceItem]
) -> tuple[EvidenceSpec, ...]:
    """Checklist items of ``case`` that no evidence item covers yet."""
    have = {item.category for item in evidence if item.case_id == case.id}
    return tuple(spec for spec in content.case_checklist(case) if spec.category not in have)


def evidence_reply(content: GuideContent, case: CaseState, evidence: Sequence[EvidenceItem]) -> Reply:
    """The case's evidence and what the checklist still misses."""
    items = [item for item in evidence if item.case_id == case.id]
    labels = {spec.category: spec.label for spec in content.evidence}
    lines = [f"🗂 证据（{len(items)} 份）："]
    for item in items[-30:]:
        category = labels.get(item.category, "未分类")
        when = shown(item.received_at)
        lines.append(f"• {category}｜{when}｜{item.caption[:40] or item.file_name[:40] or item.kind}")
    missing = missing_evidence(content, case, evidence)
    if missing:
        lines.append("还缺：" + "、".join(spec.label for spec in missing))
    else:
        lines.append("清单上的证据都齐了 👍")
    lines.append("截图或文件直接发给我即可，说明里写上类别（订单/规则/支付/进度/客服/物流）。")
    return Reply(clip("\n".join(lines)))


def status_reply(
    content: GuideContent,
    case: CaseState,
    evidence: Sequence[EvidenceItem],
    reminders: Sequence[Reminder],
) -> Reply:
    """The current case: type, stage and step, facts, evidence count, pending reminder."""
    count = sum(1 for item in evidence if item.case_id == case.id)
    state = "进行中" if case.status == "open" else "已结案"
    lines = [
        f"📊 案件 {case.id}（{state}）",
        f"类型：{issue_label(case.issue_type, case.facts.get(KIND_FACT))}",
        f"进度：{position_label(content, case)}",
        f"证据：{count} 份",
    ]
    due = [r.due_at for r in reminders if r.case_id == case.id]
    if due:
        lines.append(f"跟进提醒：{shown(min(due))}")
    lines.append("——")
    lines.append(facts_summary(case))
    rows = [
        [nav_button(case, "▶️ 继续", "resume"), nav_button(case, "📝 修改信息", "facts")],
        [nav_button(case, "🗂 证据", "evidence"), nav_button(case, "✍️ 草稿", "draft")],
    ]
    return Reply(clip("\n".join(lines)), _as_tuple(rows))


def _as_tuple(rows: Rows) -> tuple[tuple[Button, ...], ...]:
    return tuple(tuple(row) for row in rows if row)
