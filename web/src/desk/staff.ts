// Who sits at the desk. Staff sign in through the centre's identity provider (OpenID Connect code +
// PKCE, door "staff": src/shared/signin.ts); locally the dev provider's staff picker (local/oidc.py)
// stands in for it. Our token names their outlet; the desk keeps it beside the token for this tab.
import { ApiFailure } from "@/api/client";
import { getName, signIn, signOut } from "@/shared/session";
import { beginSignIn, finishSignIn } from "@/shared/signin";

const OUTLET_KEY = "estate.desk.outlet";

/** Off to the identity provider; back at /signin/callback, then at `back`. */
export function startStaffSignIn(back: string): Promise<void> {
  return beginSignIn("staff", back, "office");
}

/** The callback's half: our token for this tab; where to go back to. */
export async function finishStaffSignIn(query: Record<string, unknown>): Promise<string> {
  const { signedIn, back } = await finishSignIn("staff", query);
  if (signedIn.role !== "clerk") {
    // The same provider signs loan officers in; their work is at the bank desk, not this counter.
    throw new ApiFailure(403, "WRONG_DESK", "您的账号是银行信贷岗位，请使用贷款银行协办工作台");
  }
  signIn(signedIn.token, signedIn.name);
  sessionStorage.setItem(OUTLET_KEY, signedIn.outlet ?? "");
  return back;
}

export function staffName(): string {
  return getName() ?? "";
}

export function staffOutlet(): string {
  return sessionStorage.getItem(OUTLET_KEY) ?? "";
}

export function staffSignOut(): void {
  signOut();
  sessionStorage.removeItem(OUTLET_KEY);
}
