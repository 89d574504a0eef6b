"""The format cache: a hit is exactly what ruff made, and nothing untrusted is ever used.

A source formatted before (same text, path, batch layout, ruff binary and
options) comes from the user's signed cache without running ruff or the
syntax check; the rest of the batch is formatted in the same layout. A
planted, tampered, renamed or symlinked entry is ignored and ruff runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import generator.render.format as fmt
from generator.render.format import format_keys, format_python, format_store
from generator.write.cacheformat import FormatCache

# isort's first-party detection sees ``pkg`` beside ``pkg/a.py``: the layout is part of the key
GOOD = {
    "pkg/__init__.py": "",
    "pkg/a.py": "import sys\nimport os\nimport pkg\nfrom pkg import b\nVALUE = {'a': sys.argv, 'b': b, 'p': pkg}\n",
    "pkg/b.py": "X = 1\n",
}


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FormatCache]:
    monkeypatch.setenv("TWINSPEC_CACHE_DIR", str(tmp_path / "user-cache"))
    store = FormatCache()
    with format_store(store):
        yield store


def count_ruff_runs(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Record which files each ruff batch formats (and still format them)."""
    batches: list[list[str]] = []
    real = fmt.FormatBatch._start

    def spy(batch: fmt.FormatBatch, paths: list[str]) -> None:
        batches.append(sorted(paths))
        real(batch, paths)

    monkeypatch.setattr(fmt.FormatBatch, "_start", spy)
    return batches


def uncached(files: dict[str, str]) -> dict[str, str]:
    with format_store(None):
        return format_python(files)


def test_a_second_run_formats_nothing_and_gives_the_same_bytes(
    cache: FormatCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = uncached(GOOD)
    batches = count_ruff_runs(monkeypatch)
    assert format_python(GOOD) == expected
    monkeypatch.setattr(fmt, "SyntaxCheck", None)  # neither ruff nor compile may run now
    assert format_python(GOOD) == expected
    assert batches == [sorted(GOOD)]
    assert "import os" not in expected["pkg/a.py"]


def test_only_changed_files_are_formatted_in_the_same_layout(
    cache: FormatCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    format_python(GOOD)
    changed = {**GOOD, "pkg/b.py": "X   =   2\n"}
    batches = count_ruff_runs(monkeypatch)
    assert format_python(changed) == uncached(changed)
    assert batches[0] == ["pkg/b.py"]


def test_the_key_covers_path_layout_and_text() -> None:
    keys = format_keys(GOOD)
    assert len(set(keys.values())) == len(GOOD)
    assert format_keys({**GOOD, "extra.py": ""})["pkg/b.py"] != keys["pkg/b.py"]
    assert format_keys({**GOOD, "pkg/b.py": "X = 2\n"})["pkg/b.py"] != keys["pkg/b.py"]
    assert format_keys(GOOD) == keys
    # a text only ruff's check passed is not reused where compile is required
    assert format_keys(GOOD, compile_check=False)["pkg/b.py"] != keys["pkg/b.py"]


def test_a_syntax_error_is_still_found_and_never_stored(
    cache: FormatCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    format_python(GOOD)
    bad = {**GOOD, "pkg/b.py": "return 1\n"}
    with pytest.raises(fmt.PackError, match=r"pkg/b\.py is not valid Python: 'return' outside"):
        format_python(bad)
    assert cache.get(format_keys(bad)["pkg/b.py"]) is None


def entry_of(cache: FormatCache, path: str) -> Path:
    return Path(cache.folder) / f"{format_keys(GOOD)[path]}.py"


def test_a_tampered_entry_is_ignored(cache: FormatCache, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = format_python(GOOD)
    entry = entry_of(cache, "pkg/b.py")
    mac, _, _ = entry.read_bytes().partition(b"\n")
    entry.write_bytes(mac + b"\nimport os\nos.system('echo pwned')\n")
    batches = count_ruff_runs(monkeypatch)
    assert format_python(GOOD) == expected
    assert batches == [["pkg/b.py"]]


def test_an_entry_copied_to_another_key_is_ignored(
    cache: FormatCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = format_python(GOOD)
    entry_of(cache, "pkg/b.py").write_bytes(entry_of(cache, "pkg/a.py").read_bytes())
    batches = count_ruff_runs(monkeypatch)
    assert format_python(GOOD) == expected
    assert batches == [["pkg/b.py"]]


def test_an_entry_signed_with_another_key_is_ignored(
    cache: FormatCache, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = format_python(GOOD)
    (tmp_path / "user-cache" / "key").unlink()  # a new key: every old signature is foreign
    batches = count_ruff_runs(monkeypatch)
    with format_store(FormatCache()):
        assert format_python(GOOD) == expected
    assert batches == [sorted(GOOD)]


def test_a_symlinked_format_folder_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "user-cache"
    root.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / "format").symlink_to(elsewhere)
    monkeypatch.setenv("TWINSPEC_CACHE_DIR", str(root))
    with format_store(FormatCache()):
        assert format_python(GOOD) == uncached(GOOD)
    assert list(elsewhere.iterdir()) == []


def test_least_recently_used_entries_go_past_the_limit(cache: FormatCache) -> None:
    format_python(GOOD)
    entries = sorted(Path(cache.folder).iterdir())
    assert len(entries) == len(GOOD)
    for age, entry in enumerate(entries):
        os.utime(entry, ns=(age * 10**9, age * 10**9))
    newest = entries[-1].stat().st_size
    cache.prune(newest)
    assert sorted(Path(cache.folder).iterdir()) == [entries[-1]]


def test_a_cache_root_inside_the_project_that_links_out_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    project.mkdir()
    elsewhere.mkdir()
    (project / ".cache").symlink_to(elsewhere, target_is_directory=True)
    monkeypatch.setenv("TWINSPEC_CACHE_DIR", str(project / ".cache"))
    with format_store(FormatCache(project=str(project))):
        assert format_python(GOOD) == uncached(GOOD)
    assert list(elsewhere.iterdir()) == []
    with format_store(FormatCache(project=str(tmp_path / "other"))):  # outside that project: used
        format_python(GOOD)
    assert sorted(p.name for p in elsewhere.iterdir()) == ["format", "key"]


def generate(out: Path, *options: str) -> dict[str, bytes]:
    """``twinspec generate`` of the petstore spec, both REST targets; the files it wrote."""
    from click.testing import CliRunner

    from generator.cli import cli

    spec = Path(__file__).resolve().parents[2] / "specs" / "petstore.yaml"
    result = CliRunner().invoke(
        cli,
        ["generate", str(spec), "-t", "rest-server", "-t", "rest-client", "-o", str(out), *options],
    )
    assert result.exit_code == 0, result.output
    return {
        p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
    }


def test_one_format_cache_serves_the_whole_run_and_no_cache_uses_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TWINSPEC_NO_CACHE", raising=False)
    monkeypatch.chdir(tmp_path)
    made: list[FormatCache] = []
    real = FormatCache.__init__

    def spy(self: FormatCache, *args: object, **kwargs: object) -> None:
        made.append(self)
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(FormatCache, "__init__", spy)
    monkeypatch.setenv("TWINSPEC_CACHE_DIR", str(tmp_path / "cold"))
    uncached_files = generate(tmp_path / "a", "--no-cache")
    assert made == [] and not (tmp_path / "cold" / "format").exists()
    monkeypatch.setenv("TWINSPEC_CACHE_DIR", str(tmp_path / "warm"))
    assert generate(tmp_path / "b") == uncached_files
    assert len(made) == 1  # both targets, one cache (read its key once, pruned once)
    assert any((tmp_path / "warm" / "format").iterdir())
