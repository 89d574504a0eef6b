"""The property every random document must satisfy, shared by the tests and benchmarks/fuzz.py.

For each target of the document's family that exists: ``plan_target`` returns
either no plan and at least one error Diagnostic (the exit-1 path), or a plan
whose paths stay inside the output folder and whose every ``.py`` file
compiles. Any exception escaping the pipeline is a failure.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from hostile.harness import compile_errors, errors, show, target_available, unsafe_paths, write_spec

from generator.drive.spec import load_and_validate, plan_target

FAMILY_TARGETS = {
    "openapi": ("rest-server", "rest-client"),
    "asyncapi": ("stream-server", "stream-client"),
}

OUTCOMES: Counter[str] = Counter()
"""What the examples run so far produced (``refused``, ``generated:<target>``), for reports."""


def available_targets(family: str) -> tuple[str, ...]:
    """The targets of ``family`` that are implemented in this checkout."""
    return tuple(t for t in FAMILY_TARGETS[family] if target_available(t))


def check_pipeline(doc: Any, family: str, *, fmt: str = "json") -> None:
    """Run load -> validate -> plan for every available target; assert the property."""
    with tempfile.TemporaryDirectory(prefix="twinspec-fuzz-") as tmp:
        spec = write_spec(Path(tmp), f"spec.{fmt}", doc)
        document, diagnostics = load_and_validate(spec)
        if document is None:
            assert errors(diagnostics), "not loaded, yet no error"
        valid = document is not None and not errors(diagnostics)
        targets = available_targets(family)
        OUTCOMES.update(f"error:{d.code}" for d in errors(diagnostics))
        if not targets:
            OUTCOMES["validated" if valid else "refused"] += 1
            return
        for target in targets:
            plan, planned = plan_target(spec, target)
            if plan is None:
                assert errors(planned), f"{target}: no plan and no error:\n{show(planned)}"
                OUTCOMES[f"refused:{target}"] += 1
                continue
            assert not unsafe_paths(plan), f"{target}: unsafe paths {unsafe_paths(plan)}"
            broken = compile_errors(plan)
            assert not broken, f"{target}: generated code does not compile: {broken}"
            OUTCOMES[f"generated:{target}"] += 1
