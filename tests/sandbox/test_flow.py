"""End to end: a real Bolt app over HTTP against the sandbox (command → modal → DM → click)."""

from __future__ import annotations

import json
import time

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    InputBlock,
    NumberInputElement,
    PlainTextInputElement,
    SectionBlock,
)
from slack_sdk.models.views import View
from slack_sdk.signature import SignatureVerifier

from tests.sandbox.conftest import SECRET


def report_modal() -> dict:
    return View(
        type="modal",
        callback_id="compute.report.submit",
        title="Usage report",
        submit="Submit",
        close="Cancel",
        blocks=[
            InputBlock(
                block_id="month",
                label="Month",
                element=PlainTextInputElement(action_id="value"),
            ),
            InputBlock(
                block_id="gpu",
                label="GPU-hours used",
                element=NumberInputElement(action_id="value", is_decimal_allowed=False),
            ),
        ],
    ).to_dict()


def register(app):
    @app.command("/compute")
    def compute(ack, body, client):
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=report_modal())

    @app.view("compute.report.submit")
    def submit(ack, body, view, client):
        values = view["state"]["values"]
        hours = int(values["gpu"]["value"]["value"])
        if hours > 1000:
            ack(response_action="errors", errors={"gpu": "More than the 1000 GPU-hours allocated"})
            return
        ack()
        month = values["month"]["value"]["value"]
        client.chat_postMessage(
            channel=body["user"]["id"],
            text=f"Report for {month} received",
            blocks=[
                SectionBlock(
                    block_id="s", text=f"Report for *{month}*: {hours} GPU-hours"
                ).to_dict(),
                ActionsBlock(
                    block_id="a",
                    elements=[ButtonElement(text="Acknowledge", action_id="ack", value=month)],
                ).to_dict(),
            ],
        )

    @app.action("ack")
    def acknowledge(ack, body, client):
        ack()
        client.chat_update(
            channel=body["container"]["channel_id"],
            ts=body["container"]["message_ts"],
            text="Acknowledged",
            blocks=[SectionBlock(text=f"Acknowledged by <@{body['user']['id']}>").to_dict()],
        )

    @app.event("app_home_opened")
    def home(event, client):
        client.views_publish(
            user_id=event["user"],
            view={
                "type": "home",
                "blocks": [
                    {"type": "header", "text": {"type": "plain_text", "text": "Kiban"}},
                    {
                        "type": "actions",
                        "elements": [
                            {
                                "type": "button",
                                "text": {"type": "plain_text", "text": "Report"},
                                "action_id": "home.report",
                            }
                        ],
                    },
                ],
            },
        )


def test_command_modal_errors_then_success_then_click(sb, serve):
    serve(register)
    d = sb.driver()
    ack = d.command("U0ALICE", "/compute report")
    assert ack.status == 200 and not ack.late
    assert "== Usage report ==" in sb.render("modal:U0ALICE")

    ack = d.fill("U0ALICE", {"Month": "2026-03", "GPU-hours used": "1200"})
    assert ack is not None and ack.json["response_action"] == "errors"
    assert d.modal_errors("U0ALICE") == {"GPU-hours used": "More than the 1000 GPU-hours allocated"}
    errors_entry = sb.conversation("modal:U0ALICE")[-1]
    assert errors_entry.kind == "errors"
    assert "GPU-hours used: 1200\n  ! More than the 1000" in errors_entry.rendered

    # Month keeps what was typed before
    ack = d.fill("U0ALICE", {"GPU-hours used": "900"})
    assert ack.status == 200 and ack.body == ""
    assert sb.conversation("modal:U0ALICE")[-1].rendered == "(modal closed)"

    dm = sb.conversation("dm:U0ALICE")
    assert len(dm) == 1 and "Report for *2026-03*: 900 GPU-hours" in dm[0].rendered
    assert "[Acknowledge]" in dm[0].rendered

    ack = d.click("U0ALICE", "Acknowledge")
    assert ack.status == 200
    dm = sb.conversation("dm:U0ALICE")
    assert len(dm) == 1 and dm[0].edited
    assert sb.render("dm:U0ALICE") == "Acknowledged by @alice (edited)"
    assert sb.failures == []
    assert sb.conversations() == ["modal:U0ALICE", "dm:U0ALICE"]


