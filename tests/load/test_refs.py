"""``$ref`` resolution: other files, cycles, long chains, and the refs twinspec refuses."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.diagnostics import has_errors
from generator.load import load

from .helpers import HEAD, problems, where, write


def schemas(*lines: str) -> str:
    """HEAD plus ``components.schemas`` with one schema per line (line 6 onwards)."""
    return HEAD + "components:\n  schemas:\n" + "".join(f"    {line}\n" for line in lines)


def test_refs_across_files_resolve(tmp_path: Path) -> None:
    write(tmp_path, "common/pet.yaml", "type: object\nproperties:\n  name: {type: string}\n")
    spec = write(tmp_path, "api.yaml", schemas("Pet: {$ref: 'common/pet.yaml'}"))
    doc, found = load(spec)
    assert found == []
    assert doc is not None and len(doc.files) == 2


def test_dangling_ref_in_a_second_file_is_reported_in_that_file(tmp_path: Path) -> None:
    write(tmp_path, "common/pet.yaml", "type: object\nproperties:\n  tag: {$ref: '#/nope'}\n")
    spec = write(tmp_path, "api.yaml", schemas("Pet: {$ref: 'common/pet.yaml'}"))
    found = problems(spec)
    assert where(found, "unresolved-ref") == [("pet.yaml", 3, 9)]
    assert "'nope' not found" in found[0].message


def test_unresolved_local_ref_names_the_missing_part(tmp_path: Path) -> None:
    found = problems(write(tmp_path, "s.yaml", schemas("A: {$ref: '#/components/schemas/B'}")))
    assert where(found, "unresolved-ref") == [("s.yaml", 6, 9)]
    assert "'B' not found" in found[0].message


def test_missing_file(tmp_path: Path) -> None:
    found = problems(write(tmp_path, "s.yaml", schemas("A: {$ref: 'nowhere.yaml#/A'}")))
    assert where(found, "unresolved-ref") == [("s.yaml", 6, 9)]
    assert "'nowhere.yaml' does not exist" in found[0].message


@pytest.mark.parametrize(
    ("lines", "looping"),
    [
        (["A: {$ref: '#/components/schemas/A'}"], [6]),
        (["A: {$ref: '#/components/schemas/B'}", "B: {$ref: '#/components/schemas/A'}"], [6, 7]),
        (
            [
                "A: {$ref: '#/components/schemas/B'}",
                "B: {$ref: '#/components/schemas/C'}",
                "C: {$ref: '#/components/schemas/A'}",
                "D: {$ref: '#/components/schemas/A'}",
            ],
            [6, 7, 8, 9],
        ),
    ],
    ids=["self", "pair", "triangle-and-tail"],
)
def test_ref_loops_that_never_reach_a_value(
    tmp_path: Path, lines: list[str], looping: list[int]
) -> None:
    found = problems(write(tmp_path, "s.yaml", schemas(*lines)))
    assert where(found, "ref-cycle") == [("s.yaml", line, 9) for line in looping]


def test_ref_loop_across_files(tmp_path: Path) -> None:
    write(tmp_path, "b.yaml", "X: {$ref: 's.yaml#/components/schemas/A'}\n")
    found = problems(write(tmp_path, "s.yaml", schemas("A: {$ref: 'b.yaml#/X'}")))
    assert sorted(where(found, "ref-cycle")) == [("b.yaml", 1, 5), ("s.yaml", 6, 9)]


def test_recursive_schemas_are_fine(tmp_path: Path) -> None:
    text = schemas(
        "Node:",
        "  type: object",
        "  properties:",
        "    children: {type: array, items: {$ref: '#/components/schemas/Node'}}",
        "    parent: {$ref: '#/components/schemas/Node'}",
    )
    assert problems(write(tmp_path, "s.yaml", text)) == []


def test_a_ref_chain_thousands_long(tmp_path: Path) -> None:
    count = 3000
    lines = [f"S{i}: {{$ref: '#/components/schemas/S{i + 1}'}}" for i in range(count)]
    lines.append(f"S{count}: {{type: string}}")
    found = problems(write(tmp_path, "s.yaml", schemas(*lines)))
    assert not has_errors(found)
    # openapi-spec-validator recurses once per hop; past Python's limit we say so.
    assert {d.code for d in found} <= {"incomplete-check"}
    lines[-1] = f"S{count}: {{$ref: '#/components/schemas/S0'}}"
    found = problems(write(tmp_path, "t.yaml", schemas(*lines)))
    assert len(where(found, "ref-cycle")) == count + 1


@pytest.mark.parametrize(
    ("ref", "code", "words"),
    [
        ("/etc/passwd", "ref-outside-root", "absolute path"),
        ("../outside.yaml", "ref-outside-root", "leaves the spec's folder"),
        ("file:///etc/passwd", "remote-ref", "URL scheme"),
        ("http://example.com/a.yaml", "remote-ref", "never fetches"),
        ("https://example.com/a.yaml#/A", "remote-ref", "never fetches"),
    ],
    ids=["absolute", "dotdot", "file-url", "http", "https"],
)
def test_refused_refs(tmp_path: Path, ref: str, code: str, words: str) -> None:
    write(tmp_path, "outside.yaml", "type: string\n")
    spec = write(tmp_path, "api/s.yaml", schemas(f"A: {{$ref: '{ref}'}}"))
    found = problems(spec)
    assert where(found, code) == [("s.yaml", 6, 9)]
    assert words in found[0].message


def test_symlink_pointing_outside_is_refused(tmp_path: Path) -> None:
    secret = write(tmp_path, "secret.yaml", "type: string\n")
    (tmp_path / "api").mkdir()
    os.symlink(secret, tmp_path / "api" / "link.yaml")
    found = problems(write(tmp_path, "api/s.yaml", schemas("A: {$ref: 'link.yaml'}")))
    assert where(found, "ref-outside-root") == [("s.yaml", 6, 9)]


def test_allow_remote_refs_leaves_the_folder_but_never_the_network(tmp_path: Path) -> None:
    write(tmp_path, "common/e.yaml", "type: string\n")
    spec = write(
        tmp_path,
        "api/s.yaml",
        schemas("A: {$ref: '../common/e.yaml'}", "B: {$ref: 'https://example.com/b.yaml'}"),
    )
    found = problems(spec, allow_remote_refs=True)
    assert where(found, "ref-outside-root") == []
    assert where(found, "remote-ref") == [("s.yaml", 7, 9)]


def test_refs_inside_sample_data_are_data(tmp_path: Path) -> None:
    text = HEAD + (
        "components:\n  examples:\n    E:\n      value:\n"
        "        members: [{$ref: 'https://api.example.com/users/1'}]\n"
        "  schemas:\n    S:\n      type: object\n"
        "      example: {$ref: 'https://example.com'}\n"
        "      properties:\n        example: {$ref: '#/components/schemas/T'}\n"
    )
    found = problems(write(tmp_path, "s.yaml", text))
    assert where(found, "unresolved-ref") == [("s.yaml", 14, 19)]
    assert not where(found, "remote-ref")


def test_broken_refs_never_crash_the_validator(tmp_path: Path) -> None:
    # openapi-spec-validator itself raises on these; twinspec reports them.
    text = HEAD + (
        "components:\n  schemas:\n    S:\n      properties:\n"
        "        a: {$ref: '<some-broken-uri>'}\n        b: {$ref: 'definitions/Pets'}\n"
    )
    found = problems(write(tmp_path, "s.yaml", text))
    assert where(found, "unresolved-ref") == [("s.yaml", 8, 13), ("s.yaml", 9, 13)]
    assert has_errors(found)


def test_ref_paths_resolve_as_path_resolve_does(tmp_path: Path) -> None:
    from generator.load.refs import _inside, _resolved

    write(tmp_path, "api/models/pet.yaml", "type: string\n")
    write(tmp_path, "elsewhere/real.yaml", "type: string\n")
    os.symlink(tmp_path / "elsewhere", tmp_path / "api" / "linked")
    os.symlink(tmp_path / "elsewhere" / "real.yaml", tmp_path / "api" / "models" / "link.yaml")
    os.symlink(tmp_path / "elsewhere", tmp_path / "api" / "models" / "dirlink")
    folder = tmp_path / "api"
    locations = [
        "models/pet.yaml",
        "./models/../models/pet.yaml",
        "models/link.yaml",
        "models/dirlink",
        "models/dirlink/real.yaml",
        "linked/real.yaml",
        "linked/../api/models/pet.yaml",
        "models/dirlink/..",
        "models/",
        ".",
        "..",
        "missing/none.yaml",
        "models//pet.yaml",
    ]
    for location in locations:
        expected = (folder / location).resolve()
        assert _resolved(str(folder), location) == expected, location
        for root in (folder, tmp_path, tmp_path / "elsewhere", Path(folder.anchor)):
            assert _inside(expected, root) == expected.is_relative_to(root), (location, root)
    assert not _inside(tmp_path / "api-2" / "x.yaml", folder)


def test_folders_resolve_as_realpath_does(tmp_path: Path) -> None:
    # ``_real_folder`` builds on its parent's answer; ``os.path.realpath`` walks all.
    from generator.load.refs import _real_folder

    (tmp_path / "a" / "b").mkdir(parents=True)
    os.symlink(tmp_path / "a" / "b", tmp_path / "to-b")
    os.symlink("../a", tmp_path / "a" / "b" / "up")  # relative, through ..
    os.symlink(tmp_path / "to-b", tmp_path / "chain")  # a link to a link
    os.symlink(tmp_path / "loop2", tmp_path / "loop1")
    os.symlink(tmp_path / "loop1", tmp_path / "loop2")
    os.symlink(tmp_path / "gone", tmp_path / "dangling")
    (tmp_path / "file").write_text("x")
    folders = [
        "a/b",
        "to-b",
        "to-b/..",
        "to-b/up/b/up",
        "chain/up/../b",
        "loop1",
        "loop1/x",
        "dangling/x",
        "file/x",
        "a/./b/",
        "a//b",
        "missing/../a",
        "../../..",
        "a/b/up/../../..",
    ]
    for folder in folders:
        path = os.path.join(str(tmp_path), folder)
        _real_folder.cache_clear()
        assert _real_folder(path) == os.path.realpath(path), folder
        assert _real_folder(path) == os.path.realpath(path), folder  # cached
    assert _real_folder("/") == os.path.realpath("/")


def test_a_ref_resolved_once_per_folder_still_leads_from_each_file(tmp_path: Path) -> None:
    """check_refs reuses a file ref's target per folder; a local one stays per file."""
    write(
        tmp_path, "common/a.yaml", "x: {$ref: '#/own'}\nown: {type: string}\nb: {$ref: 'b.yaml'}\n"
    )
    write(tmp_path, "common/b.yaml", "x: {$ref: '#/own'}\nmine: {type: string}\n")
    write(tmp_path, "common/c.yaml", "a: {$ref: 'a.yaml'}\nbad: {$ref: 'broken.yaml'}\n")
    write(tmp_path, "common/broken.yaml", "a: [\n")
    spec = write(
        tmp_path,
        "api.yaml",
        schemas(
            "A: {$ref: 'common/a.yaml'}",
            "C: {$ref: 'common/c.yaml'}",
            "D: {$ref: 'common/broken.yaml'}",
        ),
    )
    doc, found = load(spec)
    assert doc is not None and len(doc.files) == 4
    # b.yaml's '#/own' is not a.yaml's: it is missing there, and said so once
    assert where(found, "unresolved-ref") == [("b.yaml", 1, 5)]
    # each ref to the unreadable file reports it, as before
    assert [d.code for d in found].count("unreadable-ref") == 2
    assert [d.code for d in found].count("yaml-syntax") == 2


def test_a_file_swapped_for_a_symlink_out_of_the_folder_between_loads_is_refused(
    tmp_path: Path,
) -> None:
    """A long-running host loads again: the resolved-path caches must not vouch for the old file."""
    root = tmp_path / "api"
    root.mkdir()
    outside = tmp_path / "secret.yaml"
    outside.write_text("type: object\ndescription: SECRET\n", encoding="utf-8")
    (root / "pet.yaml").write_text("type: string\n", encoding="utf-8")
    (root / "api.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components: {schemas: {P: {$ref: 'pet.yaml'}}}\n",
        encoding="utf-8",
    )
    first, found = load(root / "api.yaml")
    assert first is not None and not [d for d in found if d.code == "ref-outside-root"]
    (root / "pet.yaml").unlink()
    (root / "pet.yaml").symlink_to(outside)
    second, found = load(root / "api.yaml")
    assert second is not None
    assert [d.code for d in found if d.code == "ref-outside-root"], [d.to_text() for d in found]
    assert all("SECRET" not in source.text for source in second.files.values())
