"""The README's curl examples work when pasted: API Gateway + Chalice answer 415 to a body sent
as curl's default application/x-www-form-urlencoded, so every example with a body names JSON."""

from __future__ import annotations

import itertools
import json
import shlex
import subprocess
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def curl_commands(text: str) -> list[str]:
    """Each curl command as the shell would read it: from `curl` to the first newline, pipe, `)` or
    backtick outside quotes (a backslash-newline continues it)."""
    commands = []
    start = text.find("curl ")
    while start != -1:
        quote, i = None, start
        while i < len(text):
            char = text[i]
            if quote:
                if char == quote:
                    quote = None
            elif char in "'\"":
                quote = char
            elif char == "\\" and text[i + 1:i + 2] == "\n":
                i += 1
            elif char in "\n|)`#":
                break
            i += 1
        commands.append(text[start:i].replace("\\\n", " "))
        start = text.find("curl ", i)
    return commands


def _has_body(words: list[str]) -> bool:
    return any(w in ("-d", "--data", "--data-raw", "--data-binary") or w.startswith("--data=") for w in words)


def _content_types(words: list[str]) -> list[str]:
    return [value.split(":", 1)[1].strip().lower() for flag, value in itertools.pairwise(words)
            if flag in ("-H", "--header") and value.lower().startswith("content-type:")]


def test_the_scanner_finds_multi_line_commands():
    text = "x\ncurl -s -XPOST a \\\n  -d '{\"a\":\n 1}' | jq\n`curl -s b`"
    assert curl_commands(text) == ["curl -s -XPOST a    -d '{\"a\":\n 1}' ", "curl -s b"]


def test_every_readme_curl_with_a_body_sends_json():
    commands = [shlex.split(c) for c in curl_commands(README.read_text(encoding="utf-8"))]
    with_body = [words for words in commands if _has_body(words)]
    assert len(with_body) >= 8  # the scanner still sees the examples
    missing = [" ".join(words) for words in with_body if _content_types(words) != ["application/json"]]
    assert missing == []


def test_the_public_calculator_example_runs_verbatim(server_url):
    """Pasted as written (only the host changed), the example answers the tax of DOMAIN.md §2.7 example A."""
    example = next(c for c in curl_commands(README.read_text(encoding="utf-8")) if "/tax/estimate" in c)
    words = [w.replace("localhost:8000", server_url) for w in shlex.split(example)]
    done = subprocess.run([*words, "-w", "\n%{http_code}"], capture_output=True, text=True, timeout=60, check=True)
    body, _, status = done.stdout.rpartition("\n")
    assert status == "200", body
    assert json.loads(body)["totals"] == {"buyer": "7880.00", "seller": "5200.00"}


@pytest.fixture(scope="module")
def server_url(api, stack):
    """The in-process stack behind the local HTTP front (what `make run` serves) on a free port."""
    from local.server import serving

    with serving(stack) as port:
        yield f"127.0.0.1:{port}"
