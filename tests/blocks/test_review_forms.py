"""The review committee modals (bot.blocks.review_forms): built in both languages within
Slack's limits, and their parsers on submitted views shaped as Slack sends them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.blocks import review_forms as rf
from bot.blocks.compute import FormErrors
from bot.blocks.review_forms import Ids
from bot.i18n import LANGS

ZONE = "Asia/Tokyo"
CRITERIA = [
    {"key": "c1", "name": "Technical merit", "weight": 2.0},
    {"key": "c2", "name": "Feasibility", "weight": 1.0},
    {"key": "c3", "name": "Data plan", "weight": 1.0},
]


# --- helpers ---------------------------------------------------------------------------------


def limits_ok(view) -> dict:
    """The view as Slack gets it, checked against Slack's limits."""
    data = view.to_dict()
    assert len(data["title"]["text"]) <= 24
    assert len(data["blocks"]) <= 100
    assert len(data.get("private_metadata", "")) <= 3000
    for block in data["blocks"]:
        if "label" in block:
            assert len(block["label"]["text"]) <= 2000
        if "hint" in block:
            assert len(block["hint"]["text"]) <= 2000
        for text in (block.get("text"), *block.get("elements", [])):
            if text and "text" in text:
                assert len(text["text"]) <= 3000
        element = block.get("element", {})
        assert len(element.get("options", [])) <= 100
        if element.get("type") == "checkboxes":
            assert len(element["options"]) <= 10
        for option in element.get("options", []):
            assert len(option["text"]["text"]) <= 75
    return data


def blocks_by_id(data: dict) -> dict:
    return {b["block_id"]: b for b in data["blocks"] if "block_id" in b}


def submitted(meta: dict, **states) -> dict:
    """A view_submission's view: `states` block id → the element's state."""
    values = {block: {"value": state} for block, state in states.items()}
    return {"private_metadata": json.dumps(meta), "state": {"values": values}}


def typed(text: str | None) -> dict:
    return {"type": "plain_text_input", "value": text}


def picked(value: str | None) -> dict:
    return {"type": "static_select", "selected_option": {"value": value} if value else None}


def radio(value: str | None) -> dict:
    return {"type": "radio_buttons", "selected_option": {"value": value} if value else None}


def ticked(*values: str) -> dict:
    return {
        "type": "checkboxes",
        "selected_options": [
            {"text": {"type": "plain_text", "text": v}, "value": v} for v in values
        ],
    }


def errors_of(call, *args, **kwargs) -> dict[str, str]:
    with pytest.raises(FormErrors) as caught:
        call(*args, **kwargs)
    for lang in LANGS:
        assert all(caught.value.for_slack(lang).values())
    return caught.value.for_slack("en")


# --- "Create a review round" -----------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_round_modal_is_within_limits_and_prefills_the_default_criteria(lang):
    data = limits_ok(rf.build_round_modal(lang, zone=ZONE))
    assert data["callback_id"] == Ids.ROUND_SUBMIT
    blocks = blocks_by_id(data)
    criteria = blocks[Ids.CRITERIA]["element"]["initial_value"].splitlines()
    assert len(criteria) == 5 and all(line.endswith(": 1") for line in criteria)
    assert (criteria[0] == "技術的優位性: 1") == (lang == "ja")
    assert [o["value"] for o in blocks[Ids.KIND]["element"]["options"]] == [
        "selection",
        "end_of_term",
    ]
    assert blocks[Ids.SCALE]["element"]["initial_value"] == "5"
    assert blocks[Ids.SCALE]["element"]["min_value"] == "2"
    assert blocks[Ids.SCALE]["element"]["max_value"] == "10"
    assert blocks[Ids.PER_SUBJECT]["element"]["initial_value"] == "3"
    assert blocks[Ids.DEADLINE_TIME]["element"]["initial_time"] == "17:00"
    assert ZONE in json.dumps(data["blocks"], ensure_ascii=False)
    assert json.loads(data["private_metadata"]) == {"lang": lang}
    # the prefilled criteria parse back as the default set
    parsed, problem = rf.parse_criteria("\n".join(criteria))
    assert problem is None and [w for _, w in parsed] == [1.0] * 5


