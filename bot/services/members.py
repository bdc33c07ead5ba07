"""Who a Slack user is in Kiban (organizations and roles), and operators' member management."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from bot.clients.slack import SlackGateway
from bot.errors import UserError
from bot.i18n import t
from storage import members as store
from storage.db import advisory_lock
from storage.members import Organization, OrgKind, Role


def user_error(key: str, **params: object) -> UserError:
    """A UserError from a catalog key, in both languages."""
    return UserError(t(key, "en", **params), t(key, "ja", **params))


def user_error_in(key: str, params_for) -> UserError:
    """A UserError from a catalog key whose parameters depend on the language:
    `params_for(lang)` returns them (e.g. a status label in that language)."""
    return UserError(t(key, "en", **params_for("en")), t(key, "ja", **params_for("ja")))


@dataclass
class Actor:
    """The person acting, with their memberships: `roles` maps organization id → role."""

    user_id: str
    lang: str
    orgs: list[Organization] = field(default_factory=list)
    roles: dict[int, str] = field(default_factory=dict)

    @property
    def is_operator(self) -> bool:
        """An operator is a member of the secretariat with the operator role."""
        return any(
            org.kind == OrgKind.SECRETARIAT.value and self.roles[org.id] == Role.OPERATOR.value
            for org in self.orgs
        )

    def belongs_to(self, org_id: int) -> bool:
        return org_id in self.roles

    def may_see_org(self, org_id: int) -> bool:
        """Members see their own organizations; operators see all."""
        return self.is_operator or self.belongs_to(org_id)

    def require_operator(self) -> None:
        """Raises UserError (polite refusal) unless the actor is an operator."""
        if not self.is_operator:
            raise user_error("error.not_operator")


def resolve_actor(session: Session, user_id: str, lang: str) -> Actor:
    """Load the user's memberships. `lang` is the language to speak to them in."""
    actor = Actor(user_id=user_id, lang=lang)
    for member, org in store.memberships(session, user_id):
        actor.orgs.append(org)
        actor.roles[org.id] = member.role
    return actor


def own_orgs(actor: Actor) -> list[Organization]:
    """The organizations the actor reports for (not the secretariat; not as a reviewer).

    Raises UserError when there are none: how to be added, or for operators, how to look at
    an organization instead.
    """
    reportable = [
        org
        for org in actor.orgs
        if actor.roles[org.id] != Role.REVIEWER.value and org.kind != OrgKind.SECRETARIAT.value
    ]
    if not reportable:
        raise user_error(_no_org_key(actor))
    return reportable


def _no_org_key(actor: Actor) -> str:
    """Why an actor has no organization to act for: operator, reviewer only, or none."""
    if actor.is_operator:
        return "error.operator_no_org"
    if actor.orgs:  # every membership is as a reviewer
        return "error.reviewer_only"
    return "error.no_org"


def visible_orgs(session: Session, actor: Actor, org_code: str | None) -> list[Organization]:
    """The organizations a reply is about: `org_code` (a code or a name) when the actor may see it (operators:
    any; members: their own), else the actor's own organizations.

    Raises UserError for an unknown code, another organization, or an actor in none.
    """
    if not org_code:
        return own_orgs(actor)
    org = org_by_code(session, org_code, or_name=True)
    if not actor.may_see_org(org.id):
        raise user_error("error.not_your_org")
    return [org]


def org_by_code(session: Session, code: str, *, or_name: bool = False) -> Organization:
    """The organization with short code `code` (or, with `or_name`, that name).

    Raises UserError when there is none."""
    org = (
        store.get_org_by_code_or_name(session, code)
        if or_name
        else store.get_org_by_code(session, code)
    )
    if org is None:
        raise user_error("error.unknown_org", code=code)
    return org


def add_member(
    session: Session,
    *,
    actor: Actor,
    user_id: str,
    org_code: str,
    role: str,
    slack: SlackGateway | None = None,
) -> tuple[str, Organization]:
    """Add `user_id` to an organization with `role`, or change their role (operators only).

    Returns ("created"|"updated"|"unchanged", organization). Raises UserError for a non-operator,
    an unknown organization or role, the operator role outside the secretariat, or (when
    `slack` is given) a user Slack does not know.
    """
    actor.require_operator()
    if role not in {r.value for r in Role}:
        raise user_error("kiban.bad_role", role=role)
    org = org_by_code(session, org_code)
    if role == Role.OPERATOR.value and org.kind != OrgKind.SECRETARIAT.value:
        raise user_error("kiban.operator_outside_secretariat", org=org.name)
    if slack is not None and slack.user_info(user_id) is None:
        raise user_error("kiban.unknown_user", user=user_id)
    advisory_lock(session, f"member:{user_id}:{org.id}")  # racing adds take turns
    status = store.upsert_member(session, slack_user_id=user_id, org_id=org.id, role=role)
    return status, org
