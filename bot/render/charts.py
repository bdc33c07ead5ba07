"""Burn-up charts of GPU-hours (PNG), drawn with matplotlib's Agg renderer.

:func:`burn_up_png` draws one allocation over its period: cumulative plan, cumulative actual
(reported months), the forecast to period end (dashed), the granted ceiling and, when the
forecast says the grant runs out early, a marker at that date. :func:`digest_png` draws up to
15 allocations as small multiples.

**Rendering.** Figures are built with :class:`matplotlib.figure.Figure` on an explicit
:class:`~matplotlib.backends.backend_agg.FigureCanvasAgg`: no pyplot, no display, no global
backend switch, no change to ``rcParams`` (fonts are passed per text). A module lock
serialises drawing, since matplotlib does not promise thread safety.

**Japanese text.** Labels in Japanese need a font with Japanese glyphs; the first installed
one found is used (IPAPGothic from the Debian package ``fonts-ipafont-gothic``, Noto Sans CJK
JP from ``fonts-noto-cjk``, and other common ones; see :func:`japanese_font`). English labels
use DejaVu Sans, with the Japanese font only for glyphs it lacks. **When none is
installed, the chart falls back to English labels** even for ``lang="ja"``, and an
organization name or allocation label with characters the default font (DejaVu Sans) cannot
draw is replaced by the organization code / ``?`` characters, so no tofu boxes are drawn.

x axis: one slot per month of the period (labels ``YYYY-MM``); the cumulative values are
plotted at the end of each month, starting from 0 at the start of the first month. A
runs-out date is placed within its month by its day. y axis: GPU-hours.
"""

from __future__ import annotations

import calendar
import io
import threading
from datetime import date
from functools import lru_cache
from itertools import accumulate

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from bot.i18n import t
from bot.parsing.numbers import format_gpu_hours
from bot.render.compute_export import status_word
from bot.render.rows import AllocationSeries

__all__ = ["MAX_PANELS", "burn_up_png", "digest_png", "japanese_font"]


MAX_PANELS = 15
"""Most allocations :func:`digest_png` draws; the rest are counted in a note."""

WIDTH_PX, HEIGHT_PX, DPI = 1200, 700, 100

_PREFERRED = (
    "IPAexGothic",
    "IPAPGothic",
    "Noto Sans CJK JP",
    "Noto Sans JP",
    "Source Han Sans JP",
    "TakaoGothic",
    "VL Gothic",
    "Hiragino Sans",
    "Yu Gothic",
    "Meiryo",
    "IPAGothic",  # monospaced: last among the preferred
    "MS Gothic",
)
_PROBE = "計画実績割当見込み月時間"
_PLACEHOLDER_FONTS = ("Last Resort",)  # a glyph for every character, each one a box
_FALLBACK_FAMILY = "DejaVu Sans"
_LOCK = threading.Lock()

_STATUS_COLORS = {
    "on_track": "#2e7d32",
    "over_plan": "#c0392b",
    "runs_out": "#c0392b",
    "under_plan": "#b26a00",
    "no_data": "#555555",
}
_PLAN_COLOR = "#7f8c9a"
_ACTUAL_COLOR = "#1f77b4"
_FORECAST_COLOR = "#ff7f0e"
_CEILING_COLOR = "#c0392b"


def _charmap(path: str) -> frozenset[int]:
    try:
        return frozenset(FT2Font(path).get_charmap())
    except (OSError, RuntimeError, ValueError):
        return frozenset()


@lru_cache(maxsize=1)
def japanese_font() -> str | None:
    """The family name of an installed font that draws Japanese, or ``None``.

    Preferred families (IPAGothic, Noto Sans CJK JP, …) first, then any font matplotlib
    knows whose character map covers a sample of kanji and kana. Cached for the process.
    "Last Resort" fonts (matplotlib ≥ 3.10 bundles *Last Resort High-Efficiency*) map every
    character to a placeholder box, so they never count: with one picked, every label,
    digits included, was drawn as boxes.
    """
    probe = {ord(c) for c in _PROBE}
    entries = [
        e for e in font_manager.fontManager.ttflist if not e.name.startswith(_PLACEHOLDER_FONTS)
    ]
    rank = {name: i for i, name in enumerate(_PREFERRED)}
    entries.sort(key=lambda e: rank.get(e.name, len(rank)))
    for entry in entries:
        if probe <= _charmap(entry.fname):
            return entry.name
    return None


@lru_cache(maxsize=1)
def _fallback_charmap() -> frozenset[int]:
    return _charmap(font_manager.findfont(FontProperties(family=_FALLBACK_FAMILY)))


