// The info screens' search: every word typed (split on spaces) must appear in one of the item's texts.
export function matches(query: string, ...texts: (string | null | undefined | string[])[]): boolean {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = texts.flat().filter(Boolean).join("\n").toLowerCase();
  return words.every((word) => haystack.includes(word));
}
