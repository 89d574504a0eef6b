"""A spec's server and client install into one environment, and the client calls the server.

Before, both were the distribution ``petstore`` with the package ``petstore``:
installing the client uninstalled the server. Each is installed here as a user
would (``pip install``, server first, then client) into a fresh venv that sees
the test environment's libraries through a ``.pth`` line (no network), and
both are then run from outside their project folders, so they are imported
from the venv.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
from rest_support import SPECS, free_port, generate, wait_until_up


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, check=False, timeout=300
    )


@pytest.fixture(scope="module")
def python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The venv's interpreter, after installing petstore's server, then its client."""
    root = tmp_path_factory.mktemp("together")
    server = generate(SPECS / "petstore.yaml", "rest-server", root / "server")
    client = generate(SPECS / "petstore.yaml", "rest-client", root / "client")
    env = root / "venv"
    venv.EnvBuilder(with_pip=False).create(env)
    site = Path(sysconfig.get_path("purelib", vars={"base": str(env), "platbase": str(env)}))
    (site / "_test_deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    interpreter = env / "bin" / "python"
    for project in (server, client):
        pip = run(
            sys.executable,
            *("-m", "pip", "--python", interpreter, "install", "-q"),
            *("--no-deps", "--no-index", "--no-build-isolation", project),
            cwd=root,
        )
        assert pip.returncode == 0, pip.stdout[-2000:] + pip.stderr[-2000:]
    return interpreter


def test_both_distributions_and_packages_are_installed(python: Path, tmp_path: Path) -> None:
    probe = run(
        python,
        "-c",
        "import importlib.metadata as m, petstore, petstore_client\n"
        "print(m.version('petstore'), m.version('petstore-client'))\n"
        "print(petstore.__file__); print(petstore_client.__file__)",
        cwd=tmp_path,
    )
    assert probe.returncode == 0, probe.stderr
    versions, server_file, client_file = probe.stdout.splitlines()
    assert versions == "0.1.0 0.1.0"
    venv_root = python.parent.parent
    assert Path(server_file).is_relative_to(venv_root)
    assert Path(client_file).is_relative_to(venv_root)


def test_the_installed_client_calls_the_installed_server(python: Path, tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [str(python), "-m", "petstore", "--host", "127.0.0.1", "--port", str(port)],
            cwd=tmp_path,
            env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_up(base + "/openapi.json", server, log)
        call = run(
            python,
            "-c",
            "import sys\n"
            "from petstore_client import Client\n"
            "with Client(base_url=sys.argv[1]) as client:\n"
            "    print(client.show_pet_by_id(pet_id=1).model_dump_json())\n",
            base,
            cwd=tmp_path,
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    assert call.returncode == 0, call.stderr
    assert call.stdout.strip() == '{"id":1,"name":"Rex","tag":"dog"}'
