// The signing page's script (served from /sign/assets/, no inline script: see page.py's CSP).
// Every text from the server goes into the DOM through textContent, never as markup.
const app = document.getElementById('app');
const base = location.pathname.replace(/\/$/, '');
const $ = (id) => document.getElementById(id);
const STATUS = {pending: '待通知', invited: '待签署', signed: '已签署', declined: '已拒签', expired: '已过期', void: '已作废'};
const ROLE = {buyer: '买方', seller: '卖方', bank: '抵押权人'};
const BEIJING = new Intl.DateTimeFormat('zh-CN', {timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long',
  day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false});
let state = null, drawn = false, pdfjs = null, viewing = null;

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}
async function api(path, options) {
  const response = await fetch(base + path, Object.assign({headers: {'Content-Type': 'application/json'}}, options || {}));
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.message || '操作失败，请稍后重试');
  return body;
}
function show(id, text, ok) { const node = $(id); node.textContent = text; node.className = ok ? 'ok' : 'error'; }
function beijingTime(iso) { return BEIJING.format(new Date(iso)) + '（北京时间）'; }

function nextSteps() {
  const others = state.parties.filter(p => p.role !== 'bank');
  const allSigned = state.parties.every(p => p.status === 'signed');
  const signedCount = others.filter(p => p.status === 'signed').length;
  return [
    ['您已签署', true],
    [allSigned ? '全部当事人已签署' : `待其他当事人签署（已签${signedCount}/${others.length}人）`, allSigned],
    ['申请人提交登记申请', false],
    ['登记中心受理审核，结果将短信通知', false],
  ];
}
async function refresh() {
  try { state = await api('/session'); } catch (e) { show('message', e.message); return; }
  $('case').textContent = `${state.application.location}（${state.me.name}，${ROLE[state.me.role] || ''}）`;
  $('price').textContent = state.application.price_in_words || '';
  $('deadline').textContent = state.deadline && state.me.status === 'invited'
    ? `请于${beijingTime(state.deadline)}前完成签署，逾期链接失效` : '';
  $('face-state').textContent = state.face_checked ? '已通过' : '未完成';
  $('face-state').className = state.face_checked ? 'ok' : 'muted';
  $('docs').replaceChildren(...state.documents.map(d => {
    const row = el('div', undefined, 'doc');
    const label = el('span', d.title + ' ');
    label.appendChild(el('span', d.viewed ? '已查看' : '未查看', d.viewed ? 'ok' : 'muted'));
    const open = el('button', '查看', 'secondary');
    open.dataset.doc = d.doc;
    open.addEventListener('click', () => openDoc(d.doc));
    row.append(label, open);
    return row;
  }));
  $('parties').replaceChildren(...state.parties.map(p => {
    const row = el('div', undefined, 'party');
    row.append(el('span', `${p.name}（${ROLE[p.role] || ''}）`),
               el('span', STATUS[p.status] || '', p.status === 'signed' ? 'ok' : 'muted'));
    return row;
  }));
  const done = state.me.status !== 'invited';
  $('signing').hidden = done; $('finished').hidden = !done;
  $('finished-text').textContent = state.me.status === 'signed' ? '您已完成签署，感谢配合。'
    : '当前状态：' + (STATUS[state.me.status] || '');
  $('next-steps').replaceChildren(...(state.me.status === 'signed' ? nextSteps() : [])
    .map(([text, doneStep]) => el('li', text, doneStep ? 'done' : '')));
  const current = $('next-steps').querySelector('li:not(.done)');  // the step the case waits on
  if (current) current.className = 'current';
  updateSignButton();
}
function updateSignButton() {
  const ready = state && state.face_checked && state.documents.every(d => d.viewed) && drawn;
  $('sign').disabled = !ready;
  $('sign-hint').textContent = ready ? '' : `需完成人脸识别、逐一查看${state ? state.documents.length : ''}份文件（翻到最后一页）并手写签名后才能签署`;
}

async function loadPdfjs() {
  if (!pdfjs) {
    pdfjs = await import(new URL(app.dataset.pdfjs, location.href).href);
    pdfjs.GlobalWorkerOptions.workerSrc = new URL(app.dataset.pdfjsWorker, location.href).href;
  }
  return pdfjs;
}
function hex(buffer) { return Array.from(new Uint8Array(buffer), b => b.toString(16).padStart(2, '0')).join(''); }

