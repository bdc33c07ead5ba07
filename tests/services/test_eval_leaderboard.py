"""The read side of evaluation results on a real database (SQLite, and PostgreSQL when
configured): leaderboard ranking in both directions with missing scores last, best per
organization, deltas, flag markers, Slack limits, history with its chart (own organization
only), the weekly digest's lines, and unpublished results never shown anywhere."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.blocks import eval_leaderboard as eval_blocks
from bot.errors import UserError
from bot.sandbox.blockkit import validate_blocks
from bot.services import eval_leaderboard as board
from bot.services.admin import import_setup
from bot.services.members import resolve_actor
from bot.settings import Settings
from storage import members as member_store
from storage.evals import EvalFlag, EvalScoreRow, EvalStatus, EvalSubmission, add_submission
from tests.conftest import SETUP_YAML

SETTINGS = Settings(_env_file=None, operator_channel="C0OPS", digest_channel="C0DIGEST")
NOW = datetime(2026, 4, 1, 0, 30, tzinfo=UTC)  # 2026-04-01 09:30 JST
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def loaded(session_factory):
    with session_factory.begin() as session:
        import_setup(session=session, text=SETUP_YAML)
    return session_factory


def publish(
    session,
    code: str,
    model: str,
    revision: str,
    when: datetime | None,
    scores: dict[str, float | None],
    *,
    status: EvalStatus = EvalStatus.PUBLISHED,
    higher: bool | None = None,
    n_shot: int | None = 5,
    params: float | None = 7.0,
) -> EvalSubmission:
    """A submission of organization `code` with one headline score per benchmark in
    `scores` (plus a non-headline subtask score), published at `when` (UTC). `higher`:
    higher_is_better of every score; None: False for PPL (a perplexity), True otherwise."""
    org = member_store.get_org_by_code(session, code)
    submission = EvalSubmission(
        organization_id=org.id,
        submitted_by="U0TEST",
        submitted_at=(when or NOW) - timedelta(days=1),
        model_name=model,
        model_revision=revision,
        parameters_b=params,
        model_type="pretrained",
        file_name="results.json",
        file_format="lm_eval",
        file_sha256="0" * 64,
        report_json="{}",
        status=status.value,
        published_at=when,
    )
    rows = []
    for benchmark, value in scores.items():
        rows.append(
            EvalScoreRow(
                task=benchmark.lower(),
                metric="acc",
                value=value,
                n_shot=n_shot,
                higher_is_better=(benchmark != "PPL") if higher is None else higher,
                is_group=True,
                benchmark=benchmark,
                headline=True,
            )
        )
        rows.append(  # a subtask score: never on the leaderboard
            EvalScoreRow(
                task=f"{benchmark.lower()}_sub",
                metric="acc",
                value=0.01,
                n_shot=n_shot,
                higher_is_better=higher,
                benchmark=benchmark,
                headline=False,
            )
        )
    return add_submission(session, submission, rows)


def at(day: int, month: int = 3) -> datetime:
    return datetime(2026, month, day, 1, 0, tzinfo=UTC)  # 10:00 JST


def actor(session, user: str, lang: str = "en"):
    return resolve_actor(session, user, lang)


def leaderboard_for(session, user: str, benchmark: str | None, *, best=False, lang="en"):
    return board.leaderboard(
        session=session,
        actor=actor(session, user, lang),
        benchmark=benchmark,
        best=best,
        settings=SETTINGS,
    )


def history_for(session, user: str, *, model=None, org_code=None, lang="en"):
    return board.history(
        session=session,
        actor=actor(session, user, lang),
        model=model,
        org_code=org_code,
        settings=SETTINGS,
        now=NOW,
    )


def text_of(message) -> str:
    parts = []
    for block in message.blocks:
        if "text" in block and isinstance(block["text"], dict):
            parts.append(block["text"]["text"])
        for element in block.get("elements", []):
            parts.append(element.get("text", ""))
    return "\n".join(parts)


def rows_of(message, benchmark: str) -> list[str]:
    """The row lines of a benchmark's board (the lines after its title line)."""
    for block in message.blocks:
        text = block.get("text", {}).get("text", "") if block["type"] == "section" else ""
        if text.startswith(f"*{benchmark}*"):
            return text.split("\n")[1:]
    raise AssertionError(f"no board for {benchmark}")


