"""`kiban admin import`: organizations, members, allocations and monthly plans from one YAML file.

Shape (documented in README, "Operator setup file")::

    organizations:
      - code: ORGA                 # short code, unique; stored upper-case
        name: Alpha AI
        kind: developer            # developer | data_holder | compute_provider | other | secretariat
        channel: C0ORGA            # the organization's private channel (optional)
        language: ja               # ja | en (default ja)
        members:
          - {user: U0ALICE, role: org_lead}   # member | org_lead | operator | reviewer
        allocations:
          - provider: ABCI
            gpu_type: H100
            granted_gpu_hours: 12000
            period_start: 2026-01-01
            period_end: 2026-12-31
            plans: {2026-01: 1000, 2026-02: 1000}   # month → planned GPU-hours
    data_holders:                  # optional: the data-holder directory, as in
      - {key: kyoto-med, name: …}  # `kiban import holders` (bot.services.data_directory)

Idempotent: importing the same file twice changes nothing the second time. All or nothing:
a file with any bad row stores nothing and every problem is reported with its line number.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from sqlmodel import Session

from bot.errors import UserError
from bot.parsing.months import parse_month
from bot.parsing.text import normalize_input
from bot.parsing.yaml_lines import LineLoader, line_of, strip_lines
from storage import compute as compute_store
from storage import members as member_store
from storage.db import advisory_lock
from storage.members import OrgKind, Role


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MemberSpec(_Spec):
    user: str = Field(pattern=r"^[UW][A-Z0-9]{2,}$")
    role: Literal["member", "org_lead", "operator", "reviewer"] = Role.MEMBER.value


class AllocationSpec(_Spec):
    provider: str = Field(min_length=1, max_length=100)
    gpu_type: str = Field(min_length=1, max_length=50)
    granted_gpu_hours: float = Field(ge=0, le=100_000_000)
    period_start: date
    period_end: date
    plans: dict[str, float] = Field(default_factory=dict)

    @field_validator("provider", "gpu_type", mode="before")
    @classmethod
    def _fold(cls, value: object) -> object:  # full-width ＡＢＣＩ is ABCI, as everywhere else
        return normalize_input(value) if isinstance(value, str) else value

    @field_validator("plans", mode="before")
    @classmethod
    def _months(cls, plans: object) -> object:
        if not isinstance(plans, dict):
            return plans
        normalized = {}
        for month, hours in plans.items():
            try:
                key = parse_month(str(month)).strftime("%Y-%m")
            except UserError as error:
                raise ValueError(error.en) from None
            if not isinstance(hours, int | float) or isinstance(hours, bool) or hours < 0:
                raise ValueError(f"plan for {month} must be a number ≥ 0 GPU-hours")
            if key in normalized:
                raise ValueError(f"the month {key} is listed twice")
            normalized[key] = float(hours)
        return normalized

    @model_validator(mode="after")
    def _period(self) -> AllocationSpec:
        if self.period_end < self.period_start:
            raise ValueError("period_end is before period_start")
        first, last = self.period_start.strftime("%Y-%m"), self.period_end.strftime("%Y-%m")
        outside = [m for m in self.plans if not first <= m <= last]
        if outside:
            raise ValueError(f"plan months outside the period: {', '.join(sorted(outside))}")
        planned = sum(self.plans.values())
        if planned > self.granted_gpu_hours:
            raise ValueError(
                f"the monthly plans add up to {planned:,g} GPU-hours, more than the "
                f"{self.granted_gpu_hours:,g} granted: raise granted_gpu_hours or lower the plans"
            )
        return self


class OrgSpec(_Spec):
    code: str = Field(pattern=r"^[A-Za-z0-9_-]{1,32}$")
    name: str = Field(min_length=1, max_length=200)
    kind: Literal[
        "developer", "data_holder", "compute_provider", "survey_project", "other", "secretariat"
    ] = OrgKind.DEVELOPER.value
    channel: str | None = Field(default=None, pattern=r"^[CG][A-Z0-9]{2,}$")
    language: Literal["ja", "en"] = "ja"
    members: list[MemberSpec] = Field(default_factory=list)
    allocations: list[AllocationSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> OrgSpec:
        users = Counter(member.user for member in self.members)
        twice = sorted(user for user, count in users.items() if count > 1)
        if twice:
            raise ValueError(f"members listed twice: {', '.join(twice)}")
        if self.kind != OrgKind.SECRETARIAT.value:
            operators = [m.user for m in self.members if m.role == Role.OPERATOR.value]
            if operators:
                raise ValueError(
                    f"the operator role is only valid in the secretariat (kind: secretariat): "
                    f"{', '.join(operators)}"
                )
        keys = Counter((a.provider, a.gpu_type, a.period_start) for a in self.allocations)
        repeated = [f"{p} {g} from {d}" for (p, g, d), count in keys.items() if count > 1]
        if repeated:
            raise ValueError(f"allocations listed twice: {', '.join(repeated)}")
        return self


class SetupFile(_Spec):
    organizations: list[OrgSpec] = Field(min_length=1)
    # checked (with line numbers) and replaced by `data_holder_import.holders_from_yaml`
    data_holders: list[Any] = Field(default_factory=list)


def load_setup(text: str) -> SetupFile:
    """Parse and validate a setup file. Raises UserError listing every problem with its line."""
    try:
        raw = yaml.load(text, Loader=LineLoader)  # noqa: S506 (SafeLoader subclass)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        raise UserError(
            f"{where}not valid YAML ({getattr(error, 'problem', error)}).",
            f"{where.replace('line', '行')}YAML として読めません（{getattr(error, 'problem', error)}）。",
        ) from None
    if not isinstance(raw, dict):
        raise UserError(
            "The setup file must be a mapping with an `organizations:` list.",
            "設定ファイルは `organizations:` のリストを持つマッピングである必要があります。",
        )
    try:
        setup = SetupFile.model_validate(strip_lines(raw))
    except ValidationError as error:
        problems = []
        for item in error.errors():
            line = line_of(raw, item["loc"])
            where = "".join(
                f"[{p + 1}]" if isinstance(p, int) else f".{p}" for p in item["loc"]
            ).lstrip(".")
            message = item["msg"].removeprefix("Value error, ")
            problems.append(f"line {line}: {where}: {message}" if line else f"{where}: {message}")
        listed = "\n".join(problems)
        raise UserError(
            f"The setup file has {len(problems)} problem(s); nothing was imported:\n{listed}",
            f"設定ファイルに {len(problems)} 件の問題があるため、何も取り込みませんでした:\n{listed}",
        ) from None
    codes = Counter(org.code.upper() for org in setup.organizations)
    duplicates = [code for code, count in codes.items() if count > 1]
    if duplicates:
        raise UserError(
            f"Organization codes appear twice: {', '.join(duplicates)}; nothing was imported.",
            f"組織コードが重複しています: {', '.join(duplicates)}。何も取り込みませんでした。",
        )
    secretariats = [o.code for o in setup.organizations if o.kind == OrgKind.SECRETARIAT.value]
    if len(secretariats) > 1:
        raise UserError(
            f"Only one organization can be the secretariat: {', '.join(secretariats)}; nothing "
            "was imported.",
            f"事務局（kind: secretariat）は1つだけです: {', '.join(secretariats)}。"
            "何も取り込みませんでした。",
        )
    channels = Counter(org.channel for org in setup.organizations if org.channel)
    shared = sorted(channel for channel, count in channels.items() if count > 1)
    if shared:  # one company's notes would be posted where another's people read them
        raise UserError(
            f"Two organizations name the same channel: {', '.join(shared)}; each organization "
            "needs its own private channel. Nothing was imported.",
            f"同じチャンネルが複数の組織に指定されています: {', '.join(shared)}。組織ごとに別の"
            "非公開チャンネルを指定してください。何も取り込みませんでした。",
        )
    if setup.data_holders:
        from bot.services.data_holder_import import holders_from_yaml  # it reuses this loader

        setup.data_holders = holders_from_yaml(raw["data_holders"])
    return setup


def _check_against_stored(session: Session, setup: SetupFile) -> None:
    """Refuse a channel already used by another stored organization, and a second
    secretariat (operators' powers come from the one secretariat organization)."""
    stored = member_store.list_orgs(session)
    for spec in setup.organizations:
        for org in stored:
            if org.code.upper() == spec.code.upper():
                continue
            if spec.channel and org.channel_id == spec.channel:
                raise UserError(
                    f"{spec.code}: channel {spec.channel} already belongs to {org.code}; nothing "
                    "was imported.",
                    f"{spec.code}: チャンネル {spec.channel} はすでに {org.code} のものです。"
                    "何も取り込みませんでした。",
                )
            if spec.kind == OrgKind.SECRETARIAT.value == org.kind:
                raise UserError(
                    f"{spec.code}: {org.code} is already the secretariat; there is one. Nothing "
                    "was imported.",
                    f"{spec.code}: 事務局はすでに {org.code} です（事務局は1つだけです）。"
                    "何も取り込みませんでした。",
                )


def import_setup(*, session: Session, text: str, now: datetime | None = None) -> Counter:
    """Load a setup file into the database (caller commits). Returns counts such as
    `{"organization created": 3, "plan unchanged": 12, "data holder added": 2}`. `now`
    (aware UTC; default the real clock) stamps data holders. Raises UserError (nothing
    stored)."""
    setup = load_setup(text)
    advisory_lock(session, "setup")  # two imports at once take turns
    _check_against_stored(session, setup)
    counts: Counter = Counter()
    for spec in setup.organizations:
        org, status = member_store.upsert_org(
            session,
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            channel_id=spec.channel,
            language=spec.language,
        )
        counts[f"organization {status}"] += 1
        for member in spec.members:
            status = member_store.upsert_member(
                session, slack_user_id=member.user, org_id=org.id, role=member.role
            )
            counts[f"member {status}"] += 1
        for alloc in spec.allocations:
            apply_allocation(session, org_id=org.id, spec=alloc, counts=counts)
    if setup.data_holders:
        from bot.deps import utc_now
        from bot.services.data_directory import apply_holders

        done = apply_holders(
            session=session, holders=setup.data_holders, now=now or utc_now(), by="setup"
        )
        counts.update({f"data holder {status}": n for status, n in done.items()})
    return counts


def apply_allocation(
    session: Session, *, org_id: int, spec: AllocationSpec, counts: Counter
) -> compute_store.ComputeAllocation:
    """Create or update the allocation (organization, provider, GPU type, period start) and
    the plans `spec` lists (other months' plans stay). Adds to `counts` what it did; caller
    commits. Used by the setup import and the `/compute admin` modal."""
    allocation = compute_store.find_allocation(
        session,
        org_id=org_id,
        provider=spec.provider,
        gpu_type=spec.gpu_type,
        period_start=spec.period_start,
    )
    if allocation is None:
        _refuse_overlap(session, org_id, spec)
        allocation = compute_store.ComputeAllocation(
            organization_id=org_id,
            provider=spec.provider,
            gpu_type=spec.gpu_type,
            granted_gpu_hours=spec.granted_gpu_hours,
            period_start=spec.period_start,
            period_end=spec.period_end,
        )
        session.add(allocation)
        session.flush()
        counts["allocation created"] += 1
    elif (allocation.granted_gpu_hours, allocation.period_end) != (
        spec.granted_gpu_hours,
        spec.period_end,
    ):
        allocation.granted_gpu_hours = spec.granted_gpu_hours
        allocation.period_end = spec.period_end
        session.flush()
        counts["allocation updated"] += 1
    else:
        counts["allocation unchanged"] += 1
    for month, planned in spec.plans.items():
        status = compute_store.upsert_plan(
            session, allocation_id=allocation.id, month=month, planned=planned
        )
        counts[f"plan {status}"] += 1
    planned = sum(compute_store.plans_for(session, allocation.id).values())
    if planned > allocation.granted_gpu_hours + 1e-9:  # stored plans of other months count too
        label = f"{allocation.provider} ({allocation.gpu_type})"
        raise UserError(
            f"{label}: the monthly plans on record add up to {planned:,g} GPU-hours, more than "
            f"the {allocation.granted_gpu_hours:,g} granted; lower the plans (list the months "
            "with smaller figures) or keep the grant. Nothing was imported.",
            f"{label}: 登録済みの月次計画の合計 {planned:,g} GPU時間が付与量 "
            f"{allocation.granted_gpu_hours:,g} GPU時間を超えます。計画を下げるか付与量を"
            "維持してください。何も取り込みませんでした。",
        )
    return allocation


def _refuse_overlap(session: Session, org_id: int, spec: AllocationSpec) -> None:
    """Raise UserError when the organization already has an allocation of the same provider
    and GPU type whose period overlaps the new one: usage files could not tell them apart."""
    for other in compute_store.allocations_for_org(session, org_id):
        same = (other.provider.lower(), other.gpu_type.lower()) == (
            spec.provider.lower(),
            spec.gpu_type.lower(),
        )
        if same and other.period_start <= spec.period_end and spec.period_start <= other.period_end:
            label = f"{other.provider} ({other.gpu_type})"
            period = f"{other.period_start.isoformat()} – {other.period_end.isoformat()}"
            raise UserError(
                f"{label} already has an allocation for {period}, which overlaps "
                f"{spec.period_start.isoformat()} – {spec.period_end.isoformat()}; usage could "
                "not be told apart. Edit that allocation instead.",
                f"{label} には {period} の割当があり、{spec.period_start.isoformat()}〜"
                f"{spec.period_end.isoformat()} と重なります（利用実績を区別できません）。"
                "既存の割当を編集してください。",
                field="provider",
            )


def format_counts(counts: Counter) -> str:
    """`organization created: 3, plan unchanged: 12` in a stable order."""
    return ", ".join(f"{key}: {value}" for key, value in sorted(counts.items())) or "nothing"
