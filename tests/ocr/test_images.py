"""Checking and decoding image bytes (Pillow only, no OCR): typed errors, downscaling, orientation."""

from __future__ import annotations

import io
import itertools
import os

import pytest

pytest.importorskip("PIL", reason="Pillow is not installed")
from PIL import Image

from ocr import ImageTooLarge, NotAnImage, OcrBusy, OcrError, OcrFailed, OcrUnavailable
from ocr.image import decode, probe, target_size, tiles
from tests.ocr.conftest import fixture_bytes
from tests.ocr.images import PDF, TEXT, jpeg, png, png_claiming

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000

NOT_IMAGES = {
    "empty": b"",
    "pdf": PDF,
    "text": TEXT,
    "random": os.urandom(4096),
    "png signature only": b"\x89PNG\r\n\x1a\n",
}


@pytest.mark.parametrize("name", sorted(NOT_IMAGES))
def test_not_an_image_is_refused(name: str) -> None:
    with pytest.raises(NotAnImage):
        probe(NOT_IMAGES[name], MAX_BYTES, MAX_PIXELS)


def test_truncated_jpeg_is_refused_on_decode() -> None:
    data = fixture_bytes("order.jpg")
    truncated = data[: len(data) // 2]
    with pytest.raises(NotAnImage):
        decode(truncated, MAX_PIXELS, 2000)


def test_corrupt_png_is_refused_on_decode() -> None:
    data = bytearray(fixture_bytes("chat.png"))
    data[len(data) // 2 : len(data) // 2 + 64] = b"\x00" * 64
    with pytest.raises(NotAnImage):
        decode(bytes(data), MAX_PIXELS, 2000)


def test_too_many_bytes_is_refused_before_decoding() -> None:
    with pytest.raises(ImageTooLarge):
        probe(b"\x89PNG\r\n\x1a\n" + b"\x00" * 2048, 1024, MAX_PIXELS)


@pytest.mark.parametrize(("width", "height"), [(8000, 6000), (60_000, 60_000)])
def test_too_many_pixels_is_refused_from_the_header(width: int, height: int) -> None:
    with pytest.raises(ImageTooLarge):
        probe(png_claiming(width, height), MAX_BYTES, MAX_PIXELS)


def test_an_acceptable_image_reports_its_size() -> None:
    assert probe(png(720, 1280), MAX_BYTES, MAX_PIXELS) == (720, 1280)


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((750, 1334), (750, 1334)),
        ((4000, 3000), (2000, 1500)),
        ((1080, 2400), (900, 2000)),
        ((1080, 8000), (800, 5926)),  # a long screenshot keeps readable text: read in tiles
        ((1080, 30000), (432, 12000)),  # ...up to MAX_TILES tiles
    ],
)
def test_target_size_keeps_the_aspect_ratio(size: tuple[int, int], expected: tuple[int, int]) -> None:
    assert target_size(*size, max_side=2000) == expected


@pytest.mark.parametrize("height", [1, 1999, 2000, 2001, 3880, 5926, 12000])
def test_tiles_cover_every_row_once(height: int) -> None:
    parts = tiles(height, 2000, 120)
    assert parts[0][0] == 0 and parts[-1][1] == height
    assert all(bottom - top <= 2000 for top, bottom, _, _ in parts)
    keeps = [(keep_from, keep_to) for _, _, keep_from, keep_to in parts]
    assert keeps[0][0] == 0 and keeps[-1][1] == height
    assert all(previous[1] == following[0] for previous, following in itertools.pairwise(keeps))
    for top, bottom, keep_from, keep_to in parts:
        # a row up to 120 px tall centred in the keep range lies wholly inside its tile
        assert top <= max(0, keep_from - 60) and min(height, keep_to + 60) <= bottom


def test_big_jpeg_is_downscaled() -> None:
    image, width, height = decode(jpeg(4000, 3000), MAX_PIXELS, 1600)
    assert (width, height) == (4000, 3000)
    assert max(image.size) == 1600
    assert image.mode == "RGB"


def test_transparent_png_is_put_on_white() -> None:
    image, _, _ = decode(png(40, 30, (0, 0, 0), mode="RGBA"), MAX_PIXELS, 2000)
    assert image.mode == "RGB"
    assert image.getpixel((5, 5)) == (255, 255, 255)


def test_exif_orientation_is_applied() -> None:
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90 degrees: the stored landscape image is shown upright
    Image.new("RGB", (300, 100), (255, 255, 255)).save(buffer, format="JPEG", exif=exif)
    image, _, _ = decode(buffer.getvalue(), MAX_PIXELS, 2000)
    assert image.size == (100, 300)


@pytest.mark.parametrize("error", [OcrError, NotAnImage, ImageTooLarge, OcrFailed, OcrBusy, OcrUnavailable])
def test_every_error_has_a_chinese_user_message(error: type[OcrError]) -> None:
    raised = error("internal detail")
    assert isinstance(raised, OcrError)
    assert any("\u4e00" <= char <= "\u9fff" for char in raised.user_message)
    assert "internal detail" not in raised.user_message


def test_an_image_compressed_beyond_any_screenshot_is_refused_before_decoding() -> None:
    buffer = io.BytesIO()
    Image.new("1", (6300, 6300)).save(buffer, format="PNG", optimize=True)
    data = buffer.getvalue()
    assert len(data) < 10_000  # ~39.7 million pixels in a few kilobytes
    with pytest.raises(ImageTooLarge):
        probe(data, MAX_BYTES, 50_000_000)  # under the pixel limit: refused for its ratio alone