def round_view(**over) -> dict:
    states = {
        Ids.NAME: typed("2026 selection"),
        Ids.KIND: radio("selection"),
        Ids.CRITERIA: typed("Technical merit: 2\nFeasibility"),
        Ids.SCALE: {"type": "number_input", "value": "5"},
        Ids.PER_SUBJECT: {"type": "number_input", "value": "3"},
        Ids.DEADLINE_DATE: {"type": "datepicker", "selected_date": "2026-07-31"},
        Ids.DEADLINE_TIME: {"type": "timepicker", "selected_time": "17:00"},
        Ids.REVIEWERS: {"type": "multi_users_select", "selected_users": ["U1", "U2", "U1"]},
    }
    states.update(over)
    return submitted({"lang": "en"}, **states)


def test_round_submission_parses():
    data = rf.parse_round_submission(round_view(), zone=ZONE)
    assert data == rf.RoundInput(
        name="2026 selection",
        kind="selection",
        criteria=[("Technical merit", 2.0), ("Feasibility", 1.0)],
        scale_max=5,
        per_subject=3,
        deadline=datetime(2026, 7, 31, 8, 0, tzinfo=UTC),  # 17:00 in Tokyo
        reviewers=["U1", "U2"],
    )
    assert rf.round_meta_of(round_view()).lang == "en"


def test_round_submission_lists_every_wrong_field_at_once():
    view = round_view(
        **{
            Ids.NAME: typed("x" * 201),
            Ids.KIND: radio(None),
            Ids.CRITERIA: typed(""),
            Ids.SCALE: {"type": "number_input", "value": "11"},
            Ids.PER_SUBJECT: {"type": "number_input", "value": "0"},
            Ids.DEADLINE_DATE: {"type": "datepicker", "selected_date": None},
            Ids.DEADLINE_TIME: {"type": "timepicker", "selected_time": None},
            Ids.REVIEWERS: {"type": "multi_users_select", "selected_users": []},
        }
    )
    errors = errors_of(rf.parse_round_submission, view, zone=ZONE)
    assert set(errors) == {
        Ids.NAME,
        Ids.KIND,
        Ids.CRITERIA,
        Ids.SCALE,
        Ids.PER_SUBJECT,
        Ids.DEADLINE_DATE,
        Ids.DEADLINE_TIME,
        Ids.REVIEWERS,
    }
    assert "200" in errors[Ids.NAME]
    assert "2 to 10" in errors[Ids.SCALE] and "1 to 10" in errors[Ids.PER_SUBJECT]


@pytest.mark.parametrize(
    ("field", "state"),
    [
        (Ids.NAME, typed("")),
        (Ids.NAME, typed("bad\x07name")),
        (Ids.KIND, radio("forged")),
        (Ids.SCALE, {"type": "number_input", "value": "1"}),
        (Ids.SCALE, {"type": "number_input", "value": "4.5"}),
        (Ids.PER_SUBJECT, {"type": "number_input", "value": None}),
        (Ids.DEADLINE_TIME, {"type": "timepicker", "selected_time": "25:99"}),
    ],
)
def test_round_submission_refuses_one_wrong_field(field, state):
    assert set(errors_of(rf.parse_round_submission, round_view(**{field: state}), zone=ZONE)) == {
        field
    }


def test_a_deadline_wall_time_that_does_not_exist_in_the_zone_is_refused():
    view = round_view(
        **{
            Ids.DEADLINE_DATE: {"type": "datepicker", "selected_date": "2027-03-14"},
            Ids.DEADLINE_TIME: {"type": "timepicker", "selected_time": "02:30"},
        }
    )
    errors = errors_of(rf.parse_round_submission, view, zone="America/Los_Angeles")
    assert set(errors) == {Ids.DEADLINE_TIME} and "America/Los_Angeles" in errors[Ids.DEADLINE_TIME]
    data = rf.parse_round_submission(view, zone=ZONE)
    assert data.deadline == datetime(2027, 3, 13, 17, 30, tzinfo=UTC)


