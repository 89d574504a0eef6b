"""The service and service-client targets as a user drives them: CLI, config, diagnostics, output."""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from click.testing import CliRunner

from generator.cli import cli
from tests.service.conftest import SPECS, plan_pair, write

API, EVENTS = SPECS / "orders-api.yaml", SPECS / "orders-events.yaml"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_the_pair_in_either_order_gives_the_same_project(tmp_path: Path) -> None:
    code, out = run("generate", str(API), str(EVENTS), "-t", "service", "-o", str(tmp_path / "a"))
    assert code == 0, out
    code, out = run("generate", str(EVENTS), str(API), "-t", "service", "-o", str(tmp_path / "b"))
    assert code == 0, out
    files = sorted(
        p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file()
    )
    assert Path("orders/service.py") in files and Path("orders/events/web.py") in files
    for rel in files:
        if rel.name != ".twinspec-manifest.json":
            assert (tmp_path / "b" / rel).read_bytes() == (tmp_path / "a" / rel).read_bytes(), rel


def test_anything_but_a_pair_is_a_usage_error(tmp_path: Path) -> None:
    code, out = run("generate", str(API), "-t", "service", "-o", str(tmp_path))
    assert code == 2 and "needs two specs, one OpenAPI and one AsyncAPI" in out
    code, out = run("generate", str(API), str(EVENTS), "-t", "rest-server", "-o", str(tmp_path))
    assert code == 2 and "takes one" in out
    code, out = run(
        "generate", str(API), str(EVENTS), str(API), "-t", "service", "-o", str(tmp_path)
    )
    assert code == 2
    code, out = run(
        "generate", str(API), str(SPECS / "petstore.yaml"), "-t", "service", "-o", str(tmp_path)
    )
    assert code == 1 and "one OpenAPI and one AsyncAPI document" in out
    assert not any(tmp_path.iterdir())


