// Who sits at the desk. Locally (dev only, no such route in the template) a staff picker: the seeded
// register's clerks, one per outlet, and an auditor; POST /_dev/login gives the token. Deployed, the
// centre's identity provider signs staff in (OpenID Connect) and the same token reaches the API.
import { getName, signIn, signOut } from "@/shared/session";

export interface StaffChoice {
  /** What the picker shows, e.g. 城区窗口受理员. */
  name: string;
  outlet: string;
  roles: string;
  /** 窗口受理员 / 审计人员 */
  title: string;
}

const OUTLET_KEY = "estate.desk.outlet";

interface PeopleAnswer {
  staff: { role: string; outlet?: string; name: string; roles?: string }[];
}

export async function staffChoices(): Promise<StaffChoice[]> {
  const response = await fetch("/_dev/people", { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(String(response.status));
  const body = (await response.json()) as PeopleAnswer;
  const clerks = body.staff.filter((s) => s.role === "clerk" && s.outlet);
  const choices: StaffChoice[] = clerks.map((s) => ({
    name: s.name, outlet: s.outlet ?? "", roles: s.roles ?? "", title: "窗口受理员",
  }));
  const first = clerks[0];
  if (first?.outlet) {
    choices.push({ name: "审计人员", outlet: first.outlet, roles: "auditor", title: "审计人员" });
  }
  return choices;
}

export async function staffLogin(choice: StaffChoice): Promise<void> {
  const response = await fetch("/_dev/login", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ role: "clerk", outlet: choice.outlet, roles: choice.roles }),
  });
  if (!response.ok) throw new Error(String(response.status));
  const { token } = (await response.json()) as { token: string };
  signIn(token, choice.name);
  sessionStorage.setItem(OUTLET_KEY, choice.outlet);
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
