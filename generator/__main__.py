"""``python -m generator`` runs what the ``twinspec`` console script runs (``cli.entry``)."""

from generator.cli.entry import main

main()
