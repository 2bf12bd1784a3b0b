"""Reading evidence files: download, hash, OCR off the event loop, and hand the results to the dialogue.

A photo (or image document) is first attached to the case like any evidence; reading it is a
second, slower step that runs in the background, so one person's image never delays anyone
else's messages. The image bytes stay in memory and the recognised text is never logged or
stored: the dialogue receives only the kind of screenshot and the facts it proposes, and asks
the person to confirm them.

Every evidence file, an image or not, is also hashed (SHA-256) on arrival, so the export can
show that the file the person keeps is the one they sent; the hash is stored, the file never.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from datetime import UTC, datetime

from telegram import Bot
from telegram.error import TelegramError

from bot.core import BotCore
from bot.delivery import Deliverer
from domain.limits import MAX_DOWNLOAD_BYTES
from domain.messages import Incoming
from ocr import OcrError, OcrUnavailable, Recognizer, is_available, read_screenshot

log = logging.getLogger(__name__)

DOWNLOAD_FAILED = "这张图片暂时下载不下来，没法自动识别。证据已经保存，你也可以手动补充信息。"


class EvidenceReader:
    """Reads attached screenshots in the background and feeds each result to the dialogue once."""

    def __init__(
        self,
        core: BotCore,
        bot: Bot,
        deliverer: Deliverer,
        recognizer: Recognizer | None = None,
        *,
        read_images: bool = True,
    ) -> None:
        self._core = core
        self._read_images = read_images  # False: files are only hashed (OCR switched off)
        self._bot = bot
        self._deliverer = deliverer
        self._recognizer = recognizer
        self._tasks: set[asyncio.Task[None]] = set()

    def _recognizer_or_none(self) -> Recognizer | None:
        if self._recognizer is None and is_available():
            self._recognizer = Recognizer(max_workers=1, timeout=self._core.settings.ocr_timeout)
        return self._recognizer

    def submit(self, user_id: int, chat_id: int, incoming: Incoming) -> None:
        """Hash an evidence file and read it when it is an image, in the background (a file a person
        sends again is handled once: the update key is the person and the file's unique id)."""
        if not incoming.file_id or incoming.kind not in ("photo", "document"):
            return
        is_image = incoming.kind == "photo" or incoming.mime_type.lower().startswith("image/")
        # A PDF or chat export stays evidence with nothing to read; it is only hashed.
        read = is_image and self._read_images
        task = asyncio.create_task(self._read(user_id, chat_id, incoming, read=read))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _read(self, user_id: int, chat_id: int, incoming: Incoming, *, read: bool = True) -> None:
        # The person is part of the key: someone else forwarding the same screenshot gets a reading too.
        key = f"ocr:{user_id}:{incoming.file_unique_id or incoming.file_id}"
        if incoming.file_unique_id and await self._core.storage.is_processed(key):
            log.info("screenshot of user %s already read; not downloaded again", user_id)
            return
        payload: dict[str, object] = {"file_unique_id": incoming.file_unique_id, "kind": "other", "facts": {}}
        if not read:
            payload["hash_only"] = True
        payload["error"] = await self._recognise(incoming, payload, read=read)
        try:
            result = await self._core.handle(
                user_id,
                chat_id,
                key,
                Incoming(kind="reading", at=datetime.now(UTC), data=json.dumps(payload, ensure_ascii=False)),
            )
        except Exception:
            log.exception("storing the reading of a screenshot of user %s failed", user_id)
            return
        log.info(
            "screenshot of user %s read: kind %s, %d facts%s",
            user_id,
            payload["kind"],
            len(payload["facts"]),  # type: ignore[arg-type]
            ", error" if payload["error"] else "",
        )
        self._deliverer.submit(result.entries)

    async def _recognise(self, incoming: Incoming, payload: dict[str, object], *, read: bool = True) -> str:
        """Fill ``payload`` with the file's hash, kind and facts; return a message for the person on failure."""
        try:
            file = await self._bot.get_file(incoming.file_id)
            if file.file_size and file.file_size > MAX_DOWNLOAD_BYTES:
                from ocr import ImageTooLarge

                return ImageTooLarge().user_message
            data = await file.download_as_bytearray()
        except (TelegramError, OSError, ValueError) as exc:
            log.warning("downloading an evidence file failed: %s", type(exc).__name__)
            return DOWNLOAD_FAILED
        payload["sha256"] = hashlib.sha256(data).hexdigest()
        recognizer = self._recognizer_or_none() if read else None
        if recognizer is None:
            del data
            return OcrUnavailable().user_message if read else ""
        try:
            text = await recognizer.read(data)
        except OcrError as exc:
            log.info("screenshot not read: %s", type(exc).__name__)
            return exc.user_message
        finally:
            del data  # the bytes live only as long as the recognition
        reading = read_screenshot(text.lines)
        payload["kind"] = reading.kind
        payload["facts"] = dict(reading.facts)
        return ""

    async def close(self) -> None:
        """Wait briefly for readings in hand, then stop the worker pool."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=10)
        if self._recognizer is not None:
            await self._recognizer.close()
