"""Block Kit for the data-holder directory: the operators' `/data admin` list (an Edit button
per holder, "New data holder") and the "Data holder" modal with its parser, and the option
object external selects offer for a holder (`/data search` results: `bot.blocks.data_search`).
Pure: no I/O.

Field checks shared with the holders import (key, Slack user, email, characters, lengths) live
here too, so the modal and the file accept the same things. Limits: Slack's (SLACK.md: section
text 3000, field 2000, button text 75, option text 75 / value 150, 50 blocks per message, modal
title 24) and the `dataholder` table's column sizes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    InputBlock,
    RadioButtonsElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.blocks import forms
from bot.blocks.common import (
    Message,
    context,
    escape,
    header,
    section,
    truncate,
)
from bot.blocks.compute import FormErrors
from bot.errors import UserError
from bot.i18n import t
from bot.parsing.data_size import parse_size
from bot.parsing.text import check_chars
from bot.services import data_vocab
from storage.data_holders import DataHolder, HolderStatus

__all__ = ["FormErrors"]

ADMIN_SHOWN_MAX = 40  # holders listed by /data admin: 40 sections + 5 others ≤ 50 blocks
FIELD_TEXT_MAX = 2000  # a section field (Slack)
OPTION_TEXT_MAX = 75  # an option's text (Slack)
KINDS = ("domains", "modalities", "languages")
# a holder's fields as import files name them (YAML keys, CSV columns)
HOLDER_FIELDS = tuple(
    "key name organization description domains modalities languages size licence "
    "access_conditions contact status".split()
)

# the `dataholder` columns' sizes (storage/data_holders.py)
LIMITS = {
    "key": 64,
    "name": 200,
    "organization": 200,
    "description": 3000,
    "size": 100,
    "licence": 1000,
    "access_conditions": 2000,
    "contact_email": 254,
    "contact_user": 32,
}
KEY_PATTERN = re.compile(r"^\w[\w.-]{0,63}$")
USER_PATTERN = re.compile(r"^[UW][A-Z0-9]{2,}$")
# Slack's escaped mention, as pasted from a message: <@U0ABC> or <@U0ABC|name>
MENTION_PATTERN = re.compile(r"^<@([UW][A-Z0-9]{2,})(?:\|[^<>]*)?>$")
EMAIL_PATTERN = re.compile(
    r"^[^@\s\x00-\x1f<>()\[\],;:\"]+@[^@\s\x00-\x1f<>()\[\],;:\".]+"
    r"(\.[^@\s\x00-\x1f<>()\[\],;:\".]+)+$"
)


class Ids(StrEnum):
    SUBMIT = "data.holders.submit"
    EDIT = "data.holders.edit"
    NEW = "data.holders.new"
    REQUEST_INTRO = "data.holders.request_intro"  # handled by the introductions feature
    HOLDER_PICK = "data.holders.pick"  # external selects of holders (options listener)
    KEY = "key"
    NAME = "name"
    ORGANIZATION = "organization"
    DESCRIPTION = "description"
    DOMAINS = "domains"
    MODALITIES = "modalities"
    LANGUAGES = "languages"
    SIZE = "size"
    LICENCE = "licence"
    ACCESS = "access_conditions"
    CONTACT_USER = "contact_user"
    CONTACT_EMAIL = "contact_email"
    STATUS = "status"


class HolderMeta(BaseModel):
    """The modal's private_metadata and the Edit/New buttons' value: the holder (None: new)
    and the language the list was shown in."""

    lang: str = "ja"
    holder_id: int | None = None


class IntroValue(BaseModel):
    """The "Request introduction" button's value: `{"holder_id": N}`."""

    holder_id: int


