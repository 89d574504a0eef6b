"""Each generated example runs as its README's "Run it" section says, verbatim.

The commands are read from the README (the section's code blocks: the first
block's set-up lines, then the last block's start command, so a documented
variant such as "Without Kafka" is what runs on a machine without Kafka), run
by bash in a copy of the example inside a throwaway venv that sees this one's
packages, on a free port where the README lets one choose it. A server and its
client see traffic flow, then both stop cleanly on Ctrl-C (SIGINT): exit 0 and
no traceback.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "generated_examples"
pytestmark = pytest.mark.slow


def run_section(readme: Path) -> list[str]:
    """The commands of the "Run it" section: set-up lines, then the (last) start command."""
    text = readme.read_text(encoding="utf-8")
    section = text.split("\n## Run it\n", 1)[1].split("\n## ", 1)[0]
    blocks = [
        [line.strip() for line in block.splitlines() if line.strip()]
        for block in re.findall(r"```(?:console|sh)\n(.*?)```", section, re.S)
    ]
    assert blocks, f"{readme}: no commands under 'Run it'"
    return [*blocks[0][:-1], blocks[-1][-1]]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv whose ``pip``/``python`` the README commands use; it sees this one's packages."""
    root = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(root)], check=True)
    inner = subprocess.run(
        [
            str(root / "bin" / "python"),
            "-c",
            "import sysconfig; print(sysconfig.get_path('purelib'))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(inner, "_outer.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    return root / "bin"


class Started:
    """A README's commands running under bash in their own process group."""

    def __init__(self, folder: Path, commands: list[str], env: dict[str, str], log: Path) -> None:
        *setup, start = commands
        script = "\n".join(["set -e", *setup, "exec " + start])
        self.log = log
        self.out = log.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            ["bash", "-c", script],
            cwd=folder,
            env=env,
            stdout=self.out,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )

    def output(self) -> str:
        if not self.out.closed:
            self.out.flush()
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, pattern: str, seconds: float = 120) -> re.Match[str]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = re.search(pattern, self.output(), re.M)
            if found:
                return found
            assert self.process.poll() is None, (
                f"exited {self.process.returncode}:\n{self.output()}"
            )
            time.sleep(0.3)
        raise AssertionError(f"no {pattern!r} within {seconds} s:\n{self.output()[-3000:]}")

    def stop(self) -> str:
        """Ctrl-C, as a user stops it; the exit must be clean."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
        try:
            code = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            raise AssertionError(f"did not stop on Ctrl-C:\n{self.output()[-3000:]}") from None
        self.out.close()
        output = self.output()
        assert code == 0 and "Traceback" not in output, f"exit {code}:\n{output[-3000:]}"
        return output


def environment(venv: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = os.pathsep.join([str(venv), env.get("PATH", "")])
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env.update(extra)
    return env


def copy_example(name: str, target: str, into: Path) -> Path:
    folder = into / name / target
    shutil.copytree(
        EXAMPLES / name / target, folder, ignore=shutil.ignore_patterns("*.egg-info", "__pycache__")
    )
    return folder


@pytest.fixture
def processes() -> Iterator[list[Started]]:
    started: list[Started] = []
    yield started
    for item in started:  # a failed test still leaves nothing running
        if item.process.poll() is None:
            os.killpg(item.process.pid, signal.SIGKILL)
            item.process.wait()


def _with_port(commands: list[str], port: int) -> list[str]:
    return [re.sub(r"--port 8000\b", f"--port {port}", line) for line in commands]


@pytest.mark.parametrize("name", ["petstore", "bookstore"])
def test_rest_server_runs_as_its_readme_says(
    name: str, venv: Path, tmp_path: Path, processes: list[Started]
) -> None:
    folder = copy_example(name, "rest-server", tmp_path)
    commands = run_section(folder / "README.md")
    port = free_port()
    server = Started(folder, _with_port(commands, port), environment(venv), tmp_path / "server.log")
    processes.append(server)
    server.wait_for(r"Uvicorn running on http://127\.0\.0\.1:\d+")
    base = f"http://127.0.0.1:{port}"
    spec = httpx.get(f"{base}/openapi.json", timeout=10).json()
    plain = [path for path, item in spec["paths"].items() if "get" in item and "{" not in path]
    assert plain, "no GET without parameters to call"
    answered = httpx.get(base + plain[0], timeout=10)
    assert answered.status_code < 300, answered.text
    server.stop()


def test_chat_server_and_client_run_as_their_readmes_say(
    venv: Path, tmp_path: Path, processes: list[Started]
) -> None:
    server_dir = copy_example("chat", "stream-server", tmp_path)
    client_dir = copy_example("chat", "stream-client", tmp_path)
    port = free_port()
    server = Started(
        server_dir,
        _with_port(run_section(server_dir / "README.md"), port),
        environment(venv),
        tmp_path / "server.log",
    )
    processes.append(server)
    server.wait_for(r"Uvicorn running on")
    urls = {  # the client's settings table: where the server is
        "CHAT_SERVICE_EVENTS_URL": f"http://127.0.0.1:{port}",
        "CHAT_SERVICE_REALTIME_URL": f"ws://127.0.0.1:{port}",
    }
    client = Started(
        client_dir,
        run_section(client_dir / "README.md"),
        environment(venv, **urls),
        tmp_path / "client.log",
    )
    processes.append(client)
    client.wait_for(r"^room: ")  # the server's demo messages arrive
    client.wait_for(r"^ticker: ")
    client.stop()
    server.stop()


def test_sensors_server_and_client_run_without_kafka_as_their_readmes_say(
    venv: Path, tmp_path: Path, processes: list[Started]
) -> None:
    server_dir = copy_example("sensors", "stream-server", tmp_path)
    client_dir = copy_example("sensors", "stream-client", tmp_path)
    server_commands = run_section(server_dir / "README.md")
    assert "--servers" in server_commands[-1] and "kafka" not in server_commands[-1]
    port = free_port()
    client = Started(
        client_dir, run_section(client_dir / "README.md"), environment(venv), tmp_path / "c.log"
    )
    processes.append(client)
    client.wait_for(r"server kafka skipped: not named in SENSOR_HUB_CLIENT_SERVERS")
    server = Started(
        server_dir, _with_port(server_commands, port), environment(venv), tmp_path / "s.log"
    )
    processes.append(server)
    server.wait_for(r"server kafka skipped: not named in SENSOR_HUB_SERVERS")
    # the server's demo messages arrive at the client over MQTT and Redis (its defaults log them)
    client.wait_for(r"sendCommand: Command\(")
    client.wait_for(r"sendStatus: StatusEvent\(")
    server.stop()
    client.stop()


def test_orders_service_and_its_client_run_as_their_readmes_say(
    venv: Path, tmp_path: Path, processes: list[Started]
) -> None:
    server_dir = copy_example("orders", "service", tmp_path)
    client_dir = copy_example("orders", "service-client", tmp_path)
    port = free_port()
    server = Started(
        server_dir,
        _with_port(run_section(server_dir / "README.md"), port),
        environment(venv),
        tmp_path / "server.log",
    )
    processes.append(server)
    server.wait_for(r"Uvicorn running on")
    urls = {  # the client README's settings table: where the service is
        "ORDERS_FEED_URL": f"http://127.0.0.1:{port}",
        "ORDERS_REALTIME_URL": f"ws://127.0.0.1:{port}",
    }
    client = Started(
        client_dir,
        run_section(client_dir / "README.md"),
        environment(venv, **urls),
        tmp_path / "client.log",
    )
    processes.append(client)
    client.wait_for(r"GET http://127\.0\.0\.1:\d+/orders/feed")
    server.wait_for(r'"WebSocket /orders/updates" \[accepted\]')
    # a call as "Try it out" on /docs makes it: the spec's example body
    spec = httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=10).json()
    body = spec["paths"]["/orders"]["post"]["requestBody"]["content"]["application/json"]
    created = httpx.post(f"http://127.0.0.1:{port}/orders", json=body["example"], timeout=10)
    assert created.status_code == 201, created.text
    client.wait_for(r"^orderFeed: Order\(")  # SSE
    client.wait_for(r"^orderUpdates: Order\(")  # WebSocket
    client.wait_for(r"publishOrderCreated: Order\(")  # NATS
    client.stop()
    server.stop()


# A client refused by the server: one line naming the variable to set (the other start-up
# failures are in tests/test_startup_errors.py). The examples run from their folders.


def _start(example: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    folder = EXAMPLES / example
    package = next(p.parent.name for p in folder.glob("*/__main__.py"))
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("SENSOR_HUB", "CHAT_SERVICE"))
    }
    return subprocess.run(
        [sys.executable, "-m", package, *args],
        cwd=folder,
        env={**clean, "PYTHONDONTWRITEBYTECODE": "1", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _one_line_failure(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return done.stderr.strip().splitlines()[-1]


def test_refused_credentials_are_one_line_naming_the_variable(
    tmp_path: Path, processes: list[Started], venv: Path
) -> None:
    port = free_port()
    server = Started(
        EXAMPLES / "chat/stream-server",
        [f"python -m chat_service --port {port}"],
        environment(
            venv,
            PYTHONDONTWRITEBYTECODE="1",
            CHAT_SERVICE_API_KEY="right",
            CHAT_SERVICE_FEED_TOKEN="right",
        ),
        tmp_path / "server.log",
    )
    processes.append(server)
    server.wait_for(r"Uvicorn running on")
    done = _start(
        "chat/stream-client",
        CHAT_SERVICE_EVENTS_URL=f"http://127.0.0.1:{port}",
        CHAT_SERVICE_REALTIME_URL=f"ws://127.0.0.1:{port}",
        CHAT_SERVICE_API_KEY="wrong",
        CHAT_SERVICE_FEED_TOKEN="wrong",
    )
    line = _one_line_failure(done)
    assert re.fullmatch(
        rf"python -m chat_service_client: (ws|http)://127\.0\.0\.1:{port}/\S+ refused the"
        r" credentials: set CHAT_SERVICE_(API_KEY|FEED_TOKEN) to a credential the server accepts",
        line,
    ), line
    server.stop()