# --- criteria --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("技術的優位性：２\n実現可能性: 1.5", [("技術的優位性", 2.0), ("実現可能性", 1.5)]),
        ("\n\nA\n   \nB : 3\n\n", [("A", 1.0), ("B", 3.0)]),
        ("Ｆｅａｓｉｂｉｌｉｔｙ：１．５", [("Ｆｅａｓｉｂｉｌｉｔｙ", 1.5)]),  # name kept as typed
        ("Plan: compute: 2", [("Plan: compute", 2.0)]),  # the last colon splits
        ("Impact: 100", [("Impact", 100.0)]),
        ("Impact: 0.25", [("Impact", 0.25)]),
    ],
)
def test_criteria_are_read_one_per_line(text, expected):
    assert rf.parse_criteria(text) == (expected, None)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("A: 0", "Line 1: the weight “0”"),
        ("A\nB: -1", "Line 2: the weight “-1”"),
        ("A\n\nB: two", "Line 3: the weight “two”"),
        ("A: 1e3", "Line 1:"),
        ("A: 101", "Line 1:"),
        ("A:", "Line 1: the weight “”"),
        (": 2", "Line 1: the criterion has no name"),
        ("x" * 101, "Line 1: a criterion's name is at most 100"),
        ("Feasibility\nfeasibility: 2", "Line 2: “feasibility” is already on line 1"),
        ("", "from 1 to 10 criteria"),
        ("\n".join(f"C{i}" for i in range(11)), "there are 11"),
        ("A\x01", "control character"),
    ],
)
def test_wrong_criteria_are_refused_naming_the_line(text, needle):
    criteria, problem = rf.parse_criteria(text)
    assert criteria == [] and needle in problem.en and problem.ja


def test_every_wrong_criteria_line_is_named():
    _, problem = rf.parse_criteria("A: 0\nB\nb\n: 3")
    for line in ("Line 1", "Line 3", "Line 4"):
        assert line in problem.en
    assert "1行目" in problem.ja and "3行目" in problem.ja and "4行目" in problem.ja
    assert rf.parse_criteria("\n".join(f"C{i}" for i in range(10)))[1] is None


# --- "Add subjects" --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_subject_modal_for_a_selection_review(lang):
    data = limits_ok(rf.build_subject_modal(4, "R <&>", "selection", [], lang))
    assert data["callback_id"] == Ids.SUBJECTS_SUBMIT and data["submit"]
    blocks = blocks_by_id(data)
    assert set(blocks) == {
        Ids.ORG_NAME,
        Ids.PROPOSAL,
        Ids.MATERIALS,
        Ids.CONTACT_USER,
        Ids.CONTACT_EMAIL,
    }
    assert blocks[Ids.CONTACT_USER]["element"]["type"] == "users_select"
    assert blocks[Ids.CONTACT_USER]["optional"] and blocks[Ids.CONTACT_EMAIL]["optional"]
    assert "R &lt;&amp;&gt;" in data["blocks"][0]["elements"][0]["text"]


@pytest.mark.parametrize("lang", LANGS)
def test_subject_modal_for_an_end_of_term_evaluation(lang):
    orgs = [(i, f"Organization {i} " + "x" * 80) for i in range(1, 121)]
    data = limits_ok(rf.build_subject_modal(4, "R", "end_of_term", orgs, lang))
    element = blocks_by_id(data)[Ids.ORGS]["element"]
    assert element["type"] == "multi_static_select" and element["options"][0]["value"] == "1"
    assert not blocks_by_id(data)[Ids.ORGS].get("optional")
    empty = limits_ok(rf.build_subject_modal(4, "R", "end_of_term", [], lang))
    assert "submit" not in empty and Ids.ORGS not in blocks_by_id(empty)
    assert len(empty["blocks"]) == 2  # the round, and "every funded organization …"


