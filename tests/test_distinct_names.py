"""A client's import package and distribution never share a name with its server's.

Installing one must not replace the other (``tests/rest/test_install_together.py``
shows both working in one environment). Every ``*-client`` target is checked
against its server, with the default names and with one ``--package`` for both.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.drive.spec import plan_target
from generator.render.plan import WritePlan
from generator.render.targets import TARGETS

SPECS = Path(__file__).resolve().parents[1] / "specs"
SPEC_OF = {"openapi": SPECS / "petstore.yaml", "asyncapi": SPECS / "chat.yaml"}

CLIENTS = sorted(
    name for name, info in TARGETS.items() if name.endswith("-client") and info.family in SPEC_OF
)


def server_of(client: str) -> str:
    base = client.removesuffix("-client")
    return base if base in TARGETS else f"{base}-server"


def names(plan: WritePlan) -> tuple[set[str], str]:
    """The plan's top-level import packages and its distribution name."""
    packages = {f.path.split("/")[0] for f in plan.files if f.path.count("/") == 1}
    packages = {p for p in packages if any(f.path == f"{p}/__init__.py" for f in plan.files)}
    pyproject = next(f.content for f in plan.files if f.path == "pyproject.toml")
    found = re.search(r'^\[project\]\nname = "([^"]+)"$', pyproject, re.MULTILINE)
    assert found, pyproject
    return packages, found.group(1)


def test_every_client_target_is_checked() -> None:
    assert {"rest-client", "stream-client"} <= set(CLIENTS)


@pytest.mark.parametrize("package", [None, "shop"])
@pytest.mark.parametrize("client", CLIENTS)
def test_a_client_never_shares_a_name_with_its_server(client: str, package: str | None) -> None:
    spec = SPEC_OF[TARGETS[client].family]
    planned = {}
    for target in (server_of(client), client):
        plan, diagnostics = plan_target(spec, target, package=package)
        assert plan is not None, [d.to_text() for d in diagnostics]
        planned[target] = names(plan)
    (server_packages, server_dist), (client_packages, client_dist) = planned.values()
    assert server_packages and client_packages
    assert not server_packages & client_packages
    assert server_dist != client_dist
    assert all(p.endswith("_client") for p in client_packages)
    assert client_dist.endswith("-client")
    if package is not None:  # the name given is the server's; the client's is derived from it
        assert client_packages == {f"{package}_client"}


@pytest.mark.parametrize("client", CLIENTS)
def test_a_client_package_named_as_a_client_is_kept(client: str) -> None:
    plan, _ = plan_target(SPEC_OF[TARGETS[client].family], client, package="shop_client")
    assert plan is not None
    assert names(plan) == ({"shop_client"}, "shop-client")
