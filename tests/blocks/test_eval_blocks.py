"""Evaluation messages at programme size stay within Slack's limits and hide nothing."""

from __future__ import annotations

from bot.blocks import evals as blocks
from bot.sandbox.blockkit import validate_blocks


def view(n: int) -> blocks.SubmissionView:
    return blocks.SubmissionView(
        id=n,
        org_name="Alpha AI",
        model_name=f"model-{n}",
        model_revision="r1",
        parameters_b=8.0,
        model_type="chat",
        submitted_by="U0ALICE",
        file_format="lm-eval",
        score_count=2,
        headlines=[],
        problems=[],
        rejected_by_validator=False,
        status="submitted",
    )


def test_status_lists_fifteen_and_says_how_many_more():
    """`/eval status` silently showed only the newest 15."""
    message = blocks.build_status([view(n) for n in range(20)], ["2026-04-01"] * 20, "en")
    assert validate_blocks([b if isinstance(b, dict) else b for b in message.blocks]) == []
    text = str(message.blocks)
    assert "model-14" in text and "model-15" not in text
    assert "5 older submission(s) not shown" in text
