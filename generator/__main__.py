"""``python -m generator`` runs the twinspec CLI and ends as the console script does (``fastexit``)."""

from generator.cli import main
from generator.cli.fastexit import exit_like

try:
    main()
except SystemExit as exc:
    exit_like(exc)
