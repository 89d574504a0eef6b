"""The per-target plan cache: only units whose inputs changed are rendered again."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.render.plan import WritePlan
from generator.render.targets import RenderRequest

from . import fake_target
from .conftest import SPEC, run


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Spec labels and targets the fake target renders, in order."""
    seen: list[str] = []
    real = fake_target.plan_fake

    def counting(request: RenderRequest[dict[str, object]]) -> WritePlan:
        seen.append(f"{request.spec_label}:{request.target}")
        return real(request)

    monkeypatch.setattr(fake_target, "plan_fake", counting)
    return seen


@pytest.fixture
def two_jobs(project: Path) -> Path:
    (project / "specs/common.yaml").write_text("Pet: {type: object}\n")
    (project / "specs/zoo.yaml").write_text(
        SPEC.replace("Pets", "Zoo")
        + "components:\n  schemas:\n    Pet: {$ref: 'common.yaml#/Pet'}\n"
    )
    (project / "twinspec.yaml").write_text(
        "jobs:\n"
        "  - {spec: specs/pets.yaml, targets: [fake, fake2], output: out/pets}\n"
        "  - {spec: specs/zoo.yaml, targets: [fake], output: out/zoo}\n"
    )
    assert run("generate", "-q").exit_code == 0
    return project


def test_unchanged_plans_are_reused(two_jobs: Path, calls: list[str]) -> None:
    result = run("check", "--format", "json")
    assert result.exit_code == 0
    assert calls == []  # generate stored every plan
    (two_jobs / "specs/pets.yaml").write_text(SPEC.replace("List pets", "List the pets"))
    stale = run("check")
    assert stale.exit_code == 1
    assert calls == ["specs/pets.yaml:fake", "specs/pets.yaml:fake2"]
    calls.clear()
    (two_jobs / "specs/common.yaml").write_text("Pet: {type: string}\n")
    assert run("check").exit_code == 1
    assert calls == ["specs/zoo.yaml:fake"]


def test_cached_plan_is_the_same_verdict(two_jobs: Path, calls: list[str]) -> None:
    (two_jobs / "out/zoo/fake/fakepkg/__init__.py").write_text("# edited\n")
    cached = run("check")
    fresh = run("check", "--no-cache")
    assert cached.exit_code == fresh.exit_code == 1
    assert cached.stdout == fresh.stdout
    # the edited folder no longer matches its manifest: its stored plan is not trusted
    assert calls == [
        "specs/zoo.yaml:fake",
        "specs/pets.yaml:fake",
        "specs/pets.yaml:fake2",
        "specs/zoo.yaml:fake",
    ]


def test_spec_warnings_survive_the_cache(two_jobs: Path) -> None:
    (two_jobs / "specs/pets.yaml").write_text(SPEC + "x-dup: 1\nx-dup: 2\n")
    first = run("check")
    again = run("check")
    assert "warning [yaml-duplicate-key]" in first.stdout
    assert again.stdout == first.stdout


def test_config_change_invalidates(two_jobs: Path, calls: list[str]) -> None:
    config = two_jobs / "twinspec.yaml"
    config.write_text(config.read_text().replace("out/zoo}", "out/zoo, package: zoo}"))
    assert run("check").exit_code == 1
    assert "specs/zoo.yaml:fake" in calls


def test_generate_uses_stored_plans_unless_no_cache(two_jobs: Path, calls: list[str]) -> None:
    assert run("generate", "-q").exit_code == 0
    assert calls == []
    assert run("generate", "-q", "--no-cache").exit_code == 0
    assert calls == ["specs/pets.yaml:fake", "specs/pets.yaml:fake2", "specs/zoo.yaml:fake"]
