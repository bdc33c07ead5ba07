"""Block Kit builders and parsers: pure tests on `to_dict()`, the message catalog, escaping."""

from __future__ import annotations

import string
from dataclasses import replace

import pytest

from bot.blocks import compute as blocks
from bot.blocks.common import escape, from_slack_text, truncate
from bot.i18n import CATALOG, LANGS, t

FORM = blocks.ReportForm(
    orgs=[blocks.OrgChoice(id=1, code="ORGA", name="Alpha AI")],
    allocations=[blocks.AllocationChoice(id=7, org_id=1, label="ABCI (H100)")],
    default_month="2026-03",
)


def _labels(view: dict) -> list[str]:
    return [b["label"]["text"] for b in view["blocks"] if b["type"] == "input"]


def test_modal_has_the_exact_english_labels():
    view = blocks.build_report_modal(FORM, "en").to_dict()
    assert view["title"]["text"] == "Report compute usage"
    assert _labels(view) == [
        "Month",
        "Cluster / provider",
        "GPU-hours used",
        "Progress",
        "Issues encountered",
        "Improvement plan",
    ]
    allocation = next(b for b in view["blocks"] if b.get("block_id") == "allocation")
    assert allocation["element"]["initial_option"]["value"] == "7"  # only one: preselected


def test_modal_in_japanese_and_with_several_orgs():
    form = blocks.ReportForm(
        orgs=[blocks.OrgChoice(1, "ORGA", "Alpha AI"), blocks.OrgChoice(2, "ORGB", "B")],
        allocations=[
            blocks.AllocationChoice(7, 1, "ABCI (H100)"),
            blocks.AllocationChoice(8, 2, "AWS (H100)"),
        ],
        default_month="2026-03",
    )
    view = blocks.build_report_modal(form, "ja").to_dict()
    assert _labels(view)[:3] == ["組織", "対象月", "クラスタ / プロバイダ"]
    allocation = next(b for b in view["blocks"] if b.get("block_id") == "allocation")
    assert [o["text"]["text"] for o in allocation["element"]["options"]] == [
        "ORGA · ABCI (H100)",
        "ORGB · AWS (H100)",
    ]
    assert len(view["title"]["text"]) <= 24


def _state(**values):
    state = {}
    for block_id, value in values.items():
        if block_id == "allocation":
            state[block_id] = {
                "value": {"type": "static_select", "selected_option": value and {"value": value}}
            }
        else:
            state[block_id] = {"value": {"type": "plain_text_input", "value": value}}
    return state


def _view(**values):
    meta = blocks.ReportMeta(org_id=1, lang="en").model_dump_json()
    return {"private_metadata": meta, "state": {"values": _state(**values)}}


@pytest.mark.parametrize(
    ("month", "hours", "expected"),
    [
        ("2026-03", "1200", ("2026-03", 1200.0)),
        ("２０２６年３月", "１２００", ("2026-03", 1200.0)),
        ("R8.3", "1,200.5", ("2026-03", 1200.5)),
        ("2026/3", "0", ("2026-03", 0.0)),
        ("令和8年3月", "10000000", ("2026-03", 10_000_000.0)),
    ],
)
def test_parse_accepts_the_documented_inputs(month, hours, expected):
    _meta, data = blocks.parse_report_submission(
        _view(month=month, allocation="7", gpu_hours=hours)
    )
    assert (data.month, data.gpu_hours) == expected and data.allocation_id == 7


@pytest.mark.parametrize(
    ("values", "bad_fields"),
    [
        ({"month": "2026-13", "allocation": "7", "gpu_hours": "5"}, {"month"}),
        ({"month": "2026-03", "allocation": None, "gpu_hours": "-5"}, {"allocation", "gpu_hours"}),
        ({"month": None, "allocation": "7", "gpu_hours": None}, {"month", "gpu_hours"}),
        ({"month": "2026-03", "allocation": "7", "gpu_hours": "10000000.1"}, {"gpu_hours"}),
        ({"month": "2026-03", "allocation": "7", "gpu_hours": "1,20"}, {"gpu_hours"}),
        (
            {"month": "2026-03", "allocation": "7", "gpu_hours": "5", "progress": "x" * 3001},
            {"progress"},
        ),
    ],
)
def test_parse_reports_every_bad_field_at_once(values, bad_fields):
    with pytest.raises(blocks.FormErrors) as errors:
        blocks.parse_report_submission(_view(**values))
    assert set(errors.value.errors) == bad_fields
    for lang in LANGS:
        assert all(errors.value.for_slack(lang).values())


