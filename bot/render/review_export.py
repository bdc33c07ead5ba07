"""The secretariat's export of a review round (issue #7): four CSV files and the committee
minutes in Markdown.

:func:`export_round` returns ``[(name, content)]``:

* ``review-<id>-scores.csv`` — one row per scorecard in force (its assignment not withdrawn):
  subject, the reviewer's anonymous label (``R1``…``Rn``, numbered by their order of joining
  the round, the same in every file of the round) **and their Slack user ID**, each criterion's
  points, the weighted score, recommendation, comments, the confidential note to the chair,
  revision, submitted and updated (UTC, ISO 8601). This file is for the secretariat only.
* ``review-<id>-aggregation.csv`` — :func:`ranking_csv`.
* ``review-<id>-decisions.csv`` — per subject: decision, note, decided by, decided and
  released (UTC).
* ``review-<id>-audit.csv`` — the round's audit log in the order it was written.
* ``review-<id>-minutes.md`` — the minutes in the reader's language: the round, its criteria
  and scale, the deadline in JST and UTC, how many reviewers and declared conflicts (never
  who), the ranking, outlying scorecards (anonymous labels), decisions and notes, the
  aggregation rules and a count of the audit log. No comments and no note to the chair.

Figures follow :mod:`bot.services.review_aggregation` (ranked by mean, ``normalise=False``);
the z-score is always shown beside the mean. CSV numbers have two decimals (empty when there
is no value); every CSV goes through :func:`bot.render.csv_safe.write_csv`, so a comment
written as a formula stays text. Markdown escapes people's text with
:func:`bot.render.compute_export.md_cell`: a ``|`` or a newline cannot break a table row.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlmodel import Session, select

from bot.blocks.review_forms import criterion_name
from bot.blocks.reviews import shown_stage
from bot.errors import UserError
from bot.i18n import CATALOG, t
from bot.render.compute_export import JST, md_cell, md_table
from bot.render.csv_safe import write_csv
from bot.services.members import user_error_in
from bot.services.review_aggregation import (
    OUTLIER_POINTS,
    Card,
    SubjectResult,
    aggregate,
    card_score,
)
from storage import reviews as store
from storage.reviews import Recommendation, ReviewRound

__all__ = [
    "aggregation_rows",
    "export_round",
    "file_names",
    "find_round",
    "ranking_csv",
    "reviewer_labels",
]

_DASH = "—"
_RECOMMENDATIONS = [r.value for r in Recommendation]


def _l(key: str, lang: str, **params: object) -> str:
    return t(f"review_export.{key}", lang, **params)


def _word(group: str, code: str | None, lang: str) -> str:
    """A code in words (``rec.adopt`` → "Adopt" / "採択"); an unknown code as it is."""
    if not code:
        return ""
    key = f"review_export.{group}.{code}"
    return t(key, lang) if key in CATALOG else code


def _num(value: float | None) -> Decimal | None:
    """A CSV number with exactly two decimals (``3.9`` → ``3.90``); ``None`` stays empty."""
    if value is None:
        return None
    number = Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return number if number != 0 else Decimal("0.00")  # never "-0.00"


def _fmt(value: float | None) -> str:
    """A number for the minutes: two decimals, "—" when there is none."""
    number = _num(value)
    return _DASH if number is None else str(number)


def _utc(moment: datetime | None) -> str:
    """UTC ISO 8601 to the second (``2026-04-01T00:30:00+00:00``); empty for none."""
    return moment.astimezone(UTC).isoformat(timespec="seconds") if moment else ""


# --- loading -------------------------------------------------------------------------------


def find_round(session: Session, ref: int | str) -> ReviewRound:
    """The round whose id is ``ref`` (an int or a string of digits), else whose name is
    exactly ``ref``.

    Raises:
        UserError: no such round (the message lists the rounds there are).
    """
    text = str(ref).strip()
    found = None
    if text.isdigit() and len(text) <= 18:  # beyond: no database holds such an id
        found = session.get(ReviewRound, int(text))
    if found is None and isinstance(ref, str):
        found = session.exec(select(ReviewRound).where(ReviewRound.name == ref)).first()
    if found is None:
        rounds = store.rounds(session)
        known = ", ".join(f"{r.id}: {r.name}" for r in rounds[:10]) + (
            ", …" if len(rounds) > 10 else ""
        )
        if not rounds:
            raise _unknown(text, lambda lang: _l("error.no_rounds", lang))
        raise _unknown(text, lambda lang: known)
    return found


def _unknown(ref: str, known_for) -> UserError:
    return user_error_in(
        "review_export.error.unknown_round", lambda lang: {"round": ref, "known": known_for(lang)}
    )


def reviewer_labels(session: Session, round_id: int) -> dict[str, str]:
    """Slack user ID → ``R1``…``Rn`` by the order reviewers joined the round
    (``RoundReviewer.id``); stable for the round whatever is exported."""
    return {r.user_id: f"R{i}" for i, r in enumerate(store.reviewers(session, round_id), 1)}


def _label(labels: dict[str, str], user_id: str) -> str:
    """The reviewer's label; one outside the committee (should not happen) gets the next."""
    if user_id not in labels:
        labels[user_id] = f"R{len(labels) + 1}"
    return labels[user_id]


