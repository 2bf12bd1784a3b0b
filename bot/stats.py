"""Operators' statistics as text, for ``/stats`` and ``weiquan-bot stats`` (no personal data)."""

from __future__ import annotations

import json


def format_stats(stats: dict[str, object]) -> str:
    """Render the storage statistics as short labelled sections."""
    lines = ["📊 运行统计"]
    for key, value in stats.items():
        if isinstance(value, dict):
            lines.append(f"\n{key}:")
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
