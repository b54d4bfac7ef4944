// The transfer area's calls, typed by the generated schema through the shell's client. Each write takes
// the Idempotency-Key of the user action (shared/action.ts useAction), so a double tap or a retry
// after a lost answer is done once.
import { ApiFailure, api as client, call, type Schemas } from "@/api/client";

export type Application = Schemas["ApplicationView"];
export type UnitFound = Schemas["UnitView"];
export type Outlet = Schemas["Outlet"];
export type MaterialItem = Schemas["MaterialItem"];
export type Material = Schemas["MaterialView"];
export type UploadAnswer = Schemas["UploadAnswer"];
export type Bank = Schemas["Bank"];
export type Question = Schemas["Question"];
export type PartiesForm = Schemas["PartiesForm"];
export type PersonForm = Schemas["PersonForm"];
export type ContractForm = Schemas["ContractForm"];
export type DeclarationForm = Schemas["DeclarationForm"];
export type MemberForm = Schemas["MemberForm"];
export type InquiryForm = Schemas["InquiryForm"];
export type SigningStatus = Schemas["SigningStatusView"];

/** A person as typed in the parties form (before the API normalises it). */
export interface PersonDraft {
  name: string;
  id_number: string;
  phone: string;
  address: string;
  marital_status: string;
}

function keyed(key?: string): { headers?: Record<string, string> } {
  return key ? { headers: { "Idempotency-Key": key } } : {};
}

/** A refusal as the forms read it (message, code, field details); anything else as a network failure. */
export function refusalOf(error: unknown): { code: string; message: string; details: Schemas["FieldError"][] } {
  if (error instanceof ApiFailure) return { code: error.code, message: error.message, details: error.details };
  return { code: "UNKNOWN", message: "服务暂时不可用，请稍后重试", details: [] };
}

export const api = {
  async outlets(business: string): Promise<Outlet[]> {
    const answer = await call(client.GET("/outlets"));
    return answer.outlets.filter((o) => !o.online_services || o.online_services.includes(business));
  },
  async materialList(business: string): Promise<MaterialItem[]> {
    return (await call(client.GET("/info/materials", { params: { query: { business } } }))).items;
  },
  /** A liveness session for applying; the provider's page comes back to returnTo with ?liveness=. */
  startLiveness(returnTo: string): Promise<Schemas["LivenessSessionView"]> {
    return call(client.POST("/identity/liveness-sessions", { body: { purpose: "apply", return_to: returnTo } }));
  },
  faceCheck(session: string, key?: string): Promise<Schemas["FaceCheckAnswer"]> {
    return call(client.POST("/identity/face-checks", { body: { session }, ...keyed(key) }));
  },
  async searchProperties(body: Schemas["PropertySearchForm"]): Promise<UnitFound[]> {
    return (await call(client.POST("/properties/search", { body }))).units;
  },
  startApplication(body: Schemas["StartForm"], key?: string): Promise<Application> {
    return call(client.POST("/applications", { body, ...keyed(key) }));
  },
  application(id: string): Promise<Application> {
    return call(client.GET("/applications/{id}", { params: { path: { id } } }));
  },
  setParties(id: string, body: PartiesForm, key?: string): Promise<Application> {
    return call(client.PUT("/applications/{id}/parties", { params: { path: { id } }, body, ...keyed(key) }));
  },
  setContract(id: string, body: ContractForm, key?: string): Promise<Application> {
    return call(client.PUT("/applications/{id}/contract", { params: { path: { id } }, body, ...keyed(key) }));
  },
  setDeclaration(id: string, body: DeclarationForm, key?: string): Promise<Application> {
    return call(client.PUT("/applications/{id}/tax-declaration", { params: { path: { id } }, body, ...keyed(key) }));
  },
  questions(): Promise<Schemas["QuestionBank"]> {
    return call(client.GET("/inquiry/questions"));
  },
  setInquiry(id: string, body: InquiryForm, key?: string): Promise<Application> {
    return call(client.PUT("/applications/{id}/inquiry", { params: { path: { id } }, body, ...keyed(key) }));
  },
  contractDraft(id: string): Promise<Schemas["ContractDraft"]> {
    return call(client.GET("/applications/{id}/contract/draft", { params: { path: { id } } }));
  },
  document(id: string, doc: string): Promise<Schemas["DocumentLink"]> {
    return call(client.GET("/applications/{id}/documents/{doc}", { params: { path: { id, doc } } }));
  },
  signing(id: string): Promise<SigningStatus> {
    return call(client.GET("/applications/{id}/signing", { params: { path: { id } } }));
  },
  requestUpload(id: string, category: string, key?: string): Promise<UploadAnswer> {
    return call(client.POST("/applications/{id}/materials", { params: { path: { id } }, body: { category }, ...keyed(key) }));
  },
  material(id: string, mid: string): Promise<Schemas["MaterialDetail"]> {
    return call(client.GET("/applications/{id}/materials/{mid}", { params: { path: { id, mid } } }));
  },
  deleteMaterial(id: string, mid: string, key?: string): Promise<Schemas["MaterialDeleted"]> {
    return call(client.DELETE("/applications/{id}/materials/{mid}", { params: { path: { id, mid } }, ...keyed(key) }));
  },
  submit(id: string, key?: string): Promise<Application> {
    return call(client.POST("/applications/{id}/submit", { params: { path: { id } }, ...keyed(key) }));
  },
  async banks(outlet: string): Promise<Bank[]> {
    return (await call(client.GET("/banks", { params: { query: { outlet } } }))).banks;
  },
  pushToBank(id: string, bank: string, branch: string, key?: string): Promise<Application> {
    return call(client.POST("/applications/{id}/bank-push", { params: { path: { id } }, body: { bank, branch }, ...keyed(key) }));
  },
};
