"""Run as a script: import every ``<dir>/*/models.py`` and validate its examples.

Prints a JSON object ``{folder name: [problem, ...]}``; an empty list means the
module imported without warnings and every example validated.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import traceback
import warnings
from pathlib import Path


def check(folder: Path, index: int) -> list[str]:
    problems: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            spec = importlib.util.spec_from_file_location(
                f"corpus_models_{index}", folder / "models.py"
            )
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules[spec.name] = module
            spec.loader.exec_module(module)
        except Exception:
            return [f"import failed: {traceback.format_exc(limit=3)}"]
        from pydantic import TypeAdapter, ValidationError

        checks = json.loads((folder / "checks.json").read_text(encoding="utf-8"))
        for annotation, example in checks:
            try:
                TypeAdapter(eval(annotation, vars(module))).validate_python(example)
            except ValidationError as exc:
                problems.append(f"example for {annotation} fails: {example!r:.300}: {exc}"[:2000])
            except Exception as exc:
                problems.append(f"{annotation}: {type(exc).__name__}: {exc}"[:2000])
    problems += [f"warning: {w.message}" for w in caught]
    return problems


def main() -> None:
    root = Path(sys.argv[1])
    results = {
        d.name: check(d, i) for i, d in enumerate(sorted(p for p in root.iterdir() if p.is_dir()))
    }
    print(json.dumps(results))


if __name__ == "__main__":
    main()
