"""The data-holder directory's services on a real database: the holders import (YAML and CSV,
idempotent, all or nothing with every problem's line, a re-import changing only the fields a
file carries, and input that used to crash it: cells over the csv module's limit, control
characters, text longer than its column, YAML aliases and unhashable keys), the setup file's
`data_holders:`, search ranking in Japanese and English (contacts never shown), `/data admin`
words finding keys and contacts, the external-select options and labels, and the modal's save
rules. Slack-side flows are in tests/handlers/test_data_directory_flow.py.
"""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import func, select

from bot.blocks import data_directory as blocks
from bot.blocks.data_directory import HolderInput
from bot.cli import main
from bot.errors import UserError
from bot.services import data_directory as service
from bot.services.admin import import_setup
from bot.services.members import resolve_actor
from storage.data_holders import DataHolder
from storage.members import Organization
from tests.conftest import SETUP_YAML

DATA = Path(__file__).parents[1] / "fixtures" / "data"
YAML_FILE = DATA / "holders.yaml"
CSV_FILE = DATA / "holders.csv"
NOW = datetime(2026, 4, 1, 0, 30, tzinfo=UTC)
CONTACTS = (
    "U0GAKU",
    "legal-data@hokusei.example.jp",
    "archive@minato-tv.example.jp",
    "data-office@sakura-sonpo.example.jp",
    "voice-data@kansai-tele.example.jp",
    "tables@marunouchi.example.jp",
    "corpus@kyozai.example.jp",
)


def import_file(factory, path: Path, text: str | None = None):
    with factory.begin() as session:
        return service.import_holders(
            session=session,
            text=text if text is not None else path.read_text(encoding="utf-8"),
            filename=path.name,
            now=NOW,
        )


def holders(factory) -> dict[str, DataHolder]:
    with factory() as session:
        return {h.key: h for h in session.exec(select(DataHolder))}


def count(factory) -> int:
    with factory() as session:
        return session.exec(select(func.count()).select_from(DataHolder)).one()


@pytest.fixture
def loaded(session_factory):
    """The standard programme plus both fixture files of holders."""
    with session_factory.begin() as session:
        import_setup(session=session, text=SETUP_YAML)
    import_file(session_factory, YAML_FILE)
    import_file(session_factory, CSV_FILE)
    return session_factory


def actor(factory, user: str, lang: str = "en"):
    with factory() as session:
        return resolve_actor(session, user, lang)


def run(factory, fn, user: str, lang: str = "en", **kwargs):
    with factory() as session:
        return fn(session=session, actor=resolve_actor(session, user, lang), **kwargs)


def rendered(message) -> str:
    return message.text + json.dumps(message.blocks, ensure_ascii=False)


# --- import ---------------------------------------------------------------------------------


def test_yaml_import_is_idempotent_and_maps_both_languages(session_factory):
    first = import_file(session_factory, YAML_FILE)
    assert first == {"added": 6}
    second = import_file(session_factory, YAML_FILE)
    assert second == {"unchanged": 6} and count(session_factory) == 6
    rows = holders(session_factory)
    kyoto = rows["kyoto-clinical"]
    assert kyoto.domains == ["medical", "science"] and kyoto.modalities == ["text", "image"]
    assert (kyoto.size_value, kyoto.size_unit) == (12e9, "tokens")
    assert (kyoto.contact_user, kyoto.contact_email) == ("U0GAKU", None)
    assert rows["hokusei-legal"].languages == ["ja", "en"]
    assert rows["sakura-claims"].domains == ["finance"]  # 金融、保険: one code, once
    assert rows["tohoku-agri"].status == "paused"

    edited = YAML_FILE.read_text(encoding="utf-8").replace("size: 2 TB", "size: 3 TB")
    assert import_file(session_factory, YAML_FILE, edited) == {"updated": 1, "unchanged": 5}
    assert holders(session_factory)["hokusei-legal"].size_value == 3e12
    assert count(session_factory) == 6


def test_csv_import_is_idempotent(session_factory):
    assert import_file(session_factory, CSV_FILE) == {"added": 4}
    assert import_file(session_factory, CSV_FILE) == {"unchanged": 4}
    rows = holders(session_factory)
    assert rows["osaka-speech"].domains == ["science", "dialogue"]
    assert rows["marunouchi-finance"].status == "active"  # empty cell: the default
    assert rows["oss-code-mirror"].languages == ["multi"]
    assert count(session_factory) == 4


def test_reimport_keeps_a_holder_left_out_of_matching_out(session_factory):
    import_file(session_factory, YAML_FILE)
    with session_factory.begin() as session:
        row = session.exec(select(DataHolder).where(DataHolder.key == "hokusei-legal")).one()
        row.ignored_streak, row.matching_paused = 3, True
    assert import_file(session_factory, YAML_FILE) == {"unchanged": 6}
    row = holders(session_factory)["hokusei-legal"]
    assert (row.ignored_streak, row.matching_paused) == (3, True)


