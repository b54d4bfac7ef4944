"""Which refusals (status, code, Chinese message) each route can answer, read from the code itself.

tools/openapi.py lists them per operation. The source of truth is the `raise` sites: every
construction of an estate.errors.DomainError subclass (`Conflict("…", code="UNIT_LOCKED")`, or a
class's default code) in a function the view reaches. Reach is a static call graph over
functions/core/estate and the app modules: calls and references to module functions (`steps.x`,
imported names), to methods of `self`/a named class, and to a method whose name only one estate
class defines (`caller.require_role(...)`). Calls on other objects (a boto3 client, a dict) are
not followed; a refusal they would hide is caught by tests/support/refusals.py, which fails a test
that sees a code the document does not list, and is then declared in EXTRA below.

The edge's own refusals (token, path/query checks, the body's JSON, Chalice's content-type) are
added per route by `edge_refusals`, from the same classes and codes estate.http raises.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ESTATE = ROOT / "functions/core/estate"


@dataclass(frozen=True, order=True)
class Refusal:
    status: int
    code: str
    message: str = ""


# Refusals whose class the walk cannot read (`error = Forbidden if … else Conflict`), by the function
# (module:qualname) that raises them: the domain rule whose `Refusal("CODE", "…")` values it raises,
# the class for each code, and the class for the others.
EXTRA: dict[str, tuple[str, dict[str, str], str]] = {
    "estate.booking.bookings:book": ("estate.domain.booking:refuse_person", {"BOOKING_BLOCKED": "Forbidden"}, "Conflict"),
}


def _module_name(path: Path) -> str:
    if path.is_relative_to(ESTATE.parent):
        parts = path.relative_to(ESTATE.parent).with_suffix("").parts
        return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
    return str(path)


def _module_file(name: str) -> Path | None:
    if not name.startswith("estate"):
        return None
    base = ESTATE.parent.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


class _Module:
    """One parsed source file: its imports, functions (by qualname) and classes."""

    def __init__(self, path: Path):
        self.path = path
        self.name = _module_name(path)
        self.tree = ast.parse(path.read_text(), str(path))
        self.aliases: dict[str, tuple[str, str | None]] = {}  # local name → (module, attribute or None)
        self.functions: dict[str, ast.AST] = {}
        self.classes: set[str] = set()
        for node in self.tree.body:
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    target = f"{node.module}.{alias.name}"
                    local = alias.asname or alias.name
                    self.aliases[local] = (target, None) if _module_file(target) else (node.module, alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.aliases[alias.asname] = (alias.name, None)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.functions[node.name] = node
            elif isinstance(node, ast.ClassDef):
                self.classes.add(node.name)
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        self.functions[f"{node.name}.{item.name}"] = item


class Graph:
    def __init__(self, extra_files: list[Path] = ()):
        self.modules: dict[str, _Module] = {}
        for path in sorted(ESTATE.rglob("*.py")):
            module = _Module(path)
            self.modules[module.name] = module
        for path in extra_files:
            module = _Module(path)
            self.modules[module.name] = module
        self.methods: dict[str, list[tuple[str, str]]] = {}
        for module in self.modules.values():
            for qualname in module.functions:
                if "." in qualname:
                    self.methods.setdefault(qualname.split(".", 1)[1], []).append((module.name, qualname))

    # ------------------------------------------------------------------ resolution
    def _object(self, module: str, attribute: str):
        try:
            return getattr(importlib.import_module(module), attribute, None)
        except ImportError:
            return None

    def _refusal_class(self, module: _Module, node: ast.expr):
        """The DomainError subclass a call's callee names, or None."""
        from estate.errors import DomainError

        target = None
        if isinstance(node, ast.Name):
            if node.id in module.aliases:
                target = module.aliases[node.id]
            elif node.id in module.classes:
                target = (module.name, node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            alias = module.aliases.get(node.value.id)
            if alias and alias[1] is None:
                target = (alias[0], node.attr)
        if target is None or target[1] is None or not target[0].startswith("estate"):
            return None
        value = self._object(*target)
        return value if inspect.isclass(value) and issubclass(value, DomainError) else None

    def _callees(self, module: _Module, node: ast.expr, owner: str | None, called: bool) -> list[tuple[str, str]]:
        """The estate functions a name or attribute expression refers to."""
        if isinstance(node, ast.Name):
            if node.id in module.functions:
                return [(module.name, node.id)]
            if node.id in module.classes:
                return [(module.name, q) for q in module.functions if q.startswith(node.id + ".")
                        and q.split(".")[1] in ("__init__", "__post_init__")]
            alias = module.aliases.get(node.id)
            if alias and alias[1] is not None and alias[0] in self.modules:
                target = self.modules[alias[0]]
                if alias[1] in target.functions:
                    return [(target.name, alias[1])]
                if alias[1] in target.classes:
                    return [(target.name, q) for q in target.functions if q.startswith(alias[1] + ".")
                            and q.split(".")[1] in ("__init__", "__post_init__")]
            return []
        if isinstance(node, ast.Attribute):
            base = node.value
            if isinstance(base, ast.Name):
                alias = module.aliases.get(base.id)
                if alias and alias[1] is None and alias[0] in self.modules:  # module.function
                    target = self.modules[alias[0]]
                    return [(target.name, node.attr)] if node.attr in target.functions else []
                if base.id in ("self", "cls") and owner:
                    qualname = f"{owner}.{node.attr}"
                    return [(module.name, qualname)] if qualname in module.functions else []
                if base.id in module.classes:
                    qualname = f"{base.id}.{node.attr}"
                    return [(module.name, qualname)] if qualname in module.functions else []
                if alias and alias[1] is not None and alias[0] in self.modules:  # ImportedClass.method
                    qualname = f"{alias[1]}.{node.attr}"
                    return [(alias[0], qualname)] if qualname in self.modules[alias[0]].functions else []
            candidates = self.methods.get(node.attr, []) if called else []
            return candidates if len(candidates) == 1 else []  # a method only one estate class defines
        return []

    # ------------------------------------------------------------------ one function
    @functools.cache  # noqa: B019 - one Graph per process (graph()), never freed anyway
    def direct(self, module_name: str, qualname: str) -> tuple[frozenset[Refusal], frozenset[tuple[str, str]]]:
        """The refusals a function constructs itself, and the estate functions it calls or names."""
        module = self.modules[module_name]
        function = module.functions[qualname]
        owner = qualname.split(".", maxsplit=1)[0] if "." in qualname else None
        refusals: set[Refusal] = self._extra(f"{module_name}:{qualname}")
        callees: set[tuple[str, str]] = set()
        called = {id(node.func) for node in ast.walk(function) if isinstance(node, ast.Call)}
        for node in ast.walk(function):
            if isinstance(node, ast.Call):
                cls = self._refusal_class(module, node.func)
                if cls is not None:
                    refusal = _refusal(cls, node)
                    if refusal.code != "?":
                        refusals.add(refusal)
                    else:
                        refusals |= self._dynamic(module, function, cls, node)
                    continue
                for callee in self._callees(module, node.func, owner, True):
                    refusals |= self._passed_codes(callee, node)
                if isinstance(node.func, ast.Attribute) and node.func.attr == "raise_if_any":
                    from estate.errors import ValidationError

                    refusals.add(Refusal(ValidationError.status, ValidationError.code, ValidationError.message))
            if isinstance(node, (ast.Name, ast.Attribute)) and isinstance(node.ctx, ast.Load):
                callees.update(c for c in self._callees(module, node, owner, id(node) in called)
                               if c != (module_name, qualname))
        return frozenset(refusals), frozenset(callees)

    def _extra(self, name: str) -> set[Refusal]:
        if name not in EXTRA:
            return set()
        from estate import errors

        rule, classes, default = EXTRA[name]
        return {Refusal((cls := getattr(errors, classes.get(code, default))).status, code, message or cls.message)
                for code, message in self._built_refusals(*rule.split(":"))}

    # ------------------------------------------------------------------ codes chosen at run time
    def _dynamic(self, module: _Module, function: ast.AST, cls, call: ast.Call) -> set[Refusal]:
        """A refusal whose code is a variable: `code, message = TABLE[...]` (a module's dict of
        (code, message) pairs), or `refusal.code` where `refusal = f(...)` and f returns
        `Refusal("CODE", "…")` values. A code that is a parameter is read at the callers
        (_passed_codes)."""
        value = next(k.value for k in call.keywords if k.arg == "code")
        if isinstance(value, ast.Name):
            for node in ast.walk(function):
                if (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Tuple)
                        and any(isinstance(t, ast.Name) and t.id == value.id for t in node.targets[0].elts)
                        and isinstance(node.value, ast.Subscript) and isinstance(node.value.value, ast.Name)):
                    table = self._constant(module, node.value.value.id)
                    if isinstance(table, dict):
                        return {Refusal(cls.status, pair[0], pair[1]) for pair in table.values()
                                if isinstance(pair, tuple) and len(pair) == 2}
        if isinstance(value, ast.Attribute) and value.attr == "code" and isinstance(value.value, ast.Name):
            for node in ast.walk(function):
                if (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
                        and node.targets[0].id == value.value.id and isinstance(node.value, ast.Call)):
                    return {Refusal(cls.status, code, message)
                            for source in self._callees(module, node.value.func, None, True)
                            for code, message in self._built_refusals(*source)}
        return set()

    def _constant(self, module: _Module, name: str):
        alias = module.aliases.get(name)
        target = (alias[0], alias[1]) if alias and alias[1] else (module.name, name)
        return self._object(*target) if target[0].startswith("estate") else None

    @functools.cache  # noqa: B019 - one Graph per process (graph()), never freed anyway
    def _built_refusals(self, module_name: str, qualname: str) -> frozenset[tuple[str, str]]:
        """The ("CODE", "message") pairs a function builds as a call's first two arguments (a
        domain rule returning `Refusal("DAY_IN_PAST", "…")` for its caller to raise)."""
        found = set()
        for node in ast.walk(self.modules[module_name].functions[qualname]):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str) and node.args[0].value.isupper() and len(node.args) > 1:
                found.add((node.args[0].value, _text(node.args[1])))
        return frozenset(found)

    @functools.cache  # noqa: B019 - one Graph per process (graph()), never freed anyway
    def _code_parameters(self, module_name: str, qualname: str) -> tuple:
        """(class, code parameter, message parameter) for each refusal a helper builds from its
        parameters (`def _refuse(code, message): return ValidationError(message, code=code)`)."""
        module = self.modules[module_name]
        function = module.functions[qualname]
        names = [a.arg for a in function.args.args]
        found = []
        for node in ast.walk(function):
            if isinstance(node, ast.Call) and (cls := self._refusal_class(module, node.func)) is not None:
                code = next((k.value for k in node.keywords if k.arg == "code"), None)
                if isinstance(code, ast.Name) and code.id in names:
                    first = node.args[0] if node.args else None
                    found.append((cls, code.id, first.id if isinstance(first, ast.Name) and first.id in names else None))
        return tuple(found)

    def _passed_codes(self, callee: tuple[str, str], call: ast.Call) -> set[Refusal]:
        if callee[0] not in self.modules or callee[1] not in self.modules[callee[0]].functions:
            return set()
        parameters = self._code_parameters(*callee)
        if not parameters:
            return set()
        names = [a.arg for a in self.modules[callee[0]].functions[callee[1]].args.args]
        if names and names[0] in ("self", "cls"):
            names = names[1:]
        given = {names[i]: arg for i, arg in enumerate(call.args) if i < len(names)}
        given.update({k.arg: k.value for k in call.keywords if k.arg})
        found = set()
        for cls, code_name, message_name in parameters:
            code = given.get(code_name)
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                found.add(Refusal(cls.status, code.value, _text(given.get(message_name)) or cls.message))
        return found

    def reachable(self, module_name: str, qualname: str, *, into_edge: bool = False) -> set[Refusal]:
        seen: set[tuple[str, str]] = set()
        pending = [(module_name, qualname)]
        found: set[Refusal] = set()
        while pending:
            current = pending.pop()
            if current in seen or current[0] not in self.modules or current[1] not in self.modules[current[0]].functions:
                continue
            seen.add(current)
            refusals, callees = self.direct(*current)
            found |= refusals
            # The edge (estate.http: the route decorator, the body's parsing) is added by edge_refusals.
            pending.extend(c for c in callees - seen if into_edge or c[0] != "estate.http")
        return found


