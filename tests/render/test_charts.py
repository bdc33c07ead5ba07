"""Burn-up charts: valid PNGs within the size limits, in both languages and without a CJK font."""

from __future__ import annotations

import io
import warnings
from dataclasses import replace
from datetime import date

import pytest
from matplotlib.image import imread

from bot.render import charts

from .conftest import series

MAX_BYTES = 200 * 1024


def _check_png(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) < MAX_BYTES
    pixels = imread(io.BytesIO(data), format="png")
    height, width = pixels.shape[:2]
    assert width <= 1200 and height <= 700
    return width, height


NORMAL = series(actual=(900, 1000, 1100, None, None, None), forecast_end=5900)
NO_DATA = series(org_name="ベータ研究所", status="no_data")
RUNS_OUT = series(
    granted=5000,
    actual=(1200, 1300, 1300, 1400, None, None),
    forecast_end=7900,
    runs_out=date(2026, 2, 15),
    status="runs_out",
)


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("s", [NORMAL, NO_DATA, RUNS_OUT], ids=["normal", "no_data", "runs_out"])
def test_burn_up_is_a_valid_png(s, lang):
    assert _check_png(charts.burn_up_png(s, lang)) == (1200, 700)


def test_every_month_reported_and_awkward_names():
    s = series(
        org_name="Cost $5 & <b>_x_",
        allocation="A$B$ (H100)",
        actual=(1000,) * 6,
        forecast_end=6000,
    )
    _check_png(charts.burn_up_png(s, "en"))


def test_a_one_month_period_and_zero_grant():
    s = replace(series(), points=series().points[:1], granted=0, period_end=date(2025, 10, 31))
    _check_png(charts.burn_up_png(s, "ja"))


def test_japanese_font_is_found_or_none():
    family = charts.japanese_font()
    assert family is None or isinstance(family, str)


def test_without_a_japanese_font_labels_fall_back_to_english(monkeypatch):
    monkeypatch.setattr(charts, "japanese_font", lambda: None)
    style = charts._Style("ja")
    assert style.lang == "en"
    assert style.label("gpu_hours") == "GPU-hours"
    assert style.title(NO_DATA) == "ORGA · ABCI (H100)"  # the Japanese name cannot be drawn
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. "Glyph … missing from font(s)"
        _check_png(charts.burn_up_png(NO_DATA, "ja"))
        _check_png(charts.burn_up_png(replace(RUNS_OUT, allocation="さくら (H100)"), "ja"))


@pytest.mark.skipif(charts.japanese_font() is None, reason="no Japanese font installed")
def test_with_a_japanese_font_labels_are_japanese():
    style = charts._Style("ja")
    assert style.lang == "ja"
    assert style.title(NO_DATA) == "ベータ研究所 (ORGA) · ABCI (H100)"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _check_png(charts.burn_up_png(NO_DATA, "ja"))


@pytest.mark.parametrize("count", [0, 1, 7, 15, 16])
def test_digest_is_a_valid_png(count):
    pool = [NORMAL, NO_DATA, RUNS_OUT]
    many = [replace(pool[i % 3], org_code=f"ORG{i:02d}") for i in range(count)]
    assert _check_png(charts.digest_png(many, "ja")) == (1200, 700)


def test_a_last_resort_font_is_never_taken_for_a_japanese_one():
    # matplotlib >= 3.10 bundles "Last Resort High-Efficiency": every character maps to a box,
    # so taking it as the Japanese font drew every label (digits too) as boxes
    assert "Last Resort" not in (charts.japanese_font() or "")
