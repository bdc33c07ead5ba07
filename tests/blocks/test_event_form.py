"""The event modal's parser on forged views (what Slack's client would not send): a capacity
beyond 100,000 or below 1, and wall times a daylight-saving change skips or repeats."""

from __future__ import annotations

import json

import pytest

from bot.blocks.compute import FormErrors
from bot.blocks.event_forms import parse_event_submission


def view(**over) -> dict:
    values = {
        "title": {"value": {"type": "plain_text_input", "value": "勉強会"}},
        "location": {"value": {"type": "plain_text_input", "value": "Tokyo"}},
        "start_date": {"value": {"type": "datepicker", "selected_date": "2027-03-14"}},
        "start_time": {"value": {"type": "timepicker", "selected_time": "01:00"}},
        "end_time": {"value": {"type": "timepicker", "selected_time": "04:00"}},
        "timezone": {"value": {"selected_option": {"value": "America/Los_Angeles"}}},
    }
    for block, state in over.items():
        values[block] = {"value": state}
    return {"private_metadata": json.dumps({"lang": "en"}), "state": {"values": values}}


@pytest.mark.parametrize("capacity", ["0", "-3", "100001", "99999999999999999999999", "1.5"])
def test_a_capacity_outside_1_to_100000_is_refused(capacity):
    with pytest.raises(FormErrors) as caught:
        parse_event_submission(view(capacity={"type": "number_input", "value": capacity}))
    assert "100,000" in caught.value.for_slack("en")["capacity"]


@pytest.mark.parametrize(
    ("day", "clock"),
    [("2027-03-14", "02:30"), ("2027-11-07", "01:30")],  # skipped / repeated in Los Angeles
)
def test_a_wall_time_a_clock_change_skips_or_repeats_is_refused(day, clock):
    forged = view(
        start_date={"type": "datepicker", "selected_date": day},
        start_time={"type": "timepicker", "selected_time": clock},
    )
    with pytest.raises(FormErrors) as caught:
        parse_event_submission(forged)
    assert "America/Los_Angeles" in caught.value.for_slack("en")["start_time"]


def test_the_edges_of_a_clock_change_are_fine():
    data = parse_event_submission(view())
    assert data.starts_at.isoformat() == "2027-03-14T09:00:00+00:00"  # 01:00 PST
    assert data.ends_at.isoformat() == "2027-03-14T11:00:00+00:00"  # 04:00 PDT