def subject_view(**over) -> dict:
    states = {
        Ids.ORG_NAME: typed(" Example AI "),
        Ids.PROPOSAL: typed("A Japanese legal LLM"),
        Ids.MATERIALS: typed("https://example.com/a.pdf"),
        Ids.CONTACT_USER: {"type": "users_select", "selected_user": "U0ABC"},
        Ids.CONTACT_EMAIL: typed(None),
    }
    states.update(over)
    return submitted({"lang": "en", "round_id": 4, "kind": "selection"}, **states)


def test_subject_submission_parses():
    assert rf.parse_subject_submission(subject_view()) == (
        4,
        [
            rf.SubjectInput(
                name="Example AI",
                proposal_title="A Japanese legal LLM",
                materials_link="https://example.com/a.pdf",
                contact_user="U0ABC",
            )
        ],
        [],
    )
    # neither contact, and both: parsed (the service decides)
    none = subject_view(**{Ids.CONTACT_USER: {"type": "users_select", "selected_user": None}})
    assert rf.parse_subject_submission(none)[1][0].contact_user is None
    both = subject_view(**{Ids.CONTACT_EMAIL: typed("a@example.com"), Ids.MATERIALS: typed("")})
    applicant = rf.parse_subject_submission(both)[1][0]
    assert (applicant.contact_user, applicant.contact_email) == ("U0ABC", "a@example.com")
    assert applicant.materials_link == ""


def test_subject_submission_lists_every_wrong_field_at_once():
    view = subject_view(
        **{
            Ids.ORG_NAME: typed(""),
            Ids.PROPOSAL: typed("p" * 301),
            Ids.MATERIALS: typed("javascript:alert(1)"),
            Ids.CONTACT_EMAIL: typed("not an email"),
        }
    )
    errors = errors_of(rf.parse_subject_submission, view)
    assert set(errors) == {Ids.ORG_NAME, Ids.PROPOSAL, Ids.MATERIALS, Ids.CONTACT_EMAIL}
    assert "not an email" in errors[Ids.CONTACT_EMAIL]


@pytest.mark.parametrize(
    "link", ["ftp://x.example", "https://x.example/a b", "https://x.example/<@U1>", "https://"]
)
def test_a_materials_link_must_be_one_http_link(link):
    assert set(
        errors_of(rf.parse_subject_submission, subject_view(materials_link=typed(link)))
    ) == {Ids.MATERIALS}


def test_end_of_term_subjects_are_organization_ids():
    meta = {"lang": "ja", "round_id": 9, "kind": "end_of_term"}
    chosen = {"type": "multi_static_select", "selected_options": [{"value": "3"}, {"value": "1"}]}
    assert rf.parse_subject_submission(submitted(meta, orgs=chosen)) == (9, [], [3, 1])
    empty = {"type": "multi_static_select", "selected_options": []}
    assert set(errors_of(rf.parse_subject_submission, submitted(meta, orgs=empty))) == {Ids.ORGS}
    forged = {"type": "multi_static_select", "selected_options": [{"value": "x"}]}
    assert set(errors_of(rf.parse_subject_submission, submitted(meta, orgs=forged))) == {Ids.ORGS}


# --- "Import applicants" ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_import_modal(lang):
    data = limits_ok(rf.build_import_modal(7, "R", lang))
    assert data["callback_id"] == Ids.IMPORT_SUBMIT
    element = blocks_by_id(data)[Ids.FILE]["element"]
    assert element["type"] == "file_input" and element["filetypes"] == ["csv"]
    assert "proposal_title" in json.dumps(data["blocks"])
    meta = rf.import_meta_of({"private_metadata": data["private_metadata"]})
    assert (meta.round_id, meta.lang) == (7, lang)


