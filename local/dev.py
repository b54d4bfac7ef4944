"""Local-only routes (never in template.yaml): demo login, seeded people, the SMS outbox."""

from __future__ import annotations

import html
import json
from typing import Callable

from local.gateway import HttpResponse, json_response
from local.identity import LocalIssuer

LocalRoute = Callable[["DevPortal", dict, bytes, dict], HttpResponse]


def _error(status: int, code: str, message: str, field: str | None = None) -> HttpResponse:
    details = [{"field": field, "code": code, "message": message}] if field else []
    return json_response(status, {"code": code, "message": message, "details": details})


def _wants_json(headers: dict) -> bool:
    accept = next((v for k, v in headers.items() if k.lower() == "accept"), "")
    return "application/json" in accept and "text/html" not in accept


def _page(title: str, body: str) -> HttpResponse:
    document = (f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
                f"<meta name='viewport' content='width=device-width,initial-scale=1'><title>{html.escape(title)}</title>"
                "<style>body{font-family:sans-serif;margin:1.5rem;max-width:60rem}table{border-collapse:collapse}"
                "td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}code{background:#f3f3f3}</style>"
                f"</head><body><h1>{html.escape(title)}</h1>{body}</body></html>")
    return HttpResponse(200, {"Content-Type": "text/html; charset=utf-8"}, document.encode("utf-8"))


class DevPortal:
    def __init__(self, issuer: LocalIssuer, register: dict, base_url: Callable[[], str], sms_outbox: Callable[[], list]):
        self.issuer = issuer
        self.register = register
        self.base_url = base_url
        self.sms_outbox = sms_outbox
        self.people = {p["id_number"]: p for p in register["people"]}
        self.branches = {b["code"]: b for bank in register["banks"] for b in bank["branches"]}
        self.outlets = sorted({u["outlet"] for u in register["units"]})
        self.routes: dict[tuple[str, str], LocalRoute] = {
            ("GET", "/"): DevPortal.index,
            ("POST", "/_dev/login"): DevPortal.login,
            ("GET", "/_dev/people"): DevPortal.list_people,
            ("GET", "/_dev/sms"): DevPortal.sms,
            ("GET", "/_dev/jwks.json"): DevPortal.jwks,
        }

    def __call__(self, method: str, path: str, headers: dict, body: bytes, query: dict) -> HttpResponse | None:
        handler = self.routes.get((method.upper(), path))
        if handler is None:
            return None
        return handler(self, headers, body, query)

    # ------------------------------------------------------------------ routes
    def login(self, headers: dict, body: bytes, query: dict) -> HttpResponse:
        try:
            request = json.loads(body.decode("utf-8") or "{}")
            assert isinstance(request, dict)
        except (ValueError, AssertionError):
            return _error(400, "MALFORMED_JSON", "请求内容不是有效的JSON")
        role = request.get("role", "citizen")
        if role == "citizen":
            person = self.people.get(str(request.get("id_number", "")).upper())
            if person is None:
                return _error(404, "PERSON_NOT_FOUND", "没有这个演示用户，请查看 /_dev/people", "id_number")
            token = self.issuer.citizen_token(person["id_number"], person["name"])
        elif role == "clerk":
            outlet = str(request.get("outlet", ""))
            if outlet not in self.outlets:
                return _error(404, "OUTLET_NOT_FOUND", "没有这个办理网点", "outlet")
            clerk = next(s for s in self.register["staff"] if s["role"] == "clerk" and s["outlet"] == outlet)
            token = self.issuer.clerk_token(outlet, clerk["name"], request.get("roles", clerk.get("roles", "")))
        elif role == "bank":
            branch = self.branches.get(str(request.get("branch", "")))
            if branch is None:
                return _error(404, "BRANCH_NOT_FOUND", "没有这个银行网点", "branch")
            token = self.issuer.bank_token(branch["code"], branch["name"] + "信贷员")
        else:
            return _error(400, "INVALID_ROLE", "角色应为 citizen、clerk 或 bank", "role")
        return json_response(200, {"token": token, "token_type": "Bearer"})

    def people_view(self) -> list[dict]:
        units_by_owner: dict[str, list[dict]] = {}
        for unit in self.register["units"]:
            for owner in unit["right"]["owners"]:
                units_by_owner.setdefault(owner["id_number"], []).append({
                    "unit_number": unit["unit_number"], "certificate_number": unit["right"]["certificate_number"],
                    "outlet": unit["outlet"], "location": unit["location"], "scenario": unit["scenario"],
                    "holding_mode": unit["right"]["holding_mode"]})
        return [{"name": p["name"], "id_number": p["id_number"], "phone": p["phone"], "role": p["role"],
                 "marital_status": p.get("marital_status"), "units": units_by_owner.get(p["id_number"], [])}
                for p in self.register["people"]]

    def list_people(self, headers: dict, body: bytes, query: dict) -> HttpResponse:
        return json_response(200, {"people": self.people_view(), "staff": self.register["staff"]})

    def sms(self, headers: dict, body: bytes, query: dict) -> HttpResponse:
        messages = self.sms_outbox()
        if _wants_json(headers) or query.get("format") == "json":
            return json_response(200, {"messages": messages})
        rows = "".join(f"<tr><td>{html.escape(m['id'][:8])}</td><td>{html.escape(m['phone'])}</td>"
                       f"<td>{_linkify(m['message'])}</td></tr>" for m in reversed(messages))
        return _page("短信发件箱（本地）", "<p>本地环境不真正发送短信，所有短信都在这里。最新的在最上面。</p>"
                     f"<table><tr><th>编号</th><th>手机号</th><th>内容</th></tr>{rows or '<tr><td colspan=3>暂无短信</td></tr>'}</table>")

    def jwks(self, headers: dict, body: bytes, query: dict) -> HttpResponse:
        return json_response(200, self.issuer.jwks())

    def index(self, headers: dict, body: bytes, query: dict) -> HttpResponse:
        base = html.escape(self.base_url())
        owners = [p for p in self.people_view() if p["units"]][:6]
        sample = "".join(f"<tr><td>{html.escape(p['name'])}</td><td><code>{p['id_number']}</code></td>"
                         f"<td>{html.escape(p['units'][0]['certificate_number'])}</td><td>{p['units'][0]['scenario']}</td></tr>"
                         for p in owners)
        return _page("互联网+不动产登记 · 本地环境", f"""
<p>API 根地址：<code>{base}</code>（与 API Gateway 阶段的路由完全一致）</p>
<ul>
<li><a href="/_dev/sms">短信发件箱</a> · <a href="/_dev/people">演示用户（JSON）</a> · <a href="/outlets">办理网点</a> · <a href="/info/faqs">常见问题</a></li>
<li>登录：<code>POST /_dev/login {{"id_number": "…"}}</code>，窗口人员 <code>{{"role": "clerk", "outlet": "140302"}}</code>，银行 <code>{{"role": "bank", "branch": "CCB-YQ-CQ"}}</code></li>
</ul>
<h2>部分演示权利人</h2><table><tr><th>姓名</th><th>身份证号</th><th>证书号</th><th>情形</th></tr>{sample}</table>""")


def _linkify(text: str) -> str:
    escaped = html.escape(text)
    words = []
    for word in escaped.split(" "):
        if word.startswith("http://") or word.startswith("https://"):
            word = f"<a href='{word}'>{word}</a>"
        words.append(word)
    return " ".join(words)
