"""Kiban's settings, read once at start-up from the environment (and a `.env` file).

Every setting is documented in `.env.example`. Tokens are `SecretStr` so they never print.
"""

from __future__ import annotations

from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SLACK_API_URL = "https://slack.com/api/"


class Settings(BaseSettings):
    """All of Kiban's configuration. Field names map to upper-case environment variables."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    slack_bot_token: SecretStr = SecretStr("")
    slack_signing_secret: SecretStr = SecretStr("")
    slack_app_token: SecretStr | None = None
    slack_api_url: str = SLACK_API_URL
    database_url: str = "sqlite:///kiban.sqlite3"
    timezone: str = "Asia/Tokyo"
    default_language: Literal["ja", "en"] = "ja"
    operator_channel: str = ""
    digest_channel: str = ""
    overuse_threshold_percent: float = Field(default=10.0, ge=0, le=1000)
    port: int = 3000
    log_level: str = "INFO"

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

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"

    @property
    def tz(self) -> ZoneInfo:
        """The programme's time zone (schedules and month boundaries)."""
        return ZoneInfo(self.timezone)
