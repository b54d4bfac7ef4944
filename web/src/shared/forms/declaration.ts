// 纳税申报 as a form, shared by the citizen app and the bank desk: the buyers' and sellers' families
// (every party starts as 本人 of their own family), the house's tax facts, and the API body. The API
// (DeclarationForm) holds the rules; its refusals name these field paths
// (seller_families[0].members[1].id_number, house.original_price…).
import type { Schemas } from "@/api/client";

type DeclarationForm = Schemas["DeclarationForm"];
type Relation = DeclarationForm["buyer_families"][number]["members"][number]["relation"];

export type SideKey = "buyer_families" | "seller_families";
export const SIDES: readonly { key: SideKey; title: string }[] = [
  { key: "seller_families", title: "卖方" }, { key: "buyer_families", title: "买方" },
];

/** A member as typed; `masked` is the ID number the server showed when it must be typed again. */
export interface MemberDraft { name: string; id_number: string; sex: string; relation: string; masked?: string }
export interface FamilyDraft { members: MemberDraft[] }
export interface HouseDraft {
  acquisition_date: string; original_price: string; reasonable_fees: string; seller_family_only_home: string;
  buyer_family_homes_before: string; pit_method: string;
}
export interface DeclarationDraft { buyer_families: FamilyDraft[]; seller_families: FamilyDraft[]; house: HouseDraft }

interface PersonLike { name?: string; id_number?: string; sex?: string; relation?: string }
/** The full ID number for one the server answered (masked when it is someone else's), if known. */
export type FullId = (idNumber: string) => string;

const isMasked = (value: string) => value.includes("*");

export function blankMember(): MemberDraft {
  return { name: "", id_number: "", sex: "", relation: "" };
}

export function blankDeclaration(): DeclarationDraft {
  return {
    buyer_families: [], seller_families: [],
    house: {
      acquisition_date: "", original_price: "", reasonable_fees: "", seller_family_only_home: "",
      buyer_family_homes_before: "", pit_method: "deemed",
    },
  };
}

/** The sex the 17th digit of an ID number says (odd: 男), when the person has not chosen one. */
export function guessSex(member: MemberDraft): void {
  const digit = Number(member.id_number.trim()[16]);
  if (!member.sex && member.id_number.trim().length === 18 && Number.isInteger(digit)) member.sex = digit % 2 ? "M" : "F";
}

export function memberDraft(person: PersonLike, fullId: FullId): MemberDraft {
  const idNumber = fullId(person.id_number ?? "");
  const drafted: MemberDraft = {
    name: person.name ?? "", id_number: isMasked(idNumber) ? "" : idNumber, sex: person.sex ?? "",
    relation: person.relation ?? "self",
  };
  if (isMasked(idNumber)) drafted.masked = idNumber;
  guessSex(drafted);
  return drafted;
}

interface ApplicationLike {
  tax_declaration?: unknown;
  parties?: unknown;
  unit?: unknown;
}

/** The draft for an application: its saved declaration, or each party as 本人 of their own family. */
export function declarationDraftFrom(app: ApplicationLike, fullId: FullId): DeclarationDraft {
  const draft = blankDeclaration();
  const saved = app.tax_declaration as {
    buyer_families: { members: PersonLike[] }[]; seller_families: { members: PersonLike[] }[];
    house: Record<string, unknown>;
  } | null | undefined;
  if (saved) {
    draft.buyer_families = saved.buyer_families.map((f) => ({ members: f.members.map((m) => memberDraft(m, fullId)) }));
    draft.seller_families = saved.seller_families.map((f) => ({ members: f.members.map((m) => memberDraft(m, fullId)) }));
    const h = saved.house;
    Object.assign(draft.house, {
      acquisition_date: String(h.acquisition_date ?? ""), original_price: String(h.original_price ?? ""),
      reasonable_fees: h.reasonable_fees && h.reasonable_fees !== "0" ? String(h.reasonable_fees) : "",
      seller_family_only_home: h.seller_family_only_home === true ? "yes" : h.seller_family_only_home === false ? "no" : "",
      buyer_family_homes_before: String(h.buyer_family_homes_before ?? ""), pit_method: String(h.pit_method ?? "deemed"),
    });
    return draft;
  }
  const parties = (app.parties ?? {}) as { sellers?: PersonLike[]; buyers?: PersonLike[] };
  draft.seller_families = (parties.sellers ?? []).map((p) => ({ members: [memberDraft({ ...p, relation: "self" }, fullId)] }));
  draft.buyer_families = (parties.buyers ?? []).map((p) => ({ members: [memberDraft({ ...p, relation: "self" }, fullId)] }));
  draft.house.acquisition_date = String((app.unit as { acquired_on?: string } | undefined)?.acquired_on ?? "");
  return draft;
}

export function declarationBody(draft: DeclarationDraft): DeclarationForm {
  const families = (list: FamilyDraft[]) => list.map((f) => ({
    members: f.members.map((m) => ({
      name: m.name.trim(), id_number: m.id_number.trim(), sex: m.sex as "M" | "F", relation: m.relation as Relation,
    })),
  }));
  const h = draft.house;
  return {
    buyer_families: families(draft.buyer_families), seller_families: families(draft.seller_families),
    house: {
      acquisition_date: h.acquisition_date, original_price: h.original_price.trim() || null,
      reasonable_fees: h.reasonable_fees.trim() || null,
      // an unanswered question is sent as such: the API names it under the field
      seller_family_only_home: (h.seller_family_only_home === "" ? null : h.seller_family_only_home === "yes") as boolean,
      buyer_family_homes_before: (h.buyer_family_homes_before.trim() === "" ? null : Number(h.buyer_family_homes_before)) as number,
      pit_method: h.pit_method as "deemed" | "actual",
    },
  };
}
