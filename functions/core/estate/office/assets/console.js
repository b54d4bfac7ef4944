// The codes' labels come from the API (GET /office/vocabulary), loaded once after sign-in.
let REASONS = {}, REFUSALS = {}, ACTIONS = {}, SIGNER_STATUSES = {};

async function loadVocabulary() {
  const vocabulary = await call("GET", "/office/vocabulary");
  REASONS = Object.fromEntries(vocabulary.return_reasons.map((r) => [r.code, r.label]));
  REFUSALS = Object.fromEntries(vocabulary.refusal_reasons.map((r) => [r.code, r.label]));
  ACTIONS = Object.fromEntries(vocabulary.timeline_actions.map((r) => [r.code, r.label]));
  SIGNER_STATUSES = Object.fromEntries(vocabulary.signer_statuses.map((r) => [r.code, r.label]));
}

async function loadQueue() {
  const params = new URLSearchParams();
  if ($("status-filter").value) params.set("status", $("status-filter").value);
  if ($("age-filter").value) params.set("min_waiting_days", $("age-filter").value);
  params.set("limit", "100");
  try {
    const data = await call("GET", "/office/applications?" + params);
    $("queue-message").textContent = "本页 " + data.applications.length + " 件" + (data.next ? "（仅显示等待最久的100件）" : "");
    $("queue-rows").innerHTML = data.applications.map((a) =>
      `<tr class="row" data-id="${esc(a.id)}"><td>${esc(a.id)}</td><td>${esc(a.location)}</td><td>${esc(a.buyers.join("、"))}</td>` +
      `<td class="status">${esc(a.status_label)}</td><td>${a.deadline && a.deadline.days_left !== null ? esc(a.deadline.days_left) + (a.deadline.due_on_provisional ? "（预计）" : "") : "—"}</td></tr>`).join("");
    document.querySelectorAll("tr.row").forEach((row) => row.addEventListener("click", () => loadDetail(row.dataset.id)));
  } catch (error) { $("queue-message").replaceChildren(errorNode("span", error.message)); }
}

function people(list) { return (list || []).map((p) => `${esc(p.name)}（${esc(p.id_number)}，${esc(p.phone)}）`).join("；"); }

function render(a) {
  const tax = a.tax.assessed ? a.tax.items.map((i) => `<li>${esc(i.tax_label)}（${i.payer === "buyer" ? "买方" : "卖方"}）${esc(i.amount)}元：${esc(i.status_label)}</li>`).join("")
                             : "<li>尚未核定</li>";
  const cert = a.registration ? `<p id="new-certificates">新证书号：${a.registration.certificates.map((c) => esc(c.certificate_number)).join("、")}</p>` : "";
  $("detail").innerHTML = `
    <h2>申请 ${esc(a.id)} <span id="detail-status">${esc(a.status_label)}</span></h2>
    <p>${esc(a.unit.location)} · 建筑面积 ${esc(a.unit.area_m2 || a.unit.building_area)} ㎡ · 不动产单元号 ${esc(a.unit.unit_number)}</p>
    ${a.deadline ? `<p id="deadline">受理日期：${esc(a.deadline.accepted_on)}；法定办结期限：${esc(a.deadline.due_on_label)}${a.deadline.days_left !== null ? `，剩余 ${esc(a.deadline.days_left)} 个工作日` : ""}${a.deadline.due_on_provisional ? "（节假日安排公布前按法定节假日预计）" : ""}</p>` : ""}
    ${cert}
    <h3>当事人</h3><p>卖方：${people(a.parties && a.parties.sellers)}</p><p>买方：${people(a.parties && a.parties.buyers)}</p>
    <h3>文书</h3><ul>${a.documents.map((d) => `<li><a href="${esc(d.url)}" target="_blank">${esc(d.title)}</a></li>`).join("") || "<li>无</li>"}</ul>
    <h3>申请材料</h3><div>${a.materials.map((m) => `<a href="${esc(m.url)}" target="_blank"><img class="thumb" alt="${esc(m.category)}" src="${esc(m.url)}"></a>`).join("") || "无"}</div>
    <h3>签署情况</h3><ul>${a.signatures.map((s) => `<li>${esc(s.name)}：${esc(SIGNER_STATUSES[s.status] || s.status)} ${esc(s.signed_at || "")}</li>`).join("") || "<li>无</li>"}</ul>
    <h3>税费</h3><ul id="tax">${tax}</ul>
    <h3>办理</h3>
    <button id="accept">受理</button><button id="approve">登簿</button><button id="handover">交回原证、领取新证（办结）</button>
    <fieldset><legend>退件（可多选原因）</legend>
      ${Object.entries(REASONS).map(([code, label]) => `<label><input type="checkbox" name="reason" value="${code}"> ${esc(label)}</label><br>`).join("")}
      <textarea id="return-note" rows="2" cols="50" placeholder="补充说明"></textarea><br><button id="return">退件</button></fieldset>
    <fieldset><legend>不予登记（《不动产登记暂行条例》第二十二条）</legend>
      <select id="refusal-reason">${Object.entries(REFUSALS).map(([code, label]) => `<option value="${esc(code)}">${esc(label)}</option>`).join("")}</select><br>
      <textarea id="refusal-text" rows="2" cols="50" placeholder="不予登记的具体理由（将告知各方当事人）"></textarea><br><button id="refuse">不予登记</button></fieldset>
    <p id="action-message"></p>
    <h3>办理过程</h3><ol>${a.timeline.map((e) => `<li>${esc(e.at.slice(0, 19).replace("T", " "))} ${esc(ACTIONS[e.action] || e.action)} ${esc(e.note || "")}</li>`).join("")}</ol>`;
  const act = (name, body) => async () => {
    try { render(await call("POST", `/office/applications/${a.id}/${name}`, body ? body() : {}));
          $("action-message").textContent = "操作成功"; loadQueue(); }
    catch (error) { $("action-message").replaceChildren(errorNode("span", error.message)); }
  };
  $("accept").onclick = act("accept");
  $("approve").onclick = act("approve");
  $("handover").onclick = act("handover");
  $("refuse").onclick = act("refusal", () => ({reason: $("refusal-reason").value, text: $("refusal-text").value}));
  $("return").onclick = act("return", () => ({reasons: [...document.querySelectorAll("input[name=reason]:checked")].map((i) => i.value),
                                               note: $("return-note").value}));
}

async function loadDetail(id) {
  try { render(await call("GET", "/office/applications/" + encodeURIComponent(id))); }
  catch (error) { $("detail").replaceChildren(errorNode("p", error.message)); }
}

$("refresh").onclick = loadQueue;
signIn("clerkToken", async () => {
  try { await loadVocabulary(); } catch (error) { $("queue-message").replaceChildren(errorNode("span", error.message)); return; }
  loadQueue();
});
