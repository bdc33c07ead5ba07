"""Messages of the trend report and App Home (issue #8): `trend_report`."""

CATALOG: dict[str, dict[str, str]] = {}
