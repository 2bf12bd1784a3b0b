"""The review of the shipped guidance (legal-facts.md, "Corrections and additions") holds everywhere."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from guide import GuideContent
from intents.match import ISSUE_TYPES


def _shown(content: GuideContent, issue_type: str | None) -> Iterator[tuple[str, str]]:
    """(where, text) of every text a case of ``issue_type`` can be shown."""
    for stage in content.stages:
        for index, step in enumerate(stage.steps):
            yield f"{stage.id}.{index}", step.text_for(issue_type)
            if issue_type == "rights_damaged":
                for kind, text in step.variants.items():
                    if kind not in ISSUE_TYPES:
                        yield f"{stage.id}.{index}.{kind}", text
    for key, text in content.messages.items():
        yield f"messages.{key}", text


def _all(content: GuideContent) -> str:
    return "\n".join(text for issue in ISSUE_TYPES for _, text in _shown(content, issue))


@pytest.mark.parametrize("issue_type", ISSUE_TYPES)
def test_changning_case_only_for_bargains_and_hedged(content: GuideContent, issue_type: str) -> None:
    for where, text in _shown(content, issue_type):
        if "长宁" in text:
            assert issue_type == "bargain_failed", where
            assert "据报道" in text and "不构成欺诈" in text, where


def test_platform_liability_is_not_overstated(content: GuideContent) -> None:
    texts = _all(content)
    assert "由平台承担责任" not in texts
    assert "也可以向平台要求赔偿" in texts and "明知或应知" in texts  # 消法44 as corrected


def test_consumer_association_is_no_regulator(content: GuideContent) -> None:
    texts = _all(content)
    assert "不是监管部门" in texts
    assert "向12315或消费者协会投诉" not in texts
    assert "请消费者协会调解" in content.message("follow_up_unresolved")


def test_complaints_against_the_platform_itself(content: GuideContent) -> None:
    channel = content.step("complain", 0)
    assert channel is not None
    assert "平台住所地" in channel.text and "投诉平台自己" in channel.text
    assert "举报" in channel.text and "第26条" in channel.text  # 投诉 vs 举报 at stage 3


def test_complaint_deadlines_and_inadmissibility(content: GuideContent) -> None:
    after = content.step("complain", 2)
    assert after is not None
    for part in ("7个工作日", "60日", "第46条", "超过3年", "第15条", "据公开资料"):  # ODR hedged
        assert part in after.text, part


def test_evidence_rule_94_is_about_independent_preservation(content: GuideContent) -> None:
    evidence = content.step("legal", 0)
    assert evidence is not None
    assert "可信时间戳" in evidence.text and "购物平台自己的记录不属于" in evidence.text
    assert "原始合同和交易记录" in evidence.text


def test_stage_four_names_free_help_and_online_filing(content: GuideContent) -> None:
    texts = "\n".join(step.text_for(t) for step in content.stage("legal").steps for t in ISSUE_TYPES)  # type: ignore[union-attr]
    for part in ("12348", "人民法院在线服务", "上年度就业人员年平均工资", "可延长1个月", "《民法典》第188条"):
        assert part in texts, part


def test_campaign_rules_cite_the_promotion_rules_not_art_34_alone(content: GuideContent) -> None:
    notice = content.step("cautions", 2)
    assert notice is not None
    assert "《规范促销行为暂行规定》第13条" in notice.text
    assert "服务协议和交易规则" in notice.text  # what 电商法34 is about


def test_scam_warning_covers_the_new_tricks(content: GuideContent) -> None:
    warning = content.message("scam_warning")
    for part in ("理赔", "会议号", "备用金", "刷单", "110", "96110", "国家反诈中心"):
        assert part in warning, part
    for word in ("理赔", "会议号", "备用金", "代砍"):
        assert word in content.scam_keywords
    first = content.step("cautions", 0)
    assert first is not None and "96110" in first.text


def test_seller_disputes_cite_art_61_with_its_scope(content: GuideContent) -> None:
    follow = content.step("contact", 2)
    assert follow is not None
    assert "第61条" in follow.text and "平台内经营者" in follow.text
