"""Who a Slack user is in Kiban (organizations and roles), and operators' member management."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from bot.errors import UserError
from bot.i18n import t
from storage import members as store
from storage.members import Organization, Role


def user_error(key: str, **params: object) -> UserError:
    """A UserError from a catalog key, in both languages."""
    return UserError(t(key, "en", **params), t(key, "ja", **params))


@dataclass
class Actor:
    """The person acting, with their memberships: `roles` maps organization id → role."""

    user_id: str
    lang: str
    orgs: list[Organization] = field(default_factory=list)
    roles: dict[int, str] = field(default_factory=dict)

    @property
    def is_operator(self) -> bool:
        return Role.OPERATOR.value in self.roles.values()

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
    """The organizations the actor reports for. Raises UserError when in none (how to join)."""
    reportable = [org for org in actor.orgs if actor.roles[org.id] != Role.REVIEWER.value]
    if not reportable:
        raise user_error("error.no_org")
    return reportable


def org_by_code(session: Session, code: str) -> Organization:
    """The organization with short code `code`. Raises UserError when there is none."""
    org = store.get_org_by_code(session, code)
    if org is None:
        raise user_error("error.unknown_org", code=code)
    return org


def add_member(
    session: Session, *, actor: Actor, user_id: str, org_code: str, role: str
) -> tuple[str, Organization]:
    """Add `user_id` to an organization with `role`, or change their role (operators only).

    Returns ("created"|"updated"|"unchanged", organization). Raises UserError for a non-operator,
    an unknown organization or role.
    """
    actor.require_operator()
    if role not in {r.value for r in Role}:
        raise user_error("kiban.bad_role", role=role)
    org = org_by_code(session, org_code)
    status = store.upsert_member(session, slack_user_id=user_id, org_id=org.id, role=role)
    return status, org
