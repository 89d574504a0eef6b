"""``twinspec init``: a commented starter twinspec.yaml (and an example spec on request)."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.common import UsageFailure

__all__ = ["command"]

_STARTER = """\
# twinspec.yaml: which specs twinspec renders, into what, and where.
#   twinspec generate   writes every job below
#   twinspec check      fails when a spec is invalid or the committed output is stale
# Paths are relative to this file. Each target T of a job is written to <output>/T/.
jobs:
  - spec: specs/example.yaml              # OpenAPI 2.0/3.x or AsyncAPI 2.x/3.x, YAML or JSON
    targets: [rest-server, rest-client]   # `twinspec targets` lists every target
    output: generated/example
    # package: example                    # import name of the generated package (clients: example_client)
    # options:                            # per-target options, see `twinspec targets`
    #   rest-server: {}
    # templates: twinspec-templates       # overrides: a file at the same relative path as in
    #                                     # the pack replaces it (<folder>/<target>/ per target)
    # allow_invalid: false                # generate even when the spec has errors
"""

_EXAMPLE_SPEC = """\
openapi: 3.1.0
info:
  title: Example
  version: 1.0.0
paths:
  /items/{item_id}:
    get:
      operationId: getItem
      parameters:
        - name: item_id
          in: path
          required: true
          schema: {type: integer}
      responses:
        "200":
          description: The item.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Item"}
components:
  schemas:
    Item:
      type: object
      required: [id, name]
      properties:
        id: {type: integer, example: 1}
        name: {type: string, example: hammer}
"""


_NEXT_WITH_EXAMPLE = """\
next:
  twinspec generate   renders specs/example.yaml into generated/example/rest-server and rest-client
  twinspec check      (in CI or pre-commit) fails when the spec or the committed output is off
  then edit specs/example.yaml, or point the job's `spec:` at your own OpenAPI/AsyncAPI file"""

_NEXT = """\
next:
  point the job's `spec:` in twinspec.yaml at your OpenAPI or AsyncAPI file
  (specs/example.yaml does not exist: `twinspec init --example --force` writes one to try)
  twinspec generate   renders every job
  twinspec check      (in CI or pre-commit) fails when a spec or the committed output is off"""


@click.command("init")
@click.option("--example", is_flag=True, help="Also write specs/example.yaml for the starter job.")
@click.option("--force", is_flag=True, help="Overwrite an existing twinspec.yaml.")
def init_cmd(example: bool, force: bool) -> None:
    """Write a commented starter twinspec.yaml in the current folder."""
    from generator.config import find_config

    target = Path("twinspec.yaml")
    if target.exists() and not force:
        raise UsageFailure("twinspec.yaml already exists (--force overwrites it)")
    existing = find_config(Path.cwd())
    if existing is not None and existing.name == "pyproject.toml" and not force:
        raise UsageFailure(
            f"{existing} already configures twinspec ([tool.twinspec]); a twinspec.yaml here "
            "would silently take its place (--force writes it anyway)"
        )
    writes = [(target, _STARTER)]
    if example:
        spec = Path("specs", "example.yaml")
        if spec.exists():
            raise UsageFailure(f"{spec.as_posix()} already exists; not overwritten")
        writes.append((spec, _EXAMPLE_SPEC))
    for path, text in writes:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        click.echo(f"{'create':>9}  {path.as_posix()}")
    click.echo(_NEXT_WITH_EXAMPLE if example else _NEXT)


command = init_cmd
