// 询问笔录 as a form, shared by the citizen app and the bank desk: each party of the sale a possible
// 被询问人 (all of them must be chosen), their answers per question of the bank (GET
// /inquiry/questions), and the API body. Refusals name respondents[0].answers.<question>.
import type { Schemas } from "@/api/client";

type InquiryForm = Schemas["InquiryForm"];
type Question = Schemas["Question"];
export type QuestionBank = { seller: Question[]; buyer: Question[] };

export interface Respondent {
  key: string; name: string; role: "seller" | "buyer"; roleLabel: string; idNumber: string; needsId: boolean;
  masked: string;
}

export type Answers = Record<string, Record<string, string>>;

interface PartyLike { name: string; id_number: string }

/** The answers as the record stores them (是/否) back to the form's values. */
const SPOKEN: Record<string, string> = { 是: "yes", 否: "no" };

/** Every party of the sale as a possible respondent, sellers first (keys s0, b0…). */
export function respondentsOf(parties: unknown, fullId: (idNumber: string) => string): Respondent[] {
  const { sellers = [], buyers = [] } = (parties ?? {}) as { sellers?: PartyLike[]; buyers?: PartyLike[] };
  const all = [
    ...sellers.map((p, i) => ({ ...p, role: "seller" as const, key: `s${i}` })),
    ...buyers.map((p, i) => ({ ...p, role: "buyer" as const, key: `b${i}` })),
  ];
  return all.map((p) => {
    const idNumber = fullId(p.id_number);
    const masked = idNumber.includes("*");
    return {
      key: p.key, name: p.name, role: p.role, roleLabel: p.role === "seller" ? "卖方" : "买方",
      idNumber: masked ? "" : idNumber, needsId: masked, masked: p.id_number,
    };
  });
}

/** Each respondent's saved answers (by name and role), in the form's values. */
export function savedAnswers(inquiry: unknown, people: Respondent[]): Answers {
  const saved = (inquiry as { respondents?: { name: string; role: string; answers: { id: string; answer: string }[] }[] } | null)
    ?.respondents ?? [];
  const answers: Answers = {};
  for (const person of people) {
    const before = saved.find((s) => s.name === person.name && s.role === person.role);
    answers[person.key] = Object.fromEntries((before?.answers ?? []).map((a) => [a.id, SPOKEN[a.answer] ?? a.answer]));
  }
  return answers;
}

export function inquiryBody(chosen: Respondent[], questions: QuestionBank, answers: Answers): InquiryForm {
  return {
    respondents: chosen.map((p) => ({
      id_number: p.idNumber.trim(),
      answers: Object.fromEntries(questions[p.role].map((q) => [q.id, (answers[p.key]?.[q.id] ?? "").trim()])),
    })),
  };
}