async function openDoc(doc) {
  if (viewing) viewing.close();
  const session = {closed: false, observer: null, close() { this.closed = true; if (this.observer) this.observer.disconnect(); }};
  viewing = session;
  const pages = $('viewer-pages');
  pages.replaceChildren(); pages.scrollTop = 0; $('viewer-progress').textContent = '正在加载…';
  $('viewer-title').textContent = ''; $('message').textContent = '';
  try {
    const meta = await api('/documents/' + doc);
    if (session.closed) return;
    $('viewer-title').textContent = meta.title; $('viewer-box').hidden = false;
    const response = await fetch(meta.url, {credentials: 'omit', referrerPolicy: 'no-referrer'});
    if (!response.ok) throw new Error('文件下载失败，请稍后重试');
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (session.closed) return;
    const sha256 = hex(await crypto.subtle.digest('SHA-256', bytes));  // before pdf.js takes the buffer
    const lib = await loadPdfjs();
    const pdf = await lib.getDocument({data: bytes, isEvalSupported: false}).promise;
    const width = pages.clientWidth - 12, scale = window.devicePixelRatio || 1;
    for (let n = 1; n <= pdf.numPages && !session.closed; n++) {
      const page = await pdf.getPage(n);
      const viewport = page.getViewport({scale: (width / page.getViewport({scale: 1}).width) * scale});
      const canvas = el('canvas');
      canvas.width = Math.floor(viewport.width); canvas.height = Math.floor(viewport.height);
      canvas.dataset.page = String(n);
      pages.append(canvas, el('div', `第${n}页 / 共${pdf.numPages}页`, 'page-label'));
      await page.render({canvas, canvasContext: canvas.getContext('2d'), viewport}).promise;
      $('viewer-progress').textContent = `共${pdf.numPages}页`;
    }
    if (session.closed) return;
    const last = pages.querySelector(`canvas[data-page="${pdf.numPages}"]`);
    // Seen = the last page shown at least half in the viewer (scrolled to, not just loaded).
    session.observer = new IntersectionObserver(async (entries) => {
      if (!entries.some(e => e.isIntersecting) || session.closed) return;
      session.observer.disconnect();
      try {
        await api(`/documents/${doc}/viewed`, {method: 'POST', body: JSON.stringify({sha256, pages: pdf.numPages})});
        $('viewer-progress').textContent = `共${pdf.numPages}页 · 已阅至最后一页`;
        await refresh();
      } catch (e) { show('message', e.message); }
    }, {root: pages, threshold: 0.5});
    session.observer.observe(last);
  } catch (e) { $('viewer-progress').textContent = ''; show('message', e.message || '文件无法显示，请稍后重试'); }
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
  const r = pad.getBoundingClientRect(); pad.width = r.width * 2; pad.height = r.height * 2; ctx.scale(2, 2);
  ctx.lineWidth = 3; ctx.lineCap = 'round'; ctx.strokeStyle = '#111';
  const at = (e) => { const box = pad.getBoundingClientRect(); return [e.clientX - box.left, e.clientY - box.top]; };
  pad.addEventListener('pointerdown', e => { down = true; pad.setPointerCapture(e.pointerId); ctx.beginPath(); ctx.moveTo(...at(e)); });
  pad.addEventListener('pointermove', e => { if (!down) return; ctx.lineTo(...at(e)); ctx.stroke(); drawn = true; updateSignButton(); });
  pad.addEventListener('pointerup', () => { down = false; });
  $('clear').addEventListener('click', () => { ctx.clearRect(0, 0, pad.width, pad.height); drawn = false; updateSignButton(); });
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

setupPad(); refresh();
$('camera').addEventListener('click', startCamera); $('capture').addEventListener('click', capture);
$('file').addEventListener('change', (e) => fromFile(e.target));
$('sign').addEventListener('click', signAll); $('refresh').addEventListener('click', refresh);
$('decline').addEventListener('click', declineSigning);
$('close-viewer').addEventListener('click', () => { if (viewing) viewing.close(); $('viewer-box').hidden = true; });