class _Style:
    """The font and language actually used for one drawing."""

    def __init__(self, lang: str) -> None:
        family = japanese_font()
        self.cjk = family is not None
        self.lang = "ja" if lang == "ja" and self.cjk else "en"
        # Japanese: the CJK font first; English: DejaVu Sans, with the CJK font only for
        # the glyphs DejaVu lacks (a Japanese organization name)
        families = [_FALLBACK_FAMILY] + ([family] if family else [])
        if self.lang == "ja":
            families.reverse()
        self.font = FontProperties(family=families)

    def label(self, key: str, **params: object) -> str:
        return t(f"chart.{key}", self.lang, **params)

    def hours(self, value: float) -> str:
        return format_gpu_hours(value, self.lang)

    def drawable(self, text: str) -> bool:
        if self.cjk:
            return True
        chars = _fallback_charmap()
        return not chars or all(ord(c) in chars for c in text if not c.isspace())

    def safe(self, text: str) -> str:
        """Text drawn as-is (``$`` would start mathtext); undrawable characters → ``?``."""
        if not self.drawable(text):
            chars = _fallback_charmap()
            text = "".join(c if c.isspace() or ord(c) in chars else "?" for c in text)
        return text.replace("$", r"\$")

    def title(self, s: AllocationSeries) -> str:
        org = s.org_name if self.drawable(s.org_name) else ""
        who = f"{org} ({s.org_code})" if org else s.org_code
        return self.safe(f"{who} · ") + self.safe(s.allocation)


def _slot(day: date, months: list[str]) -> float | None:
    """Position of ``day`` on the month axis: month index + fraction of the month elapsed."""
    key = day.strftime("%Y-%m")
    if key not in months:
        return None
    days = calendar.monthrange(day.year, day.month)[1]
    return months.index(key) + (day.day - 1) / days


def _draw(ax, s: AllocationSeries, style: _Style, compact: bool) -> None:
    months = [p.month for p in s.points]
    n = len(months)
    xs = list(range(n + 1))
    plan = [0.0, *accumulate(p.planned for p in s.points)]
    ax.plot(xs, plan, color=_PLAN_COLOR, linewidth=1.5 if compact else 2, label=style.label("plan"))

    actual_x, actual_y, total = [0.0], [0.0], 0.0
    for i, p in enumerate(s.points):
        if p.actual is not None:
            total += p.actual
            actual_x.append(i + 1)
            actual_y.append(total)
    reported = len(actual_x) > 1
    if reported:
        ax.plot(
            actual_x,
            actual_y,
            color=_ACTUAL_COLOR,
            linewidth=2 if compact else 2.5,
            marker="o",
            markersize=3 if compact else 5,
            label=style.label("actual"),
        )

    runs_out_x = _slot(s.runs_out, months) if s.runs_out else None
    if s.forecast_end is not None and actual_x[-1] < n:
        fx, fy = [actual_x[-1]], [actual_y[-1]]
        if runs_out_x is not None and actual_x[-1] < runs_out_x < n:
            fx.append(runs_out_x)  # the forecast passes through the runs-out point
            fy.append(s.granted)
        fx.append(n)
        fy.append(s.forecast_end)
        ax.plot(
            fx,
            fy,
            color=_FORECAST_COLOR,
            linestyle="--",
            linewidth=2,
            label=style.label("forecast"),
        )

    ax.axhline(
        s.granted,
        color=_CEILING_COLOR,
        linestyle=":",
        linewidth=1.5,
        label=style.label("granted", hours=style.hours(s.granted)),
    )
    if runs_out_x is not None:
        ax.axvline(runs_out_x, color=_CEILING_COLOR, linewidth=1, alpha=0.5)
        ax.plot(
            [runs_out_x],
            [s.granted],
            marker="X",
            color=_CEILING_COLOR,
            markersize=8 if compact else 12,
            linestyle="none",
        )
        if not compact:
            ax.annotate(
                style.label("runs_out", date=s.runs_out.isoformat()),
                (runs_out_x, s.granted),
                xytext=(-8, 10),
                textcoords="offset points",
                ha="right",
                color=_CEILING_COLOR,
                fontproperties=style.font,
                parse_math=False,
            )
    if not reported:
        ax.text(
            0.5,
            0.5,
            style.label("no_data_short" if compact else "no_data"),
            transform=ax.transAxes,
            ha="center",
            va="center",
            color="#555555",
            bbox={"facecolor": "white", "edgecolor": "#cccccc", "boxstyle": "round,pad=0.4"},
            fontproperties=style.font,
            fontsize=9 if compact else 14,
            parse_math=False,
        )

    top = max([s.granted, *plan, *actual_y, s.forecast_end or 0.0]) or 1.0
    ax.set_ylim(0, top * 1.1)
    ax.set_xlim(0, max(n, 1))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4 if compact else 6))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: style.hours(v)))
    step = max(1, -(-n // (4 if compact else 12)))  # at most 12 (4) month labels
    ticks = [i + 0.5 for i in range(0, n, step)]
    ax.set_xticks(ticks, [months[i] for i in range(0, n, step)])
    ax.set_xticks(range(n + 1), minor=True)
    ax.tick_params(axis="x", which="major", length=0, labelsize=7 if compact else 10)
    ax.tick_params(axis="y", labelsize=7 if compact else 10)
    ax.grid(True, which="minor", axis="x", color="#eeeeee")
    ax.grid(True, which="major", axis="y", color="#eeeeee")
    ax.set_axisbelow(True)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)


def _png(fig: Figure) -> bytes:
    out = io.BytesIO()
    FigureCanvasAgg(fig).print_png(out, metadata={"Software": None})
    return out.getvalue()


def burn_up_png(series: AllocationSeries, lang: str) -> bytes:
    """A burn-up chart of one allocation as PNG bytes (1200×700 px, typically < 100 KB).

    Args:
        series: the allocation; every month of its period in ``points``.
        lang: ``"ja"`` or ``"en"`` for the labels; Japanese needs an installed Japanese
            font, otherwise the labels are English (module docstring).

    Lines: cumulative plan (grey), cumulative actual over the reported months (blue, a dot
    per reported month; unreported months count as 0), forecast from the last reported
    month to period end at ``forecast_end`` (orange, dashed), the granted ceiling (red,
    dotted) and an ✕ where the grant runs out (``runs_out``), if any. A series with nothing
    reported says so in the middle of the plot.
    """
    with _LOCK:
        style = _Style(lang)
        fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, layout="constrained")
        ax = fig.add_subplot()
        _draw(ax, series, style, compact=False)
        ax.set_title(
            style.title(series),
            fontproperties=style.font,
            fontsize=15,
            loc="left",
            parse_math=False,
        )
        ax.set_title(
            status_word(series.status, style.lang),
            fontproperties=style.font,
            fontsize=12,
            loc="right",
            color=_STATUS_COLORS.get(series.status, "#333333"),
        )
        ax.set_ylabel(style.label("gpu_hours"), fontproperties=style.font, fontsize=11)
        ax.set_xlabel(style.label("month"), fontproperties=style.font, fontsize=11)
        for label in ax.get_xticklabels():
            label.set_fontproperties(style.font)
        legend = ax.legend(loc="upper left", prop=style.font, frameon=False)
        for text in legend.get_texts():
            text.set_parse_math(False)
        return _png(fig)