BAD_YAML = """\
- key: good-one
  name: Good One
  contact: good@example.org
- name: No Key
  contact: U0GAKU
- key: bad-words
  name: Bad Words
  domains: [medical, astrology]
  contact: someone
- key: good-one
  name: Twice
  size: a lot
  contact: twice@example
  status: retired
"""


def test_a_bad_yaml_file_lists_every_problem_with_its_line_and_stores_nothing(session_factory):
    with pytest.raises(UserError) as raised:
        import_file(session_factory, Path("holders.yaml"), BAD_YAML)
    en, ja = raised.value.en, raised.value.ja
    assert "nothing was imported" in en and "何も取り込みませんでした" in ja
    assert "line 4: key is required" in en and "4行目: key は必須です" in ja
    assert "line 6: domains: Kiban does not know “astrology”" in en
    assert "medical, legal" in en  # the accepted words
    assert "line 6: contact: “someone” is neither" in en
    assert "line 10: the key “good-one” is also on line 1" in en
    assert "line 10: size: “a lot” is not a size" in en
    assert "line 10: contact: “twice@example” is not an email address" in en
    assert "line 10: status: “retired”" in en
    assert "7 problem(s)" in en
    # the CLI's form: Japanese then English
    assert raised.value.bilingual().index("4行目") < raised.value.bilingual().index("line 4")
    assert count(session_factory) == 0


def test_a_bad_csv_file_names_its_rows_lines_and_stores_nothing(session_factory):
    bad = (
        "key,name,contact,colour\n"
        "ok,OK,ok@example.org,\n"
        "\n"
        'multi,"Two\nlines",U0GAKU,\n'
        "nameless,,x@example.org,\n"
    )
    with pytest.raises(UserError) as raised:
        import_file(session_factory, Path("holders.csv"), bad)
    en = raised.value.en
    assert "line 1: unknown field(s) colour" in en
    assert "line 6: name is required" in en  # after a row spanning lines 4–5
    assert count(session_factory) == 0


def test_yaml_syntax_errors_and_unknown_formats_are_user_errors(session_factory):
    with pytest.raises(UserError, match=r"line \d+: not valid YAML"):
        import_file(session_factory, Path("h.yaml"), "- key: a\n  name: [unclosed\n")
    with pytest.raises(UserError, match="data_holders"):
        import_file(session_factory, Path("h.yaml"), "holders: []\n")
    with pytest.raises(UserError, match=r"\.yaml, \.yml or \.csv"):
        import_file(session_factory, Path("h.json"), "[]")


def test_setup_file_can_carry_data_holders(session_factory):
    items = YAML_FILE.read_text(encoding="utf-8").split("data_holders:\n", 1)[1]
    setup = SETUP_YAML + "\ndata_holders:\n" + items
    with session_factory.begin() as session:
        counts = import_setup(session=session, text=setup, now=NOW)
    assert counts["data holder added"] == 6 and counts["organization created"] == 4
    with session_factory.begin() as session:
        again = import_setup(session=session, text=setup, now=NOW)
    assert again["data holder unchanged"] == 6
    bad = setup.replace("contact: U0GAKU", "contact: nobody")
    line = next(n for n, text in enumerate(bad.splitlines(), 1) if "key: kyoto-clinical" in text)
    with pytest.raises(UserError, match=f"line {line}: contact"):
        with session_factory.begin() as session:
            import_setup(session=session, text=bad, now=NOW)


