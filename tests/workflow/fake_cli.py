"""Run the twinspec CLI with the fake targets registered (for subprocess tests)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.render import targets
from workflow import fake_target

for _name in ("fake", "fake2"):
    targets.TARGETS[_name] = fake_target.info(_name)

from generator.cli.entry import main  # noqa: E402

main()
