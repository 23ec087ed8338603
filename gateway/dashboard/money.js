// Funding money next to the counts: sums of the known amounts (euro cents from the API) and, beside
// each, how many funding lines have no amount, so an unknown sum never reads as 0 €.
import { $, element, format } from './dom.js';

export const euro = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' });
/** Cents as euros with two decimals; the API's cents are exact integers. */
export const formatCents = (cents) => euro.format(cents / 100);

const UNKNOWN = 'unbekannt';
const mapOf = (list, key, value) => new Map(list.map((entry) => [entry[key], entry[value]]));

/** A table body of rows `[label, ...cells]` and a sum row. */
function fill(table, rows, sums) {
  const cells = (values) => values.map((value) => element('td', { class: 'num', text: value }));
  $(`${table} tbody`).replaceChildren(...rows.map(({ key, label, values }) =>
    element('tr', { 'data-key': String(key) }, element('th', { scope: 'row', text: label }), ...cells(values))));
  $(`${table} tfoot`).replaceChildren(element('tr', {}, element('th', { scope: 'row', text: 'Summe' }), ...cells(sums)));
}

/** The money figures of the project statistics for the chosen regions. */
export function renderMoney(projects, regions, labels) {
  const known = projects.amountByProgramme.reduce((sum, row) => sum + row.amountCents, 0);
  $('#total-funding').textContent = formatCents(known);
  $('#total-funding-detail').textContent = `bekannt aus ${format.format(projects.fundingLines - projects.linesWithoutAmount)} von `
    + `${format.format(projects.fundingLines)} Förderlinien; ${format.format(projects.linesWithoutAmount)} ohne Betrag`;

  // By programme: projects whose main funding it is, the money of every line of it (co-funding too), lines without amount.
  const projectsBy = mapOf(projects.byFundingProgramme, 'programme', 'count');
  const amountBy = mapOf(projects.amountByProgramme, 'programme', 'amountCents');
  const unknownBy = mapOf(projects.linesWithoutAmountByProgramme, 'programme', 'count');
  const programmes = Object.keys(labels.programmes).filter((code) => projectsBy.has(code) || amountBy.has(code) || unknownBy.has(code))
    .sort((a, b) => (amountBy.get(b) ?? 0) - (amountBy.get(a) ?? 0) || (projectsBy.get(b) ?? 0) - (projectsBy.get(a) ?? 0));
  const programmeRows = programmes.map((code) => ({ key: code, label: labels.programmes[code], values: [format.format(projectsBy.get(code) ?? 0),
    formatCents(amountBy.get(code) ?? 0), format.format(unknownBy.get(code) ?? 0)] }));
  if (projectsBy.has(null)) programmeRows.push({ key: 'null', label: UNKNOWN, values: [format.format(projectsBy.get(null)), '–', '–'] });
  fill('#table-funding', programmeRows, [format.format(projects.total), formatCents(known), format.format(projects.linesWithoutAmount)]);

  // By state: every chosen state, zeros too, as the counts table beside it.
  const regionAmounts = mapOf(projects.amountByRegion, 'region', 'amountCents');
  const regionUnknown = mapOf(projects.linesWithoutAmountByRegion, 'region', 'count');
  fill('#table-funding-states', regions.map((code) => ({ key: code, label: labels.regions[code],
    values: [formatCents(regionAmounts.get(code) ?? 0), format.format(regionUnknown.get(code) ?? 0)] })),
  [formatCents(known), format.format(projects.linesWithoutAmount)]);

  // By year: years ascending, unknown last.
  const years = [...new Set([...projects.amountByYear, ...projects.linesWithoutAmountByYear].map((row) => row.year))]
    .sort((a, b) => (a === null) - (b === null) || a - b);
  const yearAmounts = mapOf(projects.amountByYear, 'year', 'amountCents');
  const yearUnknown = mapOf(projects.linesWithoutAmountByYear, 'year', 'count');
  fill('#table-funding-years', years.map((year) => ({ key: year, label: year === null ? UNKNOWN : String(year),
    values: [formatCents(yearAmounts.get(year) ?? 0), format.format(yearUnknown.get(year) ?? 0)] })),
  [formatCents(known), format.format(projects.linesWithoutAmount)]);
}

/** Without data nothing stale may stay on screen. */
export function clearMoney() {
  $('#total-funding').textContent = '–';
  $('#total-funding-detail').textContent = '';
  for (const part of document.querySelectorAll('#funding tbody, #funding tfoot')) part.replaceChildren();
}
