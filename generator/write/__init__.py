"""Stage 5: a finished ``WritePlan`` -> disk, or its differences with the disk; never both.

    paths.py      every planned path stays inside its output folder
    manifest.py   .twinspec-manifest.json: what twinspec wrote, by hash
    changes.py    plan vs disk, per file: create/identical/update/skip/conflict/remove
    atomic.py     apply all changes at once or not at all
    cache.py      replay an unchanged ``check`` (standard library only)

The plan comes from ``generator.render.plan``; deciding what to plan is the
driver's (``generator.drive``). This package imports nothing on purpose:
``cache`` must load fast for the console script (``generator.cli.entry``).
"""
