"""Organizations, their members and roles.

Roles (DOMAIN.md): member, org_lead, operator, reviewer. A person may belong to several
organizations, with one role in each. The secretariat is an organization of kind `secretariat`;
the operator role is valid there only, so no slip in a member command can make a company's
member an operator of every organization.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum

from sqlalchemy import UniqueConstraint, func
from sqlmodel import Field, Session, SQLModel, select


class OrgKind(StrEnum):
    DEVELOPER = "developer"
    DATA_HOLDER = "data_holder"
    COMPUTE_PROVIDER = "compute_provider"
    SURVEY_PROJECT = "survey_project"  # a related survey project: reports progress monthly
    OTHER = "other"
    SECRETARIAT = "secretariat"


class Role(StrEnum):
    MEMBER = "member"
    ORG_LEAD = "org_lead"
    OPERATOR = "operator"
    REVIEWER = "reviewer"


class Organization(SQLModel, table=True):
    """A participating organization. `code` is its short code (e.g. `ORGA`), unique."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True, index=True)
    name: str = Field(max_length=200)
    kind: str = Field(default=OrgKind.DEVELOPER.value, max_length=32)
    channel_id: str | None = Field(default=None, max_length=32)
    language: str = Field(default="ja", max_length=2)


class Member(SQLModel, table=True):
    """A Slack user's membership of one organization, with a role there."""

    __table_args__ = (UniqueConstraint("slack_user_id", "organization_id", name="uq_member_org"),)

    id: int | None = Field(default=None, primary_key=True)
    slack_user_id: str = Field(max_length=32, index=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    role: str = Field(default=Role.MEMBER.value, max_length=16)


def _folded(text: str) -> str:
    """NFKC (full-width ＯＲＧＡ is ORGA, as everywhere else people type) and trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def get_org_by_code(session: Session, code: str) -> Organization | None:
    """The organization with this short code (case-insensitive, full-width folded), or None."""
    return session.exec(
        select(Organization).where(Organization.code == _folded(code).upper())
    ).first()


def get_org_by_code_or_name(session: Session, text: str) -> Organization | None:
    """The organization whose short code or name is `text` (case-insensitive), or None."""
    return (
        get_org_by_code(session, text)
        or session.exec(
            select(Organization).where(func.lower(Organization.name) == _folded(text).lower())
        ).first()
    )


def get_org(session: Session, org_id: int) -> Organization | None:
    return session.get(Organization, org_id)


def list_orgs(session: Session, kind: str | None = None) -> list[Organization]:
    """All organizations (optionally of one kind), ordered by code."""
    query = select(Organization).order_by(Organization.code)
    if kind:
        query = query.where(Organization.kind == kind)
    return list(session.exec(query))


def participant_orgs(session: Session) -> list[Organization]:
    """Every organization but the secretariat (the ones that report, are instructed, are
    invited), ordered by code."""
    return [org for org in list_orgs(session) if org.kind != OrgKind.SECRETARIAT.value]


def memberships(session: Session, slack_user_id: str) -> list[tuple[Member, Organization]]:
    """The user's memberships with their organizations, ordered by organization code."""
    query = (
        select(Member, Organization)
        .join(Organization, Member.organization_id == Organization.id)
        .where(Member.slack_user_id == slack_user_id)
        .order_by(Organization.code)
    )
    return [(m, o) for m, o in session.exec(query)]


def org_members(session: Session, org_id: int, role: str | None = None) -> list[Member]:
    """Members of an organization, optionally only those with `role`."""
    query = select(Member).where(Member.organization_id == org_id).order_by(Member.slack_user_id)
    if role:
        query = query.where(Member.role == role)
    return list(session.exec(query))


def upsert_org(session: Session, *, code: str, **values) -> tuple[Organization, str]:
    """Create or update an organization by code. Returns it and "created"/"updated"/"unchanged"."""
    org = get_org_by_code(session, code)
    if org is None:
        org = Organization(code=code.upper(), **values)
        session.add(org)
        session.flush()
        return org, "created"
    changed = _assign(org, values)
    session.flush()
    return org, "updated" if changed else "unchanged"


def upsert_member(session: Session, *, slack_user_id: str, org_id: int, role: str) -> str:
    """Create or update a membership. Returns "created", "updated" or "unchanged"."""
    member = session.exec(
        select(Member).where(
            Member.slack_user_id == slack_user_id, Member.organization_id == org_id
        )
    ).first()
    if member is None:
        session.add(Member(slack_user_id=slack_user_id, organization_id=org_id, role=role))
        session.flush()
        return "created"
    changed = _assign(member, {"role": role})
    session.flush()
    return "updated" if changed else "unchanged"


def _assign(obj: SQLModel, values: dict) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed
