"""Checking and decoding image bytes with Pillow, in memory only (nothing is written to disk)."""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from ocr.errors import ImageTooLarge, NotAnImage, OcrError

#: Formats a phone screenshot or photo arrives in; anything else (PDF, EPS...) is refused.
FORMATS: tuple[str, ...] = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF")

#: Pixels per byte of file beyond which an image is refused before decoding. Real screenshots,
#: even of a plain white page, stay far below (a blank 1080×2400 PNG is ~260 pixels per byte);
#: a 4.9 KB PNG of 6300×6300 pixels (~8,000 per byte) would take ~485 MB to decode.
MAX_PIXELS_PER_BYTE = 1000


def _open(data: bytes, max_pixels: int) -> Image.Image:
    """Open ``data`` lazily (header only) and check format and pixel count."""
    if not data:
        raise NotAnImage("empty")
    with warnings.catch_warnings():
        # Pillow warns (then errors) on huge images; both mean "too large" here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=FORMATS)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise ImageTooLarge("decompression bomb") from exc
        except UnidentifiedImageError as exc:
            raise NotAnImage("unidentified") from exc
        except Exception as exc:  # a broken header can fail in many ways inside the plugins
            raise NotAnImage(type(exc).__name__) from exc
    width, height = image.size
    if width <= 0 or height <= 0:
        raise NotAnImage("empty size")
    if width * height > max_pixels:
        raise ImageTooLarge(f"{width}x{height} pixels")
    if width * height > MAX_PIXELS_PER_BYTE * len(data):
        raise ImageTooLarge("compressed too well to be a screenshot")
    return image


def probe(data: bytes, max_bytes: int, max_pixels: int) -> tuple[int, int]:
    """The (width, height) of an acceptable image; raises NotAnImage or ImageTooLarge (cheap: header only)."""
    if len(data) > max_bytes:
        raise ImageTooLarge(f"{len(data)} bytes")
    return _open(data, max_pixels).size


#: Taller than this many widths: a long screenshot, read in tiles instead of shrunk whole.
TALL_RATIO = 2.5
#: At most this many tiles of ``max_side`` px are read from one long screenshot.
MAX_TILES = 6
#: A long screenshot is read at most this fraction of ``max_side`` wide (text stays ~25 px high).
TALL_WIDTH = 0.4


def target_size(width: int, height: int, max_side: int) -> tuple[int, int]:
    """The size to recognise at, aspect ratio kept.

    A normal screenshot is shrunk so its longer side is at most ``max_side``. A long one
    (taller than ``TALL_RATIO`` widths) keeps its text size instead: its width is brought to
    at most ``TALL_WIDTH * max_side`` and its height to at most ``MAX_TILES`` tiles (see :func:`tiles`).
    """
    if height > width * TALL_RATIO:
        ratio = min(1.0, TALL_WIDTH * max_side / width, max_side * MAX_TILES / height)
    else:
        ratio = min(1.0, max_side / max(width, height))
    if ratio >= 1.0:
        return width, height
    return max(1, round(width * ratio)), max(1, round(height * ratio))


def tiles(height: int, max_side: int, overlap: int) -> list[tuple[int, int, int, int]]:
    """Vertical tiles ``(top, bottom, keep_from, keep_to)`` covering ``height`` px.

    Tiles are at most ``max_side`` tall and overlap by ``overlap`` px; a text box belongs to
    the tile whose keep range holds its vertical centre, so no row is read twice.
    """
    if height <= max_side:
        return [(0, height, 0, height)]
    step = max_side - overlap
    result = []
    top = 0
    while True:
        bottom = min(top + max_side, height)
        last = bottom >= height
        keep_from = 0 if top == 0 else top + overlap // 2
        keep_to = height if last else bottom - overlap // 2
        result.append((top, bottom, keep_from, keep_to))
        if last:
            return result
        top += step


def decode(data: bytes, max_pixels: int, max_side: int) -> tuple[Image.Image, int, int]:
    """Verify, decode, orient and downscale ``data``; returns (RGB image, original width, original height)."""
    image = _open(data, max_pixels)
    width, height = image.size
    try:
        image.verify()
        image = _open(data, max_pixels)
        if image.format == "JPEG":
            # Let libjpeg decode a huge JPEG at a reduced scale directly (much less memory).
            image.draft("RGB", target_size(width, height, max_side))
        image = ImageOps.exif_transpose(image)
        if image.mode in ("RGBA", "LA", "P", "PA"):
            image = image.convert("RGBA")
            background = Image.new("RGBA", image.size, (255, 255, 255, 255))
            image = Image.alpha_composite(background, image)
        image = image.convert("RGB")
        size = target_size(image.width, image.height, max_side)
        if size != image.size:
            image = image.resize(size, Image.Resampling.LANCZOS)
    except OcrError:
        raise
    except MemoryError as exc:
        raise ImageTooLarge("out of memory") from exc
    except Exception as exc:  # truncated or corrupt data fails in many ways inside the plugins
        raise NotAnImage(type(exc).__name__) from exc
    return image, width, height
