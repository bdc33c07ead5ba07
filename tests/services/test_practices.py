"""The best-practice library's rules on SQLite and PostgreSQL (issue #9): who may submit and
as which organization, deduplicated submissions, conditional review transitions (one of two
operators wins; non-operators change nothing), search (AND of folded words, literal `%`, `_`
and `\\`), areas by name, the trend report's `approved_between` / `practice_lines` and the
quarter arithmetic of the digest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.blocks.practices import PracticeInput, ReviewMeta
from bot.errors import UserError
from bot.services import practices
from bot.services.admin import import_setup
from bot.services.members import Actor, resolve_actor
from bot.settings import Settings
from storage.members import get_org_by_code
from storage.practices import Practice, PracticeArea
from tests.conftest import SETUP_YAML

SETTINGS = Settings(_env_file=None, operator_channel="C0OPS", digest_channel="C0DIGEST")
NOW = datetime(2026, 4, 1, 0, 30, tzinfo=UTC)


@pytest.fixture
def factory(session_factory):
    with session_factory.begin() as session:
        import_setup(session=session, text=SETUP_YAML)
    return session_factory


def actor(session, user: str, lang: str = "ja") -> Actor:
    return resolve_actor(session, user, lang)


def org_id(factory, code: str) -> int:
    with factory() as session:
        return get_org_by_code(session, code).id


def submit(
    factory,
    user="U0ALICE",
    *,
    title="T",
    body="B",
    area="security",
    org=None,
    ref=None,
    source=None,
):
    with factory.begin() as session:
        return practices.submit(
            session=session,
            actor=actor(session, user),
            data=PracticeInput(title=title, body=body, area=area, source_url=source, org_id=org),
            settings=SETTINGS,
            now=NOW,
            source_ref=ref,
        )


def rows(factory) -> list[Practice]:
    with factory() as session:
        return list(session.exec(select(Practice).order_by(Practice.id)))


def approve(factory, practice_id: int, user="U0SATO", revision=1, now=NOW):
    with factory.begin() as session:
        return practices.approve(
            session=session,
            actor=actor(session, user),
            practice_id=practice_id,
            revision=revision,
            settings=SETTINGS,
            now=now,
        )


# --- submitting ---------------------------------------------------------------------------------


def test_submit_stores_pending_with_folded_search_text_and_notices(factory):
    notices = submit(
        factory, title="ＰＩＩ Masking", body="氏名を　置換", source="https://x.example.org/A"
    )
    [row] = rows(factory)
    assert (row.status, row.organization_id, row.submitted_by) == ("pending", None, "U0ALICE")
    assert row.search_text == "pii masking 氏名を 置換 https://x.example.org/a"
    assert [(n.channel, n.kind) for n in notices] == [
        ("U0ALICE", "practice_receipt"),
        ("C0OPS", "practice_queue"),
    ]


def test_a_repeated_view_stores_one_entry(factory):
    assert submit(factory, ref="view:V1")
    assert submit(factory, ref="view:V1") == []
    assert len(rows(factory)) == 1


def test_organization_must_be_the_submitters_own(factory):
    with pytest.raises(UserError) as refused:
        submit(factory, "U0ALICE", org=org_id(factory, "ORGB"))
    assert refused.value.field == "org"
    assert rows(factory) == []
    submit(factory, "U0KENJI", org=org_id(factory, "ORGB"))
    assert rows(factory)[0].organization_id == org_id(factory, "ORGB")


def test_people_in_no_organization_may_neither_submit_nor_read(factory):
    with pytest.raises(UserError) as refused:
        submit(factory, "U0GUEST")
    assert "/kiban member add" in refused.value.message("en")
    with factory() as session:
        form = practices.add_form(session=session, actor=actor(session, "U0SATO"))
        assert [name for _, name in form.orgs] == ["Secretariat / 事務局"]
        guest = actor(session, "U0GUEST")
        for read in (
            lambda: practices.search(session=session, actor=guest, words="x"),
            lambda: practices.list_practices(session=session, actor=guest),
        ):
            with pytest.raises(UserError) as refused:
                read()
            assert "/kiban member add" in refused.value.message("en")


# --- reviewing ----------------------------------------------------------------------------------


def test_non_operators_change_nothing(factory):
    submit(factory)
    meta = ReviewMeta(practice_id=1, revision=1)
    with factory.begin() as session:
        kenji = actor(session, "U0KENJI")
        for attempt in (
            lambda: practices.approve(
                session=session, actor=kenji, practice_id=1, revision=1, settings=SETTINGS, now=NOW
            ),
            lambda: practices.reject(
                session=session, actor=kenji, meta=meta, reason="r", settings=SETTINGS, now=NOW
            ),
            lambda: practices.edit(
                session=session,
                actor=kenji,
                meta=meta,
                data=PracticeInput(title="X", body="Y", area="other", source_url=None),
                settings=SETTINGS,
                now=NOW,
            ),
            lambda: practices.review_form(session=session, actor=kenji, practice_id=1, revision=1),
            lambda: practices.queue(session=session, actor=kenji),
        ):
            with pytest.raises(UserError, match="only the secretariat"):
                attempt()
    [row] = rows(factory)
    assert (row.status, row.title, row.revision, row.reviewed_by) == ("pending", "T", 1, None)


def test_two_operators_one_wins(factory):
    submit(factory)
    with factory.begin() as session:
        import_setup(
            session=session,
            text="organizations:\n  - {code: SEC, name: Secretariat / 事務局, kind: secretariat, members: [{user: U0GAKU, role: operator}]}\n",
        )
    decision = approve(factory, 1)
    assert [n.channel for n in decision.notices] == ["U0ALICE"]  # no post clicked: none updated
    with pytest.raises(UserError) as lost:
        with factory.begin() as session:
            practices.reject(
                session=session,
                actor=actor(session, "U0GAKU"),
                meta=ReviewMeta(practice_id=1, revision=1, channel="C0OPS", ts="1.2"),
                reason="no",
                settings=SETTINGS,
                now=NOW,
            )
    assert "already approved by <@U0SATO>" in lost.value.message("en")
    assert lost.value.field == "reason"
    [row] = rows(factory)
    assert (row.status, row.reviewed_by, row.reject_reason) == ("approved", "U0SATO", None)


def test_edit_bumps_the_revision_and_stale_decisions_are_refused(factory):
    submit(factory, title="Old")
    with factory.begin() as session:
        decision = practices.edit(
            session=session,
            actor=actor(session, "U0SATO"),
            meta=ReviewMeta(practice_id=1, revision=1, channel="C0OPS", ts="1.2"),
            data=PracticeInput(title="New %", body="Body", area="privacy", source_url=None),
            settings=SETTINGS,
            now=NOW,
        )
    assert [(n.channel, n.ts) for n in decision.notices] == [("C0OPS", "1.2")]
    [row] = rows(factory)
    assert (row.title, row.revision, row.area, row.search_text) == (
        "New %",
        2,
        "privacy",
        "new % body",
    )
    with pytest.raises(UserError, match="revision 2"):
        approve(factory, 1, revision=1)
    assert rows(factory)[0].status == "pending"
    approve(factory, 1, revision=2)
    assert rows(factory)[0].status == "approved"


def test_reject_keeps_the_reason_and_dms_the_submitter(factory):
    submit(factory, "U0YUKI")
    with factory.begin() as session:
        decision = practices.reject(
            session=session,
            actor=actor(session, "U0SATO", "en"),
            meta=ReviewMeta(practice_id=1, revision=1),
            reason="重複",
            settings=SETTINGS,
            now=NOW,
        )
    [dm] = decision.notices
    assert dm.channel == "U0YUKI" and dm.lang is None  # the submitter's own language
    assert "理由: 重複" in dm.render("ja").blocks[1]["text"]["text"]
    assert decision.answer.startswith("Rejected: “T”")
    assert rows(factory)[0].reject_reason == "重複"


# --- search, areas ------------------------------------------------------------------------------


def found(factory, words: str) -> list[str]:
    with factory() as session:
        message = practices.search(session=session, actor=actor(session, "U0HANA"), words=words)
    results = [b for b in message.blocks if (b.get("block_id") or "").startswith("practice_")]
    return [b["text"]["text"].split("\n")[0] for b in results]


def test_search_is_an_and_of_folded_substrings_with_literal_wildcards(factory):
    titles = ["100% Recall", "Under_score", "Back\\slash", "個人情報の扱い", "Pending only"]
    for title in titles:
        submit(factory, title=title)
    for n in range(1, 5):
        approve(factory, n)
    assert found(factory, "recall") == ["*100% Recall*"]
    assert found(factory, "１００％") == ["*100% Recall*"]
    assert found(factory, "0%") == ["*100% Recall*"] and found(factory, "1%l") == []
    assert found(factory, "nde_") == [] and found(factory, "der_s") == ["*Under_score*"]
    assert found(factory, "k\\s") == ["*Back\\slash*"]
    assert found(factory, "情報 扱い") == ["*個人情報の扱い*"]
    assert found(factory, "情報 recall") == []
    assert found(factory, "pending") == []  # not approved
    with pytest.raises(UserError, match="Search for what"):
        found(factory, "  ")


def test_areas_by_key_english_or_japanese_name(factory):
    for text in ("data_governance", "Data Governance", "データガバナンス", "ＤＡＴＡ　governance"):
        assert practices.parse_area(text) == PracticeArea.DATA_GOVERNANCE
    assert practices.parse_area("copyright") == PracticeArea.LICENSING
    assert practices.parse_area("ライセンス・著作権") == PracticeArea.LICENSING
    with pytest.raises(UserError) as unknown:
        practices.parse_area("ethics <!here>")
    text = unknown.value.message("ja")
    assert "`ethics &lt;!here&gt;` という分野はありません" in text
    assert all(f"`{area.value}`" in text for area in PracticeArea)


# --- for the trend report and the digest --------------------------------------------------------


def test_approved_between_and_practice_lines_never_name_the_submitter(factory):
    submit(factory, "U0KENJI", title="Anon <b>", source="https://x.example.org/a?b=1&c=2")
    submit(factory, "U0KENJI", title="Attributed", org=org_id(factory, "ORGB"), area="privacy")
    submit(factory, "U0KENJI", title="Late")
    approve(factory, 1, now=NOW)
    approve(factory, 2, now=NOW + timedelta(days=1))
    approve(factory, 3, now=NOW + timedelta(days=40))
    with factory() as session:
        entries = practices.approved_between(session, NOW, NOW + timedelta(days=30))
    assert [(e.title, e.org_name) for e in entries] == [
        ("Anon <b>", None),
        ("Attributed", "みらい言語研究所"),
    ]
    assert not hasattr(entries[0], "submitted_by")
    lines = practices.practice_lines(entries, "en")
    assert lines == (
        "• *Anon &lt;b&gt;* (Security · Anonymous) <https://x.example.org/a?b=1&amp;c=2|source>\n"
        "• *Attributed* (Privacy · みらい言語研究所)"
    )
    assert "U0KENJI" not in lines and "（セキュリティ · 匿名）" in practices.practice_lines(
        entries, "ja"
    )


@pytest.mark.parametrize(
    ("local", "due"),
    [
        ("2026-04-01", "2026-Q1"),  # Wednesday
        ("2026-04-02", None),
        ("2026-05-01", None),
        ("2026-07-01", "2026-Q2"),
        ("2026-10-01", "2026-Q3"),
        ("2027-01-01", None),  # New Year's Day
        ("2027-01-04", "2026-Q4"),  # the first business day (Monday)
    ],
)
def test_quarter_due(local, due):
    moment = datetime.fromisoformat(f"{local}T09:45:00+09:00")
    result = practices.quarter_due(moment, SETTINGS)
    assert (result[0] if result else None) == due
    if result:
        _, start, end = result
        assert end == datetime.fromisoformat(f"{local[:8]}01T00:00:00+09:00")
        assert start.astimezone(SETTINGS.tz).day == 1 and (end - start).days in (90, 91, 92)
