"""The scenario file format, validated with pydantic. See README, "Scenario format".

Steps are one-key-decides mappings: `at`, `command`, `fill`, `click`, `shortcut`, `home`,
`upload`, `import_sacct`, `expect`, `note`. Paths resolve relative to the scenario file.

A `shortcut` step uses a message shortcut (the ⋮ menu of a message) by its callback id on the
latest message `in` a conversation, or on the latest one containing `message`:
`{user: U0KENJI, shortcut: "trend.add_from_message", in: "#community-digest", message: "arxiv"}`
(Slack's `message_action` payload; a modal it opens is then filled with `fill`).

Conversations (`in`) are named as the sandbox names them (`bot.sandbox.workspace`): `#name`,
`dm:USER`, `mpim:U1,U2,…` (a group DM: member ids or names, any order), `ephemeral:USER`,
`modal:USER`, `home:USER`. A `click` may also say `dm`, `ephemeral`, `home`, `modal` or `group`
(the clicking user's group DMs: the latest message with that button); an `upload` `dm`; a
`shortcut` `dm`, `group` or a channel (not `ephemeral`, `modal` or `home`: Slack offers none).
"""

from __future__ import annotations

import reprlib
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from bot.errors import UserError
from bot.parsing.yaml_lines import CheckedValues


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class UserSpec(_Strict):
    id: str = Field(pattern=r"^[UW][A-Z0-9]{2,}$")
    name: str
    tz: str = "Asia/Tokyo"
    locale: str = "ja-JP"


class ChannelSpec(_Strict):
    id: str = Field(pattern=r"^[CG][A-Z0-9]{2,}$")
    name: str
    private: bool = False
    bot_member: bool = True


class WorkspaceSpec(_Strict):
    users: list[UserSpec] = Field(default_factory=list)
    channels: list[ChannelSpec] = Field(default_factory=list)


class AtStep(_Strict):
    at: AwareDatetime


class NoteStep(_Strict):
    note: str


class CommandStep(_Strict):
    user: str
    command: str = Field(pattern=r"^/\S+")
    channel: str | None = None


class FillStep(_Strict):
    user: str
    fill: dict[str, Any]
    submit: bool = True


class ClickStep(_Strict):
    user: str
    click: str
    in_: str = Field(default="dm", alias="in")


class ShortcutStep(_Strict):
    user: str
    shortcut: str = Field(min_length=1, max_length=255)  # the shortcut's callback id
    in_: str = Field(default="dm", alias="in")
    message: str | None = None  # the latest message containing this text (default: the latest)


class SayStep(_Strict):
    """A person posts a message (e.g. one with a link, for the Add to trend report shortcut)."""

    user: str
    say: str = Field(min_length=1, max_length=40_000)
    in_: str = Field(alias="in")  # "#channel"


class LlmStep(_Strict):
    """`llm: on` starts a local fake OpenAI-compatible endpoint (`bot.scenario.fake_llm`) and
    gives Kiban an LLM client for it; `llm: off` takes it away."""

    llm: Literal["on", "off"]


class HomeStep(_Strict):
    user: str
    home: bool = True


class UploadStep(_Strict):
    user: str
    upload: str  # a file, relative to the scenario
    in_: str = Field(default="dm", alias="in")


class ImportSacctStep(_Strict):
    import_sacct: str
    org: str
    provider: str | None = None


class ExportStep(_Strict):
    """`export: public` runs what `kiban export public` does (the Atom feed and the HTML index);
    `export: progress` with `month:` what `kiban export progress MONTH` does. The files go to
    the output folder's `export/`; an expectation `in: "file:NAME"` reads one of them."""

    export: Literal["public", "progress"]
    month: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}$")
    lang: Literal["ja", "en"] | None = None


class Expectation(_Strict):
    in_: str = Field(alias="in")
    contains: str | None = None
    not_contains: str | None = None
    error_on: str | None = None
    count: int | None = Field(default=None, ge=0)


class ExpectStep(_Strict):
    expect: Expectation


STEP_TYPES = {
    "at": AtStep,
    "note": NoteStep,
    "command": CommandStep,
    "fill": FillStep,
    "click": ClickStep,
    "shortcut": ShortcutStep,
    "say": SayStep,
    "llm": LlmStep,
    "home": HomeStep,
    "upload": UploadStep,
    "import_sacct": ImportSacctStep,
    "export": ExportStep,
    "expect": ExpectStep,
}

Step = (
    AtStep
    | NoteStep
    | CommandStep
    | FillStep
    | ClickStep
    | ShortcutStep
    | SayStep
    | LlmStep
    | HomeStep
    | UploadStep
    | ImportSacctStep
    | ExpectStep
)


