"""Trend charts of evaluation results (PNG), drawn with matplotlib's Agg renderer.

:func:`trend_png` draws one organization's published headline scores over time: one line per
benchmark (a marker per published result), x = publication date in the programme's zone
(JST by default), y = the headline score as published (each benchmark in its own metric's
unit: accuracies 0–1, perplexities, …; the legend says whether higher or lower is better).
A missing score (``None``) is left out of its line, never drawn as 0; a benchmark without any
score is left out of the chart (and :func:`trend_figure` draws no line for it).

Drawing follows :mod:`bot.render.charts`: an explicit ``Figure`` on ``FigureCanvasAgg`` (no
pyplot, no global backend or ``rcParams`` change), serialised by the same module lock, and
the same font handling (``charts._Style``): Japanese labels when a Japanese font is
installed, otherwise English labels, and organization / model names the default font cannot
draw have their undrawable characters replaced by ``?``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from matplotlib import dates as mdates
from matplotlib.figure import Figure

from bot.i18n import t
from bot.render.charts import _LOCK, _png, _Style

__all__ = ["TrendLine", "trend_figure", "trend_png"]

WIDTH_PX, HEIGHT_PX, DPI = 1200, 700, 100
JST = ZoneInfo("Asia/Tokyo")
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "<", ">")


@dataclass(frozen=True)
class TrendLine:
    """One benchmark's published headline scores of one organization.

    `points` are (published_at, value): aware datetimes (any zone; drawn in the chart's
    zone) and the score as published (None: missing, skipped). `higher_is_better` names the
    direction shown in the legend.
    """

    benchmark: str
    higher_is_better: bool = True
    points: list[tuple[datetime, float | None]] = field(default_factory=list)


def trend_figure(
    lines: list[TrendLine],
    *,
    org_code: str,
    org_name: str,
    model: str | None = None,
    lang: str,
    tz: tzinfo = JST,
) -> Figure:
    """The trend chart as a matplotlib Figure (1200×700 px), for :func:`trend_png` and tests.

    Args:
        lines: one per benchmark, drawn in the given order; a line with no value drawn at all
            is left out (so the axes hold exactly one ``Line2D`` per benchmark with a score).
        org_code, org_name, model: the title, ``Name (CODE) · model``; a name the installed
            fonts cannot draw is left out (the code stays), other undrawable characters become
            ``?``; drawn as typed (``$`` never starts mathtext).
        lang: ``"ja"`` or ``"en"`` (Japanese needs an installed Japanese font).
        tz: the zone of the dates on the x axis (``settings.tz``; JST by default).

    Call it under no lock; :func:`trend_png` holds the drawing lock.
    """
    style = _Style(lang)
    fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    who = f"{org_name} ({org_code})" if org_name and style.drawable(org_name) else org_code
    title = f"{who} · {model}" if model else who
    # style.safe escapes "$", so mathtext (left on) draws the title as typed
    ax.set_title(style.safe(title), fontproperties=style.font, fontsize=15, loc="left")
    drawn = 0
    for i, line in enumerate(lines):
        points = sorted((at, v) for at, v in line.points if v is not None)
        if not points:
            continue
        key = "higher" if line.higher_is_better else "lower"
        ax.plot(
            [at.astimezone(tz) for at, _ in points],
            [v for _, v in points],
            marker=_MARKERS[i % len(_MARKERS)],
            markersize=6,
            linewidth=2,
            label=style.safe(t(f"evalboard.chart.{key}", style.lang, benchmark=line.benchmark)),
        )
        drawn += 1
    if not drawn:
        ax.text(
            0.5,
            0.5,
            t("evalboard.chart.no_data", style.lang),
            transform=ax.transAxes,
            ha="center",
            va="center",
            color="#555555",
            fontproperties=style.font,
            fontsize=14,
            parse_math=False,
        )
        ax.set_xticks([])
        ax.set_yticks([])
    else:
        locator = mdates.AutoDateLocator(tz=tz, minticks=3, maxticks=10)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d", tz=tz))
        ax.margins(x=0.05, y=0.1)
        # labels went through style.safe: "$" is escaped, so mathtext shows it as typed
        ax.legend(loc="best", prop=style.font, frameon=False)
    ax.set_ylabel(t("evalboard.chart.y", style.lang), fontproperties=style.font, fontsize=11)
    ax.set_xlabel(t("evalboard.chart.x", style.lang), fontproperties=style.font, fontsize=11)
    for label in ax.get_xticklabels():
        label.set_fontproperties(style.font)
    ax.tick_params(axis="x", labelrotation=30, labelsize=9)
    ax.grid(True, color="#eeeeee")
    ax.set_axisbelow(True)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    return fig


def trend_png(
    lines: list[TrendLine],
    *,
    org_code: str,
    org_name: str,
    model: str | None = None,
    lang: str,
    tz: tzinfo = JST,
) -> bytes:
    """The trend chart (:func:`trend_figure`, same arguments) as PNG bytes (1200×700 px,
    typically < 100 KB)."""
    with _LOCK:
        fig = trend_figure(
            lines, org_code=org_code, org_name=org_name, model=model, lang=lang, tz=tz
        )
        return _png(fig)
