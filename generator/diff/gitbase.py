"""A spec as it was at a git revision, read with git itself (no checkout).

``git ls-tree`` lists the files of the spec's folder at the revision and
``git cat-file --batch`` (``git show REF:path`` for many files in one process)
reads them into a temporary folder, so multi-file specs resolve their
``$ref``s as they did then. The working tree and index are never touched.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

__all__ = ["GitError", "default_base", "materialise", "repo_root"]

_SPEC_SUFFIXES = (".yaml", ".yml", ".json")


class GitError(Exception):
    """git failed or is not there; the message says why."""


def _git(args: list[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False
        )
    except OSError as exc:
        raise GitError(f"cannot run git: {exc}") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {' '.join(args[:2])}: {reason[-1] if reason else 'failed'}")
    return done.stdout


def repo_root(cwd: Path) -> Path:
    """The top folder of the work tree holding ``cwd``."""
    return Path(_git(["rev-parse", "--show-toplevel"], cwd).decode().strip())


def default_base(cwd: Path) -> str:
    """The merge base of HEAD with the default branch (origin's HEAD, else main/master)."""
    candidates: list[str] = []
    try:
        head = _git(["symbolic-ref", "--short", "refs/remotes/origin/HEAD"], cwd).decode().strip()
        candidates.append(head)
    except GitError:
        pass
    candidates += ["origin/main", "origin/master", "main", "master"]
    for branch in candidates:
        try:
            _git(["rev-parse", "--verify", "--quiet", branch + "^{commit}"], cwd)
        except GitError:
            continue
        return _git(["merge-base", "HEAD", branch], cwd).decode().strip()
    raise GitError("no default branch (origin/HEAD, main or master) to compare with; pass --base")


def materialise(ref: str, spec: Path, into: Path) -> Path | None:
    """Write the spec's folder as of ``ref`` under ``into``; the old spec's path, or ``None``.

    ``None`` means the spec did not exist at ``ref`` (it is new). Only YAML and
    JSON files are read: a spec's ``$ref``s never leave its folder.
    """
    spec = spec.resolve()
    root = repo_root(spec.parent).resolve()
    _git(["rev-parse", "--verify", "--quiet", ref + "^{commit}"], root)
    relative = spec.relative_to(root)
    folder = relative.parent.as_posix()
    listing = _git(
        ["ls-tree", "-r", "-z", "--name-only", ref, "--", "." if folder == "." else folder + "/"],
        root,
    )
    names = [n for n in listing.decode("utf-8", "surrogateescape").split("\0") if n]
    wanted = [n for n in names if n.lower().endswith(_SPEC_SUFFIXES)]
    if relative.as_posix() not in wanted:
        return None
    request = "".join(f"{ref}:{name}\n" for name in wanted).encode("utf-8", "surrogateescape")
    output = _git(["cat-file", "--batch"], root, stdin=request)
    at = 0
    for name in wanted:
        header_end = output.index(b"\n", at)
        header = output[at:header_end].split()
        if len(header) < 3 or header[1] != b"blob":
            at = header_end + 1
            continue
        size = int(header[2])
        body = output[header_end + 1 : header_end + 1 + size]
        at = header_end + 1 + size + 1
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
    return into / relative
