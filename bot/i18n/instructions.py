"""Messages of instructions (指示) from the secretariat to organizations."""

CATALOG: dict[str, dict[str, str]] = {}
