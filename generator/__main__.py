"""``python -m generator`` runs the twinspec CLI."""

from generator.cli import main

main()