def test_cli_imports_holders_and_reports_problems(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'k.sqlite3'}")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "")
    assert main(["import", "holders", str(YAML_FILE)]) == 0
    assert "6 added, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert main(["import", "holders", str(YAML_FILE)]) == 0
    assert "0 added, 0 updated, 6 unchanged" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_YAML, encoding="utf-8")
    assert main(["import", "holders", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "4行目" in err and "line 4" in err


# --- search -------------------------------------------------------------------------------


def keys_found(factory, words: str, user: str = "U0ALICE", lang: str = "en") -> list[str]:
    message = run(factory, service.search, user, lang, words=words)
    values = [
        json.loads(b["accessory"]["value"])["holder_id"]
        for b in message.blocks
        if b.get("accessory", {}).get("action_id") == blocks.Ids.REQUEST_INTRO
    ]
    by_id = {h.id: key for key, h in holders(factory).items()}
    return [by_id[v] for v in values]


def test_japanese_and_english_words_find_the_same_holder_first(loaded):
    assert keys_found(loaded, "医療")[0] == "kyoto-clinical"
    assert keys_found(loaded, "medical")[0] == "kyoto-clinical"
    assert keys_found(loaded, "ＭＥＤＩＣＡＬ", "U0YUKI", "ja")[0] == "kyoto-clinical"  # full-width
    # the description mentions medical insurance: found, but after the medical holder
    assert keys_found(loaded, "医療") == ["kyoto-clinical", "sakura-claims"]
    assert keys_found(loaded, "medical") == ["kyoto-clinical", "sakura-claims"]


def test_ranking_name_over_vocabulary_over_description_ties_by_name(loaded):
    # "archive": in one holder's name (3); none of the vocabulary
    assert keys_found(loaded, "archive") == ["minato-archive"]
    # 音声 (the audio modality, 2 each): in 大阪音声コーパス's name too (3); in the
    # descriptions of it and of Minato's archive (1)
    assert keys_found(loaded, "音声") == ["osaka-speech", "minato-archive", "kansai-callcenter"]
    # two words add up; ties by name
    assert keys_found(loaded, "legal japanese")[0] == "hokusei-legal"
    assert keys_found(loaded, "law") == ["hokusei-legal"]  # the organization, at a word start
    assert keys_found(loaded, "aw") == []  # not inside a word


def test_search_shows_active_holders_only_and_labels_in_the_readers_language(loaded):
    assert "tohoku-agri" not in keys_found(loaded, "agriculture")  # paused
    assert "oss-code-mirror" not in keys_found(loaded, "code")
    ja = rendered(run(loaded, service.search, "U0YUKI", "ja", words="legal"))
    assert "法律" in ja and "日本語、英語" in ja and "2 TB" in ja and "紹介を依頼" in ja
    en = rendered(run(loaded, service.search, "U0ALICE", "en", words="医療"))
    assert "Medical and health" in en and "12B tokens" in en and "Request introduction" in en


def test_contacts_never_appear_in_search_results(loaded):
    for words in ("医療", "legal", "archive", "音声", "data", "ja", "text", "finance 教育"):
        for user, lang in (("U0ALICE", "en"), ("U0YUKI", "ja"), ("U0SATO", "ja")):
            output = rendered(run(loaded, service.search, user, lang, words=words))
            for contact in CONTACTS:
                assert contact not in output, (words, contact)


def test_search_usage_no_match_and_people_in_no_organization(loaded):
    usage = run(loaded, service.search, "U0ALICE", words="  ")
    assert "/data search WORDS" in usage.text
    none = run(loaded, service.search, "U0ALICE", words="quantum astrology")
    assert "No data holders match “quantum astrology”" in none.text and "medical" in none.text
    with pytest.raises(UserError, match="Ask the secretariat to add you"):
        run(loaded, service.search, "U0GUEST", words="medical")


def test_search_shows_ten_and_says_how_many_more(session_factory):
    with session_factory.begin() as session:
        import_setup(session=session, text=SETUP_YAML)
        service.apply_holders(session=session, holders=generated(25), now=NOW)
    message = run(session_factory, service.search, "U0ALICE", words="corpus")
    assert sum(1 for b in message.blocks if "accessory" in b) == 10
    assert "best 10 of 25" in rendered(message) and len(message.blocks) <= 50
    long = "長" * 5000
    huge = HolderInput(key="huge", name="Huge corpus", description=long[:3000], contact_user="U1")
    with session_factory.begin() as session:
        service.apply_holders(session=session, holders=[huge], now=NOW)
    message = run(session_factory, service.search, "U0ALICE", words="huge")
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in message.blocks)


# --- options --------------------------------------------------------------------------------


def generated(n: int, status: str = "active") -> list[HolderInput]:
    return [
        HolderInput(
            key=f"gen-{i:03d}",
            name=f"Corpus {i:03d}",
            organization="Generated Data Co" if i % 2 else "生成データ株式会社",
            domains=("science",),
            contact_email=f"gen{i}@example.org",
            status=status,
        )
        for i in range(n)
    ]


def options(factory, user: str, query: str, lang: str = "en") -> list[dict]:
    with factory() as session:
        return service.holder_options(session, resolve_actor(session, user, lang), query)


def test_options_stop_at_slacks_100_and_narrow_with_the_query(session_factory):
    with session_factory.begin() as session:
        import_setup(session=session, text=SETUP_YAML)
        service.apply_holders(session=session, holders=generated(150), now=NOW)
    everything = options(session_factory, "U0ALICE", "")
    assert len(everything) == 100 and len(options(session_factory, "U0ALICE", "corpus")) == 100
    assert everything[0]["text"]["text"] == "Corpus 000 — 生成データ株式会社"
    narrowed = options(session_factory, "U0ALICE", "Corpus 14")
    assert [o["text"]["text"][:10] for o in narrowed] == [f"Corpus 14{i}" for i in range(10)]
    assert len(options(session_factory, "U0ALICE", "生成データ")) == 75  # the even ones
    assert len(options(session_factory, "U0ALICE", "ＣＯＲＰＵＳ　１４９")) == 1  # full-width
    assert all(len(o["text"]["text"]) <= 75 and len(o["value"]) <= 150 for o in everything)


def test_options_put_prefix_matches_first_then_go_by_name(session_factory):
    named = [("Beta Omega", "Labs"), ("Zeta", "Omega Labs"), ("Omega Corpus", ""), ("Alpha", "")]
    with session_factory.begin() as session:
        import_setup(session=session, text=SETUP_YAML)
        service.apply_holders(
            session=session,
            holders=[
                HolderInput(key=f"k{i}", name=name, organization=org, contact_user="U0GAKU")
                for i, (name, org) in enumerate(named)
            ],
            now=NOW,
        )
    texts = [o["text"]["text"] for o in options(session_factory, "U0ALICE", "omega")]
    assert texts == ["Omega Corpus", "Zeta — Omega Labs", "Beta Omega — Labs"]


def test_members_never_see_paused_holders_operators_see_them_marked(loaded):
    member = [o["text"]["text"] for o in options(loaded, "U0ALICE", "tohoku")]
    assert member == []
    operator_en = [o["text"]["text"] for o in options(loaded, "U0SATO", "tohoku", "en")]
    assert operator_en == ["Tohoku Agri Imaging — 東北スマート農業研究会 (paused)"]
    operator_ja = [o["text"]["text"] for o in options(loaded, "U0SATO", "tohoku", "ja")]
    assert operator_ja == ["Tohoku Agri Imaging — 東北スマート農業研究会（休止中）"]
    assert options(loaded, "U0GUEST", "") == []  # in no organization


def test_holder_option_keeps_the_marker_within_75_characters():
    holder = DataHolder(id=7, key="k", name="名" * 100, organization="x", status="paused")
    option = blocks.holder_option(holder, "ja")
    assert len(option["text"]["text"]) == 75 and option["text"]["text"].endswith("…（休止中）")
    assert option["value"] == "7" and option["text"]["type"] == "plain_text"


# --- the modal's save -----------------------------------------------------------------------


def save(factory, data: HolderInput, user: str = "U0SATO"):
    with factory.begin() as session:
        return service.save_holder(
            session=session, actor=resolve_actor(session, user, "en"), data=data, now=NOW
        )


def test_new_holder_keys_come_from_the_name_and_stay_unique(loaded):
    data = HolderInput(key="", name="Kyoto Clinical!", contact_email="a@example.org")
    save(loaded, data)
    save(
        loaded,
        HolderInput(key="", name="Kyoto Clinical!", organization="Other", contact_user="U0GAKU"),
    )
    with pytest.raises(UserError, match="could not tell them apart") as same:
        save(loaded, data)  # the same name and organization again
    assert same.value.field == "name"
    save(loaded, HolderInput(key="", name="国立 医療データ", contact_user="U0GAKU"))
    rows = holders(loaded)
    assert {"kyoto-clinical-2", "kyoto-clinical-3", "国立-医療データ"} <= set(rows)
    with pytest.raises(UserError, match="already used by Hokusei Legal Corpus") as raised:
        save(loaded, HolderInput(key="hokusei-legal", name="X", contact_user="U0GAKU"))
    assert raised.value.field == "key"
    with pytest.raises(UserError, match="only the secretariat"):
        save(loaded, data, user="U0ALICE")


def test_saving_as_active_brings_a_holder_back_into_matching(loaded):
    with loaded.begin() as session:
        row = session.exec(select(DataHolder).where(DataHolder.key == "hokusei-legal")).one()
        row.ignored_streak, row.matching_paused = 3, True
        holder_id = row.id
    assert "hokusei-legal" not in keys_found(loaded, "legal")  # left out of matching
    assert options(loaded, "U0ALICE", "hokusei") == []
    assert options(loaded, "U0SATO", "hokusei")[0]["text"]["text"].endswith(
        "(left out of matching)"
    )
    data = HolderInput(
        key="",
        name="Hokusei Legal Corpus",
        domains=("legal",),
        contact_email="legal-data@hokusei.example.jp",
        holder_id=holder_id,
    )
    save(loaded, data)
    row = holders(loaded)["hokusei-legal"]
    assert (row.ignored_streak, row.matching_paused, row.updated_by) == (0, False, "U0SATO")
    assert keys_found(loaded, "legal")[0] == "hokusei-legal"


def test_admin_list_filters_shows_contacts_and_stops_at_40(session_factory):
    with session_factory.begin() as session:
        import_setup(session=session, text=SETUP_YAML)
        service.apply_holders(session=session, holders=generated(45, "paused"), now=NOW)
    message = run(session_factory, service.admin_list, "U0SATO", words="")
    assert sum(1 for b in message.blocks if "accessory" in b) == 40
    assert "Showing 40 of 45" in rendered(message) and len(message.blocks) <= 50
    assert "gen0@example.org" in rendered(message) and "paused" in rendered(message)
    one = run(session_factory, service.admin_list, "U0SATO", words="Corpus 044")
    assert sum(1 for b in one.blocks if "accessory" in b) == 1
    with pytest.raises(UserError, match="only the secretariat"):
        run(session_factory, service.admin_list, "U0ALICE", words="")


def test_modal_fits_slacks_limits_and_user_text_is_escaped(loaded):
    for lang in ("ja", "en"):
        view = blocks.build_holder_modal(None, lang).to_dict()
        assert len(view["title"]["text"]) <= 24 and len(view["blocks"]) <= 100
    evil = HolderInput(key="evil", name="<!channel> Evil & Co", contact_user="U0GAKU")
    with loaded.begin() as session:
        service.apply_holders(session=session, holders=[evil], now=NOW)
    message = run(loaded, service.search, "U0ALICE", words="evil")
    assert "&lt;!channel&gt; Evil &amp; Co" in json.dumps(message.blocks, ensure_ascii=False)
    assert "<!channel>" not in message.text


# --- re-imports change only what the file carries -------------------------------------------


def test_a_reimport_leaves_the_columns_a_file_does_not_carry(session_factory):
    full = (
        "key,name,contact,status,domains,size,licence\nst,Status test,U0S,paused,medical,2 TB,CC\n"
    )
    assert import_file(session_factory, Path("full.csv"), full) == {"added": 1}
    narrow = "key,name,contact\nst,Status test,U0S\n"
    assert import_file(session_factory, Path("narrow.csv"), narrow) == {"unchanged": 1}
    row = holders(session_factory)["st"]
    assert (row.status, row.domains, row.size_text, row.size_value, row.licence) == (
        "paused",
        ["medical"],
        "2 TB",
        2e12,
        "CC",
    )
    # a column that is there clears with an empty cell, or a short row's missing one
    cleared = "key,name,contact,size,licence\nst,Status test,U0S,\n"
    assert import_file(session_factory, Path("cleared.csv"), cleared) == {"updated": 1}
    row = holders(session_factory)["st"]
    assert (row.size_text, row.size_value, row.size_unit, row.licence) == ("", None, None, "")
    assert (row.status, row.domains) == ("paused", ["medical"])
    # a new holder in a narrow file gets the defaults
    assert import_file(session_factory, Path("new.csv"), "key,name,contact\nnew,New,U0S\n") == {
        "added": 1
    }
    new = holders(session_factory)["new"]
    assert (new.status, new.domains, new.size_text, new.organization) == ("active", [], "", "")


def test_a_yaml_item_without_a_field_keeps_it_and_an_empty_value_clears_it(session_factory):
    import_file(session_factory, YAML_FILE)
    item = "- key: tohoku-agri\n  name: Tohoku Agri Imaging\n  contact: agri@tohoku-smart.example.org\n"
    assert import_file(session_factory, Path("one.yaml"), item) == {"unchanged": 1}
    row = holders(session_factory)["tohoku-agri"]
    assert (row.status, row.domains, row.size_text, row.licence) == (
        "paused",
        ["agriculture"],
        "1.2M images",
        "CC BY 4.0",
    )
    cleared = item + "  status:\n  domains: []\n  organization: ''\n"  # empty status: kept
    assert import_file(session_factory, Path("one.yaml"), cleared) == {"updated": 1}
    row = holders(session_factory)["tohoku-agri"]
    assert (row.status, row.domains, row.organization) == ("paused", [], "")
    assert (row.size_text, row.modalities) == ("1.2M images", ["image"])
    for required in ("name", "contact"):
        emptied = item.replace(f"  {required}: ", f"  {required}: ''\n  x_{required}: ")
        emptied = "\n".join(line for line in emptied.splitlines() if "x_" not in line)
        with pytest.raises(UserError, match=f"line 1: {required} is required"):
            import_file(session_factory, Path("one.yaml"), emptied)
    assert holders(session_factory)["tohoku-agri"].name == "Tohoku Agri Imaging"


def test_the_setup_file_updates_only_the_fields_its_holders_give(session_factory):
    import_file(session_factory, YAML_FILE)
    setup = SETUP_YAML + "\ndata_holders:\n  - {key: tohoku-agri, name: Tohoku, contact: U0GAKU}\n"
    with session_factory.begin() as session:
        counts = import_setup(session=session, text=setup, now=NOW)
    assert counts["data holder updated"] == 1
    row = holders(session_factory)["tohoku-agri"]
    assert (row.name, row.contact_user, row.contact_email) == ("Tohoku", "U0GAKU", None)
    assert (row.status, row.licence) == ("paused", "CC BY 4.0")


# --- nothing reaches the user as a traceback ------------------------------------------------


def refused(factory, name: str, text: str) -> UserError:
    """The UserError importing `text` as the file `name` raises; nothing stored."""
    with pytest.raises(UserError) as raised:
        import_file(factory, Path(name), text)
    assert count(factory) == 0
    assert "nothing was imported" in raised.value.en or "line" in raised.value.en
    return raised.value


@pytest.mark.parametrize(
    ("cells", "en", "ja"),
    [
        (
            "big," + "x" * 140_000 + ",U0S",
            "line 3: a cell is longer than 131,072 characters",
            "3行目: 131,072 文字を超えるセル",
        ),
        ('q,"unclosed,U0S', "line 3: a quoted cell starting on this row is never closed", "3行目"),
        ('q,"quoted"text,U0S', "line 3: a quoted cell has text after its closing quote", "3行目"),
    ],
)
def test_csv_the_csv_module_cannot_read_is_a_problem_of_its_line(session_factory, cells, en, ja):
    problem = refused(session_factory, "h.csv", f"key,name,contact\nok,OK,U0S\n{cells}\n")
    assert en in problem.en and ja in problem.ja and "nothing was imported" in problem.en


VALUES = {
    "key": "k1",
    "name": "Name",
    "organization": "Org",
    "description": "Desc",
    "domains": "medical",
    "modalities": "text",
    "languages": "ja",
    "size": "2 TB",
    "licence": "Lic",
    "access_conditions": "Acc",
    "contact": "U0GAKU",
    "status": "active",
}


def with_value(field: str, value: str) -> tuple[str, str]:
    """A CSV and a YAML file of one holder whose `field` is `value`."""
    values = {**VALUES, field: value}
    rows = io.StringIO()
    csv.writer(rows, lineterminator="\n").writerows([values, values.values()])
    return rows.getvalue(), json.dumps([values])  # JSON is YAML


@pytest.mark.parametrize("field", list(VALUES))
def test_control_characters_are_refused_in_every_field_with_its_line(session_factory, field):
    for char, name in (("\x00", "h.csv"), ("\x1b", "h.yaml")):
        csv_text, yaml_text = with_value(field, VALUES[field][0] + char + VALUES[field][1:])
        problem = refused(session_factory, name, csv_text if name == "h.csv" else yaml_text)
        line, code = (2, "U+0000") if name == "h.csv" else (1, "U+001B")
        assert f"line {line}: {field}: character 2 is a control character ({code})" in problem.en
        assert f"{line}行目: {field}: 2 文字目に制御文字（{code}）があり" in problem.ja
        assert "problem(s)" not in problem.en or "1 problem(s)" in problem.en  # nothing else


def test_the_setup_file_refuses_control_characters_by_line_and_key(session_factory):
    """The setup file shares the holders file's loader: a NUL in an organization's name was a
    database error on PostgreSQL."""
    bad_org = SETUP_YAML.replace("name: Alpha AI", 'name: "Alpha\\0AI"')
    bad_holder = SETUP_YAML + (
        "\ndata_holders:\n  - key: k\n    name: N\n    contact: U0GAKU\n"
        '    domains: [medical, "le\\agal"]\n'
    )
    org_line = next(n for n, text in enumerate(bad_org.splitlines(), 1) if "Alpha" in text)
    for text, at, en in (
        (bad_org, org_line, "name: character 6 is a control character (U+0000)"),
        (bad_holder, len(bad_holder.splitlines()), "domains: character 3 is a control character"),
    ):
        with pytest.raises(UserError) as raised, session_factory.begin() as session:
            import_setup(session=session, text=text, now=NOW)
        assert raised.value.en.startswith(f"line {at}: {en}")
        assert raised.value.ja.startswith(f"{at}行目: ")
    with session_factory() as session:
        assert session.exec(select(func.count()).select_from(Organization)).one() == 0
    assert count(session_factory) == 0


def test_tabs_and_line_breaks_are_text_lone_surrogates_are_refused(session_factory):
    _, yaml_text = with_value("description", "first\tsecond\r\nthird")
    assert import_file(session_factory, Path("h.yaml"), yaml_text) == {"added": 1}
    assert holders(session_factory)["k1"].description == "first\tsecond\r\nthird"
    with pytest.raises(UserError) as raised:
        import_file(
            session_factory, Path("h.yaml"), '- {key: s, name: "a\\ud83d", contact: U0GAKU}'
        )
    assert "line 1: name: character 2 (U+D83D) is half of a surrogate pair" in raised.value.en
    assert "1行目: name: 2 文字目（U+D83D）はサロゲートペアの片方だけ" in raised.value.ja


@pytest.mark.parametrize(
    ("field", "fits", "too_long"),
    [
        ("name", "n" * 200, "n" * 201),
        ("organization", "o" * 200, "o" * 201),
        ("description", "d" * 3000, "d" * 3001),
        ("licence", "l" * 1000, "l" * 1001),
        ("access_conditions", "a" * 2000, "a" * 2001),
        ("contact", "U" + "0" * 31, "U" + "0" * 32),  # the contact_user column: 32
    ],
)
def test_text_longer_than_its_column_is_refused_before_the_database(
    session_factory, field, fits, too_long
):
    csv_text, _ = with_value(field, too_long)
    problem = refused(session_factory, "h.csv", csv_text)
    limit = len(fits)
    assert f"line 2: {field}: at most {limit} characters (this has {limit + 1})" in problem.en
    assert f"2行目: {field}: {limit} 文字以内にしてください" in problem.ja
    csv_text, _ = with_value(field, fits)
    assert import_file(session_factory, Path("h.csv"), csv_text) == {"added": 1}


def billion_laughs(levels: int = 9) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, levels)]
    return (
        "\n".join(lines)
        + f"\ndata_holders:\n  - {{key: b, name: *a{levels - 1}, contact: U0GAKU}}\n"
    )


