"""Every legal article the bot can show is in citations.toml; content citing another one fails."""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from domain.case import CaseState
from domain.issues import KIND_FACT, RIGHTS_KINDS
from guide import GuideContent, GuideFileError, default_content_dir, load_content
from guide.citations import Citations
from guide.drafts import render_drafts
from guide.export import render_export
from tests.guide.test_drafts import FULL

AT = datetime(2024, 11, 20, 9, 0)


@pytest.fixture
def citations(content: GuideContent) -> Citations:
    assert content.citations is not None
    return content.citations


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("《消费者权益保护法》第8条、第20条", ["消法8", "消法20"]),
        ("依消法44，也见《电子商务法》第38条", ["消法44", "电商法38"]),
        ("电商法15要求亮照", ["电商法15"]),
        ("《规范促销行为暂行规定》第11条至第13条", ["促销规定11", "促销规定12", "促销规定13"]),
        ("《消费者权益保护法实施条例》第12条", ["条例12"]),  # not 消法: the longer name wins
        ("原《市场监督管理投诉举报处理暂行办法》第12条", ["暂行办法12"]),
        (
            "最高法《关于民事诉讼证据的若干规定》第14条，截图可以作为证据（第15条）",
            ["证据规定14", "证据规定15"],
        ),
        ("《市场监督管理投诉举报处理办法》", []),  # named, no article: nothing to check
        ("第1/3步，7个工作日", []),
    ],
)
def test_citations_are_read_as_a_person_reads_them(citations: Citations, text: str, keys: list[str]) -> None:
    assert [c.key for c in citations.cited(text)] == keys
    assert citations.unknown(text) == []


@pytest.mark.parametrize(
    ("text", "unknown"),
    [
        ("《消费者权益保护法》第99条", ["消法99"]),
        ("《电子商务法》第十七条", ["电商法0"]),  # numbers in Chinese are never on the list
        ("依第20条", ["第20条 (no law named before it)"]),
        ("《民法典》第1165条", ["民法典1165"]),
    ],
)
def test_an_article_not_on_the_list_is_reported(citations: Citations, text: str, unknown: list[str]) -> None:
    assert citations.unknown(text) == unknown


def _texts(content: GuideContent) -> list[str]:
    """Every text the bot can show from the step files and tracks."""
    texts = [*content.messages.values(), *content.prompts.values()]
    for stage in content.stages:
        for step in stage.steps:
            texts += [step.text, *step.variants.values()]
    for track in content.tracks.values():
        texts += [track.story, track.demand, track.report]
    return texts


def test_all_shipped_content_cites_listed_articles_only(content: GuideContent, citations: Citations) -> None:
    cited = set()
    for text in _texts(content):
        assert citations.unknown(text) == [], text
        cited |= {c.key for c in citations.cited(text)}
    assert {"消法44", "电商法61", "条例12", "条例46", "促销规定13", "证据规定94", "民法典188"} <= cited


@pytest.mark.parametrize("kind", [None, *RIGHTS_KINDS])
@pytest.mark.parametrize("issue_type", ["zhuli_swallowed", "bargain_failed", "rights_damaged"])
def test_rendered_drafts_and_export_cite_listed_articles_only(
    content: GuideContent, citations: Citations, issue_type: str, kind: str | None
) -> None:
    facts = {**FULL, "amount": "0元"}
    if kind is not None:
        facts[KIND_FACT] = kind
    case = CaseState("c0ffee000001", 7, issue_type, "complain", 1, "open", AT, AT, facts=facts)
    drafts = render_drafts(content, case, ())
    for draft in drafts.drafts:
        assert citations.unknown(draft.text) == [], draft.text
        if draft.key != "customer_service":  # a message to 客服 argues no law
            assert citations.cited(draft.text), draft.key
    export = render_export(content, case, (), ()).content.decode("utf-8")
    assert citations.unknown(export) == []


@pytest.fixture
def steps(tmp_path: Path) -> Path:
    target = tmp_path / "steps"
    shutil.copytree(default_content_dir(), target)
    return target


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def _problems(directory: Path) -> list[str]:
    with pytest.raises(GuideFileError) as caught:
        load_content(directory)
    for problem in caught.value.problems:
        assert re.match(r"^[\w.]+\.toml:\d+: ", problem), problem
    return list(caught.value.problems)


def test_a_step_citing_an_unlisted_article_does_not_load(steps: Path) -> None:
    path = steps / "legal.toml"
    text = path.read_text(encoding="utf-8").replace("（第15条）", "（第16条）", 1)
    path.write_text(text, encoding="utf-8")
    line = _line_of(path, 'title = "整理证据"') + 1
    assert f"legal.toml:{line}: cites 证据规定16, which citations.toml does not list" in _problems(steps)


def test_a_message_citing_an_unlisted_article_does_not_load(steps: Path) -> None:
    path = steps / "common.toml"
    text = path.read_text(encoding="utf-8").replace("第8条你有知情权", "第9条你有知情权", 1)
    path.write_text(text, encoding="utf-8")
    line = _line_of(path, "rules_unclear =")
    assert f"common.toml:{line}: cites 消法9, which citations.toml does not list" in _problems(steps)


def test_an_article_listed_twice_does_not_load(steps: Path) -> None:
    path = steps / "citations.toml"
    path.write_text(
        path.read_text(encoding="utf-8") + '\n[[article]]\nlaw = "消法"\nnumber = 8\nsummary = "重复"\n',
        encoding="utf-8",
    )
    line = len(path.read_text(encoding="utf-8").splitlines()) - 1
    assert f"citations.toml:{line}: article 消法8 is listed twice" in _problems(steps)


def test_a_track_basis_not_listed_does_not_load(steps: Path) -> None:
    path = steps / "tracks.toml"
    text = path.read_text(encoding="utf-8").replace(
        'basis = ["电商法20", "电商法49"]', 'basis = ["电商法20", "电商法99"]'
    )
    path.write_text(text, encoding="utf-8")
    line = _line_of(path, '"电商法99"')
    assert f"tracks.toml:{line}: article '电商法99' is not listed in citations.toml" in _problems(steps)
