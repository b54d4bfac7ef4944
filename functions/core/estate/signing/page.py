"""The phone-sized signing page (H5) behind each SMS link: one static document plus the link's API.

The token in the URL is the only credential; the page talks to /sign/{token}/* and never sees a
task token, an ID number or another party's full name.
"""

from __future__ import annotations

import html

from chalice import Response

from estate.errors import DomainError
from estate.signing.ceremony import resolve

HTML_HEADERS = {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store",
                "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
                "Content-Security-Policy": "default-src 'self'; img-src 'self' data: blob:; style-src 'unsafe-inline'; "
                                           "script-src 'unsafe-inline'; media-src 'self' blob:; frame-src 'self' http: https:"}

STYLE = """
*{box-sizing:border-box}body{margin:0;font-family:-apple-system,"PingFang SC","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;
background:#f4f6f9;color:#1f2d3d;font-size:16px}header{background:#1565c0;color:#fff;padding:14px 16px;font-size:18px}
main{padding:12px;max-width:480px;margin:0 auto}section{background:#fff;border-radius:10px;padding:14px;margin-bottom:12px}
h2{font-size:16px;margin:0 0 10px}button{font-size:16px;border:0;border-radius:8px;padding:11px 14px;background:#1565c0;color:#fff;width:100%}
button.secondary{background:#e8eef7;color:#1565c0}button:disabled{background:#b0bec5;color:#eceff1}
.doc{display:flex;justify-content:space-between;align-items:center;padding:8px 0;border-bottom:1px solid #eee}
.doc button{width:auto;padding:7px 12px}.ok{color:#2e7d32}.muted{color:#78909c;font-size:14px}
canvas{width:100%;height:180px;border:1px dashed #90a4ae;border-radius:8px;touch-action:none;background:#fff}
video{width:100%;border-radius:8px;background:#000}.party{display:flex;justify-content:space-between;padding:6px 0}
.error{color:#c62828}textarea{width:100%;font-size:15px}.row{display:flex;gap:8px}.row button{flex:1}
"""

SCRIPT = """
const base = location.pathname.replace(/\\/$/, '');
const $ = (id) => document.getElementById(id);
const STATUS = {pending:'待通知', invited:'待签署', signed:'已签署', declined:'已拒签', expired:'已过期', void:'已作废'};
const ROLE = {buyer:'买方', seller:'卖方', bank:'抵押权人'};
let state = null, drawn = false;

async function api(path, options) {
  const response = await fetch(base + path, Object.assign({headers: {'Content-Type': 'application/json'}}, options || {}));
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.message || '操作失败，请稍后重试');
  return body;
}
function show(id, text, ok) { const el = $(id); el.textContent = text; el.className = ok ? 'ok' : 'error'; }

async function refresh() {
  try { state = await api('/session'); } catch (e) { show('message', e.message); return; }
  $('case').textContent = state.application.location + '（' + state.me.name + '，' + ROLE[state.me.role] + '）';
  $('price').textContent = state.application.price_in_words || '';
  $('face-state').textContent = state.face_checked ? '已通过' : '未完成';
  $('face-state').className = state.face_checked ? 'ok' : 'muted';
  $('docs').innerHTML = '';
  for (const d of state.documents) {
    const row = document.createElement('div'); row.className = 'doc';
    row.innerHTML = '<span>' + d.title + ' <span class="' + (d.viewed ? 'ok' : 'muted') + '">' + (d.viewed ? '已查看' : '未查看') + '</span></span>';
    const open = document.createElement('button'); open.className = 'secondary'; open.textContent = '查看';
    open.dataset.doc = d.doc; open.onclick = () => openDoc(d.doc); row.appendChild(open); $('docs').appendChild(row);
  }
  $('parties').innerHTML = state.parties.map(p => '<div class="party"><span>' + p.name + '（' + ROLE[p.role] + '）</span><span class="'
    + (p.status === 'signed' ? 'ok' : 'muted') + '">' + (STATUS[p.status] || p.status) + '</span></div>').join('');
  const done = state.me.status !== 'invited';
  $('signing').hidden = done; $('finished').hidden = !done;
  $('finished-text').textContent = state.me.status === 'signed' ? '您已完成签署，感谢配合。' : '当前状态：' + (STATUS[state.me.status] || state.me.status);
  updateSignButton();
}
function updateSignButton() {
  const ready = state && state.face_checked && state.documents.every(d => d.viewed) && drawn;
  $('sign').disabled = !ready;
  $('sign-hint').textContent = ready ? '' : '需完成人脸识别、逐一查看三份文件并手写签名后才能签署';
}
async function openDoc(doc) {
  try { const d = await api('/documents/' + doc); $('viewer').src = d.url; $('viewer-title').textContent = d.title; $('viewer-box').hidden = false; await refresh(); }
  catch (e) { show('message', e.message); }
}
async function sendFace(dataUrl) {
  try { await api('/face', {method: 'POST', body: JSON.stringify({image: dataUrl})}); show('face-message', '人脸识别通过', true); await refresh(); }
  catch (e) { show('face-message', e.message); }
}
async function startCamera() {
  try {
    const stream = await navigator.mediaDevices.getUserMedia({video: {facingMode: 'user'}});
    $('video').srcObject = stream; $('video').hidden = false; $('capture').hidden = false;
  } catch (e) { show('face-message', '无法打开摄像头，请改用下方“拍照上传”'); }
}
function capture() {
  const video = $('video'), c = document.createElement('canvas');
  c.width = video.videoWidth || 640; c.height = video.videoHeight || 480;
  c.getContext('2d').drawImage(video, 0, 0, c.width, c.height);
  if (video.srcObject) video.srcObject.getTracks().forEach(t => t.stop());
  video.hidden = true; $('capture').hidden = true;
  sendFace(c.toDataURL('image/jpeg', 0.85));
}
function fromFile(input) {
  const file = input.files[0]; if (!file) return;
  const reader = new FileReader(); reader.onload = () => sendFace(reader.result); reader.readAsDataURL(file);
}
function setupPad() {
  const pad = $('pad'), ctx = pad.getContext('2d'); let down = false;
  const fit = () => { const r = pad.getBoundingClientRect(); pad.width = r.width * 2; pad.height = r.height * 2; ctx.scale(2, 2);
    ctx.lineWidth = 3; ctx.lineCap = 'round'; ctx.strokeStyle = '#111'; };
  fit();
  const at = (e) => { const r = pad.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; };
  pad.addEventListener('pointerdown', e => { down = true; pad.setPointerCapture(e.pointerId); ctx.beginPath(); ctx.moveTo(...at(e)); });
  pad.addEventListener('pointermove', e => { if (!down) return; ctx.lineTo(...at(e)); ctx.stroke(); drawn = true; updateSignButton(); });
  pad.addEventListener('pointerup', () => { down = false; });
  $('clear').onclick = () => { ctx.clearRect(0, 0, pad.width, pad.height); drawn = false; updateSignButton(); };
}
async function signAll() {
  $('sign').disabled = true;
  try { await api('/signature', {method: 'POST', body: JSON.stringify({image: $('pad').toDataURL('image/png')})}); show('message', '签署成功', true); }
  catch (e) { show('message', e.message); }
  await refresh();
}
async function declineSigning() {
  const reason = $('reason').value.trim(); if (!reason) { show('message', '请填写拒签原因'); return; }
  try { await api('/decline', {method: 'POST', body: JSON.stringify({reason})}); show('message', '已拒签', true); }
  catch (e) { show('message', e.message); }
  await refresh();
}
window.addEventListener('DOMContentLoaded', () => {
  setupPad(); refresh();
  $('camera').onclick = startCamera; $('capture').onclick = capture; $('file').onchange = (e) => fromFile(e.target);
  $('sign').onclick = signAll; $('refresh').onclick = refresh; $('decline').onclick = declineSigning;
  $('close-viewer').onclick = () => { $('viewer-box').hidden = true; };
});
"""

