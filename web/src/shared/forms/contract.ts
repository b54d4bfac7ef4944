// 存量房买卖合同 as a form, shared by the citizen app (Vant) and the bank desk (Element Plus): what is
// typed (strings, as inputs hold them), how a saved contract fills it again, and the API body it
// becomes. The rules themselves are the API's (ContractForm): its refusals name these same field
// paths (price, payment_schedule[0].amount, dispute_resolution.commission…), shown under the field.
import type { Schemas } from "@/api/client";

type ContractForm = Schemas["ContractForm"];

export interface Stage { stage: string; amount: string; due_date: string }
export interface ContractDraft {
  price: string; deposit: string; payment_method: string; payment_schedule: Stage[]; delivery_date: string;
  registration_deadline: string; handover: string; taxes_borne_by: string; dispute_method: string;
  commission: string; fixtures: string; lease_status: string;
}

export function blankContract(): ContractDraft {
  return {
    price: "", deposit: "", payment_method: "lump_sum", payment_schedule: [{ stage: "定金", amount: "", due_date: "" }],
    delivery_date: "", registration_deadline: "", handover: "", taxes_borne_by: "statutory", dispute_method: "",
    commission: "", fixtures: "", lease_status: "未出租",
  };
}

/** The draft of a saved contract (ContractView), and the court the API named for it. */
export function contractDraftFrom(saved: Schemas["ContractView"]): { draft: ContractDraft; court: string } {
  const dispute = saved.dispute_resolution as { method?: string; commission?: string; court?: string };
  const extra = saved.house as { fixtures?: string; lease_status?: string };
  return {
    draft: {
      price: saved.price, deposit: saved.deposit === "0.00" ? "" : saved.deposit, payment_method: saved.payment_method,
      payment_schedule: saved.payment_schedule.map((s) => ({ stage: s.stage, amount: s.amount, due_date: s.due_date })),
      delivery_date: saved.delivery_date, registration_deadline: saved.registration_deadline, handover: saved.handover,
      taxes_borne_by: saved.taxes_borne_by, dispute_method: dispute.method ?? "", commission: dispute.commission ?? "",
      fixtures: extra.fixtures ?? "", lease_status: extra.lease_status ?? "未出租",
    },
    court: dispute.court ?? "",
  };
}

/** The schedule's total in yuan (cents added as integers). */
export function scheduleSum(draft: ContractDraft): number {
  return draft.payment_schedule.reduce((sum, s) => sum + Math.round((Number(s.amount) || 0) * 100), 0) / 100;
}

/** Whether the schedule's total differs from the price (the API refuses it; the form says so as it is typed). */
export function scheduleOff(draft: ContractDraft): boolean {
  return !!draft.price && Math.abs(scheduleSum(draft) - Number(draft.price)) > 0.001;
}

/** The next stage, 尾款 by default, for what is left of the price. */
export function nextStage(draft: ContractDraft): Stage {
  const rest = Math.round((Number(draft.price) - scheduleSum(draft)) * 100) / 100;
  return { stage: "尾款", amount: rest > 0 ? rest.toFixed(2) : "", due_date: "" };
}

export function contractBody(draft: ContractDraft): ContractForm {
  return {
    price: draft.price.trim(), deposit: draft.deposit.trim() || null,
    payment_method: draft.payment_method as ContractForm["payment_method"],
    payment_schedule: draft.payment_schedule.map((s) => ({ stage: s.stage.trim(), amount: s.amount.trim(), due_date: s.due_date })),
    delivery_date: draft.delivery_date, registration_deadline: draft.registration_deadline, handover: draft.handover.trim(),
    taxes_borne_by: draft.taxes_borne_by as ContractForm["taxes_borne_by"],
    dispute_resolution: {
      method: draft.dispute_method as ContractForm["dispute_resolution"]["method"],
      commission: draft.dispute_method === "arbitration" ? draft.commission.trim() || null : null,
    },
    house: { fixtures: draft.fixtures.trim() || null, lease_status: draft.lease_status.trim() || null },
  };
}
