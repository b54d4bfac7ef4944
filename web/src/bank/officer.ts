// Who sits at the bank desk: a loan officer (信贷员) of one branch. Locally (dev only) a picker of the
// seeded register's officers, one per branch; POST /_dev/login gives the token. Deployed, the
// centre's identity provider signs staff in (OpenID Connect) with the branch as a claim.
import { getName, getToken, signIn, signOut } from "@/shared/session";

export interface OfficerChoice {
  /** 中国工商银行阳泉矿区支行信贷员 */
  name: string;
  branch: string;
}

const BRANCH_KEY = "estate.bank.branch";

interface PeopleAnswer {
  staff: { role: string; branch?: string; name: string }[];
}

export async function officerChoices(): Promise<OfficerChoice[]> {
  const response = await fetch("/_dev/people", { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(String(response.status));
  const body = (await response.json()) as PeopleAnswer;
  return body.staff.filter((s) => s.role === "bank" && s.branch).map((s) => ({ name: s.name, branch: s.branch ?? "" }));
}

export async function officerLogin(choice: OfficerChoice): Promise<void> {
  const response = await fetch("/_dev/login", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ role: "bank", branch: choice.branch }),
  });
  if (!response.ok) throw new Error(String(response.status));
  const { token } = (await response.json()) as { token: string };
  signIn(token, choice.name);
  sessionStorage.setItem(BRANCH_KEY, choice.branch);
}

/** Signed in as a loan officer (the tab may hold a clerk's or a citizen's session from another page). */
export function officerSignedIn(): boolean {
  return Boolean(getToken() && sessionStorage.getItem(BRANCH_KEY));
}

export function officerName(): string {
  return getName() ?? "";
}

export function officerSignOut(): void {
  signOut();
  sessionStorage.removeItem(BRANCH_KEY);
}