def test_import_submission_needs_one_file():
    meta = {"lang": "en", "round_id": 7}
    files = {"type": "file_input", "files": [{"id": "F1", "name": "a.csv"}]}
    assert rf.parse_import(submitted(meta, file=files)) == (7, {"id": "F1", "name": "a.csv"})
    none = {"type": "file_input", "files": []}
    assert set(errors_of(rf.parse_import, submitted(meta, file=none))) == {Ids.FILE}


# --- "Declare conflicts" ---------------------------------------------------------------------


SUBJECTS = [(100 + i, f"Applicant {i}") for i in range(1, 24)]  # 23: 10 + 10 + 3


@pytest.mark.parametrize("lang", LANGS)
def test_declaration_modal_puts_ten_subjects_per_checklist(lang):
    data = limits_ok(rf.build_declaration_modal(5, "R", SUBJECTS, {103, 122}, True, lang))
    assert data["callback_id"] == Ids.DECLARE_SUBMIT
    blocks = blocks_by_id(data)
    groups = [blocks[f"conflicts_{i}"]["element"] for i in range(3)]
    assert [len(g["options"]) for g in groups] == [10, 10, 3]
    assert "conflicts_3" not in blocks
    assert all(blocks[f"conflicts_{i}"]["optional"] for i in range(3))
    assert all(g["type"] == "checkboxes" and g["action_id"] == "value" for g in groups)
    assert [o["value"] for o in groups[0]["initial_options"]] == ["103"]
    assert [o["value"] for o in groups[2]["initial_options"]] == ["122"]
    assert "initial_options" not in groups[1]
    none = blocks[Ids.NONE]
    assert none["optional"] and [o["value"] for o in none["element"]["options"]] == ["none"]
    assert "initial_options" not in none["element"]  # conflicts declared: "none" not ticked


def test_declaration_modal_ticks_none_for_a_reviewer_who_declared_none():
    data = limits_ok(rf.build_declaration_modal(5, "R", SUBJECTS, set(), True, "en"))
    none = blocks_by_id(data)[Ids.NONE]["element"]
    assert [o["value"] for o in none["initial_options"]] == ["none"]
    first = limits_ok(rf.build_declaration_modal(5, "R", SUBJECTS, set(), False, "en"))
    assert "initial_options" not in blocks_by_id(first)[Ids.NONE]["element"]


def test_declaration_collects_every_checklist():
    meta = {"lang": "en", "round_id": 5}
    view = submitted(
        meta,
        conflicts_0=ticked("101", "110"),
        conflicts_1=ticked(),
        conflicts_2=ticked("123", "121"),
        none=ticked(),
    )
    assert rf.parse_declaration(view) == rf.DeclarationInput(
        round_id=5, subject_ids=[101, 110, 123, 121], none=False
    )
    nothing = submitted(meta, conflicts_0=ticked(), none=ticked("none"))
    assert rf.parse_declaration(nothing) == rf.DeclarationInput(round_id=5, none=True)
    # more than ten checklists: read in their order
    many = submitted(meta, conflicts_10=ticked("2"), conflicts_9=ticked("1"))
    assert rf.parse_declaration(many).subject_ids == [1, 2]


def test_a_forged_subject_id_is_refused_on_none():
    view = submitted({"lang": "en", "round_id": 5}, conflicts_0=ticked("101", "DROP"))
    assert set(errors_of(rf.parse_declaration, view)) == {Ids.NONE}


# --- "Scorecard" -----------------------------------------------------------------------------


def score_modal(lang: str, card: dict | None = None, criteria=CRITERIA, **over):
    args = {
        "round_id": 3,
        "round_name": "2026 <selection>",
        "subject_name": "Example & AI",
        "proposal": "<!channel> a legal LLM",
        "materials_link": "https://example.com/a.pdf",
        "criteria": criteria,
        "scale_max": 5,
        "card": card,
        "deadline_text": "2026-07-31 17:00",
        "lang": lang,
        "subject_id": 11,
    }
    args.update(over)
    return rf.build_score_modal(**args)


