"""Downloads over HTTP (files shared in Slack): httpx with tenacity retries on transport
errors, 429 and 5xx only, a bounded timeout, and a size limit enforced while streaming."""

from __future__ import annotations

import time

import httpx
from tenacity import (
    retry,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

from bot.errors import UserError
from bot.parsing.limits import size_text

TIMEOUT = httpx.Timeout(30.0, connect=10.0)


class _Retryable(httpx.HTTPError):
    """A 429 or 5xx answer: worth another try (an httpx error once the tries are spent)."""


def _retryable(error: BaseException) -> bool:
    return isinstance(error, _Retryable | httpx.TransportError)


@retry(
    retry=retry_if_exception(_retryable),
    stop=stop_after_attempt(3),
    wait=wait_exponential(multiplier=0.5, max=4),
    reraise=True,
)
def download(url: str, *, token: str, max_bytes: int) -> bytes:
    """The body at `url`, fetched with `Authorization: Bearer <token>` (Slack's
    `url_private_download` needs the bot token), retried on transport errors, 429 and 5xx.

    Raises UserError when the file is larger than `max_bytes` (checked while streaming, so a
    huge file is never held in memory) or Slack refuses it; httpx errors after the retries.
    """
    return _fetch(url, token=token, max_bytes=max_bytes, timeout=TIMEOUT, seconds=None)


def download_within(url: str, *, token: str, max_bytes: int, seconds: float) -> bytes:
    """`download` in one attempt that gives up after `seconds` in all: for a download made
    before acknowledging a Slack request (which must be acked within 3 s).

    Raises what `download` raises, and httpx.TimeoutException past the deadline.
    """
    timeout = httpx.Timeout(seconds)
    return _fetch(url, token=token, max_bytes=max_bytes, timeout=timeout, seconds=seconds)


def _fetch(
    url: str, *, token: str, max_bytes: int, timeout: httpx.Timeout, seconds: float | None
) -> bytes:
    deadline = time.monotonic() + seconds if seconds is not None else None
    with httpx.stream(
        "GET",
        url,
        headers={"Authorization": f"Bearer {token}"},
        timeout=timeout,
        follow_redirects=False,
    ) as response:
        if response.status_code == 429 or response.status_code >= 500:
            raise _Retryable(f"HTTP {response.status_code}")
        if response.status_code != 200:
            raise UserError(
                f"Slack refused the file download (HTTP {response.status_code}); check the "
                "app has the files:read scope.",
                f"Slack がファイルのダウンロードを拒否しました（HTTP {response.status_code}）。"
                "アプリに files:read 権限があるか確認してください。",
            )
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise too_large(max_bytes)
            if deadline is not None and time.monotonic() > deadline:
                raise httpx.ReadTimeout("download took longer than its deadline")
            chunks.append(chunk)
    return b"".join(chunks)


def too_large(max_bytes: int) -> UserError:
    """The refusal for a file over the size limit (read past it: its size is not known)."""
    return UserError(
        f"The file is larger than {size_text(max_bytes)}, the most Kiban accepts; split it "
        "(e.g. one month per file) and send the parts.",
        f"ファイルが Kiban の上限 {size_text(max_bytes, 'ja')} を超えています。分割して"
        "（例: 1か月ごと）送ってください。",
    )
