// Shared by the staff pages (served as a static file: the pages' CSP allows no inline script):
// the bearer token, escaping, and the one way they call the API.
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
const staff = {token: ""};

// Data reaches the page only as text (textContent) or through esc() inside a template; never as markup.
function errorNode(tag, message) {
  const node = document.createElement(tag);
  node.className = "error";
  node.textContent = message;
  return node;
}

async function call(method, path, body) {
  const response = await fetch(path, {method, headers: {"Authorization": "Bearer " + staff.token, "Content-Type": "application/json"},
                                      body: body === undefined ? undefined : JSON.stringify(body)});
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const details = (data.details || []).map((d) => d.message).join("；");
    throw new Error((data.message || ("请求失败（" + response.status + "）")) + (details ? "：" + details : ""));
  }
  return data;
}

function signIn(storageKey, onReady) {
  staff.token = sessionStorage.getItem(storageKey) || "";
  $("token").value = staff.token;
  $("save-token").onclick = () => { staff.token = $("token").value.trim(); sessionStorage.setItem(storageKey, staff.token); onReady(); };
  if (staff.token) onReady();
}
