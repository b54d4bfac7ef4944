"""Local-only routes (never in template.yaml): demo login, seeded people, the SMS outbox."""

from __future__ import annotations

import html
import json
import threading
from datetime import date, datetime, timedelta
from typing import Any, Callable

from local.gateway import HttpResponse, json_response
from local.identity import LocalIssuer

LocalRoute = Callable[["DevPortal", dict, bytes, dict], HttpResponse]


def _error(status: int, code: str, message: str, field: str | None = None) -> HttpResponse:
    details = [{"field": field, "code": code, "message": message}] if field else []
    return json_response(status, {"code": code, "message": message, "details": details})


CAPTCHA_PREFIX = "/_dev/captchas/"


def _json_object(body: bytes) -> dict | None:
    try:
        parsed = json.loads(body.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError):
        return None
    return parsed if isinstance(parsed, dict) else None


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


SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN_NAMES = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞")
REMINDER_FUNCTION = "BookingReminderFunction"


class DevPortal:
    def __init__(self, issuer: LocalIssuer, register: dict, base_url: Callable[[], str], sms_outbox: Callable[[], list],
                 invoke: Callable[[str, Any], Any] | None = None):
        self.issuer = issuer
        self.invoke = invoke
        self.captcha_answers: dict[str, str] = {}
        self._extra_people = 0
        self._people_lock = threading.Lock()
        from estate.services import captchas

        captchas.answer_observers.append(self.captcha_answers.__setitem__)
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
            ("POST", "/_dev/people"): DevPortal.add_people,
            ("GET", "/_dev/clock"): DevPortal.get_clock,
            ("POST", "/_dev/clock"): DevPortal.set_clock,
            ("POST", "/_dev/reminders/run"): DevPortal.run_reminders,
        }

    def __call__(self, method: str, path: str, headers: dict, body: bytes, query: dict) -> HttpResponse | None:
        if method.upper() == "GET" and path.startswith(CAPTCHA_PREFIX) and path.count("/") == 3:
            return self.reveal_captcha(path[len(CAPTCHA_PREFIX):])
        handler = self.routes.get((method.upper(), path))
        if handler is None:
            return None
        return handler(self, headers, body, query)

    # ------------------------------------------------------------------ booking helpers (local only)
    def reveal_captcha(self, captcha_id: str) -> HttpResponse:
        """What a person reads in the picture: tests and the bench solve captchas with it."""
        answer = self.captcha_answers.get(captcha_id)
        if answer is None:
            return _error(404, "CAPTCHA_NOT_FOUND", "没有这个验证码")
        return json_response(200, {"captcha_id": captcha_id, "answer": answer})

    def add_people(self, headers: dict, body: bytes, query: dict) -> HttpResponse:
        """Extra real-name citizens (valid ID numbers, mobiles) with tokens, e.g. 200 distinct people
        for the booking contention test; the seeded register stays as it is."""
        request = _json_object(body)
        count = request.get("count", 1) if request is not None else None
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 1000:
            return _error(400, "INVALID_COUNT", "count 应为1到1000之间的整数", "count")
        from estate.domain.ids import id_check_char
        from estate.store.people import Person

        with self._people_lock:
            first, self._extra_people = self._extra_people, self._extra_people + count
        people = []
        with Person.batch_write() as batch:
            for index in range(first, first + count):
                birth = date(1960, 1, 1) + timedelta(days=(index * 37) % 14000)
                body17 = f"140302{birth:%Y%m%d}{900 + index % 100:03d}"[:17]
                id_number = body17 + id_check_char(body17)
                if id_number in self.people:
                    continue
                name = SURNAMES[index % len(SURNAMES)] + GIVEN_NAMES[(index // len(SURNAMES)) % len(GIVEN_NAMES)] \
                    + GIVEN_NAMES[index % len(GIVEN_NAMES)]
                phone = f"1370{index:07d}"
                batch.save(Person(id_number, name=name, phone=phone, address="阳泉市城区测试路1号"))
                person = {"name": name, "id_number": id_number, "phone": phone, "role": "citizen"}
                self.people[id_number] = person
                people.append({**person, "token": self.issuer.citizen_token(id_number, name)})
        return json_response(201, {"people": people})

    def get_clock(self, headers: dict, body: bytes, query: dict) -> HttpResponse:
        from estate import clock

        return json_response(200, {"now": clock.now().isoformat()})

    def set_clock(self, headers: dict, body: bytes, query: dict) -> HttpResponse:
        """Move the service's clock (booking windows, cut-offs, no-show rules) without sleeping:
        {"now": "2026-09-28T09:00:00+08:00"}; {"now": null} returns to real time."""
        from estate import clock

        request = _json_object(body)
        if request is None or "now" not in request:
            return _error(400, "REQUIRED", "请提供 now（ISO 8601 时间，带时区）或 null", "now")
        value = request["now"]
        if value is None:
            clock.set_now(None)
        else:
            try:
                moment = datetime.fromisoformat(str(value))
            except ValueError:
                moment = None
            if moment is None or moment.tzinfo is None:
                return _error(400, "INVALID_TIME", "now 应为带时区的 ISO 8601 时间", "now")
            clock.set_now(moment)
        return json_response(200, {"now": clock.now().isoformat()})

    def run_reminders(self, headers: dict, body: bytes, query: dict) -> HttpResponse:
        """Run the scheduled day-before reminder now, as EventBridge would."""
        from estate import clock

        event = {"source": "aws.events", "detail-type": "Scheduled Event", "time": clock.now().isoformat()}
        return json_response(200, self.invoke(REMINDER_FUNCTION, event))

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
<li>登录：居民在 <a href="/app/">H5 应用</a> 经本地“三晋通”替身（<a href="/_dev/oidc/citizen/.well-known/openid-configuration">OIDC</a>）授权登录，工作人员经本地“统一身份认证”替身（<a href="/_dev/oidc/staff/.well-known/openid-configuration">OIDC</a>）登录</li>
<li>工作人员页面：<a href="/office/">登记中心窗口受理工作台</a>（统一身份认证登录，本地可选演示工作人员） · <a href="/bank/">贷款银行协办工作台</a>（本地选择演示信贷人员登录）</li>
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
