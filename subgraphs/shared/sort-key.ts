/**
 * The order a German reader expects ("Ärzte" beside "Arzt", "Straße" as "strasse"), as a plain
 * string compared byte-wise (column collation "C"). Byte order is the same in every PostgreSQL
 * and in JavaScript, so lists from several instances merge into one consistent order.
 */
export function sortKeyOf(text: string): string {
  return text
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .slice(0, 200);
}
