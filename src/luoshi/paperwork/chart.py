"""Charts for documents, drawn with matplotlib in a CJK font from Debian's fonts-noto-cjk."""

from __future__ import annotations

import datetime as dt
import functools
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from django.utils import translation
from django.utils.translation import gettext

if TYPE_CHECKING:
    from matplotlib import font_manager

CJK_FONTS = [Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")]


def _font() -> font_manager.FontProperties | None:
    from matplotlib import font_manager

    for path in CJK_FONTS:
        if path.exists():
            return font_manager.FontProperties(fname=str(path))
    return None


def rate_chart(trend: list[tuple[dt.date, float]], targets: list[tuple[dt.date, float]]) -> bytes:
    """PNG: the monthly 落实率 line with the yearly targets as red points.

    Drawing costs most of a briefing's making (~0.15 s); the picture depends only on the points and
    the language, and a write elsewhere (which throws the kept briefing away) rarely moves them, so
    the last few pictures are kept in this process."""
    return _drawn(tuple(trend), tuple(targets), translation.get_language())


@functools.lru_cache(maxsize=16)  # a picture is ~40 kB
def _drawn(
    trend: tuple[tuple[dt.date, float], ...],
    targets: tuple[tuple[dt.date, float], ...],
    language: str | None,  # the legend's words: part of the key
) -> bytes:
    # matplotlib loads here, not at start-up; the Figure API needs no pyplot and no display backend.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    font = _font()
    figure = Figure(figsize=(6.4, 2.8), dpi=150)
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    days: Any = [d for d, _ in trend]  # matplotlib plots dates; its stubs only know numbers
    values = [v for _, v in trend]
    axes.plot(days, values, color="#1f5fa8", linewidth=2, label=gettext("落实率"))
    axes.scatter(
        cast(Any, [d for d, _ in targets]),
        [v for _, v in targets],
        color="#c62828",
        zorder=3,
        label=gettext("目标"),
    )
    axes.set_ylim(0, 105)
    axes.set_ylabel("%")
    axes.grid(alpha=0.3)
    axes.legend(prop=font, loc="upper left", frameon=False)
    for label in axes.get_xticklabels() + axes.get_yticklabels():
        if font:
            label.set_fontproperties(font)
    figure.tight_layout()
    # tight_layout leaves a placeholder layout engine behind, for which savefig lays out and draws
    # the whole figure once more (without output) before drawing it: the layout is done, drop it.
    # The same pixels, one draw instead of two.
    figure.set_layout_engine(None)  # None (not "none"): no engine at all, unless rcParams ask one
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
