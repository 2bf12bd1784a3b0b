"""Evidence that holds up: the hash a reading brings is stored, and the export lists the evidence index."""

from __future__ import annotations

import hashlib
import io
import json

import pytest

from domain.labels import NOTICE
from domain.outcome import UpdateEvidence
from guide.pdf import find_font
from tests.guide.memory import Conversation

DIGEST = hashlib.sha256(b"screenshot bytes").hexdigest()


def _reading(unique_id: str, **fields: object) -> str:
    payload = {"file_unique_id": unique_id, "kind": "other", "facts": {}, "error": "", **fields}
    return json.dumps(payload, ensure_ascii=False)


def test_a_reading_stores_the_files_hash(convo: Conversation) -> None:
    convo.text("砍价差一点没成功")
    convo.send("photo", file_id="F1", file_unique_id="U1", caption="规则")
    convo.send("reading", data=_reading("U1", kind="rules", sha256=DIGEST))
    assert convo.view.evidence[0].sha256 == DIGEST
    assert convo.view.evidence[0].category == "rules"


def test_a_hash_only_reading_is_silent(convo: Conversation) -> None:
    convo.text("砍价差一点没成功")
    convo.send(
        "document", file_id="F2", file_unique_id="U2", file_name="聊天记录.pdf", mime_type="application/pdf"
    )
    convo.send("reading", data=_reading("U2", sha256=DIGEST, hash_only=True))
    assert convo.replies == ()
    assert convo.view.evidence[0].sha256 == DIGEST


def test_a_malformed_hash_is_ignored(convo: Conversation) -> None:
    convo.text("砍价差一点没成功")
    convo.send("photo", file_id="F1", file_unique_id="U1")
    convo.send("reading", data=_reading("U1", sha256="not-a-hash", hash_only=True))
    assert not convo.effects(UpdateEvidence) and convo.view.evidence[0].sha256 == ""


def test_export_has_the_evidence_index_filings_timeline_and_guidance(convo: Conversation) -> None:
    convo.text("拼多多砍价差一点没成功，订单 231118-492817365029174")
    convo.send("photo", file_id="F1", file_unique_id="U1", caption="规则")
    convo.send("reading", data=_reading("U1", kind="rules", sha256=DIGEST))
    convo.send(
        "document", file_id="F2", file_unique_id="U2", file_name="chat.pdf", mime_type="application/pdf"
    )
    convo.text("我在12315投诉了，编号是1234567890")
    convo.command("export")
    [reply] = convo.replies
    assert reply.document is not None
    text = reply.document.content.decode("utf-8")
    index = text.split("三、证据清单与索引")[1].split("证据要经得起检验")[0]
    assert "1. 图片1｜图片｜收到时间 2024-11-20 10:02:00" in index
    assert f"SHA-256：{DIGEST}" in index and "活动规则页（规则）" in index
    assert "2. chat.pdf｜文件" in index and "未计算" in index
    assert "录屏" in text and "可信时间戳" in text and "公证" in text
    assert "12315 投诉｜2024-11-20 提交，编号 1234567890" in text
    timeline = text.split("二、时间线")[1].split("三、")[0]
    assert "提交投诉  12315 投诉" in timeline
    assert "231118-492817365029174" in text and NOTICE in text


def test_export_pdf_holds_the_order_number_the_hashes_and_the_notice(convo: Conversation) -> None:
    pypdf = pytest.importorskip("pypdf")
    if find_font() is None:
        pytest.skip("no CJK font on this machine (the Docker image installs fonts-wqy-microhei)")
    convo.text("拼多多砍价差一点没成功，订单 231118-492817365029174")
    convo.send("photo", file_id="F1", file_unique_id="U1", caption="规则")
    convo.send("reading", data=_reading("U1", kind="rules", sha256=DIGEST))
    convo.text("我在12315投诉了，编号是1234567890")
    convo.command("export", "pdf")
    [reply] = convo.replies
    assert reply.document is not None and reply.document.filename.endswith(".pdf")
    reader = pypdf.PdfReader(io.BytesIO(reply.document.content))
    text = "".join((page.extract_text() or "") for page in reader.pages)
    compact = "".join(text.split())
    assert "231118-492817365029174" in compact
    assert DIGEST in compact
    assert "".join(NOTICE.split()) in compact
    assert "1234567890" in compact and "证据清单与索引" in compact


def test_pdf_button_and_a_machine_without_a_cjk_font(
    convo: Conversation, monkeypatch: pytest.MonkeyPatch
) -> None:
    convo.text("砍价差一点没成功")
    convo.command("filings")
    monkeypatch.setattr("guide.pdf.find_font", lambda extra="": None)
    convo.press("导出 PDF")
    assert "没有中文字体" in convo.said and "/export" in convo.said
    assert all(reply.document is None for reply in convo.replies)