SANDBOX_SETTINGS = {
    "slack_bot_token",
    "slack_signing_secret",
    "slack_app_token",
    "slack_api_url",
    "database_url",
}


class Scenario(_Strict):
    name: str
    start: AwareDatetime
    workspace: WorkspaceSpec
    setup: str | None = None
    settings: dict[str, Any] = Field(default_factory=dict)
    steps: list[dict[str, Any]]
    base_dir: Path = Path(".")

    @field_validator("settings")
    @classmethod
    def _known_settings(cls, value: dict[str, Any]) -> dict[str, Any]:
        """Only Kiban's settings, with valid values; never the sandbox's own (its database,
        tokens and Slack URL), so a scenario cannot point the demo at real ones."""
        from bot.settings import Settings

        names = {name.lower(): name for name in value}
        unknown = sorted(k for k in names if k not in Settings.model_fields)
        if unknown:
            raise ValueError(f"unknown settings: {', '.join(unknown)}")
        reserved = sorted(k for k in names if k in SANDBOX_SETTINGS)
        if reserved:
            raise ValueError(f"set by the sandbox, not by a scenario: {', '.join(reserved)}")
        lowered = {k.lower(): v for k, v in value.items()}
        try:
            Settings(_env_file=None, **lowered)
        except ValidationError as error:
            raise ValueError(_describe(error)) from None
        return lowered

    def resolve(self, relative: str) -> Path:
        """A path named in the scenario, relative to the scenario file."""
        return (self.base_dir / relative).resolve()

    def typed_steps(self) -> list[Step]:
        """The steps as models. Raises UserError naming the step and what is wrong."""
        typed = []
        for number, raw in enumerate(self.steps, start=1):
            kind = next((key for key in STEP_TYPES if isinstance(raw, dict) and key in raw), None)
            if kind is None:
                shown = reprlib.repr(raw)[:300]  # bounded: a step may be a YAML alias bomb
                raise UserError(
                    f"step {number}: unknown step {shown}; use one of {', '.join(STEP_TYPES)}.",
                    f"ステップ {number}: 不明なステップ {shown} です。{', '.join(STEP_TYPES)} のいずれかを使ってください。",
                )
            try:
                typed.append(STEP_TYPES[kind].model_validate(raw))
            except ValidationError as error:
                raise UserError(
                    f"step {number} ({kind}): {_describe(error)}",
                    f"ステップ {number}（{kind}）: {_describe(error)}",
                ) from None
        return typed


def _describe(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in item['loc']) or 'step'}: {item['msg']}"
        for item in error.errors()
    )


YAML_DEPTH_MAX = 50  # nesting levels of a scenario file (they need 5)


class _Loader(CheckedValues, yaml.SafeLoader):
    """`yaml.safe_load`, with what PyYAML lets escape as a bare exception made a YAML error
    naming the line: a value its constructors refuse (a date that does not exist,
    `2026-02-30`: ValueError; see `CheckedValues`) and nesting deeper than YAML_DEPTH_MAX
    (RecursionError)."""

    _depth = 0

    def compose_node(self, parent, index):
        if self._depth >= YAML_DEPTH_MAX:
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(
                None, None, f"nested more than {YAML_DEPTH_MAX} levels deep", mark
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load_scenario(path: Path) -> Scenario:
    """Read and validate a scenario file (UTF-8 YAML). Raises UserError with what is wrong."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506
    except OSError as error:
        raise UserError(
            f"Cannot read scenario {path}: {error.strerror}.",
            f"シナリオ {path} を読めません: {error.strerror}。",
        ) from None
    except UnicodeDecodeError as error:
        raise UserError(
            f"Scenario {path} is not UTF-8 text (byte {error.start}).",
            f"シナリオ {path} は UTF-8 のテキストではありません（{error.start} バイト目）。",
        ) from None
    except yaml.YAMLError as error:
        raise UserError(
            f"Scenario {path} is not valid YAML: {error}",
            f"シナリオ {path} は YAML として読めません: {error}",
        ) from None
    if not isinstance(raw, dict):
        raise UserError(
            f"Scenario {path} must be a mapping (name, start, workspace, steps).",
            f"シナリオ {path} は name, start, workspace, steps を持つマッピングである必要があります。",
        )
    try:
        scenario = Scenario.model_validate({**raw, "base_dir": path.parent})
    except ValidationError as error:
        raise UserError(
            f"Scenario {path}: {_describe(error)}", f"シナリオ {path}: {_describe(error)}"
        ) from None
    scenario.typed_steps()
    return scenario