@dataclass(frozen=True)
class HolderInput:
    """A well-formed holder, from the modal or an import row. Lists are vocabulary codes;
    `size` is `parse_size(size_text)`; exactly one contact is set. `key` "" (modal, new
    holder) means "make one from the name"; `holder_id` None means a new holder (modal).
    `given`: the fields (HOLDER_FIELDS names) the item carried; an update sets only those,
    so a file without a `size` column keeps each holder's size. The modal gives them all."""

    key: str
    name: str
    organization: str = ""
    description: str = ""
    domains: tuple[str, ...] = ()
    modalities: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    size_text: str = ""
    size: tuple[float, str] | None = None
    licence: str = ""
    access_conditions: str = ""
    contact_user: str | None = None
    contact_email: str | None = None
    status: str = HolderStatus.ACTIVE.value
    holder_id: int | None = None
    given: frozenset[str] = frozenset(HOLDER_FIELDS)


def error(key: str, **params: object) -> UserError:
    """A UserError from a catalog key, in both languages."""
    return UserError(t(key, "en", **params), t(key, "ja", **params))


# --- checks shared with the import ------------------------------------------------------------


def normal_key(text: str) -> str:
    """A key as stored: NFKC, case-folded, trimmed (`Kyoto-Medical` → `kyoto-medical`)."""
    return data_vocab.normalise(text)


def check_key(key: str) -> UserError | None:
    """None for a usable key (letters of any script, digits, `-`, `.`, `_`; ≤ 64)."""
    return None if KEY_PATTERN.match(key) else error("directory.error.key_format", holder_key=key)


def slack_user(text: str) -> str | None:
    """The Slack user id in `text` (`U0ABC`, or the escaped mention `<@U0ABC>` /
    `<@U0ABC|name>` people paste from a message), or None when it is neither."""
    if USER_PATTERN.match(text):
        return text
    mention = MENTION_PATTERN.match(text)
    return mention.group(1) if mention else None


def check_email(text: str) -> UserError | None:
    """None for something shaped like an email address (≤ 254 characters, RFC 5321)."""
    if len(text) <= LIMITS["contact_email"] and EMAIL_PATTERN.match(text):
        return None
    return error("directory.error.bad_email", email=text)


def check_length(field: str, text: str) -> UserError | None:
    """None when `text` fits the column of `field` (a LIMITS key)."""
    limit = LIMITS[field]
    if len(text) <= limit:
        return None
    return error("directory.error.too_long", field=field, limit=limit, length=len(text))


# --- /data admin ------------------------------------------------------------------------------


def _contact(holder: DataHolder, lang: str) -> str:
    if holder.contact_user:
        return f"<@{holder.contact_user}>"  # validated id: the bot's own mention
    if holder.contact_email:
        return escape(holder.contact_email)
    return t("directory.admin.no_contact", lang)


def _status(holder: DataHolder, lang: str) -> str:
    text = t(f"directory.status.{holder.status}", lang)
    if holder.ignored_streak:
        text += " · " + t("directory.admin.ignored", lang, count=holder.ignored_streak)
    if holder.matching_paused:
        text += " · " + t("directory.admin.left_out", lang)
    return text


def build_admin_list(holders: list[DataHolder], words: str, lang: str) -> Message:
    """The `/data admin [WORDS]` reply (operators): the first 40 holders, each a section with
    name, organization, key, status, contact and ignored streak and an Edit button, how many
    more there are, and "New data holder"."""
    title = t("directory.admin.title", lang)
    blocks: list = [header(title), section(t("directory.admin.intro", lang))]
    if not holders:
        none = "directory.admin.none_match" if words else "directory.admin.none"
        blocks.append(section(t(none, lang, words=escape(words))))
    for holder in holders[:ADMIN_SHOWN_MAX]:
        line = t(
            "directory.admin.line",
            lang,
            name=escape(holder.name),
            organization=escape(holder.organization) or "—",
            holder_key=escape(holder.key),
            status=_status(holder, lang),
            contact=_contact(holder, lang),
        )
        edit = ButtonElement(
            action_id=Ids.EDIT,
            text=t("directory.admin.edit_button", lang),
            value=HolderMeta(lang=lang, holder_id=holder.id).model_dump_json(),
        )
        blocks.append(section(line, accessory=edit))
    if len(holders) > ADMIN_SHOWN_MAX:
        more = t("directory.admin.more", lang, shown=ADMIN_SHOWN_MAX, total=len(holders))
        blocks.append(context(more))
    new = ButtonElement(
        action_id=Ids.NEW,
        text=t("directory.admin.new_button", lang),
        value=HolderMeta(lang=lang).model_dump_json(),
        style="primary",
    )
    blocks.append(ActionsBlock(elements=[new]))
    return Message.of(title, blocks)


