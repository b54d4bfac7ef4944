"""Bodies and answers of the sign-in routes (docs/openapi.json is generated from these)."""

from __future__ import annotations

from typing import ClassVar

from estate.schema import Model, choice, text

CHALLENGE_EXAMPLE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
VERIFIER_EXAMPLE = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"


class SignInStart(Model):
    """The browser's PKCE challenge: BASE64URL(SHA-256(code_verifier)); the verifier stays in the browser."""

    form_message: ClassVar[str] = "登录请求有误，请刷新页面后重试"
    code_challenge: text(43, min_length=43, pattern=r"^[A-Za-z0-9\-_]{43}$", title="PKCE S256 code_challenge",
                         examples=[CHALLENGE_EXAMPLE])


STAFF_DESKS = {"office": "窗口受理工作台", "bank": "贷款银行协办工作台"}
DESK_UNKNOWN_MESSAGE = "登录入口不正确，请从工作台的登录页重新登录"


class StaffSignInStart(SignInStart):
    """The staff door also names the desk signing in: the provider sends the browser back to that desk."""

    desk: choice(STAFF_DESKS, title="登录的工作台", code="DESK_UNKNOWN", message=DESK_UNKNOWN_MESSAGE) = "office"


class SignInRedirect(Model):
    """Where to send the browser (the identity provider's authorize page) and the sign-in's ticket."""

    authorization_url: str
    state: str
    flow: str          # signed by us: state, nonce and challenge of this sign-in; sent back with the code
    expires_in: int    # seconds the ticket is valid


class SignInFinish(Model):
    """What the identity provider handed back to the callback page, with this browser's verifier and ticket."""

    form_message: ClassVar[str] = "登录信息不完整，请重新登录"
    code: text(512, title="授权码", examples=["SplxlOBeZQQYbYS6WxSbIA"])
    state: text(128, title="state", examples=["af0ifjsldkj"])
    code_verifier: text(128, min_length=43, title="PKCE code_verifier", examples=[VERIFIER_EXAMPLE])
    flow: text(4096, title="登录票据", examples=["eyJhbGciOiJSUzI1NiJ9.e30.c2ln"])


class SignedIn(Model):
    """Our RS256 bearer token for the API and who it names."""

    token: str
    token_type: str
    expires_in: int
    role: str
    name: str
    outlet: str | None = None
    branch: str | None = None
    roles: str | None = None
