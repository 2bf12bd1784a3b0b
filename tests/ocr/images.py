"""Factories of good and bad image bytes for the OCR tests, all built in memory."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
TEXT = "订单编号 231118-492817365029174\n实付款 59.90\n".encode()


def png(width: int, height: int, color: tuple[int, int, int] = (250, 250, 250), mode: str = "RGB") -> bytes:
    """A plain PNG of the given size."""
    buffer = io.BytesIO()
    fill: tuple[int, ...] = (*color, 0) if mode == "RGBA" else color
    Image.new(mode, (width, height), fill).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg(width: int, height: int) -> bytes:
    """A plain white JPEG of the given size."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (255, 255, 255)).save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` (a decompression bomb's header)."""
    data = bytearray(png(8, 8))
    # IHDR starts at byte 8: length(4) type(4) width(4) height(4) ... crc(4) after 13 data bytes.
    struct.pack_into(">II", data, 16, width, height)
    crc = zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF
    struct.pack_into(">I", data, 29, crc)
    return bytes(data)
