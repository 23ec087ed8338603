// The dashboard: reads the hub's statistics from POST /graphql and shows them. Plain browser
// JavaScript modules without a build step.
import { renderFigure, setupCharts } from './charts.js';
import { $, element, format } from './dom.js';
import { buildControls, describeFilter, fromSearch, readFilter, toSearch, variables, writeFilter } from './filters.js';
import { clearMoney, renderMoney } from './money.js';
import { clearMap, setupMap, showMap } from './map.js';

// German labels, as the enum descriptions in the schema give them.
const LABELS = {
  regions: {
    BW: 'Baden-Württemberg', BY: 'Bayern', BE: 'Berlin', BB: 'Brandenburg', HB: 'Bremen', HH: 'Hamburg',
    HE: 'Hessen', MV: 'Mecklenburg-Vorpommern', NI: 'Niedersachsen', NW: 'Nordrhein-Westfalen',
    RP: 'Rheinland-Pfalz', SL: 'Saarland', SN: 'Sachsen', ST: 'Sachsen-Anhalt', SH: 'Schleswig-Holstein',
    TH: 'Thüringen', DE: 'Bund',
  },
  fieldsOfAction: {
    WORK_LIFE_BALANCE: 'Vereinbarkeit von Familie und Beruf', CHILDCARE: 'Kinderbetreuung', CARE: 'Pflege',
    FAMILY_EDUCATION: 'Familienbildung / Elternkompetenz', HEALTH: 'Gesundheit', LIVING_ENVIRONMENT: 'Wohnumfeld',
    SCHOOL_AND_EDUCATION: 'Schule und Bildung', GENERATIONS: 'Generationen', INTEGRATION: 'Integration',
    POVERTY_PREVENTION: 'Armutsprävention', CIVIC_ENGAGEMENT: 'Engagement', FAMILY_SERVICES: 'Servicestellen für Familien',
    FAMILY_FRIENDLY_EMPLOYERS: 'Familienfreundliche Unternehmen',
  },
  statuses: { PLANNED: 'Geplant', ACTIVE: 'Laufend', COMPLETED: 'Abgeschlossen' },
  programmes: {
    LEADER: 'EU-Förderprogramm LEADER', ESF: 'Europäischer Sozialfonds', FEDERAL: 'Bundesmittel', STATE: 'Landesmittel',
    MUNICIPAL: 'Kommunale Mittel', FOUNDATION: 'Stiftungsmittel', COMPANY: 'Unternehmensmittel', OTHER: 'Sonstige Förderung',
  },
  organizationKinds: {
    MUNICIPALITY: 'Kommune / Gebietskörperschaft', COMPANY: 'Unternehmen', EMPLOYMENT_AGENCY: 'Agentur für Arbeit',
    JOB_CENTRE: 'Jobcenter', CHAMBER: 'Kammer (IHK, HWK) oder Kreishandwerkerschaft', CHURCH: 'Kirche / Kirchengemeinde',
    WELFARE_ASSOCIATION: 'Wohlfahrtsverband', ASSOCIATION: 'Verein oder Verband',
    EMPLOYERS_ASSOCIATION: 'Arbeitgeber- oder Unternehmerverband', FOUNDATION: 'Stiftung', UNIVERSITY: 'Hochschule',
    HOSPITAL: 'Krankenhaus / Klinikum', MINISTRY: 'Ministerium', PUBLIC_BODY: 'Öffentliche Stelle (Verband, Servicestelle)',
    RESEARCH_INSTITUTE: 'Forschungseinrichtung', CHILDCARE_PROVIDER: 'Träger der Kinderbetreuung',
    COUNSELLING_SERVICE: 'Beratungsstelle', FAMILY_CENTRE: 'Familienzentrum', OTHER: 'Sonstige',
  },
  networkKinds: {
    ARGE: 'Arbeitsgemeinschaft (ARGE) Lokaler Bündnisse auf Landesebene',
    LANDESNETZWERK: 'Landesnetzwerk der Lokalen Bündnisse für Familie eines Bundeslandes',
    REGIONAL_COOPERATION: 'Regionale Kooperation, z. B. in einer Metropolregion oder einem Landkreis',
    FEDERAL: 'Bundesweite Initiative',
  },
};
const UNKNOWN = 'unbekannt';
const label = (labels, key) => (key === null || key === undefined ? UNKNOWN : labels[key] ?? key);

