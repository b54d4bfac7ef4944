// The same API the bank's own systems call (/bank/applications/...): this page holds no data itself.
const LOAN_TYPES = {commercial: "商业贷款", provident_fund: "公积金贷款", combined: "组合贷款"};
const STEPS = [["contract", "房屋买卖合同", "contract"], ["tax-declaration", "纳税申报", "tax_declaration"],
               ["inquiry", "询问笔录（保存后开始签署）", "inquiry"]];
const SIGN_STATUS = {pending: "待邀请", invited: "待签署", signed: "已签署", declined: "已拒签", expired: "已过期", void: "已作废"};
let current = null;

async function loadQueue() {
  try {
    const data = await call("GET", "/bank/applications");
    $("branch").textContent = "网点 " + data.branch;
    $("queue-message").textContent = "共 " + data.applications.length + " 件";
    $("queue-rows").innerHTML = data.applications.map((a) =>
      `<tr class="row" data-id="${esc(a.id)}"><td>${esc(a.id)}</td><td>${esc(a.location)}</td>` +
      `<td>${esc(a.buyers.join("、"))}</td><td class="status">${esc(a.status_label)}</td></tr>`).join("");
    document.querySelectorAll("tr.row").forEach((row) => row.addEventListener("click", () => loadDetail(row.dataset.id)));
  } catch (error) { $("queue-message").replaceChildren(errorNode("span", error.message)); }
}

function people(list) { return (list || []).map((p) => `${esc(p.name)}（${esc(p.id_number)}，${esc(p.phone)}）`).join("；"); }

function render(a, signing) {
  current = a.id;
  const loan = a.loan || {};   // the stored loan carries the mortgage terms flattened
  const parties = a.parties || {};
  $("detail").innerHTML = `
    <h2>申请 ${esc(a.id)} <span id="detail-status">${esc(a.status_label)}</span></h2>
    <p>${esc(a.location)} · 不动产单元号 ${esc(a.unit_number)}</p>
    <p>卖方：${people(parties.sellers)}</p><p>买方：${people(parties.buyers)}</p>
    ${a.return_reasons.length ? `<p class="error">退件原因：${a.return_reasons.map((r) => esc(r.label)).join("；")}</p>` : ""}
    <fieldset><legend>贷款及抵押信息</legend>
      <label class="field">贷款金额（元）<input id="loan-amount" value="${esc(loan.amount)}" size="12"></label>
      <label class="field">期限（月）<input id="loan-term" type="number" min="1" max="360" value="${esc(loan.term_months)}"></label>
      <label class="field">贷款类型 <select id="loan-type">${Object.entries(LOAN_TYPES).map(([code, label]) =>
        `<option value="${code}" ${loan.loan_type === code ? "selected" : ""}>${label}</option>`).join("")}</select></label><br>
      <label class="field">抵押合同编号 <input id="mortgage-contract" value="${esc(loan.contract_number)}" size="24"></label>
      <label class="field">债务履行期限届满日 <input id="mortgage-ends" type="date" value="${esc(loan.ends_on)}"></label>
      <label class="field"><input id="mortgage-banned" type="checkbox" ${loan.transfer_banned ? "checked" : ""}> 约定禁止转让抵押房产</label>
      <button id="save-loan">保存贷款信息</button>
    </fieldset>
    ${STEPS.map(([path, title, field]) => `<fieldset><legend>${title}</legend>
      <textarea class="step" id="step-${path}" rows="4" placeholder="与手机端相同的数据格式（JSON）">${a[field] ? esc(JSON.stringify(a[field], null, 1)) : ""}</textarea>
      <button data-step="${path}">保存${title.replace(/（.*）/, "")}</button></fieldset>`).join("")}
    <h3>文书</h3><ul id="documents">${a.documents.map((d) => `<li><a href="${esc(d.url)}" target="_blank">${esc(d.title)}</a></li>`).join("") || "<li>尚未生成</li>"}</ul>
    <h3>签署情况</h3>
    <ul id="signatures">${(signing.parties || []).map((s) => `<li>${esc(s.name)}（${s.role === "bank" ? "抵押权人" : s.role === "buyer" ? "买方" : "卖方"}）：${esc(SIGN_STATUS[s.status] || s.status)}</li>`).join("") || "<li>尚未开始签署</li>"}</ul>
    <button id="seal">加盖本行电子印章</button><button id="extract">提取已签署文件</button><button id="submit">提交登记中心</button>
    <p id="action-message"></p>
    <h3>办理过程</h3><ol>${a.timeline.map((e) => `<li>${esc(e.at.slice(0, 19).replace("T", " "))} ${esc(e.action)} ${esc(e.note || "")}</li>`).join("")}</ol>`;
  const act = (method, name, body) => async () => {
    try {
      await call(method, `/bank/applications/${a.id}/${name}`, body ? body() : undefined);
      await loadDetail(a.id);
      $("action-message").textContent = "操作成功";
      loadQueue();
    } catch (error) { $("action-message").replaceChildren(errorNode("span", error.message)); }
  };
  $("save-loan").onclick = act("PUT", "loan", () => ({amount: $("loan-amount").value.trim(), term_months: Number($("loan-term").value),
    loan_type: $("loan-type").value, mortgage: {contract_number: $("mortgage-contract").value.trim(),
    ends_on: $("mortgage-ends").value || null, transfer_banned: $("mortgage-banned").checked}}));
  document.querySelectorAll("button[data-step]").forEach((button) => {
    const path = button.dataset.step;
    button.onclick = async () => {
      let body;
      try { body = JSON.parse($("step-" + path).value); }
      catch (error) { $("action-message").replaceChildren(errorNode("span", "内容不是有效的JSON格式")); return; }
      await act("PUT", path, () => body)();
    };
  });
  $("seal").onclick = act("POST", "seal");
  $("extract").onclick = act("POST", "signing/extract");
  $("submit").onclick = act("POST", "submit", () => ({}));
}

async function loadDetail(id) {
  try {
    const [application, signing] = await Promise.all([call("GET", "/bank/applications/" + encodeURIComponent(id)),
                                                      call("GET", `/bank/applications/${encodeURIComponent(id)}/signing`)]);
    render(application, signing);
  } catch (error) { $("detail").replaceChildren(errorNode("p", error.message)); }
}

$("refresh").onclick = () => { loadQueue(); if (current) loadDetail(current); };
signIn("bankToken", loadQueue);
