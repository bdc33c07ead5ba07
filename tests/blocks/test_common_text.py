"""Message text as a person would retype it (the best-practice shortcut's prefill): Slack's
link, mention and channel tokens become readable text, entities become characters."""

import pytest

from bot.blocks.common import escape, plain_from_message


@pytest.mark.parametrize(
    ("delivered", "typed"),
    [
        (
            "出典台帳 <https://blog.example.org/a|記事>",
            "出典台帳 記事 (https://blog.example.org/a)",
        ),
        ("see <https://x.org>", "see https://x.org"),
        ("<https://x.org|https://x.org>", "https://x.org"),
        ("by <@U0KENJI> in <#C0X|general>", "by @… in #general"),
        ("<!here> and <!subteam^S01|@leads>", "@here and @leads"),
        ("a &lt;b&gt; &amp;amp; c", "a <b> &amp; c"),  # typed `<b>` and `&amp;` stay as typed
        ("", ""),
    ],
)
def test_slack_tokens_become_text_and_entities_characters(delivered, typed):
    assert plain_from_message(delivered) == typed


def test_typed_text_survives_the_round_trip_through_slack():
    typed = "a <tag> & <https://not-a-link> here"
    assert plain_from_message(escape(typed)) == typed


@pytest.mark.parametrize(
    "text",
    [
        "x" * 95 + "&lt;" * 10,  # an entity
        "x" * 90 + "<https://example.org/a-long-path|label>",  # a link
        "x" * 97 + "<@U0KENJI>",  # a mention
    ],
)
def test_mrkdwn_is_never_cut_inside_an_entity_or_a_token(text):
    from bot.blocks.common import truncate_mrkdwn

    cut = truncate_mrkdwn(text, 100)
    assert len(cut) <= 100 and cut.endswith("…")
    body = cut[:-1]
    assert body.count("<") == body.count(">")
    assert not body.endswith(("&", "&l", "&lt", "&g", "&gt", "&a", "&am", "&amp"))
