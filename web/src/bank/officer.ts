// Who sits at the bank desk: a loan officer (信贷员) of one branch. Staff sign in through the centre's
// identity provider (OpenID Connect code + PKCE, door "staff", desk "bank": src/shared/signin.ts), which
// sends them back to /bank/signin/callback; locally the dev provider's staff picker (local/oidc.py)
// stands in for it. Our token names their branch; the desk keeps it beside the token for this tab.
import { ApiFailure } from "@/api/client";
import { getName, getToken, signIn, signOut } from "@/shared/session";
import { beginSignIn, finishSignIn } from "@/shared/signin";

const BRANCH_KEY = "estate.bank.branch";

/** Off to the identity provider; back at /bank/signin/callback, then at `back`. */
export function startOfficerSignIn(back: string): Promise<void> {
  return beginSignIn("staff", back, "bank");
}

/** The callback's half: our token for this tab; where to go back to. */
export async function finishOfficerSignIn(query: Record<string, unknown>): Promise<string> {
  const { signedIn, back } = await finishSignIn("staff", query);
  if (signedIn.role !== "bank" || !signedIn.branch) {
    // The same provider signs clerks in; their work is at the counter's desk, not the bank's.
    throw new ApiFailure(403, "WRONG_DESK", "您的账号是窗口受理岗位，请使用不动产登记窗口受理工作台");
  }
  signIn(signedIn.token, signedIn.name);
  sessionStorage.setItem(BRANCH_KEY, signedIn.branch);
  return back;
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
