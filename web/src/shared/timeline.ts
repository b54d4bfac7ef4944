// An application's timeline as people read it: each event's name in Chinese (the API's TimelineEntry
// carries a machine `action`), with the status it led to and its Beijing time.
import { label } from "./labels";
import { formatDateTime } from "./time";

const ACTIONS: Readonly<Record<string, string>> = {
  started: "发起申请",
  parties_saved: "填写买卖双方信息",
  pushed_to_bank: "推送贷款银行",
  contract_saved: "签订买卖合同",
  loan_saved: "银行填写贷款信息",
  tax_declared: "纳税申报",
  inquiry_saved: "填写询问笔录",
  signing_started: "发起电子签名",
  signing_completed: "全部签署完成",
  signing_failed: "签署未完成",
  submitted: "提交申请",
  accepted: "登记中心受理",
  returned: "退件",
  taxes_paid: "缴纳税费",
  approved: "审核登簿",
  handed_over: "领取新证",
  withdrawn: "撤销申请",
};

const ROLES: Readonly<Record<string, string>> = {
  seller: "卖方", buyer: "买方", bank: "银行", clerk: "登记中心", office: "登记中心", system: "系统",
};

export interface TimelineEntryLike {
  at: string;
  action: string;
  actor_role?: string | null;
  status_to?: string | null;
  note?: string | null;
}

export interface TimelineLine {
  time: string;
  title: string;
  detail: string;
}

/** One line per event, oldest first as the API sends them. */
export function timelineLines(entries: readonly TimelineEntryLike[]): TimelineLine[] {
  return entries.map((entry) => {
    const status = entry.status_to ? label("status", entry.status_to) : "";
    const title = ACTIONS[entry.action] ?? (status || "办理进度更新");
    const who = entry.actor_role ? ROLES[entry.actor_role] : undefined;
    const detail = [who ? `办理人：${who}` : "", status ? `状态：${status}` : "", entry.note ?? ""].filter(Boolean).join("　");
    return { time: formatDateTime(entry.at), title, detail };
  });
}
