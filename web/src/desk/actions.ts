// Which decisions a case's status allows: the desk shows only those buttons. The same table as the
// domain's TRANSITIONS (functions/core/estate/domain/application.py); the API refuses any other with
// WRONG_STATE, so a stale screen cannot do harm, only show a button too many.
export type Decision = "accept" | "return" | "refusal" | "approve" | "handover";

const ALLOWED: Record<Decision, readonly string[]> = {
  accept: ["SUBMITTED"],
  return: ["SUBMITTED", "ACCEPTED", "TAX_PAID"],
  refusal: ["ACCEPTED", "TAX_PAID"], // 不予登记: a review outcome, after acceptance and before 登簿
  approve: ["ACCEPTED", "TAX_PAID"],
  handover: ["APPROVED", "CERTIFICATE_READY"],
};

export function allowedDecisions(status: string): Decision[] {
  return (Object.keys(ALLOWED) as Decision[]).filter((decision) => ALLOWED[decision].includes(status));
}
