"""Operators' statistics as text, for ``/stats`` and ``weiquan-bot stats`` (no personal data)."""

from __future__ import annotations

import json

#: The guide's stages in order, with the names operators know them by.
STAGES: tuple[tuple[str, str], ...] = (
    ("confirm", "一 确认问题"),
    ("contact", "二 联系客服"),
    ("complain", "三 投诉"),
    ("legal", "四 法律途径"),
    ("cautions", "五 注意事项"),
)


def funnel(stats: dict[str, object]) -> list[str]:
    """How many cases reached each stage, and what share of them moved on to the next."""
    by_type = stats.get("cases_by_type")
    reached_raw = stats.get("stage_reached")
    reached = dict(reached_raw) if isinstance(reached_raw, dict) else {}
    # Every case with a type starts in stage 一; later stages are logged when entered.
    typed = sum(int(v) for k, v in by_type.items() if k) if isinstance(by_type, dict) else 0
    counts = [max(typed, int(reached.get("confirm", 0)))] + [int(reached.get(s, 0)) for s, _ in STAGES[1:]]
    lines = ["\n阶段漏斗 (stage funnel):"]
    for index, (_, name) in enumerate(STAGES):
        line = f"  {name}: {counts[index]}"
        if index + 1 < len(STAGES) and counts[index]:
            line += f"  → 下一阶段 {counts[index + 1] / counts[index]:.0%}"
        lines.append(line)
    return lines


def format_stats(stats: dict[str, object]) -> str:
    """Render the storage statistics as short labelled sections, with the stage funnel first."""
    lines = ["📊 运行统计", *funnel(stats), ""]
    for key, value in stats.items():
        if isinstance(value, dict):
            lines.append(f"{key}:")
            for sub_key, sub_value in value.items():
                rendered = (
                    json.dumps(sub_value, ensure_ascii=False)
                    if isinstance(sub_value, dict | list)
                    else sub_value
                )
                lines.append(f"  {sub_key}: {rendered}")
        else:
            lines.append(f"{key}: {value}")
    return "\n".join(lines)
