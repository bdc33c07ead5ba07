"""Scenarios: a YAML script of what people do in Slack and what they should then see, played
against the sandbox and the real bot (`kiban demo`). Format: README, "Scenario format"."""