@pytest.fixture
def results(loaded):
    """JMMLU (higher is better): ORGA 0.60 then 0.65, ORGB 0.70 (flagged), ORGC missing.
    PPL (lower is better): ORGA 12.5, ORGB 8.25. Plus ORGC's unpublished `secret-model`."""
    with loaded.begin() as session:
        publish(session, "ORGA", "alpha-7b", "v1", at(1), {"JMMLU": 0.60, "PPL": 12.5})
        publish(session, "ORGB", "mirai-13b", "r1", at(2), {"JMMLU": 0.70}, params=13)
        flagged = publish(session, "ORGB", "mirai-13b", "r2", at(3), {"PPL": 8.25})
        publish(session, "ORGC", "hokusei-3b", "main", at(4), {"JMMLU": None}, n_shot=None)
        publish(session, "ORGA", "alpha-7b", "v2", at(5), {"JMMLU": 0.65})
        # never shown: not published, or published_at set on a submission not published
        secret = {"JMMLU": 0.99}
        publish(session, "ORGC", "secret-model", "x", None, secret, status=EvalStatus.APPROVED)
        secret = {"JMMLU": 0.98}
        publish(session, "ORGC", "secret-model", "y", at(6), secret, status=EvalStatus.REJECTED)
        session.add(
            EvalFlag(submission_id=flagged.id, flagged_by="U0ALICE", reason="odd", created_at=NOW)
        )
        resolved = publish(session, "ORGC", "hokusei-3b", "v2", at(7), {"PPL": 20.0})
        session.add(
            EvalFlag(
                submission_id=resolved.id,
                flagged_by="U0ALICE",
                reason="fixed",
                created_at=NOW,
                resolved_by="U0SATO",
                resolved_at=NOW,
            )
        )
    return loaded


def test_higher_is_better_ranks_best_first_and_missing_last(results):
    with results() as session:
        message = leaderboard_for(session, "U0ALICE", "jmmlu")
    rows = rows_of(message, "JMMLU")
    assert [r.split("*")[1] for r in rows] == [
        "みらい言語研究所",
        "Alpha AI",
        "Alpha AI",
        "北星データ",
    ]
    assert rows[0].startswith("1. ") and "*0.7*" in rows[0] and "13B" in rows[0]
    assert rows[1].startswith("2. ") and "alpha-7b @ v2" in rows[1] and "*0.65*" in rows[1]
    assert rows[2].startswith("3. ") and "alpha-7b @ v1" in rows[2]
    # a missing score is last, unranked, shown as "no value", never 0
    assert rows[3].startswith("–. ") and "no value" in rows[3] and "*0*" not in rows[3]
    assert "n-shot not given" in rows[3] and "5-shot" in rows[0]
    assert "2026-03-02" in rows[0]  # published date in JST
    assert "PPL" not in "\n".join(rows)
    assert validate_blocks(message.blocks) == []


def test_lower_is_better_ranks_the_smallest_first(results):
    with results() as session:
        message = leaderboard_for(session, "U0ALICE", None)
    rows = rows_of(message, "PPL")
    assert "lower is better" in text_of(message)
    assert ["*8.25*" in rows[0], "*12.5*" in rows[1], "*20*" in rows[2]] == [True] * 3
    assert "みらい言語研究所" in rows[0] and "Alpha AI" in rows[1] and "北星データ" in rows[2]
    # every benchmark with a published result, in name order
    titles = [b["text"]["text"].split("\n")[0] for b in message.blocks if b["type"] == "section"]
    assert titles == ["*JMMLU* (higher is better)", "*PPL* (lower is better)"]


def test_deltas_against_the_previous_result_or_new(results):
    with results() as session:
        message = leaderboard_for(session, "U0ALICE", "JMMLU")
    rows = rows_of(message, "JMMLU")
    assert "(+0.05 vs previous)" in rows[1]  # alpha-7b v2 against v1
    assert "(new)" in rows[2] and "(new)" in rows[0] and "(new)" in rows[3]


