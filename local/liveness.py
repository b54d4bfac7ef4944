"""The local stand-in for a liveness provider's page (Tencent FaceID's H5 page, Amplify's
FaceLivenessDetector): the app sends the phone here with the session the service started; a button
answers live, not live or timeout, and the phone goes back to the app, which finishes the check.

  GET  /_dev/liveness/{provider_session}?return=<app URL>   the page
  POST /_dev/liveness/{provider_session}  form or JSON {"outcome": "live"|"not_live"|"timeout", "return"}
       → 303 back to the app (a form), or 200 {"answered": true, "return": …} (JSON, for tests)
"""

from __future__ import annotations

import html
import json
from urllib.parse import parse_qsl, urlsplit

from local.gateway import HttpResponse, json_response

PREFIX = "/_dev/liveness/"
OUTCOMES = {"live": "本人完成动作（活体通过）", "not_live": "举着照片 / 翻拍屏幕（非活体）", "timeout": "什么也不做（超时）"}


def _safe_return(target: str) -> str:
    """Only back into this origin's app: a path, never another site."""
    parts = urlsplit(target or "")
    path = parts.path or "/app/"
    if not path.startswith("/app/") or "//" in path:
        path = "/app/"
    return path + (f"?{parts.query}" if parts.query else "")


def _page(provider_session: str, back: str) -> HttpResponse:
    buttons = "".join(
        f"<button type='submit' name='outcome' value='{value}' class='{value}'>{html.escape(label)}</button>"
        for value, label in OUTCOMES.items())
    document = (
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'><title>活体检测（本地模拟）</title>"
        "<style>body{font-family:sans-serif;margin:0;background:#f7f8fa;color:#323233}"
        "main{max-width:30rem;margin:0 auto;padding:1.5rem 1rem}h1{font-size:1.25rem}"
        ".face{width:12rem;height:12rem;margin:1rem auto;border-radius:50%;border:4px solid #0f6ecd;"
        "display:flex;align-items:center;justify-content:center;background:#fff;color:#646566}"
        "form{display:grid;gap:.75rem}button{min-height:44px;font-size:1rem;border-radius:22px;border:1px solid #c8c9cc;"
        "background:#fff;color:#323233}button.live{background:#0f6ecd;border-color:#0f6ecd;color:#fff}"
        "p{line-height:1.6}</style></head><body><main>"
        "<h1>活体检测（本地模拟）</h1>"
        "<p>真实环境中，这里是人脸核身服务的页面：请本人正对手机，按语音和文字提示眨眼、张嘴或转头。</p>"
        "<div class='face' aria-hidden='true'>请将面部置于框内</div>"
        f"<form method='post' action='{html.escape(PREFIX + provider_session)}'>"
        f"<input type='hidden' name='return' value='{html.escape(back)}'>{buttons}</form>"
        "</main></body></html>")
    return HttpResponse(200, {"Content-Type": "text/html; charset=utf-8"}, document.encode("utf-8"))


def simulated_liveness_page(method: str, path: str, headers: dict, body: bytes, query: dict) -> HttpResponse | None:
    if not path.startswith(PREFIX) or path.count("/") != 3:
        return None
    from estate.adapters.liveness import SimulatedLiveness

    provider_session = path[len(PREFIX):]
    if not SimulatedLiveness.knows(provider_session):
        return json_response(404, {"code": "LIVENESS_SESSION_UNKNOWN", "message": "没有这个活体检测会话", "details": []})
    if method.upper() == "GET":
        return _page(provider_session, _safe_return(query.get("return", "")))
    if method.upper() != "POST":
        return None
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    is_json = "json" in content_type
    try:
        form = json.loads(body or b"{}") if is_json else dict(parse_qsl(body.decode("utf-8")))
    except (ValueError, UnicodeDecodeError):
        form = None
    if not isinstance(form, dict) or not SimulatedLiveness.answer(provider_session, str(form.get("outcome", ""))):
        return json_response(400, {"code": "OUTCOME_INVALID", "message": "outcome 应为 live、not_live 或 timeout",
                                   "details": [{"field": "outcome", "code": "OUTCOME_INVALID",
                                                "message": "outcome 应为 live、not_live 或 timeout"}]})
    back = _safe_return(str(form.get("return", "")))
    if is_json:
        return json_response(200, {"answered": True, "return": back})
    return HttpResponse(303, {"Location": back}, b"")
