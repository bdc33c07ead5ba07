"""`python -m bot` runs the `kiban` command."""

import sys

from bot.cli import main

sys.exit(main())