# --- the modal --------------------------------------------------------------------------------


def vocab_select(
    kind: str, label: str, lang: str, initial: list[str], *, optional: bool = True
) -> InputBlock:
    """A multi select of a vocabulary (`domains`, `modalities`, `languages`: block id = kind)
    in `lang`, preselecting `initial` codes. Shared with the request modal."""
    options = [
        forms.option(data_vocab.label(kind, code, lang), code) for code in data_vocab.codes(kind)
    ]
    return forms.multi_select(kind, label, options, initial=initial, optional=optional)


def _status_choice(lang: str, status: str) -> InputBlock:
    options = [
        forms.option(t(f"directory.status.{s.value}_option", lang), s.value) for s in HolderStatus
    ]
    initial = next(o for o in options if o.value == status)
    return InputBlock(
        block_id=Ids.STATUS,
        label=t("directory.field.status", lang),
        element=RadioButtonsElement(action_id=forms.INPUT, options=options, initial_option=initial),
    )


def build_holder_modal(existing: DataHolder | None, lang: str) -> View:
    """The "Data holder" modal (callback id `data.holders.submit`), prefilled for an existing
    holder; the key is asked only for a new one."""
    meta = HolderMeta(lang=lang, holder_id=existing.id if existing else None)
    h = existing
    blocks: list = [section(t("directory.modal.intro", lang))]
    if h is None:
        blocks.append(
            forms.text(
                Ids.KEY,
                t("directory.field.key", lang),
                max_length=LIMITS["key"],
                optional=True,
                hint=t("directory.field.key_hint", lang),
            )
        )
    else:
        blocks.append(context(t("directory.modal.editing", lang, holder_key=escape(h.key))))

    def text(block_id: str, field: str, limit: str, value: str | None, **kwargs) -> InputBlock:
        label = t(f"directory.field.{field}", lang)
        return forms.text(block_id, label, max_length=LIMITS[limit], initial=value, **kwargs)

    blocks += [
        text(Ids.NAME, "name", "name", h.name if h else None),
        text(Ids.ORGANIZATION, "organization", "organization", h and h.organization, optional=True),
        text(
            Ids.DESCRIPTION,
            "description",
            "description",
            h and h.description,
            multiline=True,
            optional=True,
        ),
        *(
            vocab_select(
                kind, t(f"directory.field.{kind}", lang), lang, getattr(h, kind) if h else []
            )
            for kind in KINDS
        ),
        text(
            Ids.SIZE,
            "size",
            "size",
            h and h.size_text,
            optional=True,
            hint=t("directory.field.size_hint", lang),
        ),
        text(Ids.LICENCE, "licence", "licence", h and h.licence, multiline=True, optional=True),
        text(
            Ids.ACCESS,
            "access",
            "access_conditions",
            h and h.access_conditions,
            multiline=True,
            optional=True,
        ),
        InputBlock(
            block_id=Ids.CONTACT_USER,
            label=t("directory.field.contact_user", lang),
            optional=True,
            hint=t("directory.field.contact_hint", lang),
            element=UserSelectElement(
                action_id=forms.INPUT, initial_user=h.contact_user if h else None
            ),
        ),
        text(
            Ids.CONTACT_EMAIL,
            "contact_email",
            "contact_email",
            h and h.contact_email,
            optional=True,
        ),
        _status_choice(lang, h.status if h else HolderStatus.ACTIVE.value),
    ]
    return forms.modal(
        Ids.SUBMIT,
        title=t("directory.modal.title", lang),
        submit=t("directory.modal.submit", lang),
        close=t("directory.modal.close", lang),
        metadata=meta.model_dump_json(),
        blocks=blocks,
    )


def meta_of(view: dict) -> HolderMeta:
    """The modal's private_metadata."""
    return HolderMeta.model_validate_json(view.get("private_metadata") or "{}")


