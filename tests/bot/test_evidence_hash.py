"""Every evidence file is hashed on arrival (SHA-256 of the downloaded bytes); the file itself is never kept."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from bot.core import BotCore
from bot.evidence_files import EvidenceReader
from domain.messages import Incoming
from tests.offline import FileBot, RecordingDeliverer

USER = 5200001
CONTENT = b"%PDF-1.4 chat export bytes"


class _Recognizer:
    def __init__(self) -> None:
        self.reads = 0

    async def read(self, data: Any) -> Any:
        self.reads += 1
        raise AssertionError("only images are read")

    async def close(self) -> None:
        return None


async def _attach(core: BotCore, incoming: Incoming) -> None:
    await core.handle(
        USER, USER, "tg:1", Incoming(kind="text", at=datetime.now(UTC), text="拼多多助力被吞了")
    )
    await core.handle(USER, USER, "tg:2", incoming)


async def test_a_pdf_is_hashed_not_read_and_nothing_is_said(core: BotCore) -> None:
    document = Incoming(
        kind="document",
        at=datetime.now(UTC),
        file_id="FD",
        file_unique_id="UD",
        file_name="chat.pdf",
        mime_type="application/pdf",
    )
    await _attach(core, document)
    bot, deliverer, recognizer = FileBot(CONTENT), RecordingDeliverer(), _Recognizer()
    reader = EvidenceReader(core, bot, deliverer, recognizer)  # type: ignore[arg-type]
    reader.submit(USER, USER, document)
    await reader.close()
    view = await core.storage.load_view(USER)
    assert [item.sha256 for item in view.evidence] == [hashlib.sha256(CONTENT).hexdigest()]
    assert bot.downloads == 1 and recognizer.reads == 0 and deliverer.entries == []


async def test_with_ocr_off_a_photo_is_still_hashed(core: BotCore) -> None:
    photo = Incoming(kind="photo", at=datetime.now(UTC), file_id="FP", file_unique_id="UP")
    await _attach(core, photo)
    bot, deliverer, recognizer = FileBot(CONTENT), RecordingDeliverer(), _Recognizer()
    reader = EvidenceReader(core, bot, deliverer, recognizer, read_images=False)  # type: ignore[arg-type]
    reader.submit(USER, USER, photo)
    await reader.close()
    view = await core.storage.load_view(USER)
    assert view.evidence[0].sha256 == hashlib.sha256(CONTENT).hexdigest()
    assert recognizer.reads == 0 and deliverer.entries == []
    reader.submit(USER, USER, photo)  # sent again: not downloaded again
    await reader.close()
    assert bot.downloads == 1