def test_yaml_aliases_are_refused_with_their_line_at_once(session_factory):
    started = time.monotonic()
    problem = refused(session_factory, "h.yaml", billion_laughs())
    assert time.monotonic() - started < 2
    assert problem.en.startswith("line 1: YAML anchors and aliases (&name, *name) are not allowed")
    assert problem.ja.startswith("1行目: YAML のアンカーとエイリアス（&名前、*名前）は")
    reused = "- key: a\n  name: A\n  licence: &cc CC BY 4.0\n  contact: U0GAKU\n- {key: b, licence: *cc}\n"
    assert refused(session_factory, "h.yaml", reused).en.startswith("line 3: YAML anchors")


@pytest.mark.parametrize(
    ("text", "en", "ja"),
    [
        ("- {[a]: 1, key: a}\n", "line 1: a key must be a word, not a list", "1行目: キーには語"),
        ("- {key: a, name: " + "[" * 5000 + "]" * 5000 + "}\n", "line 1: nested more", "入れ子"),
        ("- {key: a, key: b}\n", "line 1: the key 'key' appears twice", "2回あります"),
    ],
)
def test_yaml_that_would_crash_the_loader_is_a_user_error(session_factory, text, en, ja):
    problem = refused(session_factory, "h.yaml", text)
    assert problem.en.startswith(en) and ja in problem.ja