def test_best_keeps_one_row_per_organization(results):
    with results() as session:
        message = leaderboard_for(session, "U0ALICE", "JMMLU", best=True)
    rows = rows_of(message, "JMMLU")
    assert len(rows) == 3
    assert [r.split("*")[1] for r in rows] == ["みらい言語研究所", "Alpha AI", "北星データ"]
    assert "alpha-7b @ v2" in rows[1] and "+0.05 vs previous" in rows[1]
    assert "best per organization" in message.blocks[0]["text"]["text"]


def test_best_of_a_lower_is_better_benchmark_is_its_smallest(loaded):
    with loaded.begin() as session:
        publish(session, "ORGA", "a", "1", at(1), {"PPL": 9.0}, higher=False)
        publish(session, "ORGA", "a", "2", at(2), {"PPL": 11.0}, higher=False)
        publish(session, "ORGA", "a", "3", at(3), {"PPL": None}, higher=False)
    with loaded() as session:
        message = leaderboard_for(session, "U0ALICE", "PPL", best=True)
    (row,) = rows_of(message, "PPL")
    assert "a @ 1" in row and "*9*" in row and "(new)" in row


def test_open_flags_are_marked_resolved_ones_not(results):
    with results() as session:
        message = leaderboard_for(session, "U0ALICE", "PPL")
    rows = rows_of(message, "PPL")
    marker = ":triangular_flag_on_post:"
    assert rows[0].endswith(marker)  # ORGB r2: an open flag
    assert marker not in rows[1] and marker not in rows[2]  # none / resolved
    legend = message.blocks[-1]["elements"][0]["text"]
    assert legend.startswith(marker) and "open flag" in legend


def test_unpublished_results_are_never_shown(results):
    with results() as session:
        everything = [
            text_of(leaderboard_for(session, user, None, best=best))
            for user in ("U0ALICE", "U0SATO", "U0HANA")
            for best in (False, True)
        ]
        notices = history_for(session, "U0HANA")
        lines = board.digest_lines(session=session, since=at(1) - timedelta(days=30), until=NOW)
        with pytest.raises(UserError) as error:
            history_for(session, "U0HANA", model="secret-model")
    for text in everything + [notices[0].render("en").text]:
        assert "secret-model" not in text and "0.99" not in text and "0.98" not in text
    assert all(line.model_name != "secret-model" for line in lines)
    # the error lists the models with published results only
    assert "hokusei-3b" in error.value.en and error.value.en.count("secret-model") == 1


def test_an_unknown_benchmark_lists_the_known_ones(results):
    with results() as session:
        with pytest.raises(UserError) as error:
            leaderboard_for(session, "U0ALICE", "MMLU")
    assert "“MMLU”" in error.value.en and "JMMLU, PPL" in error.value.en
    assert "「MMLU」" in error.value.ja and "JMMLU, PPL" in error.value.ja


def test_nothing_published_yet(loaded):
    with loaded() as session:
        message = leaderboard_for(session, "U0YUKI", None, lang="ja")
        with pytest.raises(UserError) as error:
            leaderboard_for(session, "U0YUKI", "JMMLU")
    assert "公表済みの評価結果はまだありません" in text_of(message)
    assert "none yet" in error.value.en and "まだありません" in error.value.ja


def test_only_group_members_and_operators_see_the_leaderboard(results):
    with results() as session:
        with pytest.raises(UserError) as error:
            leaderboard_for(session, "U0GUEST", None)
        operator = leaderboard_for(session, "U0SATO", None, lang="ja")
        member = leaderboard_for(session, "U0KENJI", None, lang="ja")
    assert "not a member of any organization" in error.value.en
    assert "高いほど良い" in text_of(operator) and "Alpha AI" in text_of(member)


def test_slack_limits_hold_with_many_benchmarks_and_results(loaded):
    benchmarks = {f"BENCH{i:02d} " + "x" * 60: 0.5 + i / 100 for i in range(30)}
    with loaded.begin() as session:
        for n in range(12):
            code = ("ORGA", "ORGB", "ORGC")[n % 3]
            publish(session, code, "m" * 150, "r" * 150, at(1 + n), benchmarks)
    with loaded() as session:
        message = leaderboard_for(session, "U0ALICE", None)
        single = leaderboard_for(session, "U0ALICE", "BENCH00 " + "x" * 60)
    assert len(message.blocks) <= 50 and validate_blocks(message.blocks) == []
    text = text_of(message)
    assert "more benchmark(s) not shown" in text and "2 more result(s) not shown." in text
    ranked = [line for line in text_of(single).split("\n") if line.startswith("1. ")]
    assert len(ranked) == 10  # equal scores share rank 1; rows split over sections
    assert validate_blocks(single.blocks) == []