const QUERY = `query Dashboard($projects: ProjectFilter, $alliances: AllianceStatisticsFilter, $networks: NetworkStatisticsFilter) {
  projectStatistics(filter: $projects) {
    total byRegion { region count } byFieldOfAction { fieldOfAction count } byStatus { status count }
    byFundingProgramme { programme count } byYear { year count }
    fundingLines linesWithoutAmount amountByProgramme { programme amountCents } amountByRegion { region amountCents }
    amountByYear { year amountCents } linesWithoutAmountByProgramme { programme count }
    linesWithoutAmountByRegion { region count } linesWithoutAmountByYear { year count }
  }
  allianceStatistics(filter: $alliances) { total byRegion { region count } organizationsByKind { kind count } memberships }
  networkStatistics(filter: $networks) {
    total byRegion { region count } memberCounts { network { id name kind region } members } meetingsByYear { year count }
  }
}`;

const form = $('#filters');
let latest = 0;

function showError(message) {
  $('#error').textContent = message;
  $('#error').hidden = false;
}

/** Asks the API for the numbers of `filter` and shows them; only the latest request may draw. */
async function load(filter) {
  const request = ++latest;
  const main = $('main');
  main.setAttribute('aria-busy', 'true');
  try {
    let response;
    try {
      response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query: QUERY, variables: variables(filter) }),
      });
    } catch (error) {
      throw new Error(`Die Schnittstelle ist nicht erreichbar. Bitte später erneut versuchen. (Technische Angabe: ${error.message})`);
    }
    let body;
    try {
      body = await response.json();
    } catch {
      throw new Error(`Die Schnittstelle hat mit HTTP ${response.status} und ohne lesbare Daten geantwortet.`);
    }
    if (request !== latest) return;
    const problems = (body.errors ?? []).map((error) => error.message);
    if (!body.data) {
      throw new Error(`Die Schnittstelle meldet einen Fehler (HTTP ${response.status}): ${problems.join('; ') || 'ohne Angabe von Gründen'}.`);
    }
    $('#error').hidden = true;
    render(body.data, filter);
    if (problems.length) showError(`Einige Zahlen fehlen, die Schnittstelle meldet: ${problems.join('; ')}.`);
  } catch (error) {
    if (request !== latest) return;
    clear();
    showError(`Die Daten konnten nicht geladen werden. ${error.message}`);
  } finally {
    if (request === latest) {
      main.dataset.filter = toSearch(filter);
      main.setAttribute('aria-busy', 'false');
    }
  }
}

function apply() {
  const { filter, error } = readFilter(form);
  $('#period-error').hidden = !error;
  $('#period-error').textContent = error ?? '';
  if (!filter) return;
  const search = toSearch(filter);
  history.replaceState(null, '', `${location.pathname}${search ? `?${search}` : ''}`);
  $('#active-filter').textContent = describeFilter(filter, LABELS);
  void load(filter);
}

const byCount = (a, b) => b.count - a.count || a.label.localeCompare(b.label, 'de');
const countsOf = (list, key) => new Map(list.map((entry) => [entry[key], entry.count]));
/** Every value of a label map with its count (zeros too), most first. */
const allOf = (labels, counts) => Object.keys(labels).map((code) => ({ label: labels[code], count: counts.get(code) ?? 0 })).sort(byCount);

/** Years ascending, the unknown year last; `keep` drops years outside the chosen period. */
function yearRows(list, keep = () => true) {
  return list.filter((entry) => keep(entry.year))
    .sort((a, b) => (a.year === null) - (b.year === null) || a.year - b.year)
    .map((entry) => ({ label: entry.year === null ? UNKNOWN : String(entry.year), count: entry.count }));
}

