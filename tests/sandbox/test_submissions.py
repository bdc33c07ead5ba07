"""view_submission acks: update, push, clear, and errors keyed by a non-input block."""

from __future__ import annotations

import pytest

from bot.sandbox import DriverError


def modal(title, callback="cb", label="Name", extra=None):
    return {
        "type": "modal",
        "callback_id": callback,
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": "Next"},
        "blocks": [
            {"type": "section", "block_id": "intro", "text": {"type": "mrkdwn", "text": "Hello"}},
            {
                "type": "input",
                "block_id": "name",
                "label": {"type": "plain_text", "text": label},
                "element": {
                    "type": "static_select",
                    "action_id": "v",
                    "options": [
                        {"text": {"type": "plain_text", "text": "Ann"}, "value": "ann"},
                        {"text": {"type": "plain_text", "text": "Ben"}, "value": "ben"},
                    ],
                },
            },
            *(extra or []),
        ],
    }


def register(app):
    @app.command("/wiz")
    def wiz(ack, body, client):
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=modal("Step 1"))

    @app.view("cb")
    def step(ack, view):
        picked = view["state"]["values"]["name"]["v"]["selected_option"]["value"]
        title = view["title"]["text"]
        if picked == "ben":
            ack(response_action="errors", errors={"intro": "wrong block"})
        elif title == "Step 1":
            ack(response_action="update", view=modal("Step 1b"))
        elif title == "Step 1b":
            ack(response_action="push", view=modal("Step 2"))
        else:
            ack(response_action="clear")


def test_update_push_clear(sb, serve):
    serve(register)
    d = sb.driver()
    d.command("U0CAROL", "/wiz")
    d.fill("U0CAROL", {"Name": "Ann"})
    assert "== Step 1b ==" in sb.conversation("modal:U0CAROL")[-1].rendered
    d.fill("U0CAROL", {"Name": "ann"})  # matched by option value
    assert len(sb.state.stacks["U0CAROL"]) == 2
    d.fill("U0CAROL", {"Name": "Ann"})
    assert sb.state.stacks["U0CAROL"] == []
    assert sb.render("modal:U0CAROL").endswith("(modal closed)")
    assert sb.failures == []


def test_errors_on_non_input_block_is_a_failure(sb, serve):
    serve(register)
    d = sb.driver()
    d.command("U0CAROL", "/wiz")
    d.fill("U0CAROL", {"Name": "Ben"})
    assert any("not an input block" in f for f in sb.failures)
    assert d.modal_errors("U0CAROL") == {}


def test_driver_errors(sb, serve):
    serve(register)
    d = sb.driver()
    d.command("U0CAROL", "/wiz")
    with pytest.raises(DriverError, match="labels: 'Name'"):
        d.fill("U0CAROL", {"Nom": "Ann"})
    with pytest.raises(DriverError, match="no option 'Zed'"):
        d.fill("U0CAROL", {"Name": "Zed"})
    with pytest.raises(DriverError, match="button"):
        d.click("U0CAROL", "Nope")
    assert len(sb.failures) == 3


def test_click_ephemeral_replace_original(sb, serve):
    def reg(app):
        @app.command("/ask")
        def ask(ack):
            ack(
                text="Confirm?",
                blocks=[
                    {
                        "type": "actions",
                        "elements": [
                            {
                                "type": "button",
                                "text": {"type": "plain_text", "text": "Yes"},
                                "action_id": "yes",
                            }
                        ],
                    }
                ],
            )

        @app.action("yes")
        def yes(ack, respond, body):
            ack()
            assert body["container"]["is_ephemeral"] and "message" not in body
            respond(replace_original=True, text="Done")

    serve(reg)
    d = sb.driver()
    d.command("U0ALICE", "/ask", channel="#general")
    d.click("U0ALICE", "Yes", conversation="ephemeral")
    assert sb.render("ephemeral:U0ALICE") == "Done (edited)"
    assert sb.failures == []
