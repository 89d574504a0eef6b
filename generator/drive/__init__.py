"""The driver: runs load -> validate -> translate -> render -> write for the CLI and the tests.

    spec.py       one spec: load and validate it, or plan one target from it
    jobs.py       what a run plans: the config's jobs or one spec's targets; ``check``
    project.py    every unit planned (validation once per spec) and compared with the disk
    specs.py      each spec of a run loaded and validated once
    beside.py     a big spec's validation (and its openapi.json text) in a forked child
                  while its first target renders
    plancache.py  reuse a target's plan while its inputs are unchanged
    drift.py      ``check``'s verdict as Diagnostics (+ unified diffs)
    defaults.py   operations a user file still leaves to their generated default

Nothing here prints: the CLI shows what these functions return.
"""
