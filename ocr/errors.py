"""Typed errors of the OCR engine; each carries a Chinese ``user_message`` the bot can send as is."""

from __future__ import annotations


class OcrError(Exception):
    """Base of every OCR error; ``user_message`` is safe to send to the person (no internals)."""

    user_message: str = "这张图片暂时无法识别，请直接用文字告诉我图中的信息。"

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or type(self).__name__)
        self.detail = detail


class NotAnImage(OcrError):
    """The bytes are not a decodable image (corrupt file, PDF, text...)."""

    user_message = "这个文件不是图片或已损坏，请发送手机截图（JPG 或 PNG 格式）。"


class ImageTooLarge(OcrError):
    """The image is over the byte or pixel limit and is refused before decoding."""

    user_message = "图片太大了，请发送普通的手机截图（长截图可分成几张发送）。"


class OcrFailed(OcrError):
    """Recognition itself failed (worker crashed, timed out, engine error)."""

    user_message = "这张图片暂时无法识别，请稍后再发一次，或直接用文字告诉我图中的信息。"


class OcrBusy(OcrError):
    """Too many images are waiting to be read; the person should send it again later."""

    user_message = "现在识别的图片较多，请稍等一会儿再发送这张截图。"


class OcrUnavailable(OcrError):
    """The OCR engine (rapidocr-onnxruntime) is not installed on this server."""

    user_message = "本机器人没有安装图片识别功能，暂时不能读取截图，请直接用文字告诉我截图里的信息。"
