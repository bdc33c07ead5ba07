"""Placeholder: filled in for issue #9."""


def register(app) -> None:
    pass
