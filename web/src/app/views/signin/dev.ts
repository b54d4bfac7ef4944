// The local stack's dev-only sign-in routes (local/dev.py; not in template.yaml, so not in the typed client).
export interface DemoPerson {
  name: string;
  id_number: string;
  /** How many units the register lists for them (owners first in the list). */
  units: number;
}

interface PeopleAnswer {
  people: { name: string; id_number: string; units: unknown[] }[];
}

export async function demoPeople(): Promise<DemoPerson[]> {
  const response = await fetch("/_dev/people", { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(String(response.status));
  const body = (await response.json()) as PeopleAnswer;
  return body.people
    .map((p) => ({ name: p.name, id_number: p.id_number, units: p.units.length }))
    .sort((a, b) => b.units - a.units);
}

export async function demoLogin(idNumber: string): Promise<string> {
  const response = await fetch("/_dev/login", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ id_number: idNumber }),
  });
  if (!response.ok) throw new Error(String(response.status));
  return ((await response.json()) as { token: string }).token;
}