def _cards(session: Session, round_: ReviewRound) -> list[Card]:
    return [
        Card(
            subject_id=card.subject_id,
            reviewer=card.user_id,
            scores=dict(card.scores),
            recommendation=card.recommendation,
        )
        for card in store.scorecards(session, round_.id)
    ]


def aggregation_rows(
    session: Session, round_: ReviewRound, *, normalise: bool = False
) -> list[SubjectResult]:
    """The round's results ranked by mean (by z with `normalise`), from the scorecards in
    force; each result carries both. Subjects without a scorecard come last, unranked."""
    subjects = [(s.id, s.name) for s in store.subjects(session, round_.id)]
    return aggregate(subjects, _cards(session, round_), round_.criteria, normalise=normalise)


# --- CSV -----------------------------------------------------------------------------------


def ranking_csv(
    results: list[SubjectResult],
    round_: ReviewRound,
    lang: str,
    decisions: dict[int, str | None] | None = None,
) -> bytes:
    """The ranking as CSV: rank, subject, scorecards, weighted mean, stdev, z, each criterion's
    mean (headed by the criterion's name), adopt / conditional / reject counts, outliers,
    decision. Numbers to two decimals; a missing value is an empty cell.

    ``decisions`` maps subject id → decision code; without it the decision cells are empty.
    """
    decisions = decisions or {}
    header = [
        _l("col.rank", lang),
        _l("col.subject", lang),
        _l("col.scorecards", lang),
        _l("col.weighted_mean", lang),
        _l("col.stdev", lang),
        _l("col.z", lang),
        *(
            _l("col.criterion_mean", lang, criterion=criterion_name(c, lang))
            for c in round_.criteria
        ),
        _l("col.adopt", lang),
        _l("col.conditional", lang),
        _l("col.reject", lang),
        _l("col.outliers", lang),
        _l("col.decision", lang),
    ]
    rows = [
        [
            r.rank,
            r.name,
            r.cards,
            _num(r.mean),
            _num(r.stdev),
            _num(r.z),
            *(_num(r.criteria_means.get(c["key"])) for c in round_.criteria),
            *(r.recommendations.get(code, 0) for code in _RECOMMENDATIONS),
            len(r.outliers),
            _word("rec", decisions.get(r.subject_id), lang),
        ]
        for r in results
    ]
    return write_csv(header, rows)


def _scores_csv(
    session: Session, round_: ReviewRound, lang: str, labels: dict[str, str], chair: bool
) -> bytes:
    names = {s.id: s.name for s in store.subjects(session, round_.id)}
    header = [
        _l("col.subject", lang),
        _l("col.reviewer", lang),
        _l("col.reviewer_user", lang),
        *(criterion_name(c, lang) for c in round_.criteria),
        _l("col.weighted_score", lang),
        _l("col.recommendation", lang),
        _l("col.comments", lang),
        _l("col.chair_note", lang),
        _l("col.revision", lang),
        _l("col.submitted_at", lang),
        _l("col.updated_at", lang),
    ]
    rows = []
    for card in store.scorecards(session, round_.id):
        points = [card.scores.get(c["key"]) for c in round_.criteria]
        complete = bool(round_.criteria) and None not in points
        rows.append(
            [
                names.get(card.subject_id, ""),
                _label(labels, card.user_id),
                card.user_id,
                *points,
                _num(card_score(card.scores, round_.criteria)) if complete else None,
                _word("rec", card.recommendation, lang),
                card.comments,
                card.chair_note if chair else _l("withheld", lang),
                card.revision,
                _utc(card.submitted_at),
                _utc(card.updated_at),
            ]
        )
    return write_csv(header, rows)


