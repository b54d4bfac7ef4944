// Chinese labels for the API's enum values, read from docs/openapi.json's `x-enum-labels`
// (labels.gen.ts, generated at build time by scripts/gen-labels.mjs).
import { FIELD_LABELS, SCHEMA_FIELD_LABELS } from "./labels.gen";

/** The label of `value` in the field `field` (e.g. label("status", "ACCEPTED") → "已受理"); a model's
 * own vocabulary wins when `schema` is given. An unknown value shows as 未知 rather than as a code. */
export function label(field: string, value: string | null | undefined, schema?: string): string {
  if (value === null || value === undefined || value === "") return "";
  const own = schema ? SCHEMA_FIELD_LABELS[`${schema}.${field}`]?.[value] : undefined;
  return own ?? FIELD_LABELS[field]?.[value] ?? "未知";
}

/** Every (value, label) of a field, in the document's order: options of a picker. */
export function options(field: string, schema?: string): { value: string; text: string }[] {
  const labels = (schema ? SCHEMA_FIELD_LABELS[`${schema}.${field}`] : undefined) ?? FIELD_LABELS[field] ?? {};
  return Object.entries(labels).map(([value, text]) => ({ value, text }));
}
