"""Two small OpenID Connect providers for the local stack (dev only, never in template.yaml), so the
desks and the citizen app sign in through the real code path (estate.signin, estate.adapters.identity):

  /_dev/oidc/staff    stands in for the registration centre's identity provider: a staff picker
  /_dev/oidc/citizen  stands in for 三晋通: a demo-person picker

Each serves discovery, an authorize page (the picker), a token endpoint that checks the client, the
redirect URI, PKCE (S256) and that the code is fresh and used once, and its JWKS. Its ID tokens
carry the claims the real providers are documented to carry (estate.signin.claims).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Callable

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from local.gateway import HttpResponse, json_response

PREFIX = "/_dev/oidc/"
CODE_TTL_S = 60
ID_TOKEN_TTL_S = 300
STAFF_CLIENT_SECRET = "local-desk-secret"   # the staff door is a confidential client locally (Basic auth)
PAGE_SIZE = 30


def _mask(id_number: str) -> str:
    return id_number[:4] + "**********" + id_number[-4:] if len(id_number) > 8 else id_number


def _page(title: str, body: str) -> HttpResponse:
    document = ("<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
                "<meta name='viewport' content='width=device-width,initial-scale=1'>"
                f"<title>{html.escape(title)}</title><style>"
                "body{font-family:sans-serif;margin:0;padding:16px;max-width:40rem;color:#1d2129}"
                "h1{font-size:20px}.note{color:#4e5969;font-size:14px}"
                "ul{list-style:none;padding:0}li{margin:8px 0}"
                "button{width:100%;min-height:48px;font-size:16px;text-align:left;padding:8px 12px;"
                "border:1px solid #c9cdd4;border-radius:8px;background:#fff;cursor:pointer}"
                "button small{display:block;color:#4e5969;font-size:13px}"
                "button.filter{width:auto;margin-top:8px;text-align:center}"
                "input[type=search]{width:100%;min-height:44px;font-size:16px;box-sizing:border-box;padding:0 8px}"
                "</style></head>"
                f"<body><main><h1>{html.escape(title)}</h1>{body}</main></body></html>")
    return HttpResponse(200, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"},
                        document.encode("utf-8"))


def _problem(status: int, message: str) -> HttpResponse:
    response = _page("登录请求有误", f"<p>{html.escape(message)}</p>")
    response.status = status
    return response


def _token_error(error: str, description: str, status: int = 400) -> HttpResponse:
    return json_response(status, {"error": error, "error_description": description},
                         {"Cache-Control": "no-store"})


@dataclass
class Account:
    key: str            # what the picker posts back
    label: str          # the button's text
    detail: str
    claims: dict


@dataclass
class Grant:
    claims: dict
    client_id: str
    redirect_uri: str
    code_challenge: str
    nonce: str
    expires: float


@dataclass
class DevProvider:
    door: str
    title: str
    client_id: str
    client_secret: str
    redirect_uris: Callable[[], tuple[str, ...]]     # the registered return addresses (the staff desks have two)
    issuer: Callable[[], str]
    accounts: Callable[[str], list[Account]]         # filter text → accounts shown
    find: Callable[[str], Account | None]
    searchable: bool = False
    key_id: str = field(default_factory=lambda: "dev-" + secrets.token_hex(4))
    _key: rsa.RSAPrivateKey = field(default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048))
    _grants: dict[str, Grant] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # ---------------------------------------------------------------- documents
    def discovery(self) -> dict:
        base = self.issuer()
        return {"issuer": base, "authorization_endpoint": base + "/authorize", "token_endpoint": base + "/token",
                "jwks_uri": base + "/jwks.json", "response_types_supported": ["code"],
                "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"], "grant_types_supported": ["authorization_code"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "none"]}

    def jwks(self) -> dict:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self._key.public_key()))
        public.update({"kid": self.key_id, "use": "sig", "alg": "RS256"})
        return {"keys": [public]}

    # ---------------------------------------------------------------- authorize (the picker)
    def _check_request(self, params: dict) -> str | None:
        if params.get("client_id") != self.client_id:
            return "未注册的应用（client_id）"
        if params.get("redirect_uri") not in self.redirect_uris():
            return "回调地址与注册的不一致（redirect_uri）"
        if params.get("response_type") != "code":
            return "仅支持授权码方式（response_type=code）"
        if params.get("code_challenge_method") != "S256" or len(params.get("code_challenge", "")) != 43:
            return "缺少 PKCE 校验参数（code_challenge，S256）"
        if not params.get("state") or not params.get("nonce"):
            return "缺少 state 或 nonce"
        return None

    def authorize_page(self, params: dict) -> HttpResponse:
        problem = self._check_request(params)
        if problem:
            return _problem(400, problem)
        carried = ("client_id", "redirect_uri", "response_type", "state", "nonce", "code_challenge",
                   "code_challenge_method", "scope")
        hidden = "".join(f"<input type='hidden' name='{name}' value='{html.escape(params.get(name, ''), quote=True)}'>"
                         for name in carried)
        text = params.get("q", "").strip()
        search = ""
        if self.searchable:
            search = (f"<form method='get' role='search'>{hidden}<label for='q'>按姓名筛选</label>"
                      f"<input type='search' id='q' name='q' value='{html.escape(text, quote=True)}'>"
                      "<button type='submit' class='filter'>筛选</button></form>")
        items = "".join(f"<li><button type='submit' name='account' value='{html.escape(a.key, quote=True)}'>"
                        f"{html.escape(a.label)}<small>{html.escape(a.detail)}</small></button></li>"
                        for a in self.accounts(text)[:PAGE_SIZE])
        return _page(self.title, "<p class='note'>本地演示环境的身份认证（仅开发使用）：请选择登录的账号。</p>"
                     f"{search}<form method='post'>{hidden}<ul>{items or '<li>没有符合条件的账号</li>'}</ul></form>")

    def approve(self, form: dict) -> HttpResponse:
        problem = self._check_request(form)
        if problem:
            return _problem(400, problem)
        account = self.find(form.get("account", ""))
        if account is None:
            return _problem(400, "没有这个账号")
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._grants[code] = Grant(account.claims, form["client_id"], form["redirect_uri"], form["code_challenge"],
                                       form["nonce"], time.time() + CODE_TTL_S)
        query = urllib.parse.urlencode({"code": code, "state": form["state"]})
        return HttpResponse(302, {"Location": f"{form['redirect_uri']}?{query}", "Cache-Control": "no-store"}, b"")

    # ---------------------------------------------------------------- token endpoint
    def _client_authenticated(self, headers: dict, form: dict) -> bool:
        authorization = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        if not self.client_secret:
            return form.get("client_id") == self.client_id
        if not authorization.lower().startswith("basic "):
            return False
        try:
            pair = base64.b64decode(authorization[6:]).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return False
        client_id, _, secret = pair.partition(":")
        return (urllib.parse.unquote(client_id) == self.client_id
                and secrets.compare_digest(urllib.parse.unquote(secret), self.client_secret))

    def token(self, headers: dict, form: dict) -> HttpResponse:
        if form.get("grant_type") != "authorization_code":
            return _token_error("unsupported_grant_type", "only authorization_code")
        if not self._client_authenticated(headers, form):
            return _token_error("invalid_client", "client authentication failed", 401)
        with self._lock:
            grant = self._grants.pop(form.get("code", ""), None)  # a code is used once, even if refused
        if grant is None or grant.expires < time.time():
            return _token_error("invalid_grant", "code unknown, expired or already used")
        if form.get("redirect_uri") != grant.redirect_uri:
            return _token_error("invalid_grant", "redirect_uri differs from the authorization request")
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii", "replace")).digest()).rstrip(b"=")
        if not verifier or challenge.decode("ascii") != grant.code_challenge:
            return _token_error("invalid_grant", "PKCE verification failed")
        now = int(time.time())
        id_token = jwt.encode({"iss": self.issuer(), "aud": grant.client_id, "iat": now, "exp": now + ID_TOKEN_TTL_S,
                               "nonce": grant.nonce, **grant.claims}, self._key, algorithm="RS256",
                              headers={"kid": self.key_id})
        return json_response(200, {"access_token": secrets.token_urlsafe(24), "token_type": "Bearer",
                                   "expires_in": ID_TOKEN_TTL_S, "id_token": id_token}, {"Cache-Control": "no-store"})


def _form(body: bytes) -> dict:
    return {k: v for k, v in urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)}


class DevIdentityProviders:
    """The local routes of both providers (see local.stack.first_answer)."""

    def __init__(self, register: dict, base_url: Callable[[], str], staff_client_id: str, citizen_client_id: str):
        self.register = register
        self.base_url = base_url
        staff = self._staff_accounts()
        owned: dict[str, int] = {}
        for unit in register["units"]:
            for owner in unit["right"]["owners"]:
                owned[owner["id_number"]] = owned.get(owner["id_number"], 0) + 1
        ordered = sorted(register["people"], key=lambda p: -owned.get(p["id_number"], 0))  # owners first
        people = [Account(p["id_number"], p["name"], f"身份证 {_mask(p['id_number'])}"
                          + (f" · 名下{owned[p['id_number']]}套房屋" if p["id_number"] in owned else ""),
                          {"sub": "sjt-" + hashlib.sha256(p["id_number"].encode()).hexdigest()[:12], "name": p["name"],
                           "id_number": p["id_number"]})
                  for p in ordered]
        by_key = {a.key: a for a in people}

        def people_matching(text: str) -> list[Account]:
            return [a for a in people if text in a.label] if text else people

        self.providers = {
            "staff": DevProvider("staff", "登记中心统一身份认证（本地）", staff_client_id, STAFF_CLIENT_SECRET,
                                 lambda: (base_url() + "/office/signin/callback", base_url() + "/bank/signin/callback"),
                                 lambda: base_url() + PREFIX + "staff",
                                 lambda text: staff, lambda key: next((a for a in staff if a.key == key), None)),
            "citizen": DevProvider("citizen", "三晋通授权登录（本地）", citizen_client_id, "",
                                   lambda: (base_url() + "/app/signin/callback",), lambda: base_url() + PREFIX + "citizen",
                                   people_matching, by_key.get, searchable=True),
        }

    def _staff_accounts(self) -> list[Account]:
        """The seeded register's staff (clerks with their outlet, loan officers with their branch), an
        auditor, and an account the centre has given no role (refused: ROLE_CLAIM_MISSING)."""
        accounts = []
        for member in self.register["staff"]:
            unit_claim = "outlet" if member["role"] == "clerk" else "branch"
            claims = {"sub": f"{member['role']}-{member[unit_claim]}", "name": member["name"], "role": member["role"],
                      unit_claim: member[unit_claim]}
            if member.get("roles"):
                claims["roles"] = member["roles"]
            title = "窗口受理员" if member["role"] == "clerk" else "银行信贷人员"
            accounts.append(Account(claims["sub"], f"以{member['name']}身份登录", title, claims))
        first_clerk = next((m for m in self.register["staff"] if m["role"] == "clerk"), None)
        if first_clerk:
            accounts.append(Account("auditor", "以审计人员身份登录", "审计人员",
                                    {"sub": f"auditor-{first_clerk['outlet']}", "name": "审计人员", "role": "clerk",
                                     "outlet": first_clerk["outlet"], "roles": "auditor"}))
        accounts.append(Account("no-role", "以未分配岗位的账号登录", "演示：账号没有岗位，本系统会拒绝登录",
                                {"sub": "someone", "name": "未分配岗位人员"}))
        return accounts

    def __call__(self, method: str, path: str, headers: dict, body: bytes, query: dict) -> HttpResponse | None:
        if not path.startswith(PREFIX):
            return None
        door, _, rest = path[len(PREFIX):].partition("/")
        provider = self.providers.get(door)
        if provider is None:
            return None
        method = method.upper()
        if method == "GET" and rest == ".well-known/openid-configuration":
            return json_response(200, provider.discovery())
        if method == "GET" and rest == "jwks.json":
            return json_response(200, provider.jwks())
        if method == "GET" and rest == "authorize":
            return provider.authorize_page(query)
        if method == "POST" and rest == "authorize":
            return provider.approve(_form(body))
        if method == "POST" and rest == "token":
            return provider.token(headers, _form(body))
        return None
