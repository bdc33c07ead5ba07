"""Kiban's settings, read once at start-up from the environment (and a `.env` file).

Every setting is documented in `.env.example`. Tokens are `SecretStr` so they never print.
"""

from __future__ import annotations

import json
from datetime import datetime, time
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

SLACK_API_URL = "https://slack.com/api/"


class Settings(BaseSettings):
    """All of Kiban's configuration. Field names map to upper-case environment variables."""

    # an empty variable (`SLACK_TIMEOUT=` left in a .env) means "the default", not a value
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    slack_bot_token: SecretStr = SecretStr("")
    slack_signing_secret: SecretStr = SecretStr("")
    slack_app_token: SecretStr | None = None
    slack_api_url: str = SLACK_API_URL
    slack_timeout: float = Field(default=10.0, gt=0, le=120)  # seconds per Web API request
    database_url: str = "sqlite:///kiban.sqlite3"
    timezone: str = "Asia/Tokyo"
    default_language: Literal["ja", "en"] = "ja"
    operator_channel: str = ""
    digest_channel: str = ""
    overuse_threshold_percent: float = Field(default=10.0, ge=0, le=1000)
    underuse_threshold_percent: float = Field(default=20.0, ge=0, le=100)
    underuse_checkpoints: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["06-30", "09-30", "12-31", "03-31"]
    )
    escalation_days: int = Field(default=7, ge=1, le=90)
    alert_suppression_days: int = Field(default=7, ge=1, le=90)
    report_missing_grace_days: int = Field(default=5, ge=0, le=60)
    alerts_dry_run: bool = False
    quiet_hours_start: time = time(22, 0)
    quiet_hours_end: time = time(8, 0)
    reconciliation_tolerance_percent: float = Field(default=5.0, ge=0, le=100)
    gpu_normalisation: Annotated[dict[str, float], NoDecode] = Field(default_factory=dict)
    digest_visibility: Literal["figures", "status"] = "figures"
    eval_results_channel: str = ""
    eval_suite_file: str = ""  # empty: the bundled config/standard_suite.yaml
    intro_answer_days: int = Field(default=7, ge=1, le=90)
    intro_followup_days: int = Field(default=14, ge=1, le=180)
    data_request_idle_days: int = Field(default=5, ge=1, le=90)
    event_nonresponder_reminder: bool = False  # thread reminder 2 days before the RSVP deadline
    trend_feeds: Annotated[list[str], NoDecode] = Field(default_factory=list)  # RSS/Atom URLs
    trend_arxiv_query: str = ""  # e.g. `cat:cs.CL AND abs:"large language model"`; empty: off
    trend_hf_models: bool = False  # the Hugging Face Hub's most downloaded new models
    trend_channels: Annotated[list[str], NoDecode] = Field(default_factory=list)  # publish to
    trend_fetch_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    progress_channel: str = (
        ""  # survey projects' reports for the secretariat; empty: operator channel
    )
    announcement_channels: Annotated[list[str], NoDecode] = Field(
        default_factory=list
    )  # default: digest
    public_base_url: str = "https://example.invalid/kiban/"  # where `kiban export public` is served
    public_feed_title: str = "Kiban"  # the public feed's title
    llm_base_url: str = ""  # an OpenAI-compatible endpoint; empty: no LLM
    llm_model: str = ""
    llm_api_key: SecretStr = SecretStr("")
    llm_timeout_seconds: float = Field(default=20.0, gt=0, le=120)
    port: int = Field(default=3000, ge=1, le=65535)
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r}; use an IANA name like Asia/Tokyo"
            ) from None
        return value

    @field_validator("underuse_checkpoints", mode="before")
    @classmethod
    def _checkpoints(cls, value: object) -> object:
        if isinstance(value, str):  # `06-30,12-31` or JSON: pydantic-settings alone takes JSON
            text = value.strip()
            value = (
                json.loads(text)
                if text.startswith("[")
                else [part.strip() for part in text.split(",") if part.strip()]
            )
        for item in value or []:
            try:
                datetime.strptime(f"2024-{item}", "%Y-%m-%d")
            except (TypeError, ValueError):
                raise ValueError(f"{item!r} is not a MM-DD date") from None
        return value

    @field_validator("trend_feeds", "trend_channels", "announcement_channels", mode="before")
    @classmethod
    def _list(cls, value: object) -> object:
        if isinstance(value, str):  # `a,b` or JSON: pydantic-settings alone takes JSON
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    @field_validator("gpu_normalisation", mode="before")
    @classmethod
    def _factors(cls, value: object) -> object:
        if isinstance(value, str):  # `H100=1,A100=0.5` or JSON
            text = value.strip()
            if text.startswith("{"):
                value = json.loads(text)
            else:
                value = {}
                for part in filter(None, (p.strip() for p in text.split(","))):
                    gpu_type, sep, factor = part.partition("=")
                    if not sep or not gpu_type.strip():
                        raise ValueError(f"{part!r} is not GPU_TYPE=FACTOR (e.g. A100=0.5)")
                    value[gpu_type.strip()] = factor.strip()
        if isinstance(value, dict):
            for gpu_type, factor in value.items():
                try:
                    number = float(factor)
                except (TypeError, ValueError):
                    raise ValueError(f"factor for {gpu_type!r} is not a number") from None
                if not 0 < number <= 100:
                    raise ValueError(f"factor for {gpu_type!r} must be > 0 and <= 100")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str) -> str:
        try:
            backend = make_url(value).get_backend_name()
        except ArgumentError:
            raise ValueError(  # never quoted: it may hold a password
                "DATABASE_URL is not a database URL; use sqlite:///kiban.sqlite3 or "
                "postgresql://user:password@host:5432/dbname"
            ) from None
        if backend not in ("sqlite", "postgresql", "postgres"):
            raise ValueError(f"{backend!r} is not supported; use SQLite or PostgreSQL")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"

    @property
    def tz(self) -> ZoneInfo:
        """The programme's time zone (schedules and month boundaries)."""
        return ZoneInfo(self.timezone)