def _refusal(cls, call: ast.Call) -> Refusal:
    code = cls.code
    for keyword in call.keywords:
        if keyword.arg == "code":
            code = keyword.value.value if isinstance(keyword.value, ast.Constant) else None
    return Refusal(cls.status, code or "?", (_text(call.args[0]) if call.args else "") or cls.message)


def _text(node: ast.expr | None) -> str:
    """A message argument as the person reads it (an f-string's fields as …)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(p.value if isinstance(p, ast.Constant) else "…" for p in node.values)
    return ""


@functools.cache
def graph() -> Graph:
    return Graph(sorted((ROOT / "functions").glob("*/app.py")))


def view_refusals(view) -> set[Refusal]:
    """Every refusal the use-case code reachable from `view` can raise (codes the walk could not
    read are dropped: tests/support/refusals.py reports them when a test meets one)."""
    view = inspect.unwrap(view)
    path = Path(inspect.getsourcefile(view)).resolve()
    name = _module_name(path)
    found = graph().reachable(name, view.__qualname__)
    return {r for r in found if r.code != "?"}


def edge_refusals(*, public: bool, takes_body: bool, gateway: dict[int, list[tuple[str, str]]]) -> set[Refusal]:
    """What the edge answers before a use-case runs: the path and query checks, the token (the
    gateway's 401/403 and estate.http's own check) unless the route is public, the body's JSON and
    model when the route reads one, Chalice's refusals and the gateway's throttling (`gateway`:
    status → (code, message) from template.yaml's GatewayResponses)."""
    from estate.errors import Unauthenticated
    from estate.http import _CHALICE_ERRORS

    found = graph().reachable("estate.http", "check_request_params", into_edge=True)
    if takes_body:
        found |= graph().reachable("estate.http", "ApiRequest.json", into_edge=True)
        found |= graph().reachable("estate.schema", "parse", into_edge=True)
    for name, status in (("UnsupportedMediaType", 415), ("BadRequest", 400), ("BadRequestError", 400)):
        code, message = _CHALICE_ERRORS[name]
        found.add(Refusal(status, code, message))
    found |= {Refusal(429, code, message) for code, message in gateway.get(429, [])}
    # A method the path does not serve is the gateway's 403 ROUTE_NOT_FOUND, on every path.
    found |= {Refusal(403, code, message) for code, message in gateway.get(403, []) if code == "ROUTE_NOT_FOUND"}
    if not public:
        found.add(Refusal(Unauthenticated.status, Unauthenticated.code, Unauthenticated.message))
        found |= {Refusal(status, code, message) for status in (401, 403) for code, message in gateway.get(status, [])}
    return found
