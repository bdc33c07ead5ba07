"""Scenario files: settings a scenario may set are Kiban's own, with valid values; the
sandbox's database, tokens and Slack URL are never a scenario's to set."""

from __future__ import annotations

import pytest

from bot.errors import UserError
from bot.scenario.model import load_scenario

HEAD = """name: t
start: 2026-04-01T09:00:00+09:00
workspace: {users: [{id: U0A, name: a}], channels: []}
steps:
  - note: hi
"""


@pytest.mark.parametrize(
    ("settings", "says"),
    [
        ("{database_url: 'sqlite:///real.sqlite3'}", "set by the sandbox, not by a scenario"),
        ("{slack_bot_token: xoxb-real}", "set by the sandbox, not by a scenario"),
        ("{foo: 1}", "unknown settings: foo"),
        ("{intro_answer_days: abc}", "intro_answer_days: Input should be a valid integer"),
        ("{intro_answer_days: -3}", "greater than or equal to 1"),
    ],
)
def test_bad_scenario_settings_are_named(tmp_path, settings, says):
    path = tmp_path / "s.yaml"
    path.write_text(HEAD + f"settings: {settings}\n", encoding="utf-8")
    with pytest.raises(UserError) as refused:
        load_scenario(path)
    assert says in refused.value.en


def test_settings_are_case_insensitive_like_the_environment(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(HEAD + "settings: {INTRO_ANSWER_DAYS: 3, operator_channel: C0OPS}\n")
    assert load_scenario(path).settings == {"intro_answer_days": 3, "operator_channel": "C0OPS"}