BODY = """
<header>不动产登记 · 电子签署</header>
<main>
 <section><h2>签署事项</h2><div id="case">加载中…</div><div class="muted" id="price"></div><div id="message"></div></section>
 <div id="signing">
  <section><h2>第一步 人脸识别 <span id="face-state" class="muted">未完成</span></h2>
   <video id="video" autoplay playsinline muted hidden></video>
   <div class="row"><button id="camera" class="secondary">打开摄像头</button><button id="capture" hidden>拍照识别</button></div>
   <p class="muted">无法使用摄像头时：<label>拍照上传 <input id="file" type="file" accept="image/*" capture="user"></label></p>
   <div id="face-message"></div></section>
  <section><h2>第二步 逐一查看文件</h2><div id="docs"></div>
   <div id="viewer-box" hidden><p id="viewer-title"></p><iframe id="viewer" title="文件" style="width:100%;height:420px;border:0"></iframe>
   <button id="close-viewer" class="secondary">关闭</button></div></section>
  <section><h2>第三步 手写签名</h2><canvas id="pad"></canvas><button id="clear" class="secondary">重写</button></section>
  <section><button id="sign" disabled>一键签署</button><p id="sign-hint" class="muted"></p></section>
  <section><h2>拒绝签署</h2><textarea id="reason" rows="2" placeholder="请填写原因"></textarea>
   <button id="decline" class="secondary">拒签</button></section>
 </div>
 <section id="finished" hidden><h2>签署状态</h2><p id="finished-text"></p></section>
 <section><h2>全部当事人签署状态</h2><div id="parties"></div><button id="refresh" class="secondary">刷新</button></section>
</main>
"""


def _document(title: str, body: str, script: str = "") -> str:
    return (f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><meta name='viewport' "
            f"content='width=device-width,initial-scale=1,maximum-scale=1'><title>{html.escape(title)}</title>"
            f"<style>{STYLE}</style></head><body>{body}{f'<script>{script}</script>' if script else ''}</body></html>")


def _notice_page(status: int, title: str, message: str) -> Response:
    body = f"<header>不动产登记 · 电子签署</header><main><section><h2>{html.escape(title)}</h2>" \
           f"<p>{html.escape(message)}</p></section></main>"
    return Response(body=_document(title, body), status_code=status, headers=HTML_HEADERS)


def signing_page(token: str) -> Response:
    try:
        resolve(token)
    except DomainError as error:
        titles = {404: "链接无效", 410: "链接已失效"}
        return _notice_page(error.status, titles.get(error.status, "无法签署"), error.message)
    return Response(body=_document("电子签署", BODY, SCRIPT), status_code=200, headers=HTML_HEADERS)