@pytest.mark.parametrize("lang", LANGS)
def test_score_modal_escapes_user_text_and_shows_weights_when_they_differ(lang):
    data = limits_ok(score_modal(lang))
    assert data["callback_id"] == Ids.SCORE_SUBMIT
    heading = data["blocks"][0]["text"]["text"]
    assert "Example &amp; AI" in heading and "&lt;!channel&gt;" in heading
    assert "2026 &lt;selection&gt;" in heading and "<https://example.com/a.pdf>" in heading
    assert "2026-07-31 17:00" in data["blocks"][1]["elements"][0]["text"]
    blocks = blocks_by_id(data)
    assert blocks["c1"]["label"]["text"] == "Technical merit (×2)"
    assert blocks["c2"]["label"]["text"] == "Feasibility (×1)"
    assert [o["value"] for o in blocks["c1"]["element"]["options"]] == ["1", "2", "3", "4", "5"]
    assert "initial_option" not in blocks["c1"]["element"]
    assert "initial_option" not in blocks[Ids.RECOMMENDATION]["element"]
    assert [o["value"] for o in blocks[Ids.RECOMMENDATION]["element"]["options"]] == [
        "adopt",
        "conditional",
        "reject",
    ]
    assert blocks[Ids.COMMENTS]["optional"] and blocks[Ids.CHAIR_NOTE]["optional"]
    assert "hint" in blocks[Ids.CHAIR_NOTE]
    meta = rf.score_meta_of({"private_metadata": data["private_metadata"]})
    assert (meta.round_id, meta.subject_id, meta.keys, meta.lang) == (
        3,
        11,
        ["c1", "c2", "c3"],
        lang,
    )


def test_score_modal_prefills_the_card_and_hides_equal_weights():
    card = {
        "scores": {"c1": 4, "c2": 2},
        "comments": "Solid.",
        "recommendation": "conditional",
        "chair_note": "Between us.",
    }
    equal = [dict(c, weight=1) for c in CRITERIA]
    long_name = [{"key": "c1", "name": "n" * 3000, "weight": 1}]
    data = limits_ok(score_modal("en", card, equal, materials_link="not a link <x>"))
    blocks = blocks_by_id(data)
    assert blocks["c1"]["label"]["text"] == "Technical merit"
    assert blocks["c1"]["element"]["initial_option"]["value"] == "4"
    assert blocks["c2"]["element"]["initial_option"]["value"] == "2"
    assert "initial_option" not in blocks["c3"]["element"]
    assert blocks[Ids.COMMENTS]["element"]["initial_value"] == "Solid."
    assert blocks[Ids.CHAIR_NOTE]["element"]["initial_value"] == "Between us."
    assert blocks[Ids.RECOMMENDATION]["element"]["initial_option"]["value"] == "conditional"
    assert "not a link &lt;x&gt;" in data["blocks"][0]["text"]["text"]
    limits_ok(score_modal("ja", None, long_name, materials_link="", scale_max=10))


def score_view(**over) -> dict:
    states = {
        "c1": picked("4"),
        "c2": picked("2"),
        Ids.COMMENTS: typed("Solid."),
        Ids.RECOMMENDATION: radio("adopt"),
        Ids.CHAIR_NOTE: typed(None),
    }
    states.update(over)
    meta = {"lang": "en", "round_id": 3, "subject_id": 11, "keys": ["c1", "c2"]}
    return submitted(meta, **states)


def test_score_submission_parses():
    assert rf.parse_score(score_view()) == rf.ScoreInput(
        round_id=3,
        subject_id=11,
        scores={"c1": 4, "c2": 2},
        comments="Solid.",
        recommendation="adopt",
        chair_note="",
    )