def test_cli_reimport_and_an_unreadable_cell_print_messages_not_tracebacks(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'k.sqlite3'}")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "")
    files = {
        "a.csv": "key,name,contact,status,domains\nst,Status test,U0S,paused,medical\n",
        "b.csv": "key,name,contact\nst,Status test,U0S\n",
        "big.csv": "key,name,contact\nbig," + "x" * 131_073 + ",U0S\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert main(["import", "holders", str(tmp_path / "a.csv")]) == 0
    assert main(["import", "holders", str(tmp_path / "b.csv")]) == 0
    assert "0 added, 0 updated, 1 unchanged" in capsys.readouterr().out
    assert main(["import", "holders", str(tmp_path / "big.csv")]) == 2
    err = capsys.readouterr().err
    assert "2行目: 131,072 文字を超えるセル" in err and "line 2: a cell is longer" in err
    assert "Traceback" not in err


# --- smaller input handling -----------------------------------------------------------------


def test_a_column_twice_in_the_header_or_a_cell_without_one_is_refused(session_factory):
    problem = refused(session_factory, "h.csv", "key,name,contact,Name\nk,A,U0S,B\n")
    assert "line 1: the column “name” appears twice in the header (columns 2 and 4)" in problem.en
    assert "1行目: ヘッダーに列「name」が2回あります（2列目と4列目）" in problem.ja
    problem = refused(session_factory, "h.csv", "key,,name,contact\nk,x,A,U0S\nl,,B,U0S,extra\n")
    assert "line 2: column 2 has a value, but the header (line 1) gives it no name" in problem.en
    assert "line 3: column 5 has a value" in problem.en
    assert "3行目: 5列目に値がありますが、ヘッダー（1行目）にその列名がありません" in problem.ja


@pytest.mark.parametrize("contact", ["U0ABC", "<@U0ABC>", "<@U0ABC|gaku>", "＜@U0ABC＞"])
def test_a_pasted_slack_mention_is_the_users_id(session_factory, contact):
    text = json.dumps([{"key": "m", "name": "M", "contact": contact}])
    assert import_file(session_factory, Path("h.yaml"), text) == {"added": 1}
    row = holders(session_factory)["m"]
    assert (row.contact_user, row.contact_email) == ("U0ABC", None)


def test_a_channel_mention_is_not_a_contact(session_factory):
    problem = refused(session_factory, "h.yaml", "- {key: m, name: M, contact: '<#C0ABC>'}\n")
    assert "contact: “<#C0ABC>” is neither a Slack user id (U…, or a mention <@U…>)" in problem.en


@pytest.mark.parametrize(
    ("value", "en", "ja"),
    [
        ("{a: 1}", "a mapping", "マッピング"),
        ("[a, b]", "a list", "リスト"),
        ("true", "true/false", "真偽値（true/false）"),
        ("!!binary aGVsbG8=", "binary data", "バイナリデータ"),
    ],
)
def test_a_value_that_is_not_text_is_named_in_each_language(session_factory, value, en, ja):
    problem = refused(session_factory, "h.yaml", f"- key: k\n  name: {value}\n  contact: U0GAKU\n")
    assert f"line 1: name: write text, not {en}." in problem.en and "1 problem(s)" in problem.en
    assert f"1行目: name: テキストで入力してください（{ja}は使えません）。" in problem.ja


def test_a_list_inside_a_list_of_words_is_refused_as_such(session_factory):
    text = "- key: k\n  name: N\n  contact: U0GAKU\n  domains: [[medical, legal]]\n"
    problem = refused(session_factory, "h.yaml", text)
    assert (
        "line 1: domains: must be a list of words, e.g. [medical, legal], or words separated "
        "by commas; an item here is a list." in problem.en
    )
    assert "1行目: domains: 語のリスト（例: [medical, legal]）か" in problem.ja
    assert "項目にリストは使えません" in problem.ja and "“['medical'”" not in problem.en


# --- /data admin finds keys and contacts ----------------------------------------------------


def admin_keys(factory, words: str) -> list[str]:
    message = run(factory, service.admin_list, "U0SATO", words=words)
    ids = [
        json.loads(b["accessory"]["value"])["holder_id"]
        for b in message.blocks
        if b.get("accessory", {}).get("action_id") == blocks.Ids.EDIT
    ]
    by_id = {h.id: key for key, h in holders(factory).items()}
    return [by_id[i] for i in ids]


def test_admin_words_find_holders_by_key_and_contact_members_do_not(loaded):
    with loaded.begin() as session:
        service.apply_holders(
            session=session,
            holders=[
                HolderInput(key="tokai-med", name="東海メディカル", contact_user="U0HANA"),
                HolderInput(
                    key="kansai-law", name="関西判例", contact_email="data@kansai-legal.example"
                ),
            ],
            now=NOW,
        )
    assert admin_keys(loaded, "tokai-med") == admin_keys(loaded, "tokai") == ["tokai-med"]
    assert admin_keys(loaded, "ＴＯＫＡＩ") == ["tokai-med"]  # full-width
    assert admin_keys(loaded, "data@kansai-legal.example") == ["kansai-law"]
    assert admin_keys(loaded, "U0HANA") == admin_keys(loaded, "<@U0HANA|hana>") == ["tokai-med"]
    assert admin_keys(loaded, "<@U0HANA>") == ["tokai-med"]
    assert admin_keys(loaded, "U0GAKU") == ["kyoto-clinical", "osaka-speech"]  # by name
    assert admin_keys(loaded, "kansai legal") == ["kansai-law"]  # every word, any field
    assert admin_keys(loaded, "okai") == []  # at the start of a word, as search
    for words in ("tokai", "U0HANA", "data@kansai-legal.example", "kansai-legal"):
        assert keys_found(loaded, words) == [], words  # never by what members do not see


# --- the holder label pickers show --------------------------------------------------------


def test_holder_label_tells_holders_of_the_same_name_apart():
    a = DataHolder(id=1, key="a", name="Medical Corpus", organization="Kyoto Univ")
    b = DataHolder(id=2, key="b", name="Medical Corpus", organization="Osaka Univ", status="paused")
    assert blocks.holder_label(a) == "Medical Corpus — Kyoto Univ"
    assert blocks.holder_label(b) == "Medical Corpus — Osaka Univ"  # no "(paused)"
    assert blocks.holder_option(a, "en")["text"]["text"] == blocks.holder_label(a)
    assert blocks.holder_option(b, "en")["text"]["text"] == blocks.holder_label(b) + " (paused)"
    assert blocks.holder_label(DataHolder(id=3, key="c", name="Alone")) == "Alone"
    long = DataHolder(id=4, key="d", name="名" * 100, organization="x")
    assert len(blocks.holder_label(long)) == 75 and blocks.holder_label(long).endswith("…")
    assert blocks.holder_option(long, "en")["text"]["text"] == blocks.holder_label(long)


def test_two_holders_may_not_share_a_name_and_organization(session_factory):
    text = (
        "key,name,organization,contact\n"
        "dup1,Same Name,Org One,U0MIKA\n"
        "dup2,Same  Name,ORG ONE,U0GAKU\n"
    )
    with pytest.raises(UserError) as refused, session_factory.begin() as session:
        service.import_holders(session=session, text=text, filename="d.csv", now=NOW)
    assert "dup1 and dup2" in refused.value.en and "区別できない" in refused.value.ja
    with session_factory() as session:
        assert session.exec(select(DataHolder)).all() == []  # nothing stored


def test_an_empty_status_cell_keeps_a_paused_holder_paused(session_factory):
    first = "key,name,contact,status\ns3,S3,U0GAKU,paused\nnew1,New,U0GAKU,paused\n"
    again = "key,name,contact,status\ns3,S3,U0GAKU,\nnew2,Newer,U0GAKU,\n"
    with session_factory.begin() as session:
        service.import_holders(session=session, text=first, filename="a.csv", now=NOW)
    with session_factory.begin() as session:
        counts = service.import_holders(session=session, text=again, filename="b.csv", now=NOW)
    assert (counts["unchanged"], counts["added"]) == (1, 1)
    with session_factory() as session:
        status = {h.key: h.status for h in session.exec(select(DataHolder))}
    assert status == {"s3": "paused", "new1": "paused", "new2": "active"}
