"""A local stand-in for a Slack workspace (see `bot.sandbox.sandbox` and ARCHITECTURE.md).

Public interface: `Sandbox`, `Workspace`, `AckResult`, `Entry`, `DriverError`.
"""

from .driver import DriverError
from .sandbox import Sandbox
from .state import AckResult, Entry
from .workspace import Workspace

__all__ = ["AckResult", "DriverError", "Entry", "Sandbox", "Workspace"]
