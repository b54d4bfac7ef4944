// What a person typed, kept in this tab's sessionStorage per application. The server answers other
// people's ID numbers and phones masked, so after a reload the forms take the full values from here;
// closing the tab forgets them (they are other people's personal data).

const PREFIX = "estate.transfer.";

export function remember<T>(key: string, value: T): void {
  try {
    sessionStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // storage full or disabled: the server still has every saved step
  }
}

export function recall<T>(key: string): T | null {
  try {
    const raw = sessionStorage.getItem(PREFIX + key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

export function forget(key: string): void {
  try {
    sessionStorage.removeItem(PREFIX + key);
  } catch {
    // nothing kept
  }
}

/** A masked ID number or phone as the server shows it (e.g. 140321********3582). */
export function isMasked(value: string | null | undefined): boolean {
  return !!value && value.includes("*");
}

/** Full ID numbers typed in this tab for an application's parties, by masked form and by name. */
export function knownIdNumbers(applicationId: string): Record<string, string> {
  return recall<Record<string, string>>(`${applicationId}.ids`) ?? {};
}

export function rememberIdNumbers(applicationId: string, people: { name: string; id_number: string }[]): void {
  const known = knownIdNumbers(applicationId);
  for (const person of people) {
    if (person.id_number && !isMasked(person.id_number)) known[maskId(person.id_number)] = person.id_number;
  }
  remember(`${applicationId}.ids`, known);
}

/** The server's masking (estate.observability.mask_id_number): first 6, eight stars, last 4. */
export function maskId(idNumber: string): string {
  const value = idNumber.trim().toUpperCase();
  return value.length === 18 ? `${value.slice(0, 6)}********${value.slice(14)}` : value;
}

/** The full ID number for a (possibly masked) one, when this tab knows it. */
export function fullId(applicationId: string, idNumber: string): string {
  return isMasked(idNumber) ? (knownIdNumbers(applicationId)[idNumber] ?? idNumber) : idNumber;
}
