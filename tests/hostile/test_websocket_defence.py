"""The generated WebSocket server answers hostile frames with error frames and keeps serving everyone.

``specs/chat.yaml`` is generated (stream-server) into a temporary folder and
attacked by ``ws_probe.py`` in a fresh interpreter: one client sends oversized,
non-UTF-8, 30,000-deep, 5,000-digit and non-JSON frames; afterwards the server
broadcasts the spec's examples and both that client and a bystander get them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .harness import REPO, materialise, plan_ok

PROBE = Path(__file__).with_name("ws_probe.py")
CHAT = REPO / "specs" / "chat.yaml"


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The probe's report for a freshly generated chat server."""
    out = tmp_path_factory.mktemp("chat") / "out"
    materialise(plan_ok(CHAT, "stream-server"), out)
    proc = subprocess.run(
        [sys.executable, str(PROBE), str(out)], capture_output=True, text=True, timeout=120
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("@@WS@@")]
    assert lines, proc.stdout[-2000:] + proc.stderr[-4000:]
    report: dict[str, Any] = json.loads(lines[0].removeprefix("@@WS@@"))
    return report


@pytest.mark.timeout(180)
def test_every_hostile_frame_gets_an_error_frame(probe: dict[str, Any]) -> None:
    """Each attack is answered with an error frame on the same, still open, connection."""
    answers = probe["answers"]
    assert len(answers) == 9
    for name, answer in answers.items():
        assert set(answer) == {"error"}, (name, answer)
        assert answer["error"]["code"] in {
            "invalid-message",
            "frame-too-large",
            "internal-error",
        }, name
    assert answers["oversized"]["error"]["code"] == "frame-too-large"
    assert answers["not-utf8"]["error"]["code"] == "invalid-message"
    assert answers["not-json"]["error"]["code"] == "invalid-message"


@pytest.mark.timeout(180)
def test_attacker_and_bystander_carry_on(probe: dict[str, Any]) -> None:
    """After the attacks, a broadcast reaches both the attacker and the other client."""
    received = probe["received"]
    assert received["emit-status"] == 200
    assert received["bystander"] == received["attacker"]
    assert [m["type"] for m in received["bystander"]] == ["message", "joined"]


@pytest.mark.timeout(180)
def test_sse_input_is_bounded_and_guarded(probe: dict[str, Any]) -> None:
    """The SSE channel's POST input: 413 over the limit, 422 when malformed, 401 without credentials."""
    http = probe["http"]
    assert (http["sse-oversized"], http["sse-malformed"]) == (413, 422)
    assert http["sse-no-credentials"] in (401, 403) and http["sse-wrong-credentials"] in (401, 403)


@pytest.mark.timeout(180)
def test_frame_limit_counts_bytes(probe: dict[str, Any]) -> None:
    """A frame of 4-byte characters over the byte limit is refused as too large."""
    assert probe["answers"]["oversized-multibyte"]["error"]["code"] == "frame-too-large"


@pytest.mark.timeout(180)
def test_deep_nesting_is_invalid_input(probe: dict[str, Any]) -> None:
    """JSON nested beyond the parser's depth is the client's mistake: ``invalid-message``."""
    assert probe["answers"]["deep-nesting"]["error"]["code"] == "invalid-message"
