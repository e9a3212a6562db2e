"""``python -m embedlab ...`` runs the CLI (same as the ``embedlab`` command)."""

import sys

from embedlab.cli import main

sys.exit(main())
