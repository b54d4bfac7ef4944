"""Cold start of every function in template.yaml, measured in fresh interpreters.

coldstart.<fn>.import_ms       median wall time to import the handler module (11 fresh runs; BENCH_RUNS)
coldstart.<fn>.ratio_to_boto3  that median divided by the median of `import boto3`, sampled in the same
                               rounds (boto3, then every handler, repeated)
coldstart.<fn>.rss_mb          peak RSS of a fresh interpreter that imports the handler and serves one
                               request against the embedded AWS (moto in server mode, another process)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_RUNS", "11"))

IMPORT_SCRIPT = """
import sys, time, importlib.util
sys.path.insert(0, {core!r})
t0 = time.perf_counter()
spec = importlib.util.spec_from_file_location("handler", {module!r})
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
print((time.perf_counter() - t0) * 1000)
"""

BOTO3_SCRIPT = """
import time
t0 = time.perf_counter()
import boto3
print((time.perf_counter() - t0) * 1000)
"""

SERVE_SCRIPT = """
import json, sys, importlib.util
sys.path.insert(0, {core!r})
spec = importlib.util.spec_from_file_location("handler", {module!r})
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
event = json.loads(sys.stdin.read())
class Context:
    function_name = "bench"; aws_request_id = "bench"; memory_limit_in_mb = 256
    invoked_function_arn = ""; log_group_name = ""; log_stream_name = ""
    def get_remaining_time_in_millis(self): return 10000
result = getattr(module, {attribute!r})(event, Context())
status = result.get("statusCode", 200) if isinstance(result, dict) else 200
sys.stderr.write("status %s\\n" % status)
# VmHWM, not ru_maxrss: the latter keeps the parent's high-water mark across fork+exec on Linux.
hwm_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(hwm_kb / 1024)
"""


def _run(script: str, env: dict, stdin: str = "") -> float:
    result = subprocess.run([sys.executable, "-c", script], input=stdin, capture_output=True, text=True, env=env,
                            cwd=ROOT, check=False)
    if result.returncode != 0:
        raise RuntimeError(result.stderr)
    status = next((line.split()[1] for line in result.stderr.splitlines() if line.startswith("status ")), "200")
    if int(status) >= 400:
        raise RuntimeError(f"the sample request failed with {status}: {result.stdout}")
    return float(result.stdout.strip().splitlines()[-1])


def _proxy_event(method: str, path: str, body, authorizer: dict | None, query: dict | None = None) -> dict:
    request_id = str(uuid.uuid4())
    return {"resource": path, "path": path, "httpMethod": method, "headers": {"Content-Type": "application/json"},
            "multiValueHeaders": None, "queryStringParameters": query,
            "multiValueQueryStringParameters": {k: [v] for k, v in query.items()} if query else None,
            "pathParameters": None, "stageVariables": None,
            "requestContext": {"resourcePath": path, "httpMethod": method, "path": path, "stage": "bench",
                               "requestId": request_id, "identity": {"sourceIp": "127.0.0.1", "userAgent": "bench"},
                               "authorizer": authorizer},
            "body": json.dumps(body, ensure_ascii=False) if body is not None else None, "isBase64Encoded": False}


def sample_events(stack_env: dict, issuer, register: dict) -> dict[str, dict]:
    """One realistic request per function."""
    unit = next(u for u in register["units"] if u["scenario"] == "single")
    owner = unit["right"]["owners"][0]
    citizen = {"principalId": "c-bench", "role": "citizen", "id_number": owner["id_number"], "name": owner["name"]}
    search = {"seller_name": owner["name"], "seller_id_number": owner["id_number"],
              "certificate_number": unit["right"]["certificate_number"], "outlet": unit["outlet"]}
    return {
        "AuthFunction": {"type": "TOKEN", "methodArn": "arn:aws:execute-api:us-east-1:1:api/v1/GET/outlets",
                         "authorizationToken": "Bearer " + issuer.citizen_token(owner["id_number"], owner["name"])},
        "InfoFunction": _proxy_event("GET", "/outlets", None, None),
        "ApplyFunction": _proxy_event("POST", "/properties/search", search, citizen),
        "BookingFunction": _proxy_event("GET", "/booking/slots", None, None,
                                        query={"outlet": unit["outlet"], "business": "sale"}),
    }


def start_backend():
    """moto in server mode in this process, provisioned and seeded from the template."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    from local.aws import MOTO_CONFIG, Resolver, provision
    from local.stack import LocalStack

    stack = LocalStack()  # sets the functions' environment before `estate` is imported
    server = ThreadedMotoServer(port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    os.environ.update({"AWS_ENDPOINT_URL": endpoint, "MOTO_PORT": str(port)})
    import requests
    requests.post(f"{endpoint}/moto-api/config", json=MOTO_CONFIG, timeout=10)
    provision(stack.template, Resolver(stack.template))
    from local.seed import load_register_data, seed_content, seed_register

    seed_content("2026-01-01T00:00:00+00:00")
    seed_register(Resolver(stack.template).ref("DocumentsBucket"))
    return server, stack, load_register_data(), {**os.environ}


def main() -> None:
    from local.template import load_template

    import compileall

    template = load_template()
    # The deployed zips carry bytecode (tools/package.py) and the venv's packages have theirs: measure
    # the handlers with theirs too, not with compiling from source (PYTHONDONTWRITEBYTECODE may be set).
    compileall.compile_dir(str(ROOT / "functions"), quiet=1)
    server, stack, register, env = start_backend()
    try:
        core = str(ROOT / "functions" / "core")
        env = {**env, "POWERTOOLS_TRACE_DISABLED": "1"}
        events = sample_events(env, stack.issuer, register)
        functions = [(spec, spec.logical_id.removesuffix("Function").lower()) for spec in template.functions()]
        scripts = {name: IMPORT_SCRIPT.format(core=core, module=str(spec.module_file)) for spec, name in functions}
        # Rounds interleave `import boto3` with every handler, so a change in machine load during the
        # run weighs on the numerator and the denominator alike (sequential blocks skewed the ratio by 2x).
        samples: dict[str, list[float]] = {"boto3": [], **{name: [] for _, name in functions}}
        for _ in range(RUNS):
            samples["boto3"].append(_run(BOTO3_SCRIPT, env))
            for _, name in functions:
                samples[name].append(_run(scripts[name], env))
        boto3_ms = statistics.median(samples["boto3"])
        print(f"coldstart.boto3.import_ms {boto3_ms:.1f} ms")
        for spec, name in functions:
            import_ms = statistics.median(samples[name])
            print(f"coldstart.{name}.import_ms {import_ms:.1f} ms")
            print(f"coldstart.{name}.ratio_to_boto3 {import_ms / boto3_ms:.2f} ratio")
            if spec.logical_id in events:
                serve = SERVE_SCRIPT.format(core=core, module=str(spec.module_file), attribute=spec.attribute)
                rss = _run(serve, env, json.dumps(events[spec.logical_id], ensure_ascii=False))
                print(f"coldstart.{name}.rss_mb {rss:.1f} MB")
    finally:
        server.stop()
        stack.stop()


if __name__ == "__main__":
    main()
