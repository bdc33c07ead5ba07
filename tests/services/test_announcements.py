"""Announcements' rules (issue #9): the four-eyes rule (the author cannot approve, a member
cannot, a second operator can, once; an approval of a revision edited since is refused), the
languages each audience needs, the publication time, editing, cancelling, and a double submit
stored once."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlmodel import select

from bot.blocks.announcements import AnnouncementInput, ComposeMeta, Ids
from bot.errors import UserError
from bot.services import announcements
from bot.services.admin import import_setup
from bot.services.members import resolve_actor
from bot.settings import Settings
from storage.announcements import Announcement
from storage.members import get_org_by_code, upsert_member
from tests.conftest import SETUP_YAML

SETTINGS = Settings(
    _env_file=None, operator_channel="C0OPS", digest_channel="C0DIGEST", timezone="Asia/Tokyo"
)
NOW = datetime(2026, 4, 1, 0, 30, tzinfo=UTC)  # Wed 1 Apr 09:30 JST
AUTHOR, SECOND, MEMBER = "U0SATO", "U0GAKU", "U0KENJI"


@pytest.fixture
def db(session_factory):
    """The standard setup, and U0GAKU as a second operator."""
    with session_factory.begin() as session:
        import_setup(session=session, text=SETUP_YAML)
        sec = get_org_by_code(session, "SEC")
        upsert_member(session, slack_user_id=SECOND, org_id=sec.id, role="operator")
    return session_factory


def form(**changes) -> AnnouncementInput:
    values = dict(
        title={"ja": "春のイベント", "en": "Spring event"},
        body={"ja": "4月に開催します。", "en": "We meet in April."},
        to_channels=True,
        to_public=True,
        day=date(2026, 4, 2),
        clock=time(10, 0),
    )
    values.update(changes)
    return AnnouncementInput(**values)


def submit(factory, user=AUTHOR, data=None, *, ref="view:V1", meta=None, now=NOW):
    with factory.begin() as session:
        card, notices = announcements.submit(
            session=session,
            actor=resolve_actor(session, user, "en"),
            meta=meta or ComposeMeta(lang="en"),
            data=data or form(),
            settings=SETTINGS,
            now=now,
            source_ref=ref,
        )
    return card, notices


def approve(factory, user, announcement_id, revision=1, **kwargs):
    with factory.begin() as session:
        return announcements.approve(
            session=session,
            actor=resolve_actor(session, user, "en"),
            announcement_id=announcement_id,
            revision=revision,
            settings=SETTINGS,
            now=NOW,
            **kwargs,
        )


def cancel(factory, user, announcement_id):
    with factory.begin() as session:
        return announcements.cancel(
            session=session,
            actor=resolve_actor(session, user, "en"),
            announcement_id=announcement_id,
            settings=SETTINGS,
            now=NOW,
        )


def row(factory, announcement_id=1) -> Announcement:
    with factory() as session:
        return session.get(Announcement, announcement_id)


# --- composing ---------------------------------------------------------------------------------


def test_public_waits_for_approval_and_its_card_goes_to_the_operators(db):
    card, [notice] = submit(db)
    assert card.status == "awaiting_approval"
    assert notice.channel == "C0OPS" and notice.ts is None
    text = str(notice.render("en").blocks)
    assert "Spring event" in text and "春のイベント" in text  # both languages shown
    assert "2026-04-02 10:00 JST" in text and "Public feed" in text
    assert "Approve" in text and "Cancel" in text
    stored = row(db)
    assert stored.publish_at == datetime(2026, 4, 2, 1, 0, tzinfo=UTC)  # stored UTC
    assert (stored.author, stored.revision, stored.to_public) == (AUTHOR, 1, True)


def test_channel_only_is_scheduled_at_once(db):
    card, [notice] = submit(
        db,
        data=form(
            to_public=False, title={"ja": "お知らせ", "en": ""}, body={"ja": "本文", "en": ""}
        ),
    )
    assert card.status == "scheduled"
    assert "Approve" not in str(notice.render("en").blocks)  # no approval needed
    assert row(db).title == {"ja": "お知らせ"}


def test_a_double_submit_stores_one(db):
    first, notices = submit(db)
    again, more = submit(db)
    assert again.id == first.id and more == [] and len(notices) == 1
    with db() as session:
        assert len(session.exec(select(Announcement)).all()) == 1


def test_a_member_cannot_compose(db):
    with pytest.raises(UserError) as error:
        submit(db, user=MEMBER)
    assert "operators" in error.value.en and "事務局" in error.value.ja


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"title": {"ja": "題", "en": ""}}, Ids.TITLE["en"], "both Japanese and English"),
        ({"body": {"ja": "", "en": "x"}}, Ids.BODY["ja"], "both Japanese and English"),
        (
            {
                "to_public": False,
                "title": {"ja": "題", "en": "T"},
                "body": {"ja": "本文", "en": ""},
            },
            Ids.BODY["en"],
            "title and the body in English, or neither",
        ),
        (
            {"to_public": False, "title": {"ja": "", "en": ""}, "body": {"ja": "", "en": ""}},
            Ids.TITLE["ja"],
            "in Japanese or English",
        ),
        ({"day": date(2026, 4, 1), "clock": time(9, 20)}, Ids.TIME, "has passed"),
        ({"day": date(2027, 4, 3)}, Ids.DATE, "within a year"),
    ],
)
def test_rules_between_fields(db, changes, field, words):
    with pytest.raises(UserError) as error:
        submit(db, data=form(**changes))
    assert error.value.field == field and words in error.value.en
    assert error.value.ja
    assert row(db) is None  # nothing stored


def test_now_is_allowed_within_a_few_minutes(db):
    card, _ = submit(db, data=form(day=date(2026, 4, 1), clock=time(9, 27)))
    assert card.publish_at == datetime(2026, 4, 1, 0, 27, tzinfo=UTC)


def test_text_is_stored_as_safe_mrkdwn(db):
    body = {"ja": "詳細 <https://example.org/a?b=1&c=2|こちら> <@U0ALICE> <!here>", "en": "x"}
    submit(db, data=form(body=body))
    stored = row(db).body["ja"]
    assert "<https://example.org/a?b=1&amp;c=2|こちら>" in stored
    assert "&lt;@U0ALICE&gt;" in stored and "&lt;!here&gt;" in stored  # inert


# --- the four-eyes rule ------------------------------------------------------------------------


def test_the_author_cannot_approve_their_own(db):
    submit(db)
    with pytest.raises(UserError) as error:
        approve(db, AUTHOR, 1)
    assert "four-eyes" in error.value.en and "ダブルチェック" in error.value.ja
    assert row(db).status == "awaiting_approval"


def test_a_member_cannot_approve(db):
    submit(db)
    with pytest.raises(UserError, match="operators"):
        approve(db, MEMBER, 1)
    assert row(db).status == "awaiting_approval"


def test_a_second_operator_approves_once(db):
    submit(db)
    notices = approve(db, SECOND, 1, channel="C0OPS", ts="111.222")
    card_update, dm = notices
    assert (card_update.channel, card_update.ts) == ("C0OPS", "111.222")
    assert "Approved by <@U0GAKU>" in str(card_update.render("en").blocks)
    assert dm.channel == AUTHOR and "2026-04-02 10:00 JST" in dm.render("en").text
    stored = row(db)
    assert (stored.status, stored.approved_by, stored.approved_at) == ("scheduled", SECOND, NOW)
    with pytest.raises(UserError, match="already approved"):
        approve(db, SECOND, 1)


def test_two_approvers_at_once_one_wins(db):
    submit(db)
    with db.begin() as session:
        sec = get_org_by_code(session, "SEC")
        upsert_member(session, slack_user_id="U0HANA", org_id=sec.id, role="operator")
    barrier, results = threading.Barrier(2), []

    def click(user):
        barrier.wait()
        try:
            approve(db, user, 1)
            results.append("ok")
        except UserError as error:
            results.append(error.en)

    threads = [threading.Thread(target=click, args=(u,)) for u in (SECOND, "U0HANA")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results)[1] == "ok" and "already approved" in sorted(results)[0]
    assert row(db).approved_by in (SECOND, "U0HANA")


def test_an_approval_of_a_stale_revision_is_refused(db):
    submit(db)
    edited = form(title={"ja": "春のイベント（変更）", "en": "Spring event (changed)"})
    card, [notice] = submit(
        db, data=edited, ref="view:V2", meta=ComposeMeta(announcement_id=1, revision=1)
    )
    assert card.revision == 2 and card.status == "awaiting_approval"
    with pytest.raises(UserError) as error:
        approve(db, SECOND, 1, revision=1)  # a forged or old Approve button
    assert "revision 2" in error.value.en
    assert row(db).status == "awaiting_approval"
    approve(db, SECOND, 1, revision=2)
    assert row(db).title["en"] == "Spring event (changed)" and row(db).status == "scheduled"


def test_an_edit_after_approval_needs_a_new_approval(db):
    submit(db)
    approve(db, SECOND, 1)
    submit(
        db,
        data=form(body={"ja": "変更", "en": "changed"}),
        ref="view:V2",
        meta=ComposeMeta(announcement_id=1, revision=1),
    )
    stored = row(db)
    assert (stored.status, stored.approved_by, stored.revision) == ("awaiting_approval", None, 2)


def test_only_the_author_edits(db):
    submit(db)
    with pytest.raises(UserError, match="Only its author"):
        submit(db, user=SECOND, ref="view:V2", meta=ComposeMeta(announcement_id=1, revision=1))


def test_an_edit_from_an_old_form_is_refused_and_a_resubmit_is_recognised(db):
    submit(db)
    meta = ComposeMeta(announcement_id=1, revision=1)
    changed = form(body={"ja": "変更", "en": "changed"})
    submit(db, data=changed, ref="view:V2", meta=meta)
    _, notices = submit(db, data=changed, ref="view:V2", meta=meta)  # the same submit again
    assert notices == [] and row(db).revision == 2
    with pytest.raises(UserError, match="changed after you opened"):
        submit(db, data=form(body={"ja": "別", "en": "other"}), ref="view:V3", meta=meta)


# --- cancelling --------------------------------------------------------------------------------


def test_cancel_before_publication(db):
    submit(db)
    notices, card = cancel(db, SECOND, 1)
    assert [n.channel for n in notices] == [AUTHOR] and card.status == "cancelled"  # told
    assert (row(db).status, row(db).cancelled_by) == ("cancelled", SECOND)
    with pytest.raises(UserError, match="already cancelled"):
        cancel(db, AUTHOR, 1)
    with pytest.raises(UserError, match="cannot be approved: it is cancelled"):
        approve(db, SECOND, 1)


def test_cancel_after_publication_says_it_is_published(db):
    submit(db)
    approve(db, SECOND, 1)
    with db.begin() as session:
        session.get(Announcement, 1).status = "published"
    with pytest.raises(UserError) as error:
        cancel(db, AUTHOR, 1)
    assert "already published" in error.value.en and "公開済み" in error.value.ja


def test_unknown_number(db):
    with pytest.raises(UserError, match="no announcement #9"):
        cancel(db, AUTHOR, 9)


def test_list_shows_waiting_scheduled_and_recent(db):
    submit(db)
    submit(db, ref="view:V2", data=form(to_public=False))
    submit(db, ref="view:V3")
    cancel(db, AUTHOR, 3)
    with db.begin() as session:
        message = announcements.list_message(
            session=session,
            actor=resolve_actor(session, AUTHOR, "en"),
            settings=SETTINGS,
            now=NOW + timedelta(hours=1),
        )
    text = str(message.blocks)
    assert "*#1*" in text and "awaiting approval" in text
    assert "*#2*" in text and "scheduled" in text
    assert "*#3*" not in text  # cancelled: not listed
    assert text.count("'announce.cancel'") == 2
