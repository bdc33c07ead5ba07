"""Evaluation trend charts: valid PNGs, one line per benchmark with a score (missing scores
left out, never drawn as 0), dates in JST, and English labels without a Japanese font."""

from __future__ import annotations

import io
import warnings
from datetime import UTC, datetime

import pytest
from matplotlib.dates import num2date
from matplotlib.image import imread

from bot.render import charts, eval_charts
from bot.render.eval_charts import JST, TrendLine

PNG = b"\x89PNG\r\n\x1a\n"


def _at(day: int, hour: int = 1) -> datetime:
    return datetime(2026, 3, day, hour, 0, tzinfo=UTC)


LINES = [
    TrendLine("JMMLU", True, [(_at(1), 0.60), (_at(5), 0.65), (_at(9), None), (_at(12), 0.7)]),
    TrendLine("PPL", False, [(_at(3), 12.5)]),  # one point: a marker
    TrendLine("JSQuAD", True, [(_at(4), None)]),  # nothing to draw: no line
]


def _check_png(data: bytes) -> None:
    assert data.startswith(PNG) and len(data) < 200 * 1024
    height, width = imread(io.BytesIO(data), format="png").shape[:2]
    assert (width, height) == (1200, 700)


def test_one_line_per_benchmark_with_a_score_and_missing_scores_left_out():
    fig = eval_charts.trend_figure(LINES, org_code="ORGA", org_name="Alpha AI", lang="en")
    (ax,) = fig.axes
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["JMMLU (↑ better)", "PPL (↓ better)"]
    jmmlu = lines[0]
    assert list(jmmlu.get_ydata()) == [0.60, 0.65, 0.7]  # the missing one skipped, not 0
    assert jmmlu.get_marker() == "o" and lines[1].get_marker() == "s"
    assert ax.get_title(loc="left") == "Alpha AI (ORGA)"
    # x values are the publication moments (10:00 JST on 2026-03-01 for the first)
    first = num2date(jmmlu.get_xdata(orig=False)[0], tz=JST)
    assert (first.date().isoformat(), first.hour) == ("2026-03-01", 10)


def test_png_renders_in_both_languages():
    for lang in ("en", "ja"):
        _check_png(
            eval_charts.trend_png(
                LINES, org_code="ORGB", org_name="みらい言語研究所", model="mirai $13b$", lang=lang
            )
        )


def test_nothing_to_draw_says_so():
    fig = eval_charts.trend_figure(LINES[2:], org_code="ORGA", org_name="Alpha AI", lang="en")
    assert fig.axes[0].get_lines() == []
    assert "No published scores to draw" in [t.get_text() for t in fig.axes[0].texts]
    _check_png(eval_charts.trend_png([], org_code="ORGA", org_name="Alpha AI", lang="en"))


def test_without_a_japanese_font_labels_and_names_fall_back(monkeypatch):
    monkeypatch.setattr(charts, "japanese_font", lambda: None)
    fig = eval_charts.trend_figure(
        LINES, org_code="ORGB", org_name="みらい言語研究所", model="モデル-7b", lang="ja"
    )
    ax = fig.axes[0]
    assert ax.get_ylabel() == "Headline score"
    assert ax.get_title(loc="left") == "ORGB · ???-7b"  # undrawable name left out, "?" else
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. "Glyph … missing from font(s)"
        _check_png(
            eval_charts.trend_png(LINES, org_code="ORGB", org_name="みらい言語研究所", lang="ja")
        )


@pytest.mark.skipif(charts.japanese_font() is None, reason="no Japanese font installed")
def test_with_a_japanese_font_labels_are_japanese():
    fig = eval_charts.trend_figure(LINES, org_code="ORGB", org_name="みらい言語研究所", lang="ja")
    ax = fig.axes[0]
    assert ax.get_ylabel() == "代表スコア"
    assert ax.get_title(loc="left") == "みらい言語研究所 (ORGB)"
