// The office's codes and their Chinese labels (GET /office/vocabulary: statuses, businesses, timeline
// actions, return and refusal reasons, material categories, queue orders), read once per session;
// any other enum through the shared labels of docs/openapi.json. Nothing shows a code.
import { reactive } from "vue";

import { api, call, type Schemas } from "@/api/client";
import { label } from "@/shared/labels";

type Vocabulary = Schemas["OfficeVocabulary"];
type Kind = keyof Vocabulary;

const tables = reactive<Partial<Record<Kind, Record<string, string>>>>({});
let loading: Promise<void> | null = null;

export function loadVocabulary(): Promise<void> {
  loading ??= call(api.GET("/office/vocabulary")).then((vocabulary) => {
    for (const kind of Object.keys(vocabulary) as Kind[]) {
      tables[kind] = Object.fromEntries(vocabulary[kind].map((entry) => [entry.code, entry.label]));
    }
  }).catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}

/** The label of `code` in one of the office's vocabularies; the OpenAPI labels of `field` otherwise. */
export function officeLabel(kind: Kind, code: string | null | undefined, field?: string): string {
  if (!code) return "";
  return tables[kind]?.[code] ?? (field ? label(field, code) : "未知");
}

export function officeOptions(kind: Kind): { value: string; text: string }[] {
  return Object.entries(tables[kind] ?? {}).map(([value, text]) => ({ value, text }));
}
