"""A generated test suite fails, never hangs, when a reply never comes.

The corpus' Rimfrost document names NATS-style subjects (``handlaggning.requests``)
with a request/reply pair and no ``servers``: twinspec serves its channels over
WebSocket, and the stream-server's own smoke test waits for the reply. With the
default handlers that suite passes; with a handler that never answers, the
suite's bounded receive fails that test (and the run ends) instead of blocking.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.shared_corpus import CORPUS, HAS_CORPUS, MISSING, needs_corpus
from tests.stream._live import run_generated_tests
from tests.stream.conftest import generate

pytestmark = [
    pytest.mark.timeout(600),
    needs_corpus,
    pytest.mark.skipif(not HAS_CORPUS, reason=MISSING),
]

RIMFROST = "asyncapi/forsakringskassan-rimfrost-process/asyncapi.yaml"

SILENT_HANDLERS = '''
"""Test handlers: the request is never answered."""

from __future__ import annotations

import asyncio

from .defaults import DefaultHandlers
from .models import HandlaggningRequestMessage, HandlaggningResponseMessage


class Handlers(DefaultHandlers):
    async def handlaggning_request(
        self, message: HandlaggningRequestMessage
    ) -> HandlaggningResponseMessage:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")
'''


@pytest.fixture(scope="module")
def rimfrost(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(CORPUS / RIMFROST, "stream-server", tmp_path_factory.mktemp("rimfrost"))


def test_the_generated_suite_passes_with_the_default_handlers(
    rimfrost: Path, tmp_path: Path
) -> None:
    result = run_generated_tests(rimfrost, tmp_path / "ok")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "accepts_examples_and_rejects_junk PASSED" in result.stdout or " passed" in result.stdout


def test_a_reply_that_never_comes_fails_the_generated_test_instead_of_hanging(
    rimfrost: Path, tmp_path: Path
) -> None:
    package = rimfrost / "rimfrost_process_async_api"
    original = (package / "handlers.py").read_text(encoding="utf-8")
    (package / "handlers.py").write_text(SILENT_HANDLERS, encoding="utf-8")
    try:
        result = run_generated_tests(rimfrost, tmp_path / "silent")  # raises if it hangs
    finally:
        (package / "handlers.py").write_text(original, encoding="utf-8")
    assert result.returncode == 1, result.stdout[-3000:]
    assert "no frame within 10.0 seconds" in result.stdout
    assert "1 failed" in result.stdout