# --- history --------------------------------------------------------------------------------


def test_history_goes_to_the_dm_with_a_chart(results):
    with results() as session:
        notices = history_for(session, "U0ALICE")
    (notice,) = notices
    assert notice.channel == "U0ALICE" and notice.lang is None
    ((name, png),) = notice.files
    assert name == "kiban-evals-ORGA-20260401.png" and png.startswith(PNG)
    message = notice.render("en")
    assert "Alpha AI: evaluation results over time" in message.text
    assert "*JMMLU* (higher is better): 2 result(s), latest 0.65, best 0.65" in message.text
    assert "2026-03-05 alpha-7b @ v2: 0.65 (+0.05 vs previous)" in message.text
    assert "*PPL* (lower is better): 1 result(s)" in message.text
    assert "みらい言語研究所" not in message.text  # another organization's results
    assert validate_blocks(message.blocks) == []
    assert "前回比 +0.05" in notice.render("ja").text


def test_history_of_one_model_and_an_unknown_model(results):
    with results() as session:
        (notice,) = history_for(session, "U0YUKI", model="MIRAI-13B")
        with pytest.raises(UserError) as error:
            history_for(session, "U0YUKI", model="nope")
    assert notice.files[0][0] == "kiban-evals-ORGB-mirai-13b-20260401.png"
    assert "mirai-13b over time" in notice.render("en").text
    assert "“nope”" in error.value.en and "mirai-13b" in error.value.en


def test_a_member_cannot_see_another_organizations_history(results):
    with results() as session:
        with pytest.raises(UserError) as error:
            history_for(session, "U0KENJI", org_code="ORGA")
        with pytest.raises(UserError) as guest:
            history_for(session, "U0GUEST", org_code="ORGA")
        own = history_for(session, "U0KENJI", org_code="ORGB")
    assert "your own organization" in error.value.en
    assert "not a member" in guest.value.en
    assert "Alpha AI" not in own[0].render("en").text


def test_operators_name_the_organization(results):
    with results() as session:
        (notice,) = history_for(session, "U0SATO", org_code="ORGB", lang="ja")
        with pytest.raises(UserError) as error:
            history_for(session, "U0SATO")
    assert notice.channel == "U0SATO" and "みらい言語研究所" in notice.render("ja").text
    assert "ORGA" in error.value.en and "組織コード" in error.value.ja


def test_history_with_nothing_published(loaded):
    with loaded() as session:
        with pytest.raises(UserError) as error:
            history_for(session, "U0ALICE")
    assert "Alpha AI has no published evaluation results yet." == error.value.en


# --- the weekly digest ------------------------------------------------------------------------


def test_digest_lines_of_the_week_with_deltas(results):
    with results() as session:
        lines = board.digest_lines(session=session, since=at(5), until=at(8))
    assert [(line.model_name, line.model_revision) for line in lines] == [
        ("alpha-7b", "v2"),
        ("hokusei-3b", "v2"),
    ]
    (jmmlu,) = lines[0].scores
    assert jmmlu.benchmark == "JMMLU" and jmmlu.delta == pytest.approx(0.05)
    assert lines[1].scores[0].is_new and lines[1].published == "2026-03-07"
    blocks = [b.to_dict() for b in eval_blocks.build_eval_digest_section(lines, "en")]
    assert "Inside the programme group only" in blocks[-1]["elements"][0]["text"]
    text = "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert text.startswith("*Evaluation results published this week*")
    assert "• *Alpha AI* alpha-7b @ v2 (2026-03-05): JMMLU 0.65 (+0.05 vs previous)" in text
    assert "PPL 20 (new)" in text and validate_blocks(blocks) == []
    ja = "\n".join(
        b.to_dict()["text"]["text"]
        for b in eval_blocks.build_eval_digest_section(lines, "ja")
        if b.to_dict()["type"] == "section"
    )
    assert "今週公表された評価結果" in ja and "前回比 +0.05" in ja