def parse_holder_submission(view: dict) -> HolderInput:
    """Read the "Data holder" modal. Raises FormErrors with every wrong field at once: a bad
    key, an empty name, text longer than its column or with a character no column stores
    (`check_chars`), a size Kiban cannot read, a bad email, no contact or two contacts
    (exactly one of the Slack user and the email is needed)."""
    meta = meta_of(view)
    values = forms.values_of(view)
    errors: dict[str, UserError] = {}
    key = ""
    if meta.holder_id is None:
        key = normal_key(forms.typed(values, Ids.KEY))
        if key and (problem := check_key(key)):
            errors[Ids.KEY] = problem
    name = forms.typed(values, Ids.NAME)
    if not name:
        errors[Ids.NAME] = error("directory.error.required")
    texts = {}
    for block_id, field in (
        (Ids.NAME, "name"),
        (Ids.ORGANIZATION, "organization"),
        (Ids.DESCRIPTION, "description"),
        (Ids.SIZE, "size"),
        (Ids.LICENCE, "licence"),
        (Ids.ACCESS, "access_conditions"),
    ):
        texts[field] = forms.typed(values, block_id)
        if problem := check_chars(None, texts[field]) or check_length(field, texts[field]):
            errors[block_id] = problem
    size = None
    try:
        size = parse_size(texts["size"])
    except UserError as problem:
        errors.setdefault(Ids.SIZE, problem)
    contact_user = forms.state(values, Ids.CONTACT_USER).get("selected_user") or None
    email = forms.typed(values, Ids.CONTACT_EMAIL) or None
    if email and (problem := check_chars(None, email) or check_email(email)):
        errors[Ids.CONTACT_EMAIL] = problem
    elif contact_user and email:
        errors[Ids.CONTACT_EMAIL] = error("directory.error.contact_both")
    elif not contact_user and not email:
        errors[Ids.CONTACT_USER] = error("directory.error.contact_missing")
    if errors:
        raise FormErrors(errors)
    return HolderInput(
        key=key,
        name=name,
        organization=texts["organization"],
        description=texts["description"],
        domains=tuple(forms.chosen_many(values, Ids.DOMAINS)),
        modalities=tuple(forms.chosen_many(values, Ids.MODALITIES)),
        languages=tuple(forms.chosen_many(values, Ids.LANGUAGES)),
        size_text=texts["size"],
        size=size,
        licence=texts["licence"],
        access_conditions=texts["access_conditions"],
        contact_user=contact_user,
        contact_email=email,
        status=forms.chosen(values, Ids.STATUS) or HolderStatus.ACTIVE.value,
        holder_id=meta.holder_id,
    )


def build_saved(holder: DataHolder, lang: str) -> Message:
    """The operator's DM after saving a holder."""
    text = t(
        "directory.saved",
        lang,
        name=escape(holder.name),
        holder_key=escape(holder.key),
        status=_status(holder, lang),
    )
    return Message.of(text, [section(text)])


# --- external select options ------------------------------------------------------------------


def _label(holder: DataHolder) -> str:
    return holder.name + (f" — {holder.organization}" if holder.organization else "")


def holder_label(holder: DataHolder) -> str:
    """How pickers name `holder`: `name — organization` (just the name without one),
    truncated to Slack's 75 characters of an option's text: the text of `holder_option`
    without its "(paused)" marker, so two holders of the same name can be told apart."""
    return truncate(_label(holder), OPTION_TEXT_MAX)


def holder_option(holder: DataHolder, lang: str) -> dict:
    """One Block Kit option object for `holder`: text `holder_label` (plain_text, ≤ 75
    characters, with a "(paused)" / "(left out of matching)" marker when so, the label cut
    shorter to make room), value `str(holder.id)`. For options listeners and
    `initial_option`."""
    marker = ""
    if holder.status == HolderStatus.PAUSED.value:
        marker = t("directory.option.paused", lang)
    elif holder.matching_paused:
        marker = t("directory.option.left_out", lang)
    if marker and lang != "ja":
        marker = " " + marker
    text = truncate(_label(holder), OPTION_TEXT_MAX - len(marker)) + marker
    return forms.option(text, str(holder.id)).to_dict()
