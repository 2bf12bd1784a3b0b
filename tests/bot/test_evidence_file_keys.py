"""Screenshot readings are keyed by person and file: read once per person, never skipped for another."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.core import BotCore
from bot.evidence_files import EvidenceReader
from domain.messages import Incoming
from tests.offline import FileBot, RecordingDeliverer

A, B = 5100001, 5100002


@dataclass
class _Text:
    lines: list[str]


class _Recognizer:
    async def read(self, data: Any) -> _Text:
        return _Text(["订单详情", "订单编号", "231118-492817365029174"])

    async def close(self) -> None:
        return None


def _photo(unique_id: str) -> Incoming:
    return Incoming(kind="photo", at=datetime.now(UTC), file_id=f"F-{unique_id}", file_unique_id=unique_id)


async def test_same_file_is_read_once_per_person_and_for_each_person(core: BotCore) -> None:
    bot, deliverer = FileBot(b"image bytes"), RecordingDeliverer()
    reader = EvidenceReader(core, bot, deliverer, _Recognizer())  # type: ignore[arg-type]
    for user in (A, B):  # each has a case the screenshot belongs to
        text = Incoming(kind="text", at=datetime.now(UTC), text="拼多多助力被吞了")
        await core.handle(user, user, f"tg:{user}", text)
    reader.submit(A, A, _photo("U1"))
    await reader.close()
    reader.submit(B, B, _photo("U1"))  # someone else forwards the same screenshot
    await reader.close()
    assert bot.downloads == 2
    assert await core.storage.is_processed(f"ocr:{A}:U1") and await core.storage.is_processed(f"ocr:{B}:U1")
    reader.submit(A, A, _photo("U1"))  # the first person sends it again: not downloaded again
    await reader.close()
    assert bot.downloads == 2
