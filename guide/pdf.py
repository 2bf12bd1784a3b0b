"""The case summary as a printable PDF (fpdf2), in a CJK font found on the machine at run time.

No font ships with the bot: the Docker image installs Debian's ``fonts-wqy-microhei``, and any
of :data:`FONT_CANDIDATES` (or a path the operator gives) will do. Without one, the export is
the text file alone and the person is told so.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos

#: CJK fonts looked for, in order (Debian and common Linux paths; .ttc collections use face 0).
FONT_CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
FAMILY = "cjk"


class NoCjkFont(Exception):
    """No CJK font was found, so no PDF can be made."""


@cache
def find_font(extra: str = "") -> Path | None:
    """The first CJK font that exists (``extra`` first when given), or ``None``."""
    for candidate in (extra, *FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def render_pdf(title: str, lines: Sequence[str], font: Path | None = None) -> bytes:
    """A PDF with ``title`` and ``lines`` (section headings are the lines starting 一、二、…)."""
    font = font or find_font()
    if font is None:
        raise NoCjkFont("no CJK font found for the PDF export")
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_creator("weiquan-bot")
    pdf.add_font(FAMILY, fname=font)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font(FAMILY, size=15)
    pdf.multi_cell(0, 9, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR)
    for line in lines:
        heading = line[:2] in ("一、", "二、", "三、", "四、", "五、", "六、")
        pdf.set_font(FAMILY, size=12 if heading else 9.5)
        if heading:
            pdf.ln(2)
        pdf.multi_cell(
            0, 6 if heading else 5, line or " ", new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR
        )
    return bytes(pdf.output())
