"""Link normalisation for the trend report (issue #8): tracking parameters, trailing slashes,
case, ports, fragments, http/https, Slack's link form, and garbage refused in both languages."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import UserError
from bot.parsing.urls import first_link, message_link, normalize_url, unwrap_link


@pytest.mark.parametrize(
    ("given_url", "normal"),
    [
        # tracking parameters go, others stay, sorted
        (
            "https://example.com/a?utm_source=x&utm_medium=y&b=2&a=1",
            "https://example.com/a?a=1&b=2",
        ),
        ("https://example.com/a?fbclid=IwAR0&gclid=1&id=5", "https://example.com/a?id=5"),
        (
            "https://example.com/?mc_cid=1&mc_eid=2&igshid=3&ref=tw&ref_src=x&spm=4",
            "https://example.com/",
        ),
        ("https://example.com/a?UTM_Campaign=x&Q=1", "https://example.com/a?Q=1"),
        # trailing slash, root kept
        ("https://example.com/a/b/", "https://example.com/a/b"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/", "https://example.com/"),
        ("https://example.com//", "https://example.com/"),
        # case: scheme and host lower, path kept
        ("HTTPS://Example.COM/Path/Readme", "https://example.com/Path/Readme"),
        # ports: defaults dropped, others kept
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "https://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        # fragment dropped
        ("https://example.com/a#section-2", "https://example.com/a"),
        # http and https are one
        ("http://example.com/a", "https://example.com/a"),
        # trailing dot of the host dropped
        ("https://example.com./a", "https://example.com/a"),
        # percent-encoding has one spelling; international hosts in IDNA
        ("https://example.com/%7euser/a%20b", "https://example.com/~user/a%20b"),
        ("https://例え.jp/パス", "https://xn--r8jz45g.jp/%E3%83%91%E3%82%B9"),
        # Slack's link forms
        ("<https://example.com/a/?utm_source=slack|example.com/a>", "https://example.com/a"),
        ("<https://example.com/a>", "https://example.com/a"),
        ("  https://example.com/a  ", "https://example.com/a"),
        # IP addresses are hosts too
        ("http://192.0.2.1:8080/x", "https://192.0.2.1:8080/x"),
        ("http://[2001:db8::1]/x", "https://[2001:db8::1]/x"),
    ],
)
def test_normal_forms(given_url, normal):
    assert normalize_url(given_url) == normal


def test_the_same_page_shared_many_ways_is_one():
    ways = [
        "https://news.example.org/2026/04/story",
        "http://news.example.org/2026/04/story/",
        "https://NEWS.example.org:443/2026/04/story?utm_source=twitter#comments",
        "<https://news.example.org/2026/04/story/?fbclid=abc|news.example.org>",
    ]
    assert len({normalize_url(w) for w in ways}) == 1


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "   ",
        "example.com",
        "www.example.com/a",
        "ftp://example.com/file",
        "javascript:alert(1)",
        "mailto:someone@example.com",
        "https://",
        "https:///path",
        "https://localhost/",
        "https://exa mple.com/",
        "https://example.com/a b",
        "https://example.com:99999/",
        "https://example.com:port/",
        "https://-.example.com/",
        "https://[::1/",
        "<@U0SATO>",
        "https://example.com/" + "a" * 2100,
    ],
)
def test_garbage_is_refused_in_both_languages(garbage):
    with pytest.raises(UserError) as caught:
        normalize_url(garbage)
    assert caught.value.en and caught.value.ja
    assert caught.value.en != caught.value.ja


def test_the_error_escapes_what_was_typed():
    with pytest.raises(UserError) as caught:
        normalize_url("see <!channel>")
    assert "<!channel>" not in caught.value.en and "&lt;!channel&gt;" in caught.value.en


def test_unwrap_link():
    assert unwrap_link("<https://x.example/a|label>") == "https://x.example/a"
    assert unwrap_link(" https://x.example/a ") == "https://x.example/a"


def test_first_link_in_a_slack_message():
    text = "面白い記事 <https://example.com/a?x=1&amp;utm_source=y|example.com> と <https://b.example/>"
    assert first_link(text) == "https://example.com/a?x=1&utm_source=y"
    assert first_link("see <mailto:a@b.example|mail> and <https://c.example/p>") == (
        "https://c.example/p"
    )
    assert first_link("bare https://d.example/path. その他") == "https://d.example/path"
    assert first_link("ここ https://e.example/x）です") == "https://e.example/x"
    assert first_link("no link here <@U0SATO>") is None
    assert first_link(None) is None
    # a link an app escaped in its text: the entities are not part of it
    assert first_link("typed &lt;https://f.example/a?b=1&amp;c=2&gt; here") == (
        "https://f.example/a?b=1&c=2"
    )


def test_message_link_looks_in_text_then_blocks_then_attachments():
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "at https://meet.example/x"}}
    rich = {
        "type": "rich_text",
        "elements": [
            {
                "type": "rich_text_section",
                "elements": [{"type": "link", "url": "https://r.example/y"}],
            }
        ],
    }
    assert (
        message_link({"text": "<https://t.example/>", "blocks": [section]}) == "https://t.example/"
    )
    assert message_link({"text": "fallback", "blocks": [section]}) == "https://meet.example/x"
    assert message_link({"text": "", "blocks": [rich]}) == "https://r.example/y"
    assert message_link({"text": "", "attachments": [{"from_url": "https://u.example/z"}]}) == (
        "https://u.example/z"
    )
    assert message_link({"text": "nothing", "blocks": [{"type": "divider"}]}) is None
    assert message_link(None) is None


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.text(max_size=200),
        st.builds(
            lambda prefix, rest: prefix + rest,
            st.sampled_from(["https://", "http://", "<https://", "HTTP://[", "https://a.b:"]),
            st.text(max_size=120),
        ),
    )
)
def test_never_crashes_on_any_text(text):
    try:
        normal = normalize_url(text)
    except UserError:
        return
    assert normal.startswith("https://")
    assert normalize_url(normal) == normal


_host = st.from_regex(r"[a-zA-Z0-9]([a-zA-Z0-9-]{0,10}[a-zA-Z0-9])?\.[a-zA-Z]{2,6}", fullmatch=True)
_segment = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"), blacklist_characters="?#/"
    ),
    max_size=8,
)
_param = st.tuples(
    st.sampled_from(["a", "b", "id", "q", "utm_source", "fbclid", "ref", "page"]),
    st.text(alphabet="abcxyz019-_.~%", max_size=5),
)


@settings(max_examples=300, deadline=None)
@given(
    scheme=st.sampled_from(["http", "https", "HTTP", "Https"]),
    host=_host,
    port=st.sampled_from(["", ":80", ":443", ":8080"]),
    path=st.lists(_segment, max_size=4),
    params=st.lists(_param, max_size=5),
    fragment=st.text(alphabet="abc-", max_size=5),
    slash=st.booleans(),
)
def test_generated_urls_are_idempotent_and_untracked(
    scheme, host, port, path, params, fragment, slash
):
    query = "&".join(f"{k}={v}" for k, v in params)
    url = f"{scheme}://{host}{port}/" + "/".join(path) + ("/" if slash else "")
    url += f"?{query}" if query else ""
    url += f"#{fragment}" if fragment else ""
    try:
        normal = normalize_url(url)
    except UserError:
        return  # a generated path can still be something no page has (e.g. "?" alone)
    assert normalize_url(normal) == normal
    assert normal.startswith(f"https://{host.lower()}")
    assert "#" not in normal
    for tracking in ("utm_source=", "fbclid=", "ref="):
        assert tracking not in normal
    normal_path = urlsplit(normal).path
    assert normal_path == "/" or not normal_path.endswith("/")


@pytest.mark.parametrize(
    "url",
    ["https://user:secret@example.com/a", "https://admin@example.com/", "http://:pw@x.example/"],
)
def test_links_carrying_a_user_name_or_password_are_refused(url):
    """A password in a link would be stored and published: refused, never silently kept."""
    with pytest.raises(UserError) as refused:
        normalize_url(url)
    assert "password" in refused.value.en and "パスワード" in refused.value.ja
