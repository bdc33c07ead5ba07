"""The Slack app manifest declares exactly what the app listens to: a command or message
shortcut registered in code but missing from the manifest would never reach Kiban in a real
workspace (and one declared but not handled would answer with Slack's error)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.blocks import practices, trends

ROOT = Path(__file__).resolve().parents[1]


def test_every_command_and_shortcut_registered_is_in_the_manifest():
    manifest = yaml.safe_load((ROOT / "slack-app-manifest.yaml").read_text(encoding="utf-8"))
    features = manifest["features"]
    declared = {c["command"] for c in features["slash_commands"]}
    registered = {
        name
        for path in (ROOT / "handlers").glob("*.py")
        for name in re.findall(r'app\.command\("(/[a-z]+)"\)', path.read_text(encoding="utf-8"))
    }
    assert registered == declared
    shortcuts = {s["callback_id"] for s in features["shortcuts"] if s["type"] == "message"}
    assert shortcuts == {trends.Ids.SHORTCUT, practices.Ids.SHORTCUT}
