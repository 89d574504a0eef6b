"""twinspec: design-first OpenAPI and AsyncAPI tooling.

The package is a pipeline of stages that meet only through data::

    load/      text -> Document (positions, $ref resolution)
    validate/  Document -> list[Diagnostic]
    translate/ Document -> IR (frozen dataclasses in ir/)
    render/    IR -> WritePlan (Jinja template packs)
    write/     WritePlan -> disk (atomic), or its differences with the disk (check)

The driver (``drive/``) runs them for the CLI and the tests; only ``cli/`` prints or exits.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
