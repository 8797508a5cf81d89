"""Charts for documents, drawn with matplotlib in a CJK font from Debian's fonts-noto-cjk."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any, cast

import matplotlib

matplotlib.use("Agg")  # no display: documents are rendered on servers
from matplotlib import font_manager
from matplotlib import pyplot as plt

CJK_FONTS = [Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")]


def _font() -> font_manager.FontProperties | None:
    for path in CJK_FONTS:
        if path.exists():
            return font_manager.FontProperties(fname=str(path))
    return None


def rate_chart(trend: list[tuple[dt.date, float]], targets: list[tuple[dt.date, float]]) -> bytes:
    """PNG: the monthly 落实率 line with the yearly targets as red points."""
    font = _font()
    figure, axes = plt.subplots(figsize=(6.4, 2.8), dpi=150)
    days: Any = [d for d, _ in trend]  # matplotlib plots dates; its stubs only know numbers
    values = [v for _, v in trend]
    axes.plot(days, values, color="#1f5fa8", linewidth=2, label="落实率")
    axes.scatter(
        cast(Any, [d for d, _ in targets]),
        [v for _, v in targets],
        color="#c62828",
        zorder=3,
        label="目标",
    )
    axes.set_ylim(0, 105)
    axes.set_ylabel("%")
    axes.grid(alpha=0.3)
    axes.legend(prop=font, loc="upper left", frameon=False)
    for label in axes.get_xticklabels() + axes.get_yticklabels():
        if font:
            label.set_fontproperties(font)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return buffer.getvalue()
