"""`/kiban` (help, member add)."""

from __future__ import annotations

import re

from bot.blocks.common import escape, from_slack_text
from bot.i18n import t
from bot.services import members
from handlers.common import deps_of, lang_for, load_actor
from handlers.errors import guarded

MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$|^([UW][A-Z0-9]+)$")


def register(app) -> None:
    app.command("/kiban")(guarded(handle_kiban_command))


def handle_kiban_command(ack, command, context, respond) -> None:
    ack()
    deps = deps_of(context)
    user = command["user_id"]
    lang = lang_for(deps, user)
    words = from_slack_text(command.get("text")).split()
    if [w.lower() for w in words[:2]] != ["member", "add"]:
        text = t("kiban.help", lang)
        if words and words[0].lower() != "help":
            sub = escape(" ".join(words[:2]))
            text = t("kiban.unknown_subcommand", lang, sub=sub) + "\n" + text
        respond(text=text)
        return
    args = words[2:]
    target = MENTION.match(args[0]) if args else None
    if not target or len(args) not in (2, 3):
        with deps.session_factory.begin() as session:
            load_actor(deps, session, user, lang).require_operator()
        respond(text=t("kiban.member_usage", lang))
        return
    target_id = target.group(1) or target.group(2)
    role = args[2].lower() if len(args) == 3 else "member"
    with deps.session_factory.begin() as session:
        actor = load_actor(deps, session, user, lang)
        status, org = members.add_member(
            session=session,
            actor=actor,
            user_id=target_id,
            org_code=args[1],
            role=role,
            slack=deps.slack,
        )
    role_name = t(f"role.{role}", lang)
    respond(
        text=t(f"kiban.member_{status}", lang, user=f"<@{target_id}>", org=org.name, role=role_name)
    )
