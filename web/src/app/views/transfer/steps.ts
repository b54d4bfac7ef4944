// Where an application continues, read from its status (the server keeps every step; the app only
// asks "which screen is next"). Pure functions: the route guard and the step bar share them.

export type Business = "sale" | "loan-sale";
export type Step = "parties" | "contract" | "declaration" | "inquiry" | "materials" | "bank" | "progress";

export interface StepInfo {
  step: Step;
  title: string;
}

const SALE_STEPS: StepInfo[] = [
  { step: "parties", title: "买卖双方" },
  { step: "contract", title: "合同" },
  { step: "declaration", title: "纳税申报" },
  { step: "inquiry", title: "询问笔录" },
  { step: "materials", title: "签署材料" },
];

const LOAN_STEPS: StepInfo[] = [
  { step: "parties", title: "买卖双方" },
  { step: "bank", title: "推送银行" },
  { step: "progress", title: "银行办理" },
];

export function stepsOf(business: Business): StepInfo[] {
  return business === "loan-sale" ? LOAN_STEPS : SALE_STEPS;
}

/** The screen an application opens on, from its status. */
export function stepFor(business: Business, status: string): Step {
  if (business === "loan-sale") {
    if (status === "DRAFT") return "parties";
    if (status === "PARTIES_SET") return "bank";
    return "progress";
  }
  switch (status) {
    case "DRAFT":
      return "parties";
    case "PARTIES_SET":
      return "contract";
    case "CONTRACT_SAVED":
      return "declaration";
    case "TAX_DECLARED":
      return "inquiry";
    case "INQUIRY_SAVED":
    case "SIGNING":
    case "SIGNED":
    case "RETURNED":
      return "materials";
    default:
      return "progress";
  }
}

/** Whether the initiator may still edit a step's form (the server says the same with 409s). */
export function editable(status: string): boolean {
  return ["DRAFT", "PARTIES_SET", "CONTRACT_SAVED", "TAX_DECLARED", "INQUIRY_SAVED", "SIGNING", "SIGNED",
    "RETURNED"].includes(status);
}

/** The step after `step` in a business's order (the 下一步 target). */
export function nextStep(business: Business, step: Step): Step {
  const order = stepsOf(business).map((s) => s.step);
  const at = order.indexOf(step);
  return order[Math.min(at + 1, order.length - 1)] ?? step;
}

/** Index of a step in the bar; a step the business has not got counts as the last. */
export function stepIndex(business: Business, step: Step): number {
  const at = stepsOf(business).findIndex((s) => s.step === step);
  return at < 0 ? stepsOf(business).length - 1 : at;
}
