"""The phone-sized signing page (H5) behind each SMS link: one static document plus the link's API.

The token in the URL is the only credential; the page talks to /sign/{token}/* and never sees a
task token, an ID number or another party's full name. Its script and style are static files
(estate.signing.assets): no script is ever built from data, and the CSP allows none inline.
"""

from __future__ import annotations

import functools
import html
from urllib.parse import urlsplit

from estate.config import get_settings
from estate.errors import DomainError
from estate.results import Content
from estate.signing.assets import StaticAssets
from estate.signing.ceremony import resolve


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


HTML = "text/html; charset=utf-8"


@functools.cache
def html_headers() -> dict[str, str]:
    """The page fetches its PDFs from the presigned URL's origin (the local stack's /_s3 on this
    origin; in AWS the documents bucket's host, DOCUMENTS_ORIGIN) and runs PDF.js's worker from 'self'."""
    settings = get_settings()
    documents = _origin(settings.s3_public_endpoint) or _origin(settings.documents_origin)
    policy = ("default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self'; "
              "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' blob:; "
              f"connect-src 'self'{' ' + documents if documents else ''}; "
              "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
    return {"Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": policy}


BODY = """
<header>不动产登记 · 电子签署</header>
<main id="app" data-pdfjs="{pdfjs}" data-pdfjs-worker="{worker}">
 <section><h2>签署事项</h2><div id="case">加载中…</div><div class="muted" id="price"></div>
  <p id="deadline" class="deadline"></p><div id="message"></div></section>
 <div id="signing">
  <section><h2>第一步 人脸识别 <span id="face-state" class="muted">未完成</span></h2>
   <video id="video" autoplay playsinline muted hidden></video>
   <div class="row"><button id="camera" class="secondary">打开摄像头</button><button id="capture" hidden>拍照识别</button></div>
   <p class="muted">无法使用摄像头时：<label>拍照上传 <input id="file" type="file" accept="image/*" capture="user"></label></p>
   <div id="face-message"></div></section>
  <section><h2>第二步 逐一查看文件</h2><p class="muted">请打开每份文件并翻阅到最后一页</p><div id="docs"></div>
   <div id="viewer-box" hidden><div class="viewer-head"><strong id="viewer-title"></strong>
    <span id="viewer-progress" class="muted"></span></div>
    <div id="viewer-pages" class="viewer-pages" tabindex="0" aria-label="文件内容"></div>
    <button id="close-viewer" class="secondary">关闭</button></div></section>
  <section><h2>第三步 手写签名</h2><canvas id="pad" class="pad"></canvas><button id="clear" class="secondary">重写</button></section>
  <section><button id="sign" disabled>一键签署</button><p id="sign-hint" class="muted"></p></section>
  <section><h2>拒绝签署</h2><textarea id="reason" rows="2" placeholder="请填写原因"></textarea>
   <button id="decline" class="secondary">拒签</button></section>
 </div>
 <section id="finished" hidden><h2>签署状态</h2><p id="finished-text"></p>
  <h2>接下来</h2><ol id="next-steps" class="steps"></ol></section>
 <section><h2>全部当事人签署状态</h2><div id="parties"></div><button id="refresh" class="secondary">刷新</button></section>
</main>
"""


def _document(title: str, body: str, assets: StaticAssets, script: bool = False) -> str:
    script_tag = f"<script type='module' src='{html.escape(assets.url('signing.js'))}'></script>" if script else ""
    return (f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><meta name='viewport' "
            f"content='width=device-width,initial-scale=1,maximum-scale=1'><title>{html.escape(title)}</title>"
            f"<link rel='stylesheet' href='{html.escape(assets.url('signing.css'))}'>{script_tag}</head>"
            f"<body>{body}</body></html>")


def _notice_page(status: int, title: str, message: str, assets: StaticAssets) -> Content:
    body = f"<header>不动产登记 · 电子签署</header><main><section><h2>{html.escape(title)}</h2>" \
           f"<p>{html.escape(message)}</p></section></main>"
    return Content(_document(title, body, assets), HTML, status, html_headers())


def signing_page(token: str, assets: StaticAssets) -> Content:
    try:
        resolve(token)
    except DomainError as error:
        titles = {404: "链接无效", 410: "链接已失效"}
        return _notice_page(error.status, titles.get(error.status, "无法签署"), error.message, assets)
    body = BODY.format(pdfjs=html.escape(assets.url("pdf.min.mjs")),
                       worker=html.escape(assets.url("pdf.worker.min.mjs")))
    return Content(_document("电子签署", body, assets, script=True), HTML, headers=html_headers())
