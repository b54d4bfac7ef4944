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
