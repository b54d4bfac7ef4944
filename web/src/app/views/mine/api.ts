// 我的申请's calls, typed by the generated schema through the shell's client; each write carries the
// Idempotency-Key of the person's action (shared/action.ts).
import { api, call, type Schemas } from "@/api/client";

export type Application = Schemas["ApplicationView"];
export type Summary = Schemas["ApplicationSummary"];
export type Material = Schemas["MaterialView"];

const keyed = (key: string) => ({ headers: { "Idempotency-Key": key } });
const at = (id: string) => ({ params: { path: { id } } });

export const cases = {
  list: () => call(api.GET("/applications")),
  get: (id: string) => call(api.GET("/applications/{id}", at(id))),
  withdraw: (id: string, reason: string, key: string) =>
    // the route reads an optional {reason}; the generated type has no body for it
    call(api.POST("/applications/{id}/withdraw", { ...at(id), ...keyed(key), body: { reason } as never })),
  submit: (id: string, key: string) => call(api.POST("/applications/{id}/submit", { ...at(id), ...keyed(key) })),
  materialChecklist: (business: string) =>
    call(api.GET("/info/materials", { params: { query: { business } } })),
  requestUpload: (id: string, category: string, key: string) =>
    call(api.POST("/applications/{id}/materials", { ...at(id), ...keyed(key), body: { category } })),
  material: (id: string, mid: string) =>
    call(api.GET("/applications/{id}/materials/{mid}", { params: { path: { id, mid } } })),
};

// What each timeline entry means to people (the API's action names are for programs).
const ACTIONS: Record<string, string> = {
  started: "发起申请",
  parties_saved: "填写买卖双方信息",
  pushed_to_bank: "推送贷款银行",
  contract_saved: "签订买卖合同",
  tax_declared: "完成纳税申报",
  inquiry_saved: "填写询问笔录",
  signing_started: "发送签署通知短信",
  signing_completed: "全部当事人签署完成",
  signing_failed: "签署未完成",
  submitted: "提交登记申请",
  accepted: "登记中心受理",
  returned: "登记中心退件",
  withdrawn: "撤销申请",
  taxes_paid: "税费已全部缴清",
  approved: "审核通过，已登簿",
  handed_over: "领取新证，已办结",
  loan_saved: "贷款银行填写贷款信息",
};

export function actionLabel(action: string): string {
  return ACTIONS[action] ?? "办理进度更新";
}

export function actorLabel(role: string | null | undefined): string {
  if (!role) return "";
  if (role === "seller") return "卖方";
  if (role === "buyer") return "买方";
  if (role === "system") return "系统";
  if (role.startsWith("bank")) return "贷款银行";
  return "登记中心";
}

// Which statuses allow what (mirrors the API's rules; the API still refuses anything else).
export const WITHDRAWABLE = new Set(["DRAFT", "PARTIES_SET", "CONTRACT_SAVED", "TAX_DECLARED", "INQUIRY_SAVED",
  "PUSHED_TO_BANK", "SIGNING", "SIGNED", "SUBMITTED", "RETURNED"]);
export const UPLOADABLE = new Set(["DRAFT", "PARTIES_SET", "CONTRACT_SAVED", "TAX_DECLARED", "INQUIRY_SAVED",
  "RETURNED", "SIGNING", "SIGNED", "PUSHED_TO_BANK"]);
export const SIGNING_STATES = new Set(["INQUIRY_SAVED", "SIGNING", "SIGNED"]);
export const TAXED = new Set(["ACCEPTED", "TAX_PAID", "APPROVED", "CERTIFICATE_READY", "COMPLETED"]);
