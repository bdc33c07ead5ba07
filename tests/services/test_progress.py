"""Survey-project progress reports on a real database (SQLite, and PostgreSQL when configured):
revisions under concurrency, who may report, see, advise and mark, dissemination snapshots,
status, the missing-report reminder and the month's export."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.blocks import progress as blocks
from bot.errors import UserError
from bot.services import progress, progress_export
from bot.services.admin import import_setup
from bot.services.members import resolve_actor
from bot.settings import Settings
from storage import members as member_store
from storage.members import OrgKind, Role
from storage.progress import Dissemination, ProgressAdvice, ProgressReport
from tests.conftest import SETUP_YAML

NOW = datetime(2026, 4, 1, 0, 30, tzinfo=UTC)  # 09:30 JST
SETTINGS = Settings(_env_file=None, operator_channel="C0OPS", digest_channel="C0DIGEST")
TEXTS = blocks.ReportTexts(
    plan="Survey 200 companies by June",
    progress="120 interviews done",
    issues="Slow answers from SMEs",
    improvement_plan="Add an online form",
    results="Interim report: 40% use LLMs daily",
    help_needed=None,
)


def add_survey_projects(session) -> dict[str, int]:
    """Two survey projects: SURVA (lead U0GAKU, member U0KENJI; Japanese) and SURVB (lead
    U0GUEST; English). Returns code → organization id."""
    ids = {}
    for code, name, language, members in (
        ("SURVA", "生成AI利活用調査", "ja", [("U0GAKU", Role.ORG_LEAD), ("U0KENJI", Role.MEMBER)]),
        ("SURVB", "Data <Holders> Survey", "en", [("U0GUEST", Role.ORG_LEAD)]),
    ):
        org, _ = member_store.upsert_org(
            session, code=code, name=name, kind=OrgKind.SURVEY_PROJECT.value, language=language
        )
        for user, role in members:
            member_store.upsert_member(session, slack_user_id=user, org_id=org.id, role=role)
        ids[code] = org.id
    return ids


@pytest.fixture
def loaded(session_factory):
    with session_factory.begin() as session:
        import_setup(session=session, text=SETUP_YAML)
        session_factory.ids = add_survey_projects(session)
    return session_factory


def actor(session, user, lang="en"):
    return resolve_actor(session, user, lang)


def submit(factory, user, *, org="SURVA", texts=TEXTS, month="2026-03", ref="view:V1", now=NOW):
    with factory.begin() as session:
        return progress.submit_report(
            session=session,
            actor=actor(session, user),
            data=blocks.ReportInput(org_id=factory.ids[org], month=month, texts=texts),
            settings=SETTINGS,
            now=now,
            source_ref=ref,
        )


def rows(factory, model=ProgressReport):
    with factory() as session:
        return list(session.exec(select(model).order_by(model.id)))


def test_revision_semantics_duplicate_unchanged_revised(loaded):
    first = submit(loaded, "U0GAKU")
    assert first.outcome.status == "created"
    assert [n.kind for n in first.notices] == ["progress_confirmation", "progress_report"]
    assert first.notices[1].channel == "C0OPS"  # no progress_channel: the operator channel
    assert submit(loaded, "U0GAKU").outcome.status == "duplicate"
    assert submit(loaded, "U0GAKU").notices == []
    again = submit(loaded, "U0KENJI", ref="view:V2")
    assert again.outcome.status == "unchanged"
    assert [n.kind for n in again.notices] == ["progress_confirmation"]  # no second post
    changed = blocks.ReportTexts(**{**TEXTS.__dict__, "help_needed": "Introductions to SMEs"})
    revised = submit(loaded, "U0KENJI", texts=changed, ref="view:V3")
    assert (revised.outcome.status, revised.outcome.report.revision) == ("revised", 2)
    stored = rows(loaded)
    assert [(r.revision, r.is_current, r.help_needed) for r in stored] == [
        (1, False, None),
        (2, True, "Introductions to SMEs"),
    ]
    post = revised.notices[1].render("ja")
    assert "事務局への支援要望" in post.text or "支援要望" in str(post.blocks)


def test_progress_channel_setting_wins(loaded):
    settings = SETTINGS.model_copy(update={"progress_channel": "C0PROG"})
    with loaded.begin() as session:
        result = progress.submit_report(
            session=session,
            actor=actor(session, "U0GAKU"),
            data=blocks.ReportInput(org_id=loaded.ids["SURVA"], month="2026-03", texts=TEXTS),
            settings=settings,
            now=NOW,
        )
    assert result.notices[1].channel == "C0PROG"


@pytest.mark.parametrize("round_", range(2))
def test_concurrent_submissions_never_make_two_current_rows(loaded, round_):
    variants = ["a", "a", "b", "a", "c", "b"]
    results, errors = [], []
    barrier = threading.Barrier(len(variants))

    def one(value, i):
        texts = blocks.ReportTexts(**{**TEXTS.__dict__, "progress": f"progress {value}"})
        barrier.wait()
        try:
            results.append(submit(loaded, "U0GAKU", texts=texts, ref=f"view:{i}").outcome.status)
        except Exception as error:  # noqa: BLE001 (a failed submission is what we test for)
            errors.append(error)

    threads = [threading.Thread(target=one, args=(v, i)) for i, v in enumerate(variants)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    stored = rows(loaded)
    assert len([r for r in stored if r.is_current]) == 1
    assert sorted(r.revision for r in stored) == list(range(1, len(stored) + 1))
    assert results.count("created") == 1


def test_a_lead_cannot_report_for_another_project_or_a_developer(loaded):
    with loaded.begin() as session:
        guest = actor(session, "U0GUEST")
        for org_id in (loaded.ids["SURVA"], member_store.get_org_by_code(session, "ORGA").id):
            with pytest.raises(UserError) as refused:
                progress.submit_report(
                    session=session,
                    actor=guest,
                    data=blocks.ReportInput(org_id=org_id, month="2026-03", texts=TEXTS),
                    settings=SETTINGS,
                    now=NOW,
                )
            assert "your own survey project" in refused.value.en
    assert rows(loaded) == []


def test_future_month_is_refused_on_the_month_field(loaded):
    with pytest.raises(UserError) as refused:
        submit(loaded, "U0GAKU", month="2026-05")
    assert refused.value.field == blocks.Ids.MONTH
    submit(loaded, "U0GAKU", month="2026-04")  # the month has begun: fine
    assert [r.month for r in rows(loaded)] == ["2026-04"]


def test_report_form_choices_and_prefill(loaded):
    submit(loaded, "U0GAKU")
    with loaded() as session:
        form = progress.report_form(
            session=session, actor=actor(session, "U0GAKU"), settings=SETTINGS, now=NOW
        )
        assert [o.code for o in form.orgs] == ["SURVA"] and form.default_month == "2026-03"
        assert form.prefill == TEXTS and form.prefill_revision == 1
        operator = progress.report_form(
            session=session, actor=actor(session, "U0SATO"), settings=SETTINGS, now=NOW
        )
        assert [o.code for o in operator.orgs] == ["SURVA", "SURVB"] and operator.prefill is None
        with pytest.raises(UserError) as refused:
            progress.report_form(
                session=session, actor=actor(session, "U0ALICE"), settings=SETTINGS, now=NOW
            )
        assert "not a member of a survey project" in refused.value.en


def _advise(factory, user, text="Talk to the SME association", ref="view:A1", **where):
    with factory.begin() as session:
        report = session.exec(select(ProgressReport).where(ProgressReport.is_current)).first()
        meta = blocks.AdviceMeta(
            report_id=report.id,
            org_id=report.organization_id,
            month=report.month,
            revision=report.revision,
            **where,
        )
        return progress.give_advice(
            session=session,
            actor=actor(session, user),
            data=blocks.AdviceInput(meta=meta, text=text),
            settings=SETTINGS,
            now=NOW + timedelta(hours=1),
            source_ref=ref,
        )


def test_advice_is_kept_and_sent_to_the_leads_once(loaded):
    submit(loaded, "U0GAKU")
    notices = _advise(loaded, "U0SATO", channel="C0OPS", ts="123.456")
    assert [(n.channel, n.kind, n.quiet_hours) for n in notices] == [
        ("U0GAKU", "progress_advice", True),
        ("C0OPS", "progress_advice_note", False),
    ]
    assert notices[1].thread_ts == "123.456"
    dm = notices[0].render("ja")
    assert "生成AI利活用調査" in dm.text and "2026-03" in dm.text and "第1版" in dm.text
    assert "Talk to the SME association" in str(dm.blocks)
    assert _advise(loaded, "U0SATO") == []  # the same submission again
    [stored] = rows(loaded, ProgressAdvice)
    assert (stored.author, stored.month, stored.source_ref) == ("U0SATO", "2026-03", "view:A1")


@pytest.mark.parametrize("user", ["U0GAKU", "U0GUEST", "U0ALICE"])
def test_forged_advice_or_marking_by_a_non_operator_stores_nothing(loaded, user):
    submit(loaded, "U0GAKU")
    with pytest.raises(UserError) as refused:
        _advise(loaded, user)
    assert "only the secretariat" in refused.value.en
    with pytest.raises(UserError):
        _mark(loaded, user)
    assert rows(loaded, ProgressAdvice) == [] and rows(loaded, Dissemination) == []


def _mark(factory, user, report_id=None, now=NOW):
    with factory.begin() as session:
        report = session.exec(select(ProgressReport).where(ProgressReport.is_current)).first()
        ref = blocks.ReportRef(
            report_id=report_id or report.id,
            org_id=report.organization_id,
            month=report.month,
            revision=report.revision if report_id is None else 1,
        )
        return progress.mark_for_dissemination(
            session=session,
            actor=actor(session, user),
            ref=ref,
            channel="C0OPS",
            ts="1.2",
            blocks_shown=[],
            now=now,
        )


def test_dissemination_is_a_snapshot_replaced_by_a_later_revision(loaded):
    first = submit(loaded, "U0GAKU").outcome.report
    [notice] = _mark(loaded, "U0SATO")
    assert (notice.channel, notice.ts) == ("C0OPS", "1.2")
    assert "U0SATO" in notice.render("en").text
    with pytest.raises(UserError) as again:
        _mark(loaded, "U0SATO")
    assert "nothing changed" in again.value.en
    newer = blocks.ReportTexts(**{**TEXTS.__dict__, "results": "Final: 45% use LLMs daily"})
    submit(loaded, "U0GAKU", texts=newer, ref="view:V2")
    with loaded() as session:  # the snapshot stays as marked until marked again
        assert progress.disseminated_between(
            session, NOW - timedelta(days=1), NOW + timedelta(days=1)
        ) == [("生成AI利活用調査", "2026-03", "Interim report: 40% use LLMs daily")]
    with pytest.raises(UserError) as stale:  # from the post of revision 1
        _mark(loaded, "U0SATO", report_id=first.id)
    assert "revision 2" in stale.value.en
    _mark(loaded, "U0SATO", now=NOW + timedelta(days=2))
    [marked] = rows(loaded, Dissemination)
    assert (marked.results, marked.marked_at) == (
        "Final: 45% use LLMs daily",
        NOW + timedelta(days=2),
    )
    with loaded() as session:
        assert progress.disseminated_between(session, NOW, NOW + timedelta(days=3)) == [
            ("生成AI利活用調査", "2026-03", "Final: 45% use LLMs daily")
        ]
        assert progress.disseminated_between(session, NOW, NOW + timedelta(days=1)) == []


def test_no_results_nothing_to_mark(loaded):
    submit(loaded, "U0GAKU", texts=blocks.ReportTexts(**{**TEXTS.__dict__, "results": None}))
    with pytest.raises(UserError) as refused:
        _mark(loaded, "U0SATO")
    assert "no results to share" in refused.value.en
    assert rows(loaded, Dissemination) == []


def _status(factory, user, month=None):
    with factory() as session:
        return progress.status(
            session=session,
            actor=actor(session, user),
            month_text=month,
            settings=SETTINGS,
            now=NOW,
        )


def test_status_members_see_their_own_operators_see_all(loaded):
    helped = blocks.ReportTexts(**{**TEXTS.__dict__, "help_needed": "Need <@U0SATO> intros"})
    submit(loaded, "U0GAKU", texts=helped)
    submit(loaded, "U0GAKU", month="2026-01", ref="view:Jan")
    mine = str(_status(loaded, "U0KENJI").blocks)
    assert "生成AI利活用調査" in mine and "Data" not in mine
    assert "2026-03: revision 1" in mine and "2026-02: not reported" in mine
    guest = str(_status(loaded, "U0GUEST").blocks)
    assert "生成AI" not in guest and "2026-03: not reported" in guest
    ops = str(_status(loaded, "U0SATO").blocks)
    assert "Not reported (1):* Data &lt;Holders&gt; Survey" in ops
    assert "revision 1 by <@U0GAKU>" in ops and "Need &lt;@U0SATO&gt; intros" in ops
    with pytest.raises(UserError):
        _status(loaded, "U0ALICE")


def test_reminders_for_last_month_to_leads_and_one_summary(loaded):
    submit(loaded, "U0GAKU")
    with loaded() as session:
        member_store.upsert_member(
            session, slack_user_id="U0GUEST", org_id=loaded.ids["SURVB"], role=Role.MEMBER
        )
        notices = progress.reminders(session=session, settings=SETTINGS, now=NOW)
    # SURVB's only lead became a member: it is named as not reminded
    assert [n.channel for n in notices] == ["C0OPS"]
    assert "no lead registered" in notices[0].render("en").text


def test_export_has_every_project_field_and_advice(loaded):
    submit(loaded, "U0GAKU", texts=blocks.ReportTexts(**{**TEXTS.__dict__, "plan": "=1+1"}))
    _advise(loaded, "U0SATO", text="@SUM(A1) and <b>bold</b>")
    _mark(loaded, "U0SATO")
    with loaded() as session:
        with pytest.raises(UserError):
            progress_export.export_month(
                session=session,
                actor=actor(session, "U0GAKU"),
                settings=SETTINGS,
                month="2026-03",
                lang="en",
                now=NOW,
            )
        files = dict(
            progress_export.export_month(
                session=session,
                actor=None,
                settings=SETTINGS,
                month="2026-03",
                lang="en",
                now=NOW,
            )
        )
    markdown = files["progress-2026-03.md"]
    assert "Reported: 1 of 2 survey projects." in markdown
    assert "Revision 1, reported by U0GAKU on 2026-04-01 09:30 JST." in markdown
    assert "Not reported for this month." in markdown  # SURVB
    assert (
        "&lt;b&gt;bold&lt;/b&gt;" in markdown and "Marked for dissemination by U0SATO" in markdown
    )
    csv_text = files["progress-2026-03.csv"].decode("utf-8-sig")
    assert '"\'=1+1"' in csv_text and "U0SATO: @SUM(A1)" in csv_text


def _view(values: dict[str, str], **meta) -> dict:
    state = {k: {"value": {"type": "plain_text_input", "value": v}} for k, v in values.items()}
    return {
        "private_metadata": blocks.ReportMeta(**meta).model_dump_json(),
        "state": {"values": state},
    }


def test_the_modal_reader_checks_every_field_at_once():
    good = {
        "month": "2026年3月",
        "plan": " p ",
        "progress": "q",
        "issues": "i",
        "improvement_plan": "m",
    }
    meta, data = blocks.parse_report_submission(_view(good, org_id=7))
    assert (data.org_id, data.month, data.texts.plan, data.texts.results) == (
        7,
        "2026-03",
        "p",
        None,
    )
    bad = {**good, "improvement_plan": "x" * 3001, "results": "ok\x00", "plan": " "}
    with pytest.raises(blocks.FormErrors) as errors:
        blocks.parse_report_submission(_view(bad))  # several projects: none chosen
    assert set(errors.value.errors) == {"org", "improvement_plan", "results", "plan"}
    assert "3,001" in errors.value.errors["improvement_plan"].en
    assert "U+0000" in errors.value.errors["results"].en
    with pytest.raises(blocks.FormErrors) as advice:
        blocks.parse_advice_submission(_view({"advice": "\t "}))
    assert set(advice.value.errors) == {"advice"}
