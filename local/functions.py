"""The template's functions, loaded in this process and callable as Lambda would call them.

Each app.py is loaded from its file under a unique module name (four app.py files would
otherwise shadow each other). Chalice apps get a thread-local current_request so the threaded
HTTP server can serve concurrent requests as separate Lambda containers would.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import threading
import uuid
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Callable

from chalice import Chalice
from chalice.local import LocalChalice

from local.template import ROOT, FunctionSpec, Template

CORE = ROOT / "functions" / "core"


def ensure_core_on_path() -> None:
    if str(CORE) not in sys.path:
        sys.path.insert(0, str(CORE))


def load_module(spec: FunctionSpec) -> ModuleType:
    ensure_core_on_path()
    module_name = f"fn_{spec.logical_id}_{spec.module_file.stem}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    import_spec = importlib.util.spec_from_file_location(module_name, spec.module_file)
    module = importlib.util.module_from_spec(import_spec)
    sys.modules[module_name] = module
    import_spec.loader.exec_module(module)
    return module


def _thread_safe(app: Chalice) -> Chalice:
    if not isinstance(app, LocalChalice):
        app.__class__ = type(f"Local{type(app).__name__}", (LocalChalice, type(app)), {})
    return app


@dataclass
class LambdaContext:
    function_name: str
    aws_request_id: str
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = ""
    log_group_name: str = ""
    log_stream_name: str = ""

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 10_000


class FunctionError(Exception):
    """The handler raised: Lambda reports an Unhandled function error."""

    def __init__(self, error_type: str, message: str):
        super().__init__(message)
        self.error_type = error_type
        self.message = message


class FunctionRegistry:
    def __init__(self, template: Template):
        self.specs = {spec.logical_id: spec for spec in template.functions()}
        self._handlers: dict[str, Callable[[Any, Any], Any]] = {}
        self._lock = threading.Lock()

    def handler(self, logical_id: str) -> Callable[[Any, Any], Any]:
        with self._lock:
            if logical_id not in self._handlers:
                spec = self.specs[logical_id]
                target = getattr(load_module(spec), spec.attribute)
                if isinstance(target, Chalice):
                    target = _thread_safe(target)
                self._handlers[logical_id] = target
            return self._handlers[logical_id]

    def load_all(self) -> None:
        for logical_id in self.specs:
            self.handler(logical_id)

    def invoke(self, logical_id: str, event: Any) -> Any:
        context = LambdaContext(function_name=logical_id, aws_request_id=str(uuid.uuid4()))
        try:
            return self.handler(logical_id)(event, context)
        except Exception as error:  # becomes a Lambda function error, as in AWS
            raise FunctionError(type(error).__name__, str(error)) from error


def _run_async(registry: FunctionRegistry, logical_id: str, event: dict) -> None:
    try:
        registry.invoke(logical_id, event)
    except FunctionError:
        pass  # Lambda would retry twice, then send the event to the function's DLQ


def route_lambda_invocations(registry: FunctionRegistry) -> None:
    """Make moto's Lambda (and so Step Functions' lambda:invoke) run our handlers in-process."""
    from moto.awslambda_simple.models import LambdaSimpleBackend

    def invoke(backend, function_name, qualifier, body, headers, response_headers):
        logical_id = function_name.split(":")[-1] if function_name.startswith("arn:") else function_name
        if ":function:" in function_name:
            logical_id = function_name.split(":function:")[1].split(":")[0]
        event = json.loads(body) if body else {}
        if (headers or {}).get("X-Amz-Invocation-Type") == "Event":
            # Asynchronous invocation: Lambda answers 202 at once and runs the function later.
            threading.Thread(target=_run_async, args=(registry, logical_id, event), daemon=True).start()
            return b""
        try:
            result = registry.invoke(logical_id, event)
        except FunctionError as error:
            response_headers["x-amz-function-error"] = "Unhandled"
            return json.dumps({"errorType": error.error_type, "errorMessage": error.message}).encode()
        return json.dumps(result).encode()

    LambdaSimpleBackend.invoke = invoke
