"""The import rules of docs/architecture.md ("Who may import whom"), checked on the source.

Every ``import`` under helpbot/ counts, also those inside functions and ``TYPE_CHECKING``
blocks: a cycle that only the type checker sees is still a knot in the design.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PRODUCT = Path(__file__).resolve().parent.parent / "helpbot"

# Bottom to top: a package imports only packages below it (and the foundation).
LAYERS = (
    "programs",  # program records, facts, conditions, finder: plain data and logic
    "knowledge",
    "matching",
    "storage",  # beside the core: imports knowledge's version types only
    "crisis",
    "delivery",
    "cases",
    "reminders",
    "personal_data",  # retention, export, erasure: closes cases, cancels deliveries
    "conversation",
    "reports",  # counts from stored rows; reads the gaps of conversation
    "config",  # settings are read at the top and handed down
    "channels",
    "app",
    "worker",
    "cli",
)
# Importable from anywhere; they import only each other.
FOUNDATION = frozenset({"errors", "core", "privacy", "background"})
WEB = frozenset({"flask", "werkzeug", "flask_limiter"})
# A platform SDK may be imported only inside its adapter.
SDK_HOMES = {
    "linebot": ("channels", "line"),
    "slack_sdk": ("channels", "slack"),
    "slack_bolt": ("channels", "slack"),
}


def _imports(tree: ast.AST) -> Iterator[tuple[str, int]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                raise AssertionError(f"line {node.lineno}: use absolute imports (helpbot.…)")
            if node.module:
                yield node.module, node.lineno


def _rank(package: str) -> int:
    return -1 if package in FOUNDATION else LAYERS.index(package)


def _layer_rule(source: str, target: str) -> str | None:
    """Why package ``source`` may not import ``helpbot.<target>``."""
    if target == source or target in FOUNDATION:
        return None
    if target not in LAYERS:
        return f"{target!r} is in no layer"
    if source in FOUNDATION:
        return "the foundation imports only the foundation"
    if _rank(target) >= _rank(source):
        return f"{target} is not below {source}"
    return None


def _broken_rule(source: str, parts: tuple[str, ...], module: str) -> str | None:
    """Why ``module`` may not be imported by the file at ``parts`` (in package ``source``)."""
    name = module.split(".")
    why = None
    if name[0] == "helpbot" and len(name) > 1:
        why = _layer_rule(source, name[1])
    elif name[0] == "benchmarks" and source != "cli":
        why = "only the `helpbot bench` commands (cli) import it"
    elif name[0] in SDK_HOMES:
        home = SDK_HOMES[name[0]]
        if parts[: len(home)] != home:
            why = f"only {'/'.join(home)} imports {name[0]}"
    elif name[0] in WEB and _rank(source) < LAYERS.index("channels"):
        why = f"{source} is below the web layer (channels, app)"
    return why


def violations(root: Path) -> tuple[list[str], dict[str, set[str]]]:
    """Broken rules under ``root`` (a helpbot/ folder) and the package import graph."""
    problems: list[str] = []
    graph: dict[str, set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        source = parts[0]
        where = f"helpbot/{path.relative_to(root).as_posix()}"
        if source not in FOUNDATION and source not in LAYERS:
            problems.append(f"{where}: package {source!r} is in no layer of the import rules")
            continue
        graph.setdefault(source, set())
        for module, line in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            name = module.split(".")
            if name[0] == "helpbot" and len(name) > 1 and name[1] != source:
                graph[source].add(name[1])
            why = _broken_rule(source, parts, module)
            if why is not None:
                problems.append(f"{where}:{line} imports {module}: {why}")
    return problems, graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each cycle once, as a path that starts and ends at the same package."""
    found: list[list[str]] = []
    seen: set[frozenset[str]] = set()

    def walk(node: str, path: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt in path:
                loop = [*path[path.index(nxt):], nxt]
                if frozenset(loop) not in seen:
                    seen.add(frozenset(loop))
                    found.append(loop)
            elif len(path) < len(graph):
                walk(nxt, [*path, nxt])

    for start in sorted(graph):
        walk(start, [start])
    return found


def test_helpbot_keeps_the_import_rules() -> None:
    problems, _ = violations(PRODUCT)
    assert problems == []


def test_no_package_cycles() -> None:
    _, graph = violations(PRODUCT)
    assert set(graph) >= {"conversation", "cases", "delivery", "core", "channels"}
    assert cycles(graph) == []


def _write(root: Path, relative: str, source: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")


@pytest.mark.parametrize(
    ("relative", "source", "expected"),
    [
        ("cases/a.py", "from helpbot.conversation.service import X\n", "not below cases"),
        ("knowledge/a.py", "import helpbot.matching.base\n", "not below knowledge"),
        (
            "delivery/a.py",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from helpbot.cases.ports import StaffNotifier\n",
            "not below delivery",
        ),
        ("core/a.py", "from helpbot.knowledge.entries import Entry\n", "only the foundation"),
        ("conversation/a.py", "def f():\n    import flask\n", "below the web layer"),
        ("storage/a.py", "from werkzeug.exceptions import HTTPException\n", "below the web"),
        ("channels/slack/a.py", "from linebot.v3 import WebhookParser\n", "only channels/line"),
        ("app.py", "from slack_sdk import WebClient\n", "only channels/slack"),
        ("channels/web/a.py", "import slack_bolt\n", "only channels/slack"),
        ("gadgets/a.py", "import os\n", "in no layer"),
        ("app.py", "from benchmarks.harness import LocalLineApi\n", "(cli) import it"),
    ],
)
def test_the_check_catches_a_broken_rule(
    tmp_path: Path, relative: str, source: str, expected: str
) -> None:
    _write(tmp_path, relative, source)
    problems, _ = violations(tmp_path)
    assert len(problems) == 1 and expected in problems[0], problems


def test_the_check_allows_the_rules(tmp_path: Path) -> None:
    _write(tmp_path, "cases/a.py", "from helpbot.delivery.outbox import enqueue\n")
    _write(tmp_path, "delivery/a.py", "from helpbot.core.retry import RetryPolicy\nimport yaml\n")
    _write(tmp_path, "core/a.py", "from helpbot.errors import DeliveryError\n")
    _write(tmp_path, "channels/line/a.py", "import linebot\nfrom flask import Flask\n")
    _write(tmp_path, "app.py", "from helpbot.channels.slack.wiring import slack_client\n")
    assert violations(tmp_path)[0] == []


def test_cycles_are_found() -> None:
    graph = {"conversation": {"cases"}, "cases": {"delivery"}, "delivery": {"conversation"},
             "core": set()}
    assert cycles(graph) == [["cases", "delivery", "conversation", "cases"]]
