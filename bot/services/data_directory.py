"""The data-holder directory (issue #5, "Directory"): applying imported holders (read by
`data_holder_import`), the operators' `/data admin` list and modal, `/data search` for the
programme's members, and the holders offered in external selects.

An import adds a holder with every field it did not give at its default, and updates a stored
one by setting only the fields its item gave (`HolderInput.given`): a file without a `size`
column leaves sizes as they are.

Who sees what: operators see every holder with its contact; members of any organization see
holders that are active and not left out of matching (`DataHolder.matchable`), never a
contact; a person in no organization sees nothing.

Search (`rank`): each word (NFKC + case-folded) scores 3 when the name contains it, 2 when it
is the code, label or synonym of one of the holder's domains, modalities or languages
(`data_vocab.lookup`), 1 when the organization or description contains it. Words in
Japanese (any non-ASCII word) match as substrings, since Japanese has no spaces; ASCII words
match at the start of a word (`law` finds "law firm", not "flaw"). Holders scoring 0 are
left out; ties go by name. `/data admin WORDS` keeps the holders every word finds, the key
and the contact (Slack id or email address) counting like the organization; a pasted mention
`<@U…>` finds its user.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session, select

from bot.blocks import data_directory as blocks
from bot.blocks import data_search as search_blocks
from bot.blocks.common import Message
from bot.blocks.data_directory import HolderInput, Ids
from bot.blocks.forms import OPTIONS_MAX
from bot.clients.slack import Notice
from bot.services import data_holder_import, data_vocab
from bot.services.members import Actor, user_error
from storage import data_holders as store
from storage.data_holders import DataHolder, HolderStatus
from storage.db import advisory_lock, insert_once
from storage.members import OrgKind

LOCK = "data_holders"  # imports and modal saves take turns (unique keys)


def _values(data: HolderInput, fields: Iterable[str] = blocks.HOLDER_FIELDS) -> dict:
    """The DataHolder column values that `data`'s `fields` (HOLDER_FIELDS names) set; `key`,
    status counters and audit columns are not among them."""
    size_value, size_unit = data.size or (None, None)
    columns = {
        "name": {"name": data.name},
        "organization": {"organization": data.organization},
        "description": {"description": data.description},
        **{kind: {f"{kind}_json": json.dumps(list(getattr(data, kind)))} for kind in blocks.KINDS},
        "size": {"size_text": data.size_text, "size_value": size_value, "size_unit": size_unit},
        "licence": {"licence": data.licence},
        "access_conditions": {"access_conditions": data.access_conditions},
        "contact": {"contact_user": data.contact_user, "contact_email": data.contact_email},
        "status": {"status": data.status},
    }
    return {name: value for field in fields for name, value in columns.get(field, {}).items()}


def apply_holders(
    *, session: Session, holders: list[HolderInput], now: datetime, by: str = "import"
) -> Counter:
    """Add or update each holder by its key (caller commits). A new holder gets the defaults
    for the fields its item did not give; a stored one changes only in the fields it gave
    (`data.given`). Returns counts `added`, `updated`, `unchanged` (nothing it gave differs).
    The ignored streak and "left out of matching" are left as they are: only an operator
    saving a holder in Slack brings it back into matching."""
    advisory_lock(session, LOCK)
    stored = {holder.key: holder for holder in store.list_holders(session)}
    counts: Counter = Counter()
    for data in holders:
        row = stored.get(data.key)
        if row is None:
            row = DataHolder(key=data.key, updated_at=now, updated_by=by, **_values(data))
            session.add(row)
            stored[data.key] = row
            counts["added"] += 1
            continue
        changed = {
            name: value
            for name, value in _values(data, data.given).items()
            if getattr(row, name) != value
        }
        for name, value in changed.items():
            setattr(row, name, value)
        if changed:
            row.updated_at, row.updated_by = now, by
        counts["updated" if changed else "unchanged"] += 1
    session.flush()
    _check_distinct(list(stored.values()))
    return counts


def _check_distinct(holders: list[DataHolder], field: str | None = None) -> None:
    """Raise UserError when two holders share a name and organization: pickers and lists
    show "Name — Organization", and an operator must know which holder is approached."""
    seen: dict[tuple[str, str], str] = {}
    for holder in sorted(holders, key=lambda h: h.key):
        identity = tuple(
            " ".join(data_vocab.normalise(text).split())
            for text in (holder.name, holder.organization)
        )
        if identity in seen:
            error = user_error(
                "directory.error.same_name",
                name=holder.name,
                organization=holder.organization or "—",
                first=seen[identity],
                second=holder.key,
            )
            raise error.at(field) if field else error
        seen[identity] = holder.key


def import_holders(
    *, session: Session, text: str, filename: str, now: datetime, by: str = "import"
) -> Counter:
    """`kiban import holders FILE`: load (all or nothing) and apply. Returns the counts;
    raises UserError listing every problem with its line, nothing stored."""
    holders = data_holder_import.load_holders(text, filename)
    return apply_holders(session=session, holders=holders, now=now, by=by)


def format_counts(counts: Counter) -> str:
    """`2 added, 1 updated, 5 unchanged`."""
    return ", ".join(f"{counts[k]} {k}" for k in ("added", "updated", "unchanged"))


# --- /data admin and the modal ------------------------------------------------------------------


def admin_list(*, session: Session, actor: Actor, words: str) -> Message:
    """The `/data admin [WORDS]` reply (operators): holders by name, any status; with WORDS,
    those every word matches (as search matches a word, and also in the key and the contact:
    `tokai`, `U0GAKU`, `<@U0GAKU>`, `data@example.org`). Raises UserError for a
    non-operator."""
    actor.require_operator()
    holders = store.list_holders(session)
    terms = [_mentioned(word) for word in search_words(words)]
    if terms:
        scored = _word_scores(holders, terms, private=True)
        holders = [h for h, scores in scored if all(scores)]
    return blocks.build_admin_list(holders, words.strip(), actor.lang)


def admin_form(*, session: Session, actor: Actor, holder_id: int | None) -> DataHolder | None:
    """The holder the modal edits (None: a new one). Raises UserError for a non-operator or
    a holder that no longer exists."""
    actor.require_operator()
    if holder_id is None:
        return None
    holder = store.get_holder(session, holder_id)
    if holder is None:
        raise user_error("directory.error.gone")
    return holder


def save_holder(
    *, session: Session, actor: Actor, data: HolderInput, now: datetime
) -> list[Notice]:
    """Create (key from `data.key`, else made from the name and unique) or edit the holder.
    Saving as active brings it back into matching (ignored streak 0). Returns the operator's
    confirmation DM. Raises UserError (`field` = modal block) for a non-operator, a key in
    use, a name and organization another holder has, or a holder that no longer exists."""
    actor.require_operator()
    advisory_lock(session, LOCK)
    if data.holder_id is None:
        key = data.key or _free_key(session, data.name)
        taken = store.get_holder_by_key(session, key)
        if taken is not None:
            raise user_error("directory.error.key_taken", holder_key=key, name=taken.name).at(
                Ids.KEY
            )
        holder = insert_once(session, DataHolder(key=key, **_values(data)))
        if holder is None:  # the same key saved at this moment by another operator
            raise user_error("directory.error.key_taken", holder_key=key, name=data.name).at(
                Ids.KEY
            )
    else:
        holder = store.get_holder(session, data.holder_id)
        if holder is None:
            raise user_error("directory.error.gone").at(Ids.NAME)
        for name, value in _values(data, data.given).items():
            setattr(holder, name, value)
    if holder.status == HolderStatus.ACTIVE.value:
        holder.ignored_streak, holder.matching_paused = 0, False
    holder.updated_at, holder.updated_by = now, actor.user_id
    session.flush()
    _check_distinct(store.list_holders(session), field=Ids.NAME)
    return [
        Notice(
            channel=actor.user_id,
            render=lambda lang: blocks.build_saved(holder, lang),
            kind="confirmation",
        )
    ]


def _free_key(session: Session, name: str) -> str:
    """A key made from `name` (`Kyoto Medical Data` → `kyoto-medical-data`; Japanese stays
    Japanese), with `-2`, `-3`… when taken."""
    base = re.sub(r"[^\w]+", "-", data_vocab.normalise(name)).strip("-_")[:56].strip("-_")
    base = base or "holder"
    taken = set(session.exec(select(DataHolder.key)))
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    return key


# --- /data search ------------------------------------------------------------------------------


def search_words(text: str) -> list[str]:
    """The words of a query: NFKC + case-folded, split at spaces (full-width too) and commas."""
    return [w for w in re.split(r"[\s,、，]+", data_vocab.normalise(text or "")) if w]


def _contains(haystack: str, word: str) -> bool:
    if word.isascii():
        return re.search(rf"(?<![0-9a-z]){re.escape(word)}", haystack) is not None
    return word in haystack


def _mentioned(word: str) -> str:
    """The user id of a mention `<@u0gaku>` / `<@u0gaku|gaku>` (as folded), else `word`."""
    user = blocks.slack_user(word.upper())
    return user.casefold() if user and word.startswith("<@") else word


def _word_scores(
    holders: list[DataHolder], words: list[str], *, private: bool = False
) -> list[tuple[DataHolder, list]]:
    """(holder, each word's score) for every holder (scores: module docstring). `private`
    (operators only): the key and the contact count like the organization."""
    terms = [
        {(kind, code) for kind in blocks.KINDS if (code := data_vocab.lookup(kind, word))}
        for word in words
    ]
    scored = []
    for holder in holders:
        name = data_vocab.normalise(holder.name)
        other = data_vocab.normalise(f"{holder.organization}\n{holder.description}")
        if private:
            contact = holder.contact_user or holder.contact_email or ""
            other += "\n" + data_vocab.normalise(f"{holder.key}\n{contact}")
        scores = [
            (3 if _contains(name, word) else 0)
            + (2 if any(code in getattr(holder, kind) for kind, code in word_terms) else 0)
            + (1 if _contains(other, word) else 0)
            for word, word_terms in zip(words, terms, strict=True)
        ]
        scored.append((holder, scores))
    return scored


def rank(holders: list[DataHolder], words: list[str]) -> list[DataHolder]:
    """Holders matching `words`, best score first, ties by name."""
    scored = [(h, sum(scores)) for h, scores in _word_scores(holders, words) if any(scores)]
    scored.sort(key=lambda hs: (-hs[1], data_vocab.normalise(hs[0].name), hs[0].id))
    return [holder for holder, _ in scored]


def _require_member(actor: Actor) -> None:
    if not actor.orgs:  # operators belong to the secretariat
        raise user_error("directory.error.no_org")


def search(*, session: Session, actor: Actor, words: str) -> Message:
    """The `/data search WORDS` reply: the matching holders that are active (and in
    matching), best first, without contacts; usage help for no words; a hint for no match.
    Raises UserError for a person in no organization."""
    _require_member(actor)
    terms = search_words(words)
    if not terms:
        return search_blocks.build_usage(actor.lang)
    ranked = rank(store.list_holders(session, matchable_only=True), terms)
    if not ranked:
        return search_blocks.build_no_match(words.strip(), actor.lang)
    may_request = any(org.kind == OrgKind.DEVELOPER.value for org in actor.orgs)
    return search_blocks.build_search_results(ranked, words.strip(), actor.lang, may_request)


def holder_options(session: Session, actor: Actor, query: str) -> list[dict]:
    """Option objects for an external select of holders (≤ 100, Slack's limit on an options
    response): name or organization containing `query` (NFKC, case-folded), those starting
    with it first, then by name; a query equal to an option's whole text (a pasted choice)
    finds it too. Members get holders in matching only; operators all, marked "(paused)" /
    "(left out of matching)"; a person in no organization none. One query of holders."""
    if not actor.orgs:
        return []
    q = data_vocab.normalise(query or "")
    matched = []
    for holder in store.list_holders(session, matchable_only=not actor.is_operator):
        option = blocks.holder_option(holder, actor.lang)
        name, org = data_vocab.normalise(holder.name), data_vocab.normalise(holder.organization)
        if q in name or q in org or q == data_vocab.normalise(option["text"]["text"]):
            prefix = name.startswith(q) or org.startswith(q)
            matched.append(((not prefix, name, holder.id), option))
    matched.sort(key=lambda m: m[0])
    return [option for _, option in matched[:OPTIONS_MAX]]
