// The signing link's calls (/sign/{token}/*): the token in the address is the only credential, so
// these work without signing in to the app. Typed by the generated schema through the shell's client.
import { api, call, type Schemas } from "@/api/client";

export type Session = Schemas["SigningSessionView"];
export type DocumentFacts = Schemas["SigningDocumentView"];
export type SigningStatus = Schemas["SigningStatusView"];

const at = (token: string) => ({ params: { path: { token } } });

export const signing = {
  session: (token: string) => call(api.GET("/sign/{token}/session", at(token))),
  /** The signer's liveness session; the provider's page comes back to returnTo with ?liveness=. */
  startLiveness: (token: string, returnTo: string) =>
    call(api.POST("/sign/{token}/liveness-sessions", { ...at(token), body: { return_to: returnTo } })),
  face: (token: string, session: string) => call(api.POST("/sign/{token}/face", { ...at(token), body: { session } })),
  document: (token: string, doc: string) =>
    call(api.GET("/sign/{token}/documents/{doc}", { params: { path: { token, doc } } })),
  viewed: (token: string, doc: string, sha256: string, pages: number) =>
    call(api.POST("/sign/{token}/documents/{doc}/viewed", { params: { path: { token, doc } }, body: { sha256, pages } })),
  sign: (token: string, image: string) => call(api.POST("/sign/{token}/signature", { ...at(token), body: { image } })),
  decline: (token: string, reason: string) => call(api.POST("/sign/{token}/decline", { ...at(token), body: { reason } })),
};

// The initiator's side (signed in): everyone's progress, 一键提取, a party's new link.
export const initiator = {
  status: (id: string) => call(api.GET("/applications/{id}/signing", { params: { path: { id } } })),
  extract: (id: string, key: string) =>
    call(api.POST("/applications/{id}/signing/extract", { params: { path: { id } }, headers: { "Idempotency-Key": key } })),
  resend: (id: string, party: string, key: string) =>
    call(api.POST("/applications/{id}/parties/{party}/link", {
      params: { path: { id, party } }, headers: { "Idempotency-Key": key },
    })),
};
