// The API's refusals on a form: `details: [{field, code, message}]` become one message per field path
// (e.g. "buyers[0].id_number"), shown under that field; the rest goes to the page's banner.

export interface Detail {
  field?: string | null;
  code?: string;
  message?: string;
}

export interface Refusal {
  code?: string;
  message?: string;
  details?: Detail[];
}

export function fieldErrors(refusal: Refusal | null | undefined): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const detail of refusal?.details ?? []) {
    if (detail.field && detail.message && !(detail.field in errors)) errors[detail.field] = detail.message;
  }
  return errors;
}

/** The message for a field and everything under it (e.g. "holding" also shows "holding.shares"). */
export function errorUnder(errors: Record<string, string>, field: string): string {
  if (errors[field]) return errors[field];
  const nested = Object.keys(errors).find((key) => key.startsWith(`${field}.`) || key.startsWith(`${field}[`));
  return nested ? (errors[nested] ?? "") : "";
}