function render(data, filter) {
  const { projectStatistics: projects, allianceStatistics: alliances, networkStatistics: networks } = data;
  const regions = Object.keys(LABELS.regions).filter((code) => !filter.regions.length || filter.regions.includes(code));

  const show = (id, value) => { $(id).textContent = value === null || value === undefined ? '–' : format.format(value); };
  show('#total-projects', projects?.total);
  show('#total-alliances', alliances?.total);
  show('#total-organizations', alliances?.organizationsByKind.reduce((sum, entry) => sum + entry.count, 0));
  show('#total-networks', networks?.total);
  $('#total-memberships').textContent = alliances ? `in ${format.format(alliances.memberships)} aktuellen Mitgliedschaften` : '';

  if (projects) {
    renderFigure('chart-field', allOf(LABELS.fieldsOfAction, countsOf(projects.byFieldOfAction, 'fieldOfAction')),
      ['Handlungsfeld', 'Projekte']);
    const byRegion = countsOf(projects.byRegion, 'region');
    renderFigure('chart-region', regions.map((code) => ({ label: LABELS.regions[code], count: byRegion.get(code) ?? 0 })),
      ['Bundesland', 'Projekte']);
    const statuses = countsOf(projects.byStatus, 'status');
    renderFigure('chart-status', [...Object.keys(LABELS.statuses), null]
      .map((code) => ({ label: label(LABELS.statuses, code), count: statuses.get(code) ?? 0 })), ['Status', 'Projekte']);
    renderFigure('chart-year', yearRows(projects.byYear), ['Startjahr', 'Projekte']);
    const programmes = countsOf(projects.byFundingProgramme, 'programme');
    renderFigure('chart-programme', [...allOf(LABELS.programmes, programmes), { label: UNKNOWN, count: programmes.get(null) ?? 0 }],
      ['Förderung', 'Projekte']);
    renderMoney(projects, regions, LABELS);
  }
  if (alliances) {
    renderFigure('chart-kind', alliances.organizationsByKind
      .map((entry) => ({ label: label(LABELS.organizationKinds, entry.kind), count: entry.count })).sort(byCount),
    ['Art der Organisation', 'Organisationen']);
  }
  if (networks) {
    // Meetings are the networks' only dated records: the period narrows them here.
    const inPeriod = (year) => (!filter.from && !filter.to)
      || (year !== null && (!filter.from || year >= Number(filter.from)) && (!filter.to || year <= Number(filter.to)));
    renderFigure('chart-meetings', yearRows(networks.meetingsByYear, inPeriod), ['Jahr', 'Treffen']);
    renderNetworks(networks.memberCounts);
  }
  renderStates(regions, [alliances?.byRegion, projects?.byRegion, networks?.byRegion]);
  $('#updated').textContent = `Stand: ${new Date().toLocaleString('de-DE', { dateStyle: 'medium', timeStyle: 'short' })} Uhr.`;
}

/** One row per chosen state (zeros too) with alliances, projects and networks, and their sums. */
function renderStates(regions, lists) {
  const counts = lists.map((list) => (list ? countsOf(list, 'region') : null));
  showMap(regions, ['alliances', 'projects', 'networks'].map((key, i) => ({ key, label: ['Bündnisse', 'Projekte', 'Netzwerke'][i], counts: counts[i] }))
    .filter((figure) => figure.counts), LABELS.regions);
  const cell = (map, code) => element('td', { class: 'num', text: map ? format.format(map.get(code) ?? 0) : '–' });
  $('#table-states tbody').replaceChildren(...regions.map((code) => element('tr', { 'data-region': code },
    element('th', { scope: 'row', text: LABELS.regions[code] }), ...counts.map((map) => cell(map, code)))));
  const total = (map) => (map ? format.format(regions.reduce((sum, code) => sum + (map.get(code) ?? 0), 0)) : '–');
  $('#table-states tfoot').replaceChildren(element('tr', {}, element('th', { scope: 'row', text: 'Summe' }),
    ...counts.map((map) => element('td', { class: 'num', text: total(map) }))));
}

function renderNetworks(rows) {
  const body = $('#table-networks tbody');
  if (!rows.length) {
    body.replaceChildren(element('tr', {}, element('td', { colspan: '4', class: 'empty', text: 'Keine Netzwerke für diese Auswahl.' })));
    return;
  }
  body.replaceChildren(...rows.map(({ network, members }) => element('tr', { 'data-network': network.id },
    element('th', { scope: 'row', text: network.name }), element('td', { text: label(LABELS.networkKinds, network.kind) }),
    element('td', { text: label(LABELS.regions, network.region) }), element('td', { class: 'num', text: format.format(members) }))));
}

/** Without data nothing stale may stay on screen. */
function clear() {
  for (const id of ['#total-projects', '#total-alliances', '#total-organizations', '#total-networks']) $(id).textContent = '–';
  $('#total-memberships').textContent = '';
  for (const figure of document.querySelectorAll('figure.chart')) renderFigure(figure.id, [], []);
  clearMoney();
  for (const part of document.querySelectorAll('#table-states tbody, #table-states tfoot, #table-networks tbody')) part.replaceChildren();
  clearMap();
}

if (!setupCharts()) showError('Die Diagramm-Bibliothek konnte nicht geladen werden; die Zahlen stehen in den Tabellen.');
void setupMap();
buildControls(form, LABELS);
writeFilter(form, fromSearch(location.search, LABELS));
form.addEventListener('change', apply);
form.addEventListener('submit', (event) => { event.preventDefault(); apply(); });
// The reset event comes before the form is cleared: read it afterwards.
form.addEventListener('reset', () => setTimeout(apply));
apply();