def digest_png(series_list: list[AllocationSeries], lang: str) -> bytes:
    """Small multiples: one mini burn-up per allocation, PNG bytes (1200×700 px).

    Args:
        series_list: the allocations, drawn in order in a grid of up to 5 columns × 3 rows;
            beyond :data:`MAX_PANELS` (15) the rest are not drawn and a note says how many.
        lang: as for :func:`burn_up_png`.

    Each panel shows the plan, actual, forecast and ceiling lines, titled
    ``ORG · allocation``; the legend is drawn once, at the top.
    """
    with _LOCK:
        style = _Style(lang)
        fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, layout="constrained")
        shown = series_list[:MAX_PANELS]
        title = style.label("digest_title")
        if len(series_list) > len(shown):
            title += " · " + style.label("more", count=len(series_list) - len(shown))
        fig.suptitle(title, fontproperties=style.font, fontsize=14, parse_math=False)
        if not shown:
            fig.text(0.5, 0.5, style.label("empty"), ha="center", fontproperties=style.font)
            return _png(fig)
        cols = min(5, len(shown))
        rows = -(-len(shown) // cols)
        axes = fig.subplots(rows, cols, squeeze=False)
        for i, ax in enumerate(axes.flat):
            if i >= len(shown):
                ax.set_visible(False)
                continue
            s = shown[i]
            _draw(ax, s, style, compact=True)
            name = style.safe(s.org_code) + " · " + style.safe(s.allocation)
            ax.set_title(name, fontproperties=style.font, fontsize=9, loc="left", parse_math=False)
            for label in ax.get_xticklabels():
                label.set_fontproperties(style.font)
                label.set_fontsize(7)
        proxies = [
            Line2D([], [], color=_PLAN_COLOR, linewidth=1.5),
            Line2D([], [], color=_ACTUAL_COLOR, linewidth=2, marker="o", markersize=3),
            Line2D([], [], color=_FORECAST_COLOR, linewidth=2, linestyle="--"),
            Line2D([], [], color=_CEILING_COLOR, linewidth=1.5, linestyle=":"),
            Line2D([], [], color=_CEILING_COLOR, marker="X", markersize=8, linestyle="none"),
        ]
        names = [
            style.label(k) for k in ("plan", "actual", "forecast", "ceiling", "runs_out_short")
        ]
        fig.legend(
            proxies,
            names,
            loc="outside lower center",
            ncols=len(proxies),
            prop=style.font,
            frameon=False,
        )
        return _png(fig)
