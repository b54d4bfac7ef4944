// The bank desk's calls (/bank/applications/…), typed by the generated schema through the shared
// client; each write takes the Idempotency-Key of the officer's action (shared/action.ts).
import { api as client, call, type Schemas } from "@/api/client";

export type Pushed = Schemas["PushedCase"];
export type PushedSummary = Schemas["PushedSummary"];
export type LoanForm = Schemas["LoanForm"];
export type Signing = Schemas["SigningStatusView"];
export type MaterialItem = Schemas["MaterialItem"];
export type QuestionBank = Schemas["QuestionBank"];

function keyed(key?: string): { headers?: Record<string, string> } {
  return key ? { headers: { "Idempotency-Key": key } } : {};
}

const at = (id: string) => ({ params: { path: { id } } });

export const bankApi = {
  queue(): Promise<Schemas["BankQueue"]> {
    return call(client.GET("/bank/applications"));
  },
  /** Bank and branch names by code (the queue and a case carry codes). */
  async branchNames(): Promise<{ banks: Record<string, string>; branches: Record<string, string> }> {
    const { banks } = await call(client.GET("/banks"));
    return {
      banks: Object.fromEntries(banks.map((b) => [b.code, b.name])),
      branches: Object.fromEntries(banks.flatMap((b) => b.branches.map((r) => [r.code, r.name]))),
    };
  },
  case(id: string): Promise<Pushed> {
    return call(client.GET("/bank/applications/{id}", at(id)));
  },
  signing(id: string): Promise<Signing> {
    return call(client.GET("/bank/applications/{id}/signing", at(id)));
  },
  setLoan(id: string, body: LoanForm, key?: string): Promise<Pushed> {
    return call(client.PUT("/bank/applications/{id}/loan", { ...at(id), body, ...keyed(key) }));
  },
  setContract(id: string, body: Schemas["ContractForm"], key?: string) {
    return call(client.PUT("/bank/applications/{id}/contract", { ...at(id), body, ...keyed(key) }));
  },
  setDeclaration(id: string, body: Schemas["DeclarationForm"], key?: string) {
    return call(client.PUT("/bank/applications/{id}/tax-declaration", { ...at(id), body, ...keyed(key) }));
  },
  setInquiry(id: string, body: Schemas["InquiryForm"], key?: string) {
    return call(client.PUT("/bank/applications/{id}/inquiry", { ...at(id), body, ...keyed(key) }));
  },
  requestUpload(id: string, category: string, key?: string): Promise<Schemas["UploadAnswer"]> {
    return call(client.POST("/bank/applications/{id}/materials", { ...at(id), body: { category }, ...keyed(key) }));
  },
  seal(id: string, key?: string): Promise<Schemas["SealView"]> {
    return call(client.POST("/bank/applications/{id}/seal", { ...at(id), ...keyed(key) }));
  },
  extract(id: string, key?: string): Promise<Schemas["SigningExtractView"]> {
    return call(client.POST("/bank/applications/{id}/signing/extract", { ...at(id), ...keyed(key) }));
  },
  submit(id: string, key?: string) {
    return call(client.POST("/bank/applications/{id}/submit", { ...at(id), ...keyed(key) }));
  },
  async materialList(): Promise<MaterialItem[]> {
    return (await call(client.GET("/info/materials", { params: { query: { business: "loan-sale" } } }))).items;
  },
  questions(): Promise<QuestionBank> {
    return call(client.GET("/inquiry/questions"));
  },
};
