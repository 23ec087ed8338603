// The filter form: its state, the address it is kept in, and the GraphQL filters it becomes.
import { element } from './dom.js';

/** Fills the form with the states (checkboxes), fields of action and statuses, labelled in German. */
export function buildControls(form, labels) {
  const options = form.querySelector('#region-options');
  for (const [code, name] of Object.entries(labels.regions)) {
    const box = element('input', { type: 'checkbox', name: 'regions', value: code, id: `region-${code}` });
    options.append(element('div', { class: 'region' }, box, element('label', { for: `region-${code}`, text: name })));
  }
  for (const [value, text] of Object.entries(labels.fieldsOfAction)) form.field.append(element('option', { value, text }));
  for (const [value, text] of Object.entries(labels.statuses)) form.status.append(element('option', { value, text }));
}

/** The filter the form shows, or an error message when the period is not a valid year range. */
export function readFilter(form) {
  const data = new FormData(form);
  const text = (name) => String(data.get(name) ?? '').trim();
  const filter = { regions: data.getAll('regions').map(String), field: text('field'), status: text('status'),
    from: text('from'), to: text('to') };
  for (const [name, word] of [['from', 'von'], ['to', 'bis']]) {
    if (filter[name] && !/^\d{4}$/.test(filter[name])) return { error: `„${word}“ muss eine vierstellige Jahreszahl sein.` };
  }
  if (filter.from && filter.to && filter.to < filter.from) return { error: '„bis“ liegt vor „von“: bitte den Zeitraum prüfen.' };
  return { filter };
}

export function writeFilter(form, filter) {
  for (const box of form.querySelectorAll('input[name=regions]')) box.checked = filter.regions.includes(box.value);
  form.field.value = filter.field;
  form.status.value = filter.status;
  form.from.value = filter.from;
  form.to.value = filter.to;
}

/** The filter as an address query, e.g. `regions=BW%2CBY&from=2018`. */
export function toSearch(filter) {
  const params = new URLSearchParams();
  if (filter.regions.length) params.set('regions', filter.regions.join(','));
  for (const name of ['field', 'status', 'from', 'to']) if (filter[name]) params.set(name, filter[name]);
  return params.toString();
}

/** Reads a filter from an address query, dropping anything the form does not offer. */
export function fromSearch(search, labels) {
  const params = new URLSearchParams(search);
  const pick = (name, allowed) => (allowed(params.get(name) ?? '') ? params.get(name) : '');
  const year = (value) => /^\d{4}$/.test(value);
  return {
    regions: (params.get('regions') ?? '').split(',').filter((code) => code in labels.regions),
    field: pick('field', (value) => value in labels.fieldsOfAction),
    status: pick('status', (value) => value in labels.statuses),
    from: pick('from', year),
    to: pick('to', year),
  };
}

/** The three statistics filters; each gets the conditions its records have. */
export function variables(filter) {
  const regions = filter.regions.length ? filter.regions : null;
  const fieldsOfAction = filter.field ? [filter.field] : null;
  const period = filter.from || filter.to ? { from: filter.from || null, to: filter.to || null } : null;
  return {
    projects: { regions, fieldsOfAction, statuses: filter.status ? [filter.status] : null, period },
    alliances: { regions, fieldsOfAction, foundedFrom: filter.from || null, foundedTo: filter.to || null },
    networks: { regions },
  };
}

export function describeFilter(filter, labels) {
  const parts = [filter.regions.length ? filter.regions.map((code) => labels.regions[code]).join(', ') : 'alle Bundesländer'];
  if (filter.field) parts.push(`Handlungsfeld ${labels.fieldsOfAction[filter.field]}`);
  if (filter.status) parts.push(`Status ${labels.statuses[filter.status]}`);
  if (filter.from || filter.to) parts.push(`Zeitraum ${filter.from || '…'}–${filter.to || '…'}`);
  return `Angezeigt: ${parts.join('; ')}.`;
}
