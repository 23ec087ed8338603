/**
 * A name as the search compares it: case, accents, umlauts and their spelled-out forms ("ü",
 * "ue", "u" alike, as the German stemmer treats them), "ß" as "ss", and runs of spaces and
 * punctuation all fold away. The one normalisation behind name order, unique names and the
 * importer's matching of names and labels.
 */
export function foldName(text: string): string {
  return text
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    // The stemmer's rule: "ae", "oe", "ue" stand for "ä", "ö", "ü", except "ue" after "q" ("Quelle").
    .replace(/([ao])e|(?<!q)(u)e/g, '$1$2')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The order a German reader expects ("Ärzte" beside "Arzt", "Straße" as "strasse"), as a plain
 * string compared byte-wise (column collation "C"). Byte order is the same in every PostgreSQL
 * and in JavaScript, so lists from several instances merge into one consistent order. Alliances
 * and organisations also hold it unique per region: two names with the same key are one name.
 */
export function sortKeyOf(text: string): string {
  return foldName(text).slice(0, 200);
}

/**
 * Sort key, then id, both compared byte-wise: the order every instance pages in
 * (`orderBy: { sortKey, id }`, both columns collate "C") and the gateway merges pages in.
 */
export function compareSortKeys(aKey: string, aId: string, bKey: string, bId: string): number {
  if (aKey !== bKey) return aKey < bKey ? -1 : 1;
  return aId < bId ? -1 : aId > bId ? 1 : 0;
}
