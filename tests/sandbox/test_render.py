"""Rendering: mentions, dates, links and escaped text as a person reads them."""

from __future__ import annotations

from bot.sandbox.render import mrkdwn


def test_mrkdwn_tokens(sb):
    ws = sb.workspace
    text = (
        "Hi <@U0ALICE>, see <#C0OPS> at <!date^1712345678^{date_short}|Apr 5> "
        "<https://example.com|the doc> &lt;!channel&gt; a &amp; b"
    )
    assert mrkdwn(text, ws) == (
        "Hi @alice, see #secretariat at Apr 5 the doc (https://example.com) <!channel> a & b"
    )
    assert mrkdwn("<!here> <https://x.org>", ws) == "@here https://x.org"


def test_message_rendering(sb, client):
    client.chat_postMessage(
        channel="C0GEN",
        text="fallback",
        blocks=[
            {"type": "header", "text": {"type": "plain_text", "text": "Weekly"}},
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": "By <@U0BOB>"},
                "fields": [{"type": "mrkdwn", "text": "*A*"}, {"type": "plain_text", "text": "B"}],
            },
            {"type": "divider"},
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "text": "c1"},
                    {"type": "image", "image_url": "https://x/i.png", "alt_text": "logo"},
                ],
            },
            {"type": "image", "image_url": "https://x/i.png", "alt_text": "chart"},
            {
                "type": "rich_text",
                "elements": [
                    {
                        "type": "rich_text_section",
                        "elements": [
                            {"type": "text", "text": "rich "},
                            {"type": "user", "user_id": "U0ALICE"},
                        ],
                    }
                ],
            },
        ],
    )
    client.chat_postMessage(channel="C0GEN", text="plain &lt;b&gt;")
    assert sb.render("#general") == (
        "# Weekly\nBy @bob\n*A*\nB\n---\nc1 · [image: logo]\n[image: chart]\nrich @alice"
        "\n\nplain <b>"
    )
