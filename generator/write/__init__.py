"""Stage 6: ``WritePlan`` -> disk, or a drift report; never both.

    plan.py       WritePlan / PlannedFile / Owner: what a target would write
    paths.py      every planned path stays inside its output folder
    manifest.py   .twinspec-manifest.json: what twinspec wrote, by hash
    changes.py    plan vs disk, per file: create/identical/update/skip/conflict/remove
    atomic.py     apply all changes at once or not at all
    project.py    every job of a config planned and compared in memory
    drift.py      check's verdict as Diagnostics (+ unified diffs)
    defaults.py   operations a user file still leaves to their generated default
    plancache.py  reuse a target's plan while its inputs are unchanged
    cache.py      replay an unchanged ``check`` (standard library only)
    fastpath.py   the console-script entry that tries that replay before click

This package imports nothing on purpose: ``fastpath`` must start fast.
"""