def test_a_quiet_week_adds_nothing_and_a_busy_one_is_capped(loaded):
    assert eval_blocks.build_eval_digest_section([], "en") == []
    with loaded.begin() as session:
        for n in range(20):
            publish(session, "ORGA", f"model-{n}", "r", at(1) + timedelta(hours=n), {"B": 0.5})
    with loaded() as session:
        lines = board.digest_lines(session=session, since=at(1), until=at(2))
    blocks = [b.to_dict() for b in eval_blocks.build_eval_digest_section(lines, "en")]
    assert len(lines) == 20 and len(blocks) <= 5 and validate_blocks(blocks) == []
    assert "5 more published result(s)" in blocks[-2]["elements"][0]["text"]


def test_scores_and_deltas_are_formatted_as_published():
    fmt, delta = eval_blocks.format_score, eval_blocks.format_delta
    cases = {0.71234: "0.7123", 0.65: "0.65", 12.5: "12.5", 1234.5: "1,234.5", 0.0: "0"}
    assert {v: fmt(v, "en") for v in cases} == cases and fmt(-0.00001, "en") == "0"
    assert fmt(None, "en") == "no value" and fmt(None, "ja") == "値なし"
    assert delta(-0.0123, False, "en") == "-0.0123 vs previous"
    assert delta(0.00001, False, "en") == "±0 vs previous"
    assert delta(None, False, "en") == "no comparison" and delta(None, True, "ja") == "初"


def test_typed_text_stays_inert(loaded):
    with loaded.begin() as session:
        publish(session, "ORGA", "<!channel> & co", "<https://x|v1>", at(1), {"B<1>": 0.5})
    with loaded() as session:
        message = leaderboard_for(session, "U0ALICE", None)
        with pytest.raises(UserError) as error:
            leaderboard_for(session, "U0ALICE", "<!here>")
        (notice,) = history_for(session, "U0ALICE")
    text = text_of(message) + message.text + notice.render("en").text
    assert "<!channel>" not in text and "&lt;!channel&gt; &amp; co @ &lt;https://x|v1&gt;" in text
    assert "*B&lt;1&gt;* (higher is better)" in text
    assert "“&lt;!here&gt;”" in error.value.en and "B&lt;1&gt;" in error.value.en


def test_the_suite_decides_a_benchmarks_direction_not_the_files(tmp_path):
    """A file flagging wikitext higher-is-better (or lambada lower) ranked it backwards."""
    from bot.services import eval_leaderboard as board

    suite = tmp_path / "suite.yaml"
    suite.write_text(
        "benchmarks:\n"
        "  - {name: wikitext, tasks: [wikitext], metric: word_perplexity, higher_is_better: false}\n"
        "  - {name: lambada, tasks: [lambada_openai], metric: acc}\n",
        encoding="utf-8",
    )
    from bot.services.eval_suite import load_suite

    loaded_suite = load_suite(str(suite))
    assert board.declared_direction(loaded_suite, "wikitext") is False
    assert board.declared_direction(loaded_suite, "lambada") is True
    assert board.declared_direction(loaded_suite, "not-in-suite") is None
    assert board.higher_is_better([], False) is False


def test_the_shared_digest_shows_scores_only_with_figures_visibility(loaded):
    """With DIGEST_VISIBILITY=status the digest printed no organization's GPU-hours but
    still printed evaluation scores."""
    from bot.services.digests import weekly_digest

    with loaded.begin() as session:
        publish(session, "ORGA", "alpha-7b", "v1", at(30), {"JMMLU": 0.61})
    now = datetime(2026, 4, 1, 0, 0, tzinfo=UTC)
    for visibility, shown in (("figures", True), ("status", False)):
        settings = Settings(_env_file=None, digest_channel="C0DIGEST", digest_visibility=visibility)
        with loaded() as session:
            [notice] = weekly_digest(session=session, settings=settings, now=now)
        text = str(notice.render("en").blocks)
        assert ("alpha-7b" in text) is shown and ("0.61" in text) is shown
