"""The app's 大写 amounts (web/src/shared/money.ts) agree with the service's (estate.domain.money), which
contracts and receipts print: the same amounts through both, the TypeScript run by Node."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from estate.domain.money import amount_in_chinese

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"

RUN = """
const ts = require("typescript");
const source = require("fs").readFileSync("src/shared/money.ts", "utf8");
const js = ts.transpileModule(source, {compilerOptions: {module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020}}).outputText;
const module_ = {exports: {}};
new Function("module", "exports", js)(module_, module_.exports);
const amounts = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(amounts.map((a) => [module_.exports.yuanInWords(a), module_.exports.formatYuan(a)])));
"""

FIXED = ["0.00", "0.04", "0.50", "1.00", "10.00", "100000.00", "1005.00", "100700.00", "100005000.00", "107000.00",
         "100000.50", "1680.32", "325.04", "520000.00", "10010.01", "999999999999.99", "100000000.00", "7800.1"]


def through_node(amounts: list[str]) -> list[list[str]]:
    if not shutil.which("node") or not (WEB / "node_modules" / "typescript").is_dir():
        pytest.fail("Node and web/node_modules are needed: make web")
    result = subprocess.run(["node", "-e", RUN], cwd=WEB, input=json.dumps(amounts), capture_output=True,
                            text=True, check=True, timeout=60)
    return json.loads(result.stdout)


def test_capitals_match_the_services_for_fixed_and_random_amounts():
    rng = random.Random(15)
    amounts = FIXED + [f"{rng.randrange(0, 10 ** rng.randrange(1, 13))}.{rng.randrange(100):02d}" for _ in range(400)]
    answers = through_node(amounts)
    for amount, (words, _) in zip(amounts, answers, strict=True):
        assert words == amount_in_chinese(Decimal(amount)), amount


def test_yuan_with_separators_and_two_decimals():
    answers = through_node(["520000", "7800.5", "0.04", "not a number"])
    assert [shown for _, shown in answers] == ["¥520,000.00", "¥7,800.50", "¥0.04", "not a number"]
    assert answers[3][0] == ""
