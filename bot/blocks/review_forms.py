"""Block Kit for the review committee modals (issue #7) and their parsers. Pure: no I/O.

Modals: "Create a review round", "Add subjects", "Import applicants" (CSV upload),
"Declare conflicts" (checklist), "Score" (scorecard), "Adjust assignments", "Decision".
Limits from Slack's Block Kit reference: modal title ≤ 24 characters, 100 blocks per view,
checkboxes ≤ 10 options per element, static select ≤ 100 options.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from slack_sdk.models.blocks import (
    CheckboxesElement,
    InputBlock,
    Option,
    RadioButtonsElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.blocks import forms
from bot.blocks.common import context, escape, section, truncate
from bot.blocks.compute import FormErrors
from bot.blocks.data_directory import EMAIL_PATTERN
from bot.blocks.event_forms import wall_time
from bot.blocks.forms import OPTION_TEXT_MAX
from bot.errors import UserError
from bot.i18n import LANGS, t
from bot.parsing.text import check_chars, fold_name, normalize_input
from storage.reviews import Recommendation, RoundKind


class Ids:
    ROUND_SUBMIT = "review.round.submit"
    SUBJECTS_SUBMIT = "review.subjects.submit"
    IMPORT_SUBMIT = "review.import.submit"
    DECLARE_SUBMIT = "review.declare.submit"
    SCORE_SUBMIT = "review.score.submit"
    ADJUST_SUBMIT = "review.adjust.submit"
    DECIDE_SUBMIT = "review.decide.submit"
    EDIT_SUBMIT = "review.edit.submit"
    # round modal
    NAME = "name"
    KIND = "kind"
    CRITERIA = "criteria"
    SCALE = "scale"
    PER_SUBJECT = "per_subject"
    DEADLINE_DATE = "deadline_date"
    DEADLINE_TIME = "deadline_time"
    REVIEWERS = "reviewers"
    # subject modal (selection) / organizations (end-of-term) / import
    ORG_NAME = "name"
    PROPOSAL = "proposal_title"
    MATERIALS = "materials_link"
    CONTACT_USER = "contact_user"
    CONTACT_EMAIL = "contact_email"
    ORGS = "orgs"
    FILE = "file"
    # declaration: checklist blocks "conflicts_0", "conflicts_1", … (10 subjects each) + "none"
    CONFLICTS_PREFIX = "conflicts_"
    NONE = "none"
    # scorecard: one select per criterion, block id = the criterion key ("c1", …)
    COMMENTS = "comments"
    RECOMMENDATION = "recommendation"
    CHAIR_NOTE = "chair_note"
    # adjustment: one multi user select per subject, block id "subject_<id>"
    SUBJECT_PREFIX = "subject_"
    # decision
    DECISION = "decision"
    NOTE = "note"


@dataclass(frozen=True)
class RoundInput:
    """A parsed "Create a review round" modal: `kind` a RoundKind value, `criteria`
    [(name, weight > 0)], `deadline` aware UTC, `reviewers` Slack user ids (distinct)."""

    name: str
    kind: str
    criteria: list[tuple[str, float]]
    scale_max: int
    per_subject: int
    deadline: datetime
    reviewers: list[str]


@dataclass(frozen=True)
class SubjectInput:
    """An applicant (selection review): organization name, proposal, materials link, and who
    gets the result (a Slack user, or an email address for an external contact). `line`: its
    line in an uploaded CSV."""

    name: str
    proposal_title: str = ""
    materials_link: str = ""
    contact_user: str | None = None
    contact_email: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class ScoreInput:
    """A parsed scorecard: `scores` criterion key → points (checked against the round's
    scale by the service)."""

    round_id: int
    subject_id: int
    scores: dict[str, int]
    comments: str
    recommendation: str
    chair_note: str
    list_channel: str | None = None  # the scoring list to update in place (None: post anew)
    list_ts: str | None = None


@dataclass(frozen=True)
class DeclarationInput:
    round_id: int
    subject_ids: list[int] = field(default_factory=list)
    none: bool = False


@dataclass(frozen=True)
class DecisionInput:
    """`seen`: the decision the modal showed when opened (None: undecided), for the
    concurrent-decision check."""

    subject_id: int
    decision: str
    note: str
    seen: str | None = None


# --- shared ----------------------------------------------------------------------------------

NAME_MAX = 200  # a round's and a subject's name (storage/reviews.py)
PROPOSAL_MAX = 300
LINK_MAX = 500
EMAIL_MAX = 254
TEXT_MAX = 3000  # comments, confidential notes, decision notes
LABEL_MAX = 2000  # an input block's label (Slack)
CRITERIA_MAX = 10
CRITERION_NAME_MAX = 100
WEIGHT_MAX = 100
SCALE_RANGE = (2, 10)
PER_SUBJECT_RANGE = (1, 10)
CHECKBOXES_MAX = 10  # options of one checkboxes element (Slack)
ADJUST_SUBJECTS_MAX = 99  # one block per subject, after the note (Slack: 100 blocks)
DEFAULT_DEADLINE_TIME = time(17, 0)
DEFAULT_CRITERIA = (
    "technical_merit",
    "feasibility",
    "compute_plan",
    "data_plan",
    "societal_impact",
)
KINDS = tuple(k.value for k in RoundKind)  # "selection", "end_of_term"
RECOMMENDATIONS = tuple(r.value for r in Recommendation)  # "adopt", "conditional", "reject"
# an http(s) link that stays one link in mrkdwn: no space, `<`, `>` or `|`
SAFE_LINK = re.compile(r"https?://[^\s<>|]+", re.IGNORECASE)
_WEIGHT = re.compile(r"\d+(?:\.\d+)?")
_COLONS = (":", "：")


def _error(key: str, **params: object) -> UserError:
    return UserError(t(key, "en", **params), t(key, "ja", **params))


def check_link(link: str) -> bool:
    """Whether `link` is an http(s) link of at most 500 characters that mrkdwn shows as one
    link (shared with the applicants CSV)."""
    return len(link) <= LINK_MAX and SAFE_LINK.fullmatch(link) is not None


def check_email(email: str) -> bool:
    """Whether `email` is shaped like an email address (≤ 254 characters; the data-holder
    directory's rule)."""
    return len(email) <= EMAIL_MAX and EMAIL_PATTERN.match(email) is not None


def _check_text(text: str, limit: int, *, required: bool) -> UserError | None:
    if required and not text:
        return _error("reviewform.error.required")
    if len(text) > limit:
        return _error("reviewform.error.too_long", limit=f"{limit:,}")
    return check_chars(None, text)


def _radio(
    block_id: str,
    label: str,
    options: list[Option],
    *,
    initial: str | None = None,
    optional: bool = False,
    hint: str | None = None,
) -> InputBlock:
    """A radio group preselecting the option whose value is `initial` (forms.radio has none)."""
    chosen_ = next((o for o in options if o.value == initial), None)
    return InputBlock(
        block_id=block_id,
        label=label,
        optional=optional,
        hint=hint,
        element=RadioButtonsElement(action_id=forms.INPUT, options=options, initial_option=chosen_),
    )


def _checkboxes(
    block_id: str, label: str, options: list[Option], *, initial: set[str] = frozenset()
) -> InputBlock:
    """An optional checkboxes group (≤ 10 options), ticking those whose value is in `initial`."""
    ticked = [o for o in options if o.value in initial]
    return InputBlock(
        block_id=block_id,
        label=label,
        optional=True,
        element=CheckboxesElement(
            action_id=forms.INPUT, options=options, initial_options=ticked or None
        ),
    )


def _whole(values: dict, block_id: str, low: int, high: int) -> tuple[int | None, UserError | None]:
    raw = forms.typed(values, block_id)
    try:
        number = int(normalize_input(raw))
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        return None, _error("reviewform.error.number", min=low, max=high)
    return number, None


def _int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


def _ints(raw: list[str]) -> list[int] | None:
    """`raw` as ints in order without repeats; None when any is not an int (forged)."""
    numbers = [_int(v) for v in raw]
    return None if None in numbers else list(dict.fromkeys(numbers))


# --- "Create a review round" -----------------------------------------------------------------


class RoundMeta(BaseModel):
    lang: str = "ja"


def round_meta_of(view: dict) -> RoundMeta:
    return RoundMeta.model_validate_json(view.get("private_metadata") or "{}")


def default_key(name: str) -> str | None:
    """The default criterion `name` is, in either language (case-insensitive), or None: a
    round keeps its key so every reader sees the criterion in their own language."""
    folded = fold_name(name)
    for key in DEFAULT_CRITERIA:
        if any(fold_name(t(f"reviewform.criterion.{key}", lang)) == folded for lang in LANGS):
            return key
    return None


def criterion_name(criterion: dict, lang: str) -> str:
    """A stored criterion's name in `lang` (a default one translated; a typed one as typed)."""
    key = criterion.get("default")
    return t(f"reviewform.criterion.{key}", lang) if key else criterion["name"]


def default_criteria(lang: str) -> str:
    """The default criteria as the modal prefills them: one `name: 1` per line, in `lang`."""
    return "\n".join(f"{t(f'reviewform.criterion.{key}', lang)}: 1" for key in DEFAULT_CRITERIA)


def build_round_modal(lang: str, *, zone: str) -> View:
    """ "Create a review round" (callback id `review.round.submit`); the deadline is typed as
    a date and a wall time in `zone`, the programme's zone."""
    kinds = [forms.option(t(f"reviewform.kind.{k}", lang), k) for k in KINDS]
    blocks = [
        forms.text(Ids.NAME, t("reviewform.round.name", lang), max_length=NAME_MAX),
        forms.radio(Ids.KIND, t("reviewform.round.kind", lang), kinds),
        forms.text(
            Ids.CRITERIA,
            t("reviewform.round.criteria", lang),
            multiline=True,
            max_length=TEXT_MAX,
            initial=default_criteria(lang),
            hint=t("reviewform.round.criteria_hint", lang, limit=CRITERIA_MAX),
        ),
        forms.whole_number(
            Ids.SCALE,
            t("reviewform.round.scale", lang),
            initial=5,
            minimum=SCALE_RANGE[0],
            maximum=SCALE_RANGE[1],
        ),
        forms.whole_number(
            Ids.PER_SUBJECT,
            t("reviewform.round.per_subject", lang),
            initial=3,
            minimum=PER_SUBJECT_RANGE[0],
            maximum=PER_SUBJECT_RANGE[1],
        ),
        *_deadline_and_reviewer_blocks(lang, zone),
    ]
    return forms.modal(
        Ids.ROUND_SUBMIT,
        title=t("reviewform.round.title", lang),
        submit=t("reviewform.round.submit", lang),
        close=t("reviewform.close", lang),
        metadata=RoundMeta(lang=lang).model_dump_json(),
        blocks=blocks,
    )


def parse_criteria(text: str) -> tuple[list[tuple[str, float]], UserError | None]:
    """The criteria typed one per line, `name: weight` (`：` too; full-width digits are
    fine) or `name` (weight 1); blank lines ignored. Returns (criteria, None), or ([], an
    error naming every wrong line): a weight not a positive number up to 100, no name, a
    name over 100 characters, a name repeated (case-insensitive), fewer than 1 or more than
    10 criteria."""
    if problem := check_chars(None, text):
        return [], problem
    criteria: list[tuple[str, float]] = []
    first_line: dict[str, int] = {}
    problems: list[UserError] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        cut = max(line.rfind(c) for c in _COLONS)
        name, weight = line, 1.0
        if cut >= 0:
            name, raw = line[:cut].strip(), line[cut + 1 :].strip()
            folded = normalize_input(raw)
            weight = float(folded) if _WEIGHT.fullmatch(folded) else 0.0
            if not 0 < weight <= WEIGHT_MAX:
                problems.append(
                    _error(
                        "reviewform.error.criterion_weight", line=number, weight=raw, max=WEIGHT_MAX
                    )
                )
                continue
        if not name:
            problems.append(_error("reviewform.error.criterion_no_name", line=number))
        elif len(name) > CRITERION_NAME_MAX:
            problems.append(
                _error("reviewform.error.criterion_too_long", line=number, limit=CRITERION_NAME_MAX)
            )
        elif (folded_name := fold_name(name)) in first_line:
            problems.append(
                _error(
                    "reviewform.error.criterion_duplicate",
                    line=number,
                    name=name,
                    first=first_line[folded_name],
                )
            )
        else:
            first_line[folded_name] = number
            criteria.append((name, weight))
    if problems:
        return [], UserError(" ".join(p.en for p in problems), " ".join(p.ja for p in problems))
    if not 1 <= len(criteria) <= CRITERIA_MAX:
        return [], _error(
            "reviewform.error.criteria_count", limit=CRITERIA_MAX, count=len(criteria)
        )
    return criteria, None


def parse_round_submission(view: dict, *, zone: str) -> RoundInput:
    """Read a submitted "Create a review round" modal; the deadline's wall time is in `zone`.
    Raises FormErrors listing every wrong field at once (the service checks the name is new,
    the deadline in the future, enough reviewers)."""
    values = forms.values_of(view)
    errors: dict[str, UserError] = {}
    name = forms.typed(values, Ids.NAME)
    if problem := _check_text(name, NAME_MAX, required=True):
        errors[Ids.NAME] = problem
    kind = forms.chosen(values, Ids.KIND)
    if kind not in KINDS:
        errors[Ids.KIND] = _error("reviewform.error.pick")
    criteria, problem = parse_criteria(forms.typed(values, Ids.CRITERIA))
    if problem:
        errors[Ids.CRITERIA] = problem
    scale, problem = _whole(values, Ids.SCALE, *SCALE_RANGE)
    if problem:
        errors[Ids.SCALE] = problem
    per_subject, problem = _whole(values, Ids.PER_SUBJECT, *PER_SUBJECT_RANGE)
    if problem:
        errors[Ids.PER_SUBJECT] = problem
    deadline, reviewers = _deadline_and_reviewers(values, zone, errors)
    if errors:
        raise FormErrors(errors)
    return RoundInput(
        name=name,
        kind=kind,
        criteria=criteria,
        scale_max=scale,
        per_subject=per_subject,
        deadline=deadline.astimezone(UTC),
        reviewers=reviewers,
    )


def _deadline_and_reviewer_blocks(
    lang: str, zone: str, deadline: datetime | None = None, reviewers: list[str] = ()
) -> list:
    """The deadline (date and time in the programme's `zone`) and reviewers inputs, shared by
    the create and edit modals."""
    local = deadline.astimezone(ZoneInfo(zone)) if deadline else None
    return [
        forms.day(
            Ids.DEADLINE_DATE,
            t("reviewform.round.deadline_date", lang),
            initial=local.date() if local else None,
        ),
        forms.clock(
            Ids.DEADLINE_TIME,
            t("reviewform.round.deadline_time", lang),
            initial=local.time() if local else DEFAULT_DEADLINE_TIME,
        ),
        context(t("reviewform.round.zone_note", lang, zone=escape(zone))),
        forms.users(Ids.REVIEWERS, t("reviewform.round.reviewers", lang), initial=reviewers),
    ]


def _deadline_and_reviewers(
    values: dict, zone: str, errors: dict
) -> tuple[datetime | None, list[str]]:
    """The deadline (aware, in `zone`) and the distinct reviewers; problems go into `errors`."""
    deadline = None
    day = forms.picked_date(values, Ids.DEADLINE_DATE)
    clock = forms.picked_time(values, Ids.DEADLINE_TIME)
    if day is None:
        errors[Ids.DEADLINE_DATE] = _error("reviewform.error.pick_date")
    if clock is None:
        errors[Ids.DEADLINE_TIME] = _error("reviewform.error.pick_time")
    if day and clock:
        where = ZoneInfo(zone)
        deadline = wall_time(day, clock, where)
        if deadline is None:
            errors[Ids.DEADLINE_TIME] = _error(
                "reviewform.error.no_such_time", time=f"{day} {clock:%H:%M}", zone=where.key
            )
    reviewers = list(dict.fromkeys(forms.picked_users(values, Ids.REVIEWERS)))
    if not reviewers:
        errors[Ids.REVIEWERS] = _error("reviewform.error.reviewers")
    return deadline, reviewers


# --- "Edit a round": the deadline and the reviewers -----------------------------------------


class EditMeta(BaseModel):
    lang: str = "ja"
    round_id: int


@dataclass(frozen=True)
class EditInput:
    """`deadline` aware UTC; `reviewers` the round's reviewers after the edit."""

    round_id: int
    deadline: datetime
    reviewers: list[str]


def build_edit_modal(
    round_id: int,
    round_name: str,
    deadline: datetime,
    reviewers: list[str],
    lang: str,
    *,
    zone: str,
) -> View:
    """ "Edit a review round" (callback id `review.edit.submit`): the scoring deadline and the
    reviewers, prefilled."""
    blocks = [
        context(t("reviewform.edit.intro", lang, round=escape(round_name))),
        *_deadline_and_reviewer_blocks(lang, zone, deadline, reviewers),
    ]
    return forms.modal(
        Ids.EDIT_SUBMIT,
        title=t("reviewform.edit.title", lang),
        submit=t("reviewform.save", lang),
        close=t("reviewform.close", lang),
        metadata=EditMeta(lang=lang, round_id=round_id).model_dump_json(),
        blocks=blocks,
    )


def parse_edit(view: dict, *, zone: str) -> EditInput:
    """Read a submitted edit modal; raises FormErrors listing every wrong field."""
    meta = EditMeta.model_validate_json(view.get("private_metadata") or "{}")
    errors: dict[str, UserError] = {}
    deadline, reviewers = _deadline_and_reviewers(forms.values_of(view), zone, errors)
    if errors:
        raise FormErrors(errors)
    return EditInput(round_id=meta.round_id, deadline=deadline.astimezone(UTC), reviewers=reviewers)


# --- "Add subjects" --------------------------------------------------------------------------


class SubjectMeta(BaseModel):
    lang: str = "ja"
    round_id: int
    kind: str = "selection"


def subject_meta_of(view: dict) -> SubjectMeta:
    return SubjectMeta.model_validate_json(view.get("private_metadata") or "{}")


def build_subject_modal(
    round_id: int, round_name: str, kind: str, orgs: list[tuple[int, str]], lang: str
) -> View:
    """ "Add subjects" (callback id `review.subjects.submit`): one applicant (selection
    review), or organizations from `orgs` [(id, name)] (end-of-term evaluation). With no
    organization left to add, the modal only says so (no submit button)."""
    blocks: list = [context(t("reviewform.subjects.round", lang, round=escape(round_name)))]
    if kind == RoundKind.END_OF_TERM.value:
        if orgs:
            options = [forms.option(truncate(n, OPTION_TEXT_MAX), str(i)) for i, n in orgs]
            blocks.append(
                forms.multi_select(Ids.ORGS, t("reviewform.subjects.orgs", lang), options)
            )
        else:
            blocks.append(context(t("reviewform.subjects.no_orgs", lang)))
    else:
        blocks += [
            forms.text(Ids.ORG_NAME, t("reviewform.subjects.org_name", lang), max_length=NAME_MAX),
            forms.text(
                Ids.PROPOSAL, t("reviewform.subjects.proposal", lang), max_length=PROPOSAL_MAX
            ),
            forms.text(
                Ids.MATERIALS,
                t("reviewform.subjects.materials", lang),
                max_length=LINK_MAX,
                optional=True,
                hint=t("reviewform.subjects.materials_hint", lang),
            ),
            InputBlock(
                block_id=Ids.CONTACT_USER,
                label=t("reviewform.subjects.contact_user", lang),
                optional=True,
                hint=t("reviewform.subjects.contact_user_hint", lang),
                element=UserSelectElement(action_id=forms.INPUT),
            ),
            forms.text(
                Ids.CONTACT_EMAIL,
                t("reviewform.subjects.contact_email", lang),
                max_length=EMAIL_MAX,
                optional=True,
            ),
        ]
    view = forms.modal(
        Ids.SUBJECTS_SUBMIT,
        title=t("reviewform.subjects.title", lang),
        submit=t("reviewform.subjects.submit", lang),
        close=t("reviewform.close", lang),
        metadata=SubjectMeta(lang=lang, round_id=round_id, kind=kind).model_dump_json(),
        blocks=blocks,
    )
    if kind == RoundKind.END_OF_TERM.value and not orgs:
        view.submit = None
    return view


def parse_subject_submission(view: dict) -> tuple[int, list[SubjectInput], list[int]]:
    """Read a submitted "Add subjects" modal: (round id, applicants, organization ids). An
    applicant may have a Slack contact, an email address, both or neither (the service
    decides). Raises FormErrors listing every wrong field at once."""
    meta = subject_meta_of(view)
    values = forms.values_of(view)
    errors: dict[str, UserError] = {}
    if meta.kind == RoundKind.END_OF_TERM.value:
        org_ids = _ints(forms.chosen_many(values, Ids.ORGS))
        if org_ids is None:
            errors[Ids.ORGS] = _error("reviewform.error.forged")
        elif not org_ids:
            errors[Ids.ORGS] = _error("reviewform.error.orgs")
        if errors:
            raise FormErrors(errors)
        return meta.round_id, [], org_ids
    texts = {}
    for block_id, limit, required in (
        (Ids.ORG_NAME, NAME_MAX, True),
        (Ids.PROPOSAL, PROPOSAL_MAX, True),
        (Ids.MATERIALS, LINK_MAX, False),
        (Ids.CONTACT_EMAIL, EMAIL_MAX, False),
    ):
        texts[block_id] = forms.typed(values, block_id)
        if problem := _check_text(texts[block_id], limit, required=required):
            errors[block_id] = problem
    link, email = texts[Ids.MATERIALS], texts[Ids.CONTACT_EMAIL]
    if link and Ids.MATERIALS not in errors and not check_link(link):
        errors[Ids.MATERIALS] = _error("reviewform.error.link")
    if email and Ids.CONTACT_EMAIL not in errors and not check_email(email):
        errors[Ids.CONTACT_EMAIL] = _error("reviewform.error.email", email=email)
    if errors:
        raise FormErrors(errors)
    applicant = SubjectInput(
        name=texts[Ids.ORG_NAME],
        proposal_title=texts[Ids.PROPOSAL],
        materials_link=link,
        contact_user=forms.state(values, Ids.CONTACT_USER).get("selected_user") or None,
        contact_email=email or None,
    )
    return meta.round_id, [applicant], []


# --- "Import applicants" ---------------------------------------------------------------------

IMPORT_ROWS_MAX = 90  # bot.services.reviews.SUBJECTS_MAX
FILE_TYPES = ["csv"]


class ImportMeta(BaseModel):
    lang: str = "ja"
    round_id: int


def import_meta_of(view: dict) -> ImportMeta:
    return ImportMeta.model_validate_json(view.get("private_metadata") or "{}")


def build_import_modal(round_id: int, round_name: str, lang: str) -> View:
    """ "Import applicants" (callback id `review.import.submit`): one CSV file (read with
    `bot.parsing.review_subjects.read_subjects_csv`)."""
    return forms.modal(
        Ids.IMPORT_SUBMIT,
        title=t("reviewform.import.title", lang),
        submit=t("reviewform.import.submit", lang),
        close=t("reviewform.close", lang),
        metadata=ImportMeta(lang=lang, round_id=round_id).model_dump_json(),
        blocks=[
            context(t("reviewform.subjects.round", lang, round=escape(round_name))),
            forms.upload(Ids.FILE, t("reviewform.import.file", lang), FILE_TYPES),
            context(t("reviewform.import.columns", lang, limit=IMPORT_ROWS_MAX)),
        ],
    )


def parse_import(view: dict) -> tuple[int, dict]:
    """(round id, the uploaded file object) of a submitted "Import applicants" modal. Raises
    FormErrors when not exactly one file is attached."""
    files = forms.uploaded(forms.values_of(view), Ids.FILE)
    if len(files) != 1:
        raise FormErrors({Ids.FILE: _error("reviewform.error.one_file")})
    return import_meta_of(view).round_id, files[0]


# --- "Declare conflicts" ---------------------------------------------------------------------


class DeclareMeta(BaseModel):
    lang: str = "ja"
    round_id: int


def declare_meta_of(view: dict) -> DeclareMeta:
    return DeclareMeta.model_validate_json(view.get("private_metadata") or "{}")


def build_declaration_modal(
    round_id: int,
    round_name: str,
    subjects: list[tuple[int, str]],
    declared: set[int],
    has_declared: bool,
    lang: str,
) -> View:
    """ "Declare conflicts" (callback id `review.declare.submit`): the subjects [(id, name)] as
    checkboxes, 10 per block (`conflicts_0`, `conflicts_1`, …), those `declared` ticked; then
    "no conflict" (ticked when the reviewer declared before with no conflict)."""
    blocks: list = [section(t("reviewform.declare.intro", lang, round=escape(round_name)))]
    if has_declared:
        blocks.append(context(t("reviewform.declare.before", lang)))
    ticked = {str(s) for s in declared}
    for group, start in enumerate(range(0, len(subjects), CHECKBOXES_MAX)):
        chunk = subjects[start : start + CHECKBOXES_MAX]
        label = t("reviewform.declare.group", lang, first=start + 1, last=start + len(chunk))
        options = [forms.option(truncate(name, OPTION_TEXT_MAX), str(i)) for i, name in chunk]
        blocks.append(_checkboxes(f"{Ids.CONFLICTS_PREFIX}{group}", label, options, initial=ticked))
    none = forms.option(t("reviewform.declare.none_option", lang), "none")
    blocks.append(
        _checkboxes(
            Ids.NONE,
            t("reviewform.declare.none_label", lang),
            [none],
            initial={"none"} if has_declared and not declared else set(),
        )
    )
    return forms.modal(
        Ids.DECLARE_SUBMIT,
        title=t("reviewform.declare.title", lang),
        submit=t("reviewform.declare.submit", lang),
        close=t("reviewform.close", lang),
        metadata=DeclareMeta(lang=lang, round_id=round_id).model_dump_json(),
        blocks=blocks,
    )


def parse_declaration(view: dict) -> DeclarationInput:
    """Read a submitted "Declare conflicts" modal: the subject ids ticked in every
    `conflicts_*` block, and "no conflict". The service checks the rest (neither or both,
    a declared conflict left out). Raises FormErrors on `none` for a forged (non-integer)
    subject id."""
    meta = declare_meta_of(view)
    values = forms.values_of(view)
    groups = sorted(
        (b for b in values if b.startswith(Ids.CONFLICTS_PREFIX)),
        key=lambda b: _int(b.removeprefix(Ids.CONFLICTS_PREFIX)) or 0,
    )
    subject_ids = _ints([v for b in groups for v in forms.chosen_many(values, b)])
    if subject_ids is None:
        raise FormErrors({Ids.NONE: _error("reviewform.error.forged")})
    none = "none" in forms.chosen_many(values, Ids.NONE)
    return DeclarationInput(round_id=meta.round_id, subject_ids=subject_ids, none=none)


# --- "Scorecard" -----------------------------------------------------------------------------


class ScoreMeta(BaseModel):
    lang: str = "ja"
    round_id: int
    subject_id: int
    keys: list[str] = []  # the round's criterion keys, in order
    list_channel: str | None = None  # the scoring list the modal was opened from
    list_ts: str | None = None


def score_meta_of(view: dict) -> ScoreMeta:
    return ScoreMeta.model_validate_json(view.get("private_metadata") or "{}")


def _weight(weight: object) -> str:
    return f"{float(weight):g}"


def build_score_modal(
    round_id: int,
    round_name: str,
    subject_name: str,
    proposal: str,
    materials_link: str,
    criteria: list[dict],
    scale_max: int,
    card: dict | None,
    deadline_text: str,
    lang: str,
    *,
    subject_id: int,
    opened_from: tuple[str, str] | None = None,
) -> View:
    """The "Scorecard" modal (callback id `review.score.submit`) for one subject: a select of
    1..`scale_max` per criterion ({"key", "name", "weight"}; the weight shown when the
    weights differ), comments, a recommendation and a confidential note to the chair,
    prefilled from the reviewer's `card` ({"scores", "comments", "recommendation",
    "chair_note"}, or None). `deadline_text` is already formatted (e.g. a date token)."""
    card = card or {}
    scores = card.get("scores") or {}
    text = t(
        "reviewform.score.subject",
        lang,
        subject=escape(subject_name),
        round=escape(round_name),
        proposal=escape(proposal),
    )
    if materials_link:
        link = f"<{materials_link}>" if check_link(materials_link) else escape(materials_link)
        text += "\n" + t("reviewform.score.materials", lang, link=link)
    blocks: list = [
        section(text),
        context(t("reviewform.score.editable", lang, deadline=deadline_text)),
    ]
    weighted = len({float(c.get("weight", 1)) for c in criteria}) > 1
    points = [forms.option(str(n), str(n)) for n in range(1, scale_max + 1)]
    for criterion in criteria:
        label = criterion_name(criterion, lang)
        if weighted:
            label += f" (×{_weight(criterion.get('weight', 1))})"
        initial = scores.get(criterion["key"])
        blocks.append(
            forms.select(
                criterion["key"],
                truncate(label, LABEL_MAX),
                points,
                initial=str(initial) if initial is not None else None,
            )
        )
    recommendations = [forms.option(t(f"reviewform.rec.{r}", lang), r) for r in RECOMMENDATIONS]
    blocks += [
        forms.text(
            Ids.COMMENTS,
            t("reviewform.score.comments", lang),
            multiline=True,
            max_length=TEXT_MAX,
            optional=True,
            initial=card.get("comments") or None,
        ),
        _radio(
            Ids.RECOMMENDATION,
            t("reviewform.score.recommendation", lang),
            recommendations,
            initial=card.get("recommendation"),
        ),
        forms.text(
            Ids.CHAIR_NOTE,
            t("reviewform.score.chair_note", lang),
            multiline=True,
            max_length=TEXT_MAX,
            optional=True,
            initial=card.get("chair_note") or None,
            hint=t("reviewform.score.chair_note_hint", lang),
        ),
    ]
    meta = ScoreMeta(
        lang=lang,
        round_id=round_id,
        subject_id=subject_id,
        keys=[c["key"] for c in criteria],
        list_channel=opened_from[0] if opened_from else None,
        list_ts=opened_from[1] if opened_from else None,
    )
    return forms.modal(
        Ids.SCORE_SUBMIT,
        title=t("reviewform.score.title", lang),
        submit=t("reviewform.save", lang),
        close=t("reviewform.close", lang),
        metadata=meta.model_dump_json(),
        blocks=blocks,
    )


def parse_score(view: dict) -> ScoreInput:
    """Read a submitted "Scorecard": a score for every criterion of the meta, a
    recommendation, texts within 3,000 characters. Raises FormErrors listing every wrong
    field at once (the service checks the scores against the round's scale)."""
    meta = score_meta_of(view)
    values = forms.values_of(view)
    errors: dict[str, UserError] = {}
    scores: dict[str, int] = {}
    for key in meta.keys:
        score = _int(forms.chosen(values, key) or "")
        if score is None:
            errors[key] = _error("reviewform.error.pick_score")
        else:
            scores[key] = score
    texts = {}
    for block_id in (Ids.COMMENTS, Ids.CHAIR_NOTE):
        texts[block_id] = forms.typed(values, block_id)
        if problem := _check_text(texts[block_id], TEXT_MAX, required=False):
            errors[block_id] = problem
    recommendation = forms.chosen(values, Ids.RECOMMENDATION)
    if recommendation not in RECOMMENDATIONS:
        errors[Ids.RECOMMENDATION] = _error("reviewform.error.pick")
    if errors:
        raise FormErrors(errors)
    return ScoreInput(
        round_id=meta.round_id,
        subject_id=meta.subject_id,
        scores=scores,
        comments=texts[Ids.COMMENTS],
        recommendation=recommendation,
        chair_note=texts[Ids.CHAIR_NOTE],
        list_channel=meta.list_channel,
        list_ts=meta.list_ts,
    )


# --- "Adjust assignments" --------------------------------------------------------------------


class AdjustMeta(BaseModel):
    lang: str = "ja"
    round_id: int
    subject_ids: list[int] = []  # the subjects shown, in order


def adjust_meta_of(view: dict) -> AdjustMeta:
    return AdjustMeta.model_validate_json(view.get("private_metadata") or "{}")


def build_adjust_modal(
    round_id: int,
    round_name: str,
    per_subject: int,
    subjects: list[tuple[int, str]],
    current: dict[int, list[str]],
    lang: str,
) -> View:
    """ "Adjust assignments" (callback id `review.adjust.submit`): per subject [(id, name)] a
    multi user select `subject_<id>` holding its `current` reviewers (the first 99 subjects:
    Slack's 100 blocks; a round holds at most 90)."""
    shown = subjects[:ADJUST_SUBJECTS_MAX]
    blocks: list = [
        context(t("reviewform.adjust.note", lang, round=escape(round_name), per=per_subject))
    ]
    for subject_id, name in shown:
        blocks.append(
            forms.users(
                f"{Ids.SUBJECT_PREFIX}{subject_id}",
                truncate(name, LABEL_MAX),
                initial=current.get(subject_id, []),
                optional=True,
            )
        )
    meta = AdjustMeta(lang=lang, round_id=round_id, subject_ids=[i for i, _ in shown])
    return forms.modal(
        Ids.ADJUST_SUBMIT,
        title=t("reviewform.adjust.title", lang),
        submit=t("reviewform.save", lang),
        close=t("reviewform.close", lang),
        metadata=meta.model_dump_json(),
        blocks=blocks,
    )


def parse_adjust(view: dict) -> tuple[int, dict[int, list[str]]]:
    """(round id, subject id → the reviewers picked, distinct, in order) for every subject
    the modal showed (an emptied select: [])."""
    meta = adjust_meta_of(view)
    values = forms.values_of(view)
    chosen_ = {
        subject_id: list(
            dict.fromkeys(forms.picked_users(values, f"{Ids.SUBJECT_PREFIX}{subject_id}"))
        )
        for subject_id in meta.subject_ids
    }
    return meta.round_id, chosen_


# --- "Decision" ------------------------------------------------------------------------------


class DecisionMeta(BaseModel):
    lang: str = "ja"
    subject_id: int
    current: str | None = None  # the decision shown when the modal opened


def decision_meta_of(view: dict) -> DecisionMeta:
    return DecisionMeta.model_validate_json(view.get("private_metadata") or "{}")


def build_decision_modal(
    subject_id: int,
    subject_name: str,
    round_name: str,
    current: str | None,
    current_note: str,
    lang: str,
) -> View:
    """ "Decision" (callback id `review.decide.submit`) for one subject, prefilled with the
    `current` decision and note."""
    options = [forms.option(t(f"reviewform.rec.{r}", lang), r) for r in RECOMMENDATIONS]
    blocks = [
        context(
            t(
                "reviewform.decide.subject",
                lang,
                subject=escape(subject_name),
                round=escape(round_name),
            )
        ),
        _radio(Ids.DECISION, t("reviewform.decide.decision", lang), options, initial=current),
        forms.text(
            Ids.NOTE,
            t("reviewform.decide.note", lang),
            multiline=True,
            max_length=TEXT_MAX,
            optional=True,
            initial=current_note or None,
            hint=t("reviewform.decide.note_hint", lang),
        ),
    ]
    return forms.modal(
        Ids.DECIDE_SUBMIT,
        title=t("reviewform.decide.title", lang),
        submit=t("reviewform.decide.submit", lang),
        close=t("reviewform.close", lang),
        metadata=DecisionMeta(lang=lang, subject_id=subject_id, current=current).model_dump_json(),
        blocks=blocks,
    )


def parse_decision(view: dict) -> DecisionInput:
    """Read a submitted "Decision": one of adopt / conditional / reject, a note within 3,000
    characters (required for a conditional adoption). `seen` is the decision the modal
    showed. Raises FormErrors listing every wrong field at once."""
    meta = decision_meta_of(view)
    values = forms.values_of(view)
    errors: dict[str, UserError] = {}
    decision = forms.chosen(values, Ids.DECISION)
    if decision not in RECOMMENDATIONS:
        errors[Ids.DECISION] = _error("reviewform.error.pick")
    note = forms.typed(values, Ids.NOTE)
    if problem := _check_text(note, TEXT_MAX, required=False):
        errors[Ids.NOTE] = problem
    elif decision == Recommendation.CONDITIONAL.value and not note:
        errors[Ids.NOTE] = _error("reviewform.error.conditions")
    if errors:
        raise FormErrors(errors)
    return DecisionInput(
        subject_id=meta.subject_id, decision=decision, note=note, seen=meta.current
    )