def _decisions_csv(subjects: list[store.ReviewSubject], lang: str) -> bytes:
    header = [
        _l("col.subject", lang),
        _l("col.decision", lang),
        _l("col.note", lang),
        _l("col.decided_by", lang),
        _l("col.decided_at", lang),
        _l("col.released_at", lang),
    ]
    rows = [
        [
            s.name,
            _word("rec", s.decision, lang),
            s.decision_note,
            s.decided_by or "",
            _utc(s.decided_at),
            _utc(s.released_at),
        ]
        for s in subjects
    ]
    return write_csv(header, rows)


def _audit_csv(entries: list[store.ReviewAudit], names: dict[int, str], lang: str) -> bytes:
    header = [
        _l("col.at", lang),
        _l("col.actor", lang),
        _l("col.action", lang),
        _l("col.subject", lang),
        _l("col.before", lang),
        _l("col.after", lang),
    ]
    rows = [
        [
            _utc(e.at),
            e.actor,
            e.action,
            names.get(e.subject_id, "") if e.subject_id is not None else "",
            e.before,
            e.after,
        ]
        for e in entries
    ]
    return write_csv(header, rows)


# --- Markdown ------------------------------------------------------------------------------


def _when(moment: datetime) -> tuple[str, str]:
    return (
        moment.astimezone(JST).strftime("%Y-%m-%d %H:%M JST"),
        moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


def _criteria_section(round_: ReviewRound, lang: str) -> list[str]:
    out = [f"## {_l('md.criteria', lang)}", ""]
    if not round_.criteria:
        return out + [_l("md.no_criteria", lang), ""]
    rows = [[md_cell(criterion_name(c, lang)), f"{float(c['weight']):g}"] for c in round_.criteria]
    header = [_l("md.criterion", lang), _l("md.weight", lang)]
    return out + md_table(rows, header, ["---", "---:"]) + [""]


def _ranking_section(
    results: list[SubjectResult],
    subjects: dict[int, store.ReviewSubject],
    lang: str,
    labels: dict[str, str],
) -> list[str]:
    out = [f"## {_l('md.ranking', lang)}", ""]
    if not results:
        return out + [_l("md.no_subjects", lang), ""]
    header = [
        _l("col.rank", lang),
        _l("col.subject", lang),
        _l("col.scorecards", lang),
        _l("md.mean_stdev", lang),
        _l("col.z", lang),
        _l("md.recommendations", lang),
        _l("col.outliers", lang),
        _l("col.decision", lang),
    ]
    rows = []
    for r in results:
        mean = _DASH if r.mean is None else f"{_fmt(r.mean)} ± {_fmt(r.stdev)}"
        counts = " / ".join(str(r.recommendations.get(code, 0)) for code in _RECOMMENDATIONS)
        decision = subjects[r.subject_id].decision if r.subject_id in subjects else None
        rows.append(
            [
                str(r.rank) if r.rank is not None else _DASH,
                md_cell(r.name),
                str(r.cards),
                mean,
                _fmt(r.z),
                counts,
                ", ".join(_label(labels, u) for u in r.outliers) or _DASH,
                md_cell(_word("rec", decision, lang)) or _DASH,
            ]
        )
    out += md_table(rows, header, ["---:", "---", "---:", "---:", "---:", "---:", "---", "---"])
    out += ["", _l("md.reviewer_labels", lang), "", f"### {_l('md.outliers', lang)}", ""]
    lines = []
    for r in results:
        for user in r.outliers:
            others = [s for u, s in r.card_scores.items() if u != user]
            line = _l(
                "md.outlier_line",
                lang,
                subject=md_cell(r.name),
                reviewer=_label(labels, user),
                score=_fmt(r.card_scores[user]),
                others=_fmt(sum(others) / len(others)),
            )
            lines.append(f"- {line}")
    return out + (lines or [_l("md.no_outliers", lang)]) + [""]


def _decisions_section(subjects: list[store.ReviewSubject], lang: str) -> list[str]:
    out = [f"## {_l('md.decisions', lang)}", ""]
    if not subjects:
        return out + [_l("md.no_subjects", lang), ""]
    header = [
        _l("col.subject", lang),
        _l("col.decision", lang),
        _l("col.note", lang),
        _l("col.decided_by", lang),
        _l("col.decided_at", lang),
    ]
    rows = [
        [
            md_cell(s.name),
            md_cell(_word("rec", s.decision, lang)) or _l("md.undecided", lang),
            md_cell(s.decision_note) or _DASH,
            md_cell(s.decided_by) or _DASH,
            s.decided_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if s.decided_at else _DASH,
        ]
        for s in subjects
    ]
    return out + md_table(rows, header, ["---"] * 5) + [""]


def _audit_section(entries: list[store.ReviewAudit], file_name: str, lang: str) -> list[str]:
    out = [
        f"## {_l('md.audit', lang)}",
        "",
        _l("md.audit_count", lang, count=len(entries), file=file_name),
    ]
    if entries:
        actions = Counter(e.action for e in entries)
        listed = ", ".join(f"{md_cell(action)} {count}" for action, count in actions.items())
        out += ["", _l("md.audit_by_action", lang, actions=listed)]
    return out + [""]


def _minutes(
    session: Session,
    round_: ReviewRound,
    now: datetime | None,
    results: list[SubjectResult],
    subjects: list[store.ReviewSubject],
    entries: list[store.ReviewAudit],
    labels: dict[str, str],
    lang: str,
) -> str:
    jst, utc = _when(round_.deadline)
    out = [
        f"# {_l('md.title', lang, name=md_cell(round_.name))}",
        "",
        f"- {_l('md.kind', lang, kind=md_cell(_word('kind', round_.kind, lang)))}",
        f"- {_l('md.stage', lang, stage=md_cell(_word('stage', shown_stage(round_, now), lang)))}",
        f"- {_l('md.scale', lang, max=round_.scale_max)}",
        f"- {_l('md.deadline', lang, jst=jst, utc=utc)}",
        f"- {_l('md.reviewers', lang, count=len(store.reviewers(session, round_.id)))}",
        f"- {_l('md.conflicts', lang, count=len(store.conflicts(session, round_.id)))}",
        "",
        *_criteria_section(round_, lang),
        *_ranking_section(results, {s.id: s for s in subjects}, lang, labels),
        *_decisions_section(subjects, lang),
        f"## {_l('md.rules_heading', lang)}",
        "",
        _l("md.rules", lang, points=f"{OUTLIER_POINTS:g}"),
        "",
        *_audit_section(entries, file_names(round_.id)[3], lang),
    ]
    return "\n".join(out).rstrip("\n") + "\n"


# --- entry point ---------------------------------------------------------------------------


def file_names(round_id: int) -> tuple[str, str, str, str, str]:
    """The export's file names, in the order :func:`export_round` returns them."""
    return tuple(
        f"review-{round_id}-{part}"
        for part in ("scores.csv", "aggregation.csv", "decisions.csv", "audit.csv", "minutes.md")
    )


def export_round(
    session: Session,
    round_id: int,
    lang: str,
    *,
    chair_notes: bool = True,
    now: datetime | None = None,
) -> list[tuple[str, str | bytes]]:
    """Every file of the round's export: ``[(name, content)]``, CSVs as bytes (UTF-8 with BOM,
    CRLF) and the minutes as text; see the module docstring.

    Args:
        round_id: the round's id.
        lang: ``"ja"`` or ``"en"`` (anything else: English) for headings, words and minutes.
        chair_notes: include the confidential notes to the chair (the CLI, run by whoever holds
            the database; in Slack, only the chair's own export); otherwise the column says
            they are withheld.
        now: when the export is made (aware), to show a round whose deadline passed as closed.

    Raises:
        UserError: there is no round ``round_id``.
    """
    round_ = session.get(ReviewRound, round_id)
    if round_ is None:
        round_ = find_round(session, int(round_id))  # raises, naming the rounds there are
    labels = reviewer_labels(session, round_.id)
    subjects = store.subjects(session, round_.id)
    results = aggregation_rows(session, round_)
    entries = store.audit_log(session, round_.id)
    names = {s.id: s.name for s in subjects}
    decisions = {s.id: s.decision for s in subjects}
    scores = _scores_csv(session, round_, lang, labels, chair_notes)
    contents: list[str | bytes] = [
        scores,
        ranking_csv(results, round_, lang, decisions),
        _decisions_csv(subjects, lang),
        _audit_csv(entries, names, lang),
        _minutes(session, round_, now, results, subjects, entries, labels, lang),
    ]
    return list(zip(file_names(round_.id), contents, strict=True))
