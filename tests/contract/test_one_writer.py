"""One writer for the application record, and transactions only in store/ (ast scan of the core).

The application's status changes only through the rules in estate.domain.application, applied by
store.applications.apply_changes (the record and its timeline event in one transaction); Step
Functions and S3 are reached only through estate.adapters.
"""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "functions/core/estate"
NOT_AN_APPLICATION = {"booking", "signer", "order", "item", "link", "check", "material", "current"}


def _modules():
    for path in sorted(CORE.rglob("*.py")):
        yield path.relative_to(CORE).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def status_writes(tree: ast.AST) -> list[int]:
    """Lines that assign `<something>.status = …` (an application, unless the object's name says
    otherwise) or use `Application.status.set(…)`."""
    lines = []
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, (ast.AugAssign, ast.AnnAssign)) else []
        for target in targets:
            for element in (target.elts if isinstance(target, ast.Tuple) else [target]):
                if isinstance(element, ast.Attribute) and element.attr == "status":
                    owner = element.value.id if isinstance(element.value, ast.Name) else ""
                    if owner.lower() not in NOT_AN_APPLICATION:
                        lines.append(element.lineno)
        if (isinstance(node, ast.Attribute) and node.attr == "set" and isinstance(node.value, ast.Attribute)
                and node.value.attr == "status" and isinstance(node.value.value, ast.Name)
                and node.value.value.id == "Application"):
            lines.append(node.lineno)
    return lines


def transactions(tree: ast.AST) -> list[int]:
    return [node.lineno for node in ast.walk(tree)
            if (isinstance(node, ast.Name) and node.id == "TransactWrite")
            or (isinstance(node, ast.ImportFrom) and node.module == "pynamodb.transactions")]


def aws_clients(tree: ast.AST, service: str) -> list[int]:
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "client"
            and node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value == service]


def test_only_the_store_writes_an_applications_status():
    offenders = {name: lines for name, tree in _modules()
                 if not name.startswith("store/") and (lines := status_writes(tree))}
    assert offenders == {}


def test_only_the_store_opens_a_transaction():
    offenders = {name: lines for name, tree in _modules()
                 if not name.startswith("store/") and (lines := transactions(tree))}
    assert offenders == {}


def test_step_functions_and_s3_only_behind_adapters():
    offenders = {f"{name}:{service}": lines for name, tree in _modules() for service in ("stepfunctions", "s3")
                 if not name.startswith("adapters/") and (lines := aws_clients(tree, service))}
    assert offenders == {}


def test_the_scans_find_what_they_look_for():
    """Each scan flags the pattern it exists for (so an empty answer above means something)."""
    assert status_writes(ast.parse("application.status = 'SIGNED'")) == [1]
    assert status_writes(ast.parse("fresh.status, fresh.signing = 'SIGNING', {}")) == [1]
    assert status_writes(ast.parse("actions = [Application.status.set(target)]")) == [1]
    assert status_writes(ast.parse("booking.status = status")) == []
    assert transactions(ast.parse("from pynamodb.transactions import TransactWrite\nwith TransactWrite() as tx: pass"))
    assert aws_clients(ast.parse("client('stepfunctions').start_execution()"), "stepfunctions") == [1]
