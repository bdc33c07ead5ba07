"""The programme's standard evaluation suite: which benchmarks count, and how they must be run.

Operators keep it in ``config/standard_suite.yaml`` (``config/README.md`` explains each
field). :func:`load_suite` reads it strictly: a typo is an error, never a silently ignored
key. Shape::

    benchmarks:
      - name: gsm8k                        # unique; what people see and what is published
        tasks: [gsm8k, gsm8k_cot_llama]    # harness task/group names counting as this benchmark
        metric: exact_match                # the headline metric
        filter: strict-match               # optional: lm-eval filter of the headline
        n_shot: 5                          # optional: the few-shot count required
        min_version: "3"                   # optional: lowest task version accepted (quoted)
        higher_is_better: true             # optional, default true
        description: …                     # optional, for people

Rules checked on load (each error names the benchmark and the field): unknown keys, missing
or wrongly typed values (``n_shot: "5"`` and ``min_version: 3`` are refused: the version
must be quoted text of dot-separated numbers, so ``3.10`` is not read as 3.1), no
benchmarks, a benchmark name used twice, a task listed twice or in two benchmarks, blank
names.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.errors import UserError

__all__ = ["DEFAULT_SUITE_PATH", "Benchmark", "Suite", "load_suite", "parse_version"]

DEFAULT_SUITE_PATH = Path(__file__).resolve().parents[2] / "config" / "standard_suite.yaml"
"""``config/standard_suite.yaml`` at the top of the project."""

_VERSION = re.compile(r"\d+(?:\.\d+)*")

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


def parse_version(text: str | None) -> tuple[int, ...] | None:
    """``"3.0"`` → ``(3, 0)``; None for None or text that is not dot-separated numbers."""
    if text is None or not _VERSION.fullmatch(text.strip()):
        return None
    return tuple(int(part) for part in text.strip().split("."))


def version_below(version: tuple[int, ...], minimum: tuple[int, ...]) -> bool:
    """True if ``version`` < ``minimum``, missing parts being 0 (``3`` == ``3.0``)."""
    width = max(len(version), len(minimum))
    return version + (0,) * (width - len(version)) < minimum + (0,) * (width - len(minimum))


class Benchmark(BaseModel):
    """One benchmark of the suite (see the module docstring for the fields)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    name: Name
    tasks: list[Name] = Field(min_length=1)
    metric: Name
    filter: Name | None = None
    n_shot: int | None = Field(default=None, ge=0, le=1000)
    min_version: str | None = None
    higher_is_better: bool = True
    description: str | None = None

    @field_validator("min_version", mode="before")
    @classmethod
    def _quoted_version(cls, value: object) -> object:
        if value is None:
            return None
        if not isinstance(value, str):
            raise ValueError(
                f'write the version in quotes (min_version: "…"); unquoted, YAML reads it as '
                f"the number {value!r}"
            )
        if parse_version(value) is None:
            raise ValueError(f'"{value}" is not a version like "3" or "1.0"')
        return value.strip()

    @model_validator(mode="after")
    def _tasks_once(self) -> Benchmark:
        twice = sorted(t for t, n in Counter(self.tasks).items() if n > 1)
        if twice:
            raise ValueError(f"tasks listed twice: {', '.join(twice)}")
        return self


class Suite(BaseModel):
    """The standard suite: benchmarks in the order they are shown."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    benchmarks: list[Benchmark] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Suite:
        names = Counter(b.name for b in self.benchmarks)
        twice = sorted(n for n, count in names.items() if count > 1)
        if twice:
            raise ValueError(f"benchmark names used twice: {', '.join(twice)}")
        owner: dict[str, str] = {}
        for bench in self.benchmarks:
            for task in bench.tasks:
                if task in owner:
                    raise ValueError(
                        f"task {task} is in two benchmarks ({owner[task]} and {bench.name}); "
                        "a task can count for one benchmark only"
                    )
                owner[task] = bench.name
        return self

    def benchmark_for(self, task: str) -> Benchmark | None:
        """The benchmark that ``task`` (a harness task or group name) counts for, if any."""
        for bench in self.benchmarks:
            if task in bench.tasks:
                return bench
        return None

    def benchmark(self, name: str) -> Benchmark | None:
        """The benchmark called ``name``, if any."""
        return next((b for b in self.benchmarks if b.name == name), None)


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader refusing duplicate keys; only true/false are booleans (not yes/no/on/off)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} appears twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _where(raw: object, loc: tuple) -> str:
    """``benchmarks[2] (mmlu).n_shot`` from a pydantic error location."""
    out = ""
    node = raw
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
            try:
                node = node[part]  # type: ignore[index]
            except (IndexError, KeyError, TypeError):
                node = None
            if isinstance(node, dict) and isinstance(node.get("name"), str):
                out += f" ({node['name']})"
        else:
            out += f".{part}"
            node = node.get(part) if isinstance(node, dict) else None
    return out.lstrip(".") or "(top level)"


def _message(item: dict) -> str:
    if item["type"] == "extra_forbidden":
        return "unknown key (check the spelling; config/README.md lists the fields)"
    if item["type"] == "missing":
        return "required but missing"
    return str(item["msg"]).removeprefix("Value error, ")


def load_suite(path: Path | str | None = None) -> Suite:
    """Read and check the standard suite.

    Args:
        path: the YAML file (a ``Path`` or text, as in the ``EVAL_SUITE_FILE`` setting);
            None or ``""`` reads :data:`DEFAULT_SUITE_PATH`.

    Raises:
        UserError: (``field="standard_suite"``) for an unreadable file, YAML syntax errors
            (with ``line``), or any rule of the module docstring; every problem is listed.
    """
    path = Path(path) if path else DEFAULT_SUITE_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(
            f"Cannot read the standard suite {path}: {exc}.",
            f"標準スイート {path} を読み込めません: {exc}。",
            field="standard_suite",
        ) from None
    try:
        raw = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 (SafeLoader subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise UserError(
            f"The standard suite {path.name} is not valid YAML"
            + (f" (line {line})" if line else "")
            + f": {problem}.",
            f"標準スイート {path.name} をYAMLとして読めません"
            + (f"（{line}行目）" if line else "")
            + f": {problem}。",
            field="standard_suite",
            line=line,
        ) from None
    if not isinstance(raw, dict):
        raise UserError(
            f"The standard suite {path.name} must be a mapping with a `benchmarks:` list.",
            f"標準スイート {path.name} は `benchmarks:` のリストを持つマッピングにしてください。",
            field="standard_suite",
        )
    try:
        return Suite.model_validate(raw)
    except ValidationError as error:
        problems = [
            f"{_where(raw, tuple(item['loc']))}: {_message(item)}" for item in error.errors()
        ]
        listed = "\n".join(f"- {p}" for p in problems)
        raise UserError(
            f"The standard suite {path.name} has {len(problems)} problem(s):\n{listed}",
            f"標準スイート {path.name} に {len(problems)} 件の問題があります:\n{listed}",
            field="standard_suite",
        ) from None
