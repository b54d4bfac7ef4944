// What the signed-in staff member may open beyond the counter, read from their token's `roles` claim
// (the identity provider's; locally the picker's): editor → 内容发布, auditor → 操作日志. Only which
// links to show: the API checks every call itself (EDITOR_ONLY, AUDITOR_ONLY).
import { getToken } from "@/shared/session";

export type StaffRole = "editor" | "auditor";

export function staffRoles(token: string | null = getToken()): StaffRole[] {
  const payload = token?.split(".")[1];
  if (!payload) return [];
  try {
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(payload.length / 4) * 4, "="));
    const roles = (JSON.parse(json) as { roles?: unknown }).roles;
    const list = typeof roles === "string" ? roles.split(",") : Array.isArray(roles) ? roles.map(String) : [];
    return list.filter((r): r is StaffRole => r === "editor" || r === "auditor");
  } catch {
    return [];
  }
}
