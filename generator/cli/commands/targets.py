"""``twinspec targets``: the template packs, what each reads and makes."""

from __future__ import annotations

import click

__all__ = ["command"]


@click.command("targets")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def targets_cmd(fmt: str) -> None:
    """List the template packs: what each reads and makes, its options and template files."""
    import json

    from generator.render.packs import templates_root
    from generator.render.targets import TARGETS

    root = templates_root()

    def files(pack: str) -> list[str]:
        folder = root / pack
        if not folder.is_dir():
            return []
        return sorted(
            p.relative_to(folder).as_posix()
            for p in folder.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        )

    infos = sorted(TARGETS.values(), key=lambda t: t.name)
    if fmt == "json":
        listing = [
            {
                "name": info.name,
                "family": info.family,
                "summary": info.summary,
                "options": [
                    {"name": o.name, "default": o.default, "help": o.help} for o in info.options
                ],
                "templates": files(info.name),
            }
            for info in infos
        ]
        click.echo(json.dumps({"targets": listing, "common": files("_common")}, indent=2))
        return
    for info in infos:
        click.echo(f"{info.name}  ({info.family})  {info.summary}")
        for o in info.options:
            click.echo(f"    option {o.name} (default {o.default!r}): {o.help}")
        click.echo(f"    templates/{info.name}/: {', '.join(files(info.name)) or '(none yet)'}")
    click.echo(f"shared macros, templates/_common/: {', '.join(files('_common'))}")
    click.echo("a job's templates folder overrides any of these by the same relative path")


command = targets_cmd