def test_config_job_takes_the_pair_as_a_list(tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_text(API.read_text())
    (tmp_path / "events.yaml").write_text(EVENTS.read_text())
    (tmp_path / "twinspec.yaml").write_text(
        "jobs:\n  - spec: [events.yaml, api.yaml]\n    targets: [service, service-client]\n"
        "    output: out\n"
    )
    code, out = run("generate", "--config", str(tmp_path / "twinspec.yaml"))
    assert code == 0, out
    assert (tmp_path / "out/service/orders/emit.py").is_file()
    assert (tmp_path / "out/service-client/orders_client/rest/client.py").is_file()
    code, out = run("check", "--config", str(tmp_path / "twinspec.yaml"))
    assert code == 0, out


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "events.yaml"
    text = EVENTS.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    return path


def test_one_name_two_shapes_keeps_both_with_a_warning(tmp_path: Path) -> None:
    events = _variant(
        tmp_path,
        "        quantity:\n          type: integer\n        status:",
        "        quantity:\n          type: string\n        status:",
    )
    plan, diagnostics = plan_pair(API, events)
    assert any("service-type-clash" in d and "'Order'" in d for d in diagnostics), diagnostics
    files = plan.by_path()
    assert "class Order(ApiModel)" in files["orders/models.py"].content
    assert "class Order(ApiModel)" in files["orders/events/models.py"].content
    assert "OrderStatus as OrderStatus" in files["orders/events/models.py"].content


def test_an_unknown_emit_is_a_located_warning(tmp_path: Path) -> None:
    api = tmp_path / "api.yaml"
    api.write_text(API.read_text().replace("publishOrderCreated]", "publishOrderCreated, nope]"))
    _plan, diagnostics = plan_pair(api, EVENTS)
    found = [d for d in diagnostics if "service-unknown-emit" in d]
    assert len(found) == 1 and "'nope'" in found[0] and "api.yaml:" in found[0], diagnostics


def test_the_asyncapi_page_escapes_spec_text(tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script>"
    events = _variant(
        tmp_path, "description: Every order placed, as it happens.", f"description: '{hostile}'"
    )
    plan, _ = plan_pair(API, events)
    page = plan.by_path()["orders/asyncapi.html"].content
    assert hostile not in page
    assert html.escape(hostile) in page
    served = json.loads(plan.by_path()["orders/asyncapi.json"].content)
    assert served["channels"]["orderUpdates"]["description"] == hostile


def test_service_client_rest_and_events_against_the_service(tmp_path: Path) -> None:
    """The generated client's two halves talk to a running service: POST, then the event."""
    from tests.service.conftest import generate_service
    from tests.service.test_service_e2e import NATS, need
    from tests.stream.conftest import free_port
    from tests.stream.test_backplane_e2e import reachable

    need(NATS, "nats")  # the service's own broker (its AsyncAPI document names NATS)
    server = generate_service(tmp_path / "server")
    client_plan, _ = plan_pair(API, EVENTS, "service-client")
    client = write(client_plan, tmp_path / "client")
    port = free_port()
    env = dict(os.environ, PYTHONPATH=f"{server}{os.pathsep}{client}")
    script = textwrap.dedent(
        f"""
        import asyncio
        from orders_client import models, rest
        from orders_client.events import web

        async def main() -> None:
            async with web.OrderUpdatesChannel("ws://127.0.0.1:{port}") as updates:
                await asyncio.sleep(0.3)
                async with rest.AsyncClient("http://127.0.0.1:{port}") as api:
                    order = await api.create_order(body=models.NewOrder(item="widget", quantity=2))
                pushed = await asyncio.wait_for(updates.__aiter__().__anext__(), 10)
                assert type(pushed) is type(order) is models.Order, (type(pushed), type(order))
                assert pushed == order
                print("ok")

        asyncio.run(main())
        """
    )
    served = subprocess.Popen(
        [sys.executable, "-m", "orders", "--port", str(port), "--log-level", "warning"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not reachable(port):
            assert served.poll() is None, served.stderr.read() if served.stderr else ""
            assert time.monotonic() < deadline, "service did not start"
            time.sleep(0.05)
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
        )
        assert done.stdout.strip() == "ok", done.stderr
    finally:
        served.terminate()
        served.wait(10)


def test_the_example_pair_plans_without_warnings() -> None:
    for target in ("service", "service-client"):
        _plan, diagnostics = plan_pair(API, EVENTS, target)
        assert diagnostics == [], (target, diagnostics)


def test_a_given_package_name_keeps_the_client_halves_apart(tmp_path: Path) -> None:
    """``--package shop``: the server is ``shop``, the client ``shop_client`` with ``rest`` and ``events``."""
    for target in ("service", "service-client"):
        out = str(tmp_path / target)
        code, text = run("generate", str(API), str(EVENTS), "-t", target, "-o", out, "--package", "shop")
        assert code == 0, text
    client = tmp_path / "service-client"
    assert sorted(p.name for p in client.iterdir() if p.is_dir()) == ["shop_client", "tests"]
    assert (client / "shop_client" / "rest" / "client.py").is_file()
    assert (client / "shop_client" / "events" / "web.py").is_file()
    assert (tmp_path / "service" / "shop" / "app.py").is_file()
    done = subprocess.run(
        [sys.executable, "-c", "import shop_client.rest.client, shop_client.events.web"],
        cwd=client,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_service_documents_each_api_once(tmp_path: Path) -> None:
    """/docs, /redoc and /openapi.json are the REST API's; /asyncapi* the events'; no duplicates."""
    from tests.service.conftest import generate_service

    server = generate_service(tmp_path / "server")
    assert not (server / "orders" / "events" / "docs.py").exists()
    assert not (server / "orders" / "events" / "log_redaction.py").exists()
    script = textwrap.dedent(
        """
        from fastapi.testclient import TestClient
        from orders.service import create_service

        app = create_service()
        paths = [getattr(r, "path", "") for r in app.router.routes]
        for page in ("/docs", "/redoc", "/openapi.json", "/asyncapi", "/asyncapi.json"):
            assert paths.count(page) == 1, (page, paths)
        client = TestClient(app)
        for page in ("/docs", "/redoc", "/openapi.json", "/asyncapi", "/asyncapi.json"):
            assert client.get(page).status_code == 200, page
        assert "/orders" in client.get("/openapi.json").json()["paths"]
        assert "SwaggerUIBundle" in client.get("/docs").text
        assert "redoc" in client.get("/redoc").text

        # both halves redact their query credentials in uvicorn's logs, neither drops the other's
        import logging
        from orders import runtime
        from orders.events import web

        runtime.redact_query_logs(("rest_key",))  # as create_app does
        web.redact_query_logs(("events_key",))  # as the events lifespan does
        for name in ("uvicorn.access", "uvicorn.error"):
            filters = logging.getLogger(name).filters
            assert len([f for f in filters if isinstance(f, runtime.serving.RedactQuery)]) == 1
            record = logging.LogRecord(name, 20, "", 0, "%s", ("/x?rest_key=1&events_key=2&a=3",), None)
            assert logging.getLogger(name).filter(record)
            assert record.args == ("/x?rest_key=REDACTED&events_key=REDACTED&a=3",), record.args
        print("ok")
        """
    )
    env = dict(os.environ, PYTHONPATH=str(server))
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "ok", done.stderr
