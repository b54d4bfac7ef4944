"""Each function, loaded ALONE in a fresh interpreter as Lambda loads it, has the registries its
`app.py` declares (estate.wiring) — and they are enough for what its code can do: every domain event
a loaded module publishes has a subscriber, every SMS template it sends exists, a function that can
save the inquiry record starts signing, and one that can submit checks the signing requirements.

The rest of the suite loads all eight apps in one process, where a missing declaration is hidden by
another app's; only this test sees a function as AWS does.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from local.template import ROOT, load_template

FUNCTIONS = sorted({spec.code_dir.name for spec in load_template().functions()})

PROBE = r"""
import ast, importlib.util, json, sys
sys.path.insert(0, {core!r})
spec = importlib.util.spec_from_file_location("app", {module!r})
app = importlib.util.module_from_spec(spec)
spec.loader.exec_module(app)

def name(fn):
    return f"{{fn.__module__}}.{{fn.__qualname__}}"

loaded = {{m: mod.__file__ for m, mod in list(sys.modules.items())
          if m.startswith("estate") and getattr(mod, "__file__", None) and mod.__file__.endswith(".py")}}
def strings(node):
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]

emitted, sent = {{}}, {{}}
for module, path in loaded.items():
    for node in ast.walk(ast.parse(open(path, encoding="utf-8").read())):
        if not isinstance(node, ast.Call):
            continue
        callee = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
        if callee == "emit" and node.args:
            for text in strings(node.args[0]):
                emitted.setdefault(text, []).append(module)
        if callee == "send_sms" and len(node.args) > 1:
            for text in strings(node.args[1]):  # a literal, or each branch of `a if … else b`
                sent.setdefault(text, []).append(module)
wiring = getattr(app, "WIRING", None)
report = {{"loaded": sorted(loaded), "emitted": emitted, "sent": sent,
           "declared": None if wiring is None else {{
               "subscribers": {{e: [name(h) for h in hs] for e, hs in wiring.subscribers.items()}},
               "requirements": [name(r) for r in wiring.requirements],
               "sms_templates": sorted(wiring.sms_templates)}},
           "subscribers": {{}}, "requirements": [], "sms_templates": []}}
if "estate.events" in sys.modules:
    report["subscribers"] = {{e: [name(h) for h in hs]
                             for e, hs in sys.modules["estate.events"].subscribed_events().items()}}
if "estate.apply.completeness" in sys.modules:
    report["requirements"] = [name(r) for r in sys.modules["estate.apply.completeness"].requirements()]
if "estate.adapters.sms" in sys.modules:
    report["sms_templates"] = sorted(sys.modules["estate.adapters.sms"].TEMPLATES)
    report["sms_base"] = sorted(sys.modules["estate.adapters.sms"].BASE_TEMPLATES)
report["heavy"] = sorted(m for m in sys.modules if m.split(".")[0] in ("fpdf", "PIL", "moto"))
print(json.dumps(report))
"""

START_SIGNING = "estate.signing.workflow.start_signing"
SIGNING_REQUIREMENTS = {"estate.signing.initiator.signed_documents_extracted", "estate.signing.initiator.bank_sealed"}


def probe(function: str) -> dict:
    script = PROBE.format(core=str(ROOT / "functions/core"), module=str(ROOT / "functions" / function / "app.py"))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                            cwd=ROOT / "functions" / function, env={"PATH": "/usr/bin:/bin"}, timeout=60)
    return json.loads(result.stdout.splitlines()[-1])


def problems(report: dict) -> list[str]:
    """What is wrong with one function's wiring (empty when sound)."""
    found = []
    declared = report["declared"] or {"subscribers": {}, "requirements": [], "sms_templates": []}
    if report["subscribers"] != {e: hs for e, hs in declared["subscribers"].items() if hs}:
        found.append(f"subscribers {report['subscribers']} are not the declared {declared['subscribers']}")
    if sorted(report["requirements"]) != sorted(declared["requirements"]):
        found.append(f"requirements {report['requirements']} are not the declared {declared['requirements']}")
    undeclared = set(report["sms_templates"]) - set(report.get("sms_base", [])) - set(declared["sms_templates"])
    if undeclared:
        found.append(f"SMS templates registered without a declaration: {sorted(undeclared)}")
    for event, modules in report["emitted"].items():
        if not report["subscribers"].get(event):
            found.append(f"{event!r} is published by {modules} but nothing here subscribes to it")
    for template, modules in report["sent"].items():
        if template not in report["sms_templates"]:
            found.append(f"SMS template {template!r} is sent by {modules} but not declared")
    if "estate.apply.steps" in report["loaded"] and START_SIGNING not in report["subscribers"].get("inquiry_saved", []):
        found.append("this function can save the inquiry record but does not start signing")
    if "estate.apply.cases" in report["loaded"] and not SIGNING_REQUIREMENTS <= set(report["requirements"]):
        found.append("this function can submit an application but does not require the signed documents")
    return found


@pytest.fixture(scope="module")
def reports() -> dict[str, dict]:
    return {function: probe(function) for function in FUNCTIONS}


@pytest.mark.parametrize("function", FUNCTIONS)
def test_each_function_alone_has_the_wiring_it_declares_and_needs(reports, function):
    assert problems(reports[function]) == []


def test_the_functions_that_save_the_inquiry_start_signing_and_the_tax_function_settles(reports):
    savers = {f for f, r in reports.items() if "estate.apply.steps" in r["loaded"]}
    assert {"apply", "office"} <= savers
    for function in savers:
        assert reports[function]["subscribers"]["inquiry_saved"] == [START_SIGNING]
    assert reports["tax"]["subscribers"]["taxes_paid"] == ["estate.tax.settled.record_taxes_paid"]


def test_api_handlers_do_not_import_pdf_or_imaging_libraries_at_cold_start(reports):
    """fpdf and PIL load on first use, not on a cold start (moto never: it is the local stack's). Checked on
    the same fresh-interpreter load as the wiring, not a second one per function."""
    assert {function: report["heavy"] for function, report in reports.items() if report["heavy"]} == {}


def test_a_lost_declaration_is_caught(reports):
    """The check itself can fail: the apply function without its subscribers, requirements, templates."""
    report = json.loads(json.dumps(reports["apply"]))
    report["subscribers"], report["requirements"] = {}, []
    report["sms_templates"] = report["sms_base"]
    report["declared"] = {"subscribers": {}, "requirements": [], "sms_templates": []}
    found = "\n".join(problems(report))
    assert "'inquiry_saved' is published" in found
    assert "does not start signing" in found
    assert "does not require the signed documents" in found
    assert "'sign_invite' is sent" in found or "'withdrawn_during_signing' is sent" in found


def test_no_module_subscribes_or_registers_by_being_imported():
    """Registration happens in `wiring.declare`, called from an app.py: never at a module's import."""
    offenders = []
    for path in (ROOT / "functions/core/estate").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for pattern in ("@events.subscribe", "@completeness.requirement", "TEMPLATES.update(", "add_templates("):
            if pattern in text and path.name not in ("wiring.py", "sms.py"):
                offenders.append(f"{path.relative_to(ROOT)}: {pattern}")
    assert offenders == []