def test_score_submission_lists_every_wrong_field_at_once():
    view = score_view(
        c1=picked(None),
        c2=picked("two"),
        comments=typed("c" * 3001),
        recommendation=radio(None),
        chair_note=typed("bad\x00"),
    )
    errors = errors_of(rf.parse_score, view)
    assert set(errors) == {"c1", "c2", Ids.COMMENTS, Ids.RECOMMENDATION, Ids.CHAIR_NOTE}
    assert errors["c1"] == "Pick a score."
    assert set(errors_of(rf.parse_score, score_view(recommendation=radio("maybe")))) == {
        Ids.RECOMMENDATION
    }


# --- "Adjust assignments" --------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_adjust_modal(lang):
    subjects = [(i, f"Applicant {i} " + "y" * 2100) for i in range(1, 91)]
    data = limits_ok(rf.build_adjust_modal(3, "R", 3, subjects, {2: ["U1", "U2"]}, lang))
    assert data["callback_id"] == Ids.ADJUST_SUBMIT and len(data["blocks"]) == 91
    blocks = blocks_by_id(data)
    assert blocks["subject_2"]["element"]["initial_users"] == ["U1", "U2"]
    assert "initial_users" not in blocks["subject_1"]["element"]
    assert blocks["subject_1"]["optional"] and blocks["subject_1"]["label"]["text"].endswith("…")
    assert "3" in data["blocks"][0]["elements"][0]["text"]
    meta = rf.adjust_meta_of({"private_metadata": data["private_metadata"]})
    assert meta.subject_ids == list(range(1, 91))


def test_adjust_submission_parses_every_subject_shown():
    meta = {"lang": "en", "round_id": 3, "subject_ids": [1, 2]}
    users = {"type": "multi_users_select", "selected_users": ["U2", "U1", "U2"]}
    view = submitted(meta, subject_1=users, subject_2={"type": "multi_users_select"})
    assert rf.parse_adjust(view) == (3, {1: ["U2", "U1"], 2: []})


# --- "Decision" ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_decision_modal(lang):
    data = limits_ok(rf.build_decision_modal(11, "Example <AI>", "R", "conditional", "x", lang))
    assert data["callback_id"] == Ids.DECIDE_SUBMIT
    blocks = blocks_by_id(data)
    assert blocks[Ids.DECISION]["element"]["initial_option"]["value"] == "conditional"
    assert blocks[Ids.NOTE]["element"]["initial_value"] == "x" and "hint" in blocks[Ids.NOTE]
    assert "Example &lt;AI&gt;" in data["blocks"][0]["elements"][0]["text"]
    fresh = limits_ok(rf.build_decision_modal(11, "S", "R", None, "", lang))
    assert "initial_option" not in blocks_by_id(fresh)[Ids.DECISION]["element"]
    assert json.loads(fresh["private_metadata"]) == {
        "lang": lang,
        "subject_id": 11,
        "current": None,
    }


def test_decision_submission_parses_with_what_the_modal_showed():
    meta = {"lang": "en", "subject_id": 11, "current": "reject"}
    view = submitted(meta, decision=radio("conditional"), note=typed(" More compute data. "))
    assert rf.parse_decision(view) == rf.DecisionInput(
        subject_id=11, decision="conditional", note="More compute data.", seen="reject"
    )
    view = submitted({"subject_id": 11}, decision=radio("adopt"), note=typed(None))
    assert rf.parse_decision(view) == rf.DecisionInput(subject_id=11, decision="adopt", note="")


def test_decision_submission_lists_every_wrong_field_at_once():
    meta = {"lang": "en", "subject_id": 11}
    view = submitted(meta, decision=radio("maybe"), note=typed("n" * 3001))
    assert set(errors_of(rf.parse_decision, view)) == {Ids.DECISION, Ids.NOTE}
    conditional = submitted(meta, decision=radio("conditional"), note=typed(""))
    assert set(errors_of(rf.parse_decision, conditional)) == {Ids.NOTE}
