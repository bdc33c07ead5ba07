"""Messages of the trend report and App Home (issue #8): `home`."""

CATALOG: dict[str, dict[str, str]] = {}
