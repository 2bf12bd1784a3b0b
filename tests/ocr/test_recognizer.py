"""The recognizer on real images: fixtures give their kind and facts, bad images typed errors, the pool heals."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

pytest.importorskip("PIL", reason="Pillow is not installed")

import ocr
from ocr import ImageTooLarge, NotAnImage, OcrBusy, OcrFailed, OcrUnavailable, Recognizer, read_screenshot
from tests.ocr.conftest import EXPECTED, fixture_bytes, needs_ocr
from tests.ocr.images import PDF, TEXT, jpeg, png, png_claiming

pytestmark = needs_ocr


@pytest.mark.parametrize("name", sorted(EXPECTED))
async def test_fixture_yields_its_kind_and_facts(recognizer: Recognizer, name: str) -> None:
    text = await recognizer.read(fixture_bytes(name))
    reading = read_screenshot(text.lines)
    assert reading.kind == EXPECTED[name]["kind"]
    assert reading.facts == EXPECTED[name]["facts"]


async def test_phone_number_on_the_order_page_is_read_but_not_proposed(recognizer: Recognizer) -> None:
    text = await recognizer.read(bytearray(fixture_bytes("order.jpg")))  # as Telegram downloads it
    assert any("13812345678" in line for line in text.lines)
    assert "13812345678" not in read_screenshot(text.lines).facts.values()
    assert text.has_chinese
    assert len(text.scores) == len(text.lines)
    assert all(0.0 < score <= 1.0 for score in text.scores)


async def test_blank_screenshot_gives_no_lines(recognizer: Recognizer) -> None:
    text = await recognizer.read(fixture_bytes("blank.png"))
    assert text.is_blank
    assert text.lines == []
    assert not text.has_chinese


async def test_english_screenshot_is_read_but_has_no_chinese(recognizer: Recognizer) -> None:
    text = await recognizer.read(fixture_bytes("english.jpg"))
    assert not text.is_blank
    assert not text.has_chinese
    assert any("19.99" in line for line in text.lines)


@pytest.mark.parametrize("data", [b"", PDF, TEXT, os.urandom(2048)], ids=["empty", "pdf", "text", "random"])
async def test_non_images_raise_not_an_image(recognizer: Recognizer, data: bytes) -> None:
    with pytest.raises(NotAnImage) as raised:
        await recognizer.read(data)
    assert raised.value.user_message
    assert recognizer.pending == 0


async def test_truncated_image_raises_not_an_image(recognizer: Recognizer) -> None:
    data = fixture_bytes("order.jpg")
    with pytest.raises(NotAnImage):
        await recognizer.read(data[: len(data) // 3])


async def test_huge_images_are_refused(recognizer: Recognizer) -> None:
    with pytest.raises(ImageTooLarge):
        await recognizer.read(png_claiming(50_000, 50_000))
    with pytest.raises(ImageTooLarge):
        await recognizer.read(b"\x89PNG\r\n\x1a\n" + bytes(recognizer.max_bytes))


async def test_big_image_is_downscaled_before_reading(recognizer: Recognizer) -> None:
    text = await recognizer.read(jpeg(4000, 800))
    assert (text.width, text.height) == (4000, 800)
    assert text.scale == pytest.approx(recognizer.max_side / 4000, abs=0.001)
    assert text.is_blank


async def test_queue_is_bounded(recognizer: Recognizer) -> None:
    limit = recognizer.max_workers + recognizer.max_queue
    data = png(64, 64)
    results = await asyncio.gather(*(recognizer.read(data) for _ in range(limit + 2)), return_exceptions=True)
    busy = [result for result in results if isinstance(result, OcrBusy)]
    done = [result for result in results if isinstance(result, ocr.OcrText)]
    assert len(busy) == 2
    assert len(done) == limit
    assert recognizer.pending == 0


async def test_pool_recovers_after_the_worker_is_killed(recognizer: Recognizer) -> None:
    await recognizer.warm_up()
    before = recognizer.worker_pids()
    assert before
    restarts = recognizer.restarts
    for pid in before:
        os.kill(pid, signal.SIGKILL)
    text = await recognizer.read(fixture_bytes("bargain.jpg"))
    assert read_screenshot(text.lines).facts["shortfall"] == "0.01"
    assert recognizer.restarts == restarts + 1
    after = recognizer.worker_pids()
    assert after
    assert not set(after) & set(before)


async def test_pool_recovers_when_the_worker_dies_mid_read(recognizer: Recognizer) -> None:
    await recognizer.warm_up()
    restarts = recognizer.restarts
    reading = asyncio.ensure_future(recognizer.read(fixture_bytes("order.jpg")))
    await asyncio.sleep(0)  # let the read start: it is accepted and submitted in its first step
    assert recognizer.pending == 1
    for pid in recognizer.worker_pids():
        os.kill(pid, signal.SIGKILL)
    text = await reading
    assert read_screenshot(text.lines).kind == "order"
    assert recognizer.restarts == restarts + 1


async def test_a_read_that_hangs_fails_and_the_pool_recovers(recognizer: Recognizer) -> None:
    await recognizer.warm_up()
    restarts = recognizer.restarts
    patience = recognizer.timeout
    recognizer.timeout = 0.01  # far below the time any screenshot takes to read
    try:
        with pytest.raises(OcrFailed):
            await recognizer.read(fixture_bytes("long_chat.jpg"))
    finally:
        recognizer.timeout = patience
    assert recognizer.restarts == restarts + 1
    assert recognizer.pending == 0
    text = await recognizer.read(fixture_bytes("payment.jpg"))
    assert read_screenshot(text.lines).kind == "payment"


async def test_workers_run_below_the_bots_priority(recognizer: Recognizer) -> None:
    await recognizer.warm_up()
    own = os.getpriority(os.PRIO_PROCESS, 0)
    pids = recognizer.worker_pids()
    assert pids
    for pid in pids:
        assert os.getpriority(os.PRIO_PROCESS, pid) == min(19, own + recognizer.worker_nice)


async def test_closed_recognizer_refuses_reads() -> None:
    closed = Recognizer()
    await closed.close()
    with pytest.raises(OcrFailed):
        await closed.read(png(32, 32))


async def test_missing_engine_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ocr.recognizer.is_available", lambda: False)
    with pytest.raises(OcrUnavailable) as raised:
        await Recognizer().read(png(32, 32))
    assert "未安装" in raised.value.user_message or "没有安装" in raised.value.user_message


async def test_thread_pool_mode_reads_too() -> None:
    threaded = Recognizer(use_processes=False)
    try:
        text = await threaded.read(fixture_bytes("logistics.jpg"))
    finally:
        await threaded.close()
    assert read_screenshot(text.lines).facts["tracking_no"] == "78123456789012"
    assert threaded.worker_pids() == []
