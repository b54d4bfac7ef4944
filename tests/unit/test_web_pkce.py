"""The browser's PKCE challenge (web/src/shared/signin.ts) agrees with the server's (estate.signin.claims.s256)
when the page has no crypto.subtle (plain http on a LAN address) and uses web/src/shared/sha256.ts,
the TypeScript run by Node."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from estate.signin.claims import s256

WEB = Path(__file__).resolve().parents[2] / "web"

RUN = """
const ts = require("typescript");
const source = require("fs").readFileSync("src/shared/sha256.ts", "utf8");
const js = ts.transpileModule(source, {compilerOptions: {module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020}}).outputText;
const module_ = {exports: {}};
new Function("module", "exports", js)(module_, module_.exports);
const texts = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(texts.map((t) => Buffer.from(module_.exports.sha256(new TextEncoder().encode(t))).toString("hex"))));
"""

TEXTS = ["", "abc", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "a" * 55, "a" * 56, "a" * 64, "x" * 128, "登记"]


def test_the_fallback_sha256_matches_hashlib():
    if not shutil.which("node") or not (WEB / "node_modules" / "typescript").is_dir():
        pytest.fail("Node and web/node_modules are needed: make web")
    result = subprocess.run(["node", "-e", RUN], cwd=WEB, input=json.dumps(TEXTS), capture_output=True, text=True,
                            check=True, timeout=60)
    assert json.loads(result.stdout) == [hashlib.sha256(t.encode()).hexdigest() for t in TEXTS]
    assert s256(TEXTS[2]) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"  # RFC 7636 appendix B