def test_catalog_is_complete_and_placeholders_match():
    for key, entry in CATALOG.items():
        assert set(entry) == set(LANGS), key
        fields = [
            {f for _, f, _, _ in string.Formatter().parse(entry[lang]) if f} for lang in LANGS
        ]
        assert fields[0] == fields[1], key


def test_escape_makes_mentions_and_links_inert_exactly_once():
    assert escape("<!channel> & <https://x|y>") == "&lt;!channel&gt; &amp; &lt;https://x|y&gt;"
    # typed literally in a modal (not encoded by Slack): shown literally
    assert escape("&lt;b&gt;") == "&amp;lt;b&amp;gt;"
    # command text arrives encoded: decoded once, then escaped once
    assert escape(from_slack_text("&lt;!here&gt; &amp;lt;")) == "&lt;!here&gt; &amp;lt;"
    assert escape(None) == ""


def test_truncate_counts_the_ellipsis_and_keeps_graphemes_and_entities():
    assert truncate("a" * 10, 5) == "aaaa…" and len(truncate("a" * 10, 5)) == 5
    assert truncate("e\u0301" * 5, 4) == "e\u0301…"  # never an "e" cut from its accent
    assert truncate("abc &amp; def", 8) == "abc …"  # never half an entity


def test_channel_summary_escapes_user_text_and_stays_in_limits():
    summary = blocks.ReportSummary(
        org_name="A<b>",
        allocation="ABCI (H100)",
        month="2026-03",
        gpu_hours=1200.0,
        plan=None,
        reporter="U1",
        revision=2,
        previous=1000.0,
        progress="<!here> " + "x" * 5000,
        issues=None,
        improvement_plan=None,
    )
    message = blocks.build_channel_summary(summary, "en")
    text = str(message.blocks)
    assert "&lt;!here&gt;" in text and "<!here>" not in text
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in message.blocks)
    # nothing typed is lost to the limit: the note spans several sections
    body = "".join(b["text"]["text"] for b in message.blocks if b["type"] == "section")
    assert body.count("x") == 5000 and "…" not in body
    assert t("compute.no_plan", "en") in text


STATUS_ROW = blocks.AllocationStatus(
    label="ABCI (A100)",
    start="2026-01-01",
    end="2026-12-31",
    granted=2400.0,
    used=600.0,
    planned_to_date=500.0,
    missing_months=[],
    status="on_track",
    forecast_end=2300.0,
)


def _status_text(row: blocks.AllocationStatus, lang: str) -> str:
    message = blocks.build_status([("Alpha AI", [row])], "2026-03", lang)
    return "\n".join(
        element.get("text", "")
        for b in message.blocks
        for element in [b.get("text") or {}, *b.get("elements", [])]
    )


def test_status_shows_normalised_gpu_hours_beside_raw_with_a_factor():
    seen = _status_text(replace(STATUS_ROW, factor=0.5), "en")
    assert "Reported through 2026-03: *600* of 500 planned (120%)" in seen  # raw, as before
    assert (
        "Normalised GPU-hours (× 0.5): *300* of 250 planned · granted 1,200"
        " · forecast at period end 1,150" in seen
    )
    ja = _status_text(replace(STATUS_ROW, factor=0.5), "ja")
    assert (
        "正規化GPU時間（係数 0.5）: *300*（計画 250）· 割当 1,200 · 期間終了時の見込み 1,150" in ja
    )


def test_status_without_a_factor_is_exactly_the_raw_reply():
    for lang in LANGS:
        seen = _status_text(STATUS_ROW, lang)
        assert "ormalised" not in seen and "正規化" not in seen
    plain = blocks.build_status([("Alpha AI", [STATUS_ROW])], "2026-03", "en")
    assert plain.blocks[1]["text"]["text"] == (
        "*ABCI (A100)* · period 2026-01-01 to 2026-12-31 · granted 2,400 GPU-hours\n"
        "Reported through 2026-03: *600* of 500 planned (120%)"
    )


def test_status_blocks_stay_importable_from_the_compute_module():
    from bot.blocks import compute_status

    assert blocks.build_status is compute_status.build_status
    assert blocks.AllocationStatus is compute_status.AllocationStatus