def test_submission_payload_shape(sb, serve):
    seen = {}

    def reg(app):
        register(app)

        @app.middleware
        def capture(body, next):
            seen.setdefault(body.get("type") or "command", body)
            next()

    serve(reg)
    d = sb.driver()
    d.command("U0ALICE", "/compute")
    d.fill("U0ALICE", {"Month": "", "GPU-hours used": "10"}, submit=False)
    assert d.fill("U0ALICE", {}) is None  # Month is required: the client refuses
    assert d.modal_errors("U0ALICE") == {"Month": "This field is required."}
    d.fill("U0ALICE", {"Month": "2026-04"})
    cmd = seen["command"]
    assert cmd["command"] == "/compute" and cmd["channel_id"] == "D0ALICE"
    payload = seen["view_submission"]
    assert payload["view"]["state"]["values"]["gpu"]["value"] == {
        "type": "number_input",
        "value": "10",
    }
    assert payload["user"]["id"] == "U0ALICE" and payload["view"]["id"].startswith("V")
    assert sb.failures == []


def test_app_home_publish_and_click(sb, serve):
    clicked = []

    def reg(app):
        register(app)

        @app.action("home.report")
        def report(ack, body):
            ack()
            clicked.append(body["container"])

    serve(reg)
    d = sb.driver()
    ack = d.open_home("U0BOB")
    assert ack.status == 200
    assert sb.render("home:U0BOB") == "# Kiban\n[Report]"
    d.click("U0BOB", "Report", conversation="home")
    assert clicked and clicked[0]["type"] == "view"
    assert sb.failures == []


def test_journal_signature_verifies(sb, serve):
    serve(register)
    sb.driver().open_home("U0ALICE")
    rec = next(r for r in sb.journal.records if r["direction"] == "slack->bot")
    headers = rec["request"]["headers"]
    verifier = SignatureVerifier(SECRET)
    assert verifier.is_valid(
        body=rec["request"]["raw"],
        timestamp=headers["X-Slack-Request-Timestamp"],
        signature=headers["X-Slack-Signature"],
    )
    assert not SignatureVerifier("wrong").is_valid(
        body=rec["request"]["raw"],
        timestamp=headers["X-Slack-Request-Timestamp"],
        signature=headers["X-Slack-Signature"],
    )
    lines = [json.loads(x) for x in sb.journal.path.read_text().splitlines()]
    api = [r for r in lines if r["direction"] == "bot->slack"]
    assert {r["method"] for r in api} >= {"auth.test", "views.publish"}
    assert "xoxb" not in sb.journal.path.read_text()


def test_bad_signature_rejected_by_bolt(sb, serve):
    serve(register)
    sb.signing_secret = "not-the-bots-secret"
    ack = sb.driver().open_home("U0ALICE")
    assert ack.status == 401
    assert any("HTTP 401" in f for f in sb.failures)


def test_late_ack_flagged(sb, serve):
    def reg(app):
        @app.command("/slow")
        def slow(ack):
            time.sleep(3.5)
            ack()

    serve(reg, process_before_response=True)
    ack = sb.driver().command("U0ALICE", "/slow")
    assert ack.late and ack.elapsed > 3.0
    assert any("acknowledged after" in f for f in sb.failures)


def test_response_url_sixth_use_refused(sb, serve):
    results = []

    def reg(app):
        @app.command("/echo")
        def echo(ack, respond):
            ack()
            for i in range(6):
                results.append(respond(text=f"reply {i}").status_code)

    serve(reg)
    sb.driver().command("U0ALICE", "/echo hello", channel="#general")
    assert results == [200] * 5 + [404]
    assert len(sb.conversation("ephemeral:U0ALICE")) == 5
    assert any("used_url" in f for f in sb.failures)


def test_command_ack_body_becomes_ephemeral_or_in_channel(sb, serve):
    def reg(app):
        @app.command("/hi")
        def hi(ack, command):
            if command["text"] == "all":
                ack(response_type="in_channel", text="Hello <!here>")
            else:
                ack(text="Only you see this")

    serve(reg)
    d = sb.driver()
    d.command("U0BOB", "/hi", channel="#general")
    d.command("U0BOB", "/hi all", channel="C0GEN")
    assert sb.render("ephemeral:U0BOB") == "Only you see this"
    assert sb.render("#general") == "Hello @here"
