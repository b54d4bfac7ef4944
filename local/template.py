"""template.yaml as data: functions, routes, resources and the environment they get."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from cfnlint.decode import cfn_yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_PATH = ROOT / "template.yaml"


@dataclass(frozen=True)
class ApiRoute:
    function: str     # logical id of the function
    path: str         # API Gateway resource path, e.g. /info/policies/{id}
    method: str
    public: bool      # Auth: {Authorizer: NONE}


@dataclass(frozen=True)
class FunctionSpec:
    logical_id: str
    code_dir: Path
    handler: str      # module.attribute, e.g. app.app

    @property
    def module_file(self) -> Path:
        return self.code_dir / (self.handler.split(".")[0] + ".py")

    @property
    def attribute(self) -> str:
        return self.handler.split(".", 1)[1]


class Template:
    def __init__(self, path: Path = TEMPLATE_PATH):
        self.path = path
        self.data = cfn_yaml.load(str(path))

    @property
    def resources(self) -> dict:
        return self.data["Resources"]

    def of_type(self, type_name: str) -> dict[str, dict]:
        return {k: v for k, v in self.resources.items() if v["Type"] == type_name}

    def functions(self) -> list[FunctionSpec]:
        specs = []
        for logical_id, res in self.of_type("AWS::Serverless::Function").items():
            props = res["Properties"]
            specs.append(FunctionSpec(logical_id, ROOT / props["CodeUri"], props["Handler"]))
        return specs

    def routes(self) -> list[ApiRoute]:
        found = []
        for logical_id, res in self.of_type("AWS::Serverless::Function").items():
            for event in (res["Properties"].get("Events") or {}).values():
                if event["Type"] != "Api":
                    continue
                props = event["Properties"]
                auth = (props.get("Auth") or {}).get("Authorizer")
                found.append(ApiRoute(logical_id, props["Path"], props["Method"].upper(), auth == "NONE"))
        return found

    def global_environment(self) -> dict:
        return dict(self.data.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {}))

    def function_environment(self, logical_id: str) -> dict:
        props = self.resources[logical_id]["Properties"]
        return dict((props.get("Environment") or {}).get("Variables", {}))

    def parameter_defaults(self) -> dict:
        return {k: v.get("Default") for k, v in (self.data.get("Parameters") or {}).items()}


@functools.cache
def load_template() -> Template:
    return Template()
