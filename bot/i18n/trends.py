"""Messages of the trend report and App Home (issue #8): `trends`."""

CATALOG: dict[str, dict[str, str]] = {}
