import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { dashboardRoutes } from '../gateway/dashboard/index.js';
import { FieldOfAction, REGIONS, Region, sortKeyOf } from '../subgraphs/kit/index.js';
import { alliances as ALLIANCES, memberships as MEMBERSHIPS } from '../subgraphs/alliances/seed.js';
import { MEETINGS, NETWORKS } from '../subgraphs/networks/seed.js';
import { ProjectStatus } from '../subgraphs/projects/enums.js';
import { PROJECTS } from '../subgraphs/projects/seed.js';
import { mainLine } from '../subgraphs/projects/entities/funding-line.js';

const mainProgramme = (project: (typeof PROJECTS)[number]) => mainLine(project.fundingLines ?? [])?.programme ?? null;
import { launchBrowser } from './support/browser.js';
import { startTestHub, type TestHub } from './support/hub.js';

let hub: TestHub;
let site: { url: string };
let browser: Browser;

beforeAll(async () => {
  // The regional hub: the page's numbers are the gateway's sums over every region's instances.
  hub = await startTestHub({ seed: true, regions: [['SL'], ['ST'], ['NW'], ['BW'], ['DE', 'TH']] as Region[][], routes: dashboardRoutes() });
  site = { url: hub.gateway.url.replace(/\/graphql$/, '') };
  browser = await launchBrowser();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

/** The dashboard's filter as its form offers it; the period in whole years. */
interface Filter { regions?: Region[]; field?: FieldOfAction; status?: ProjectStatus; from?: number; to?: number }

/** Demo ids begin with the region that owns the record. */
const regionOf = (id: string): Region => id.split(':')[0] as Region;
const yearOf = (date: string): number => Number(date.slice(0, 4));
const bytewise = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const STATUS_LABELS: Record<ProjectStatus, string> = { PLANNED: 'Geplant', ACTIVE: 'Laufend', COMPLETED: 'Abgeschlossen' };

/** The demo projects the filter selects, with the page's and the schema's semantics. */
function selectedProjects(filter: Filter) {
  const inRegions = (region: Region) => !filter.regions || filter.regions.includes(region);
  const inField = (fields: readonly FieldOfAction[]) => !filter.field || fields.includes(filter.field);
  const period = filter.from !== undefined || filter.to !== undefined;
  const overlaps = (start: string | null | undefined, end: string | null | undefined) => !period || (!!start
    && (filter.to === undefined || yearOf(start) <= filter.to) && (filter.from === undefined || !end || yearOf(end) >= filter.from));
  return { projects: PROJECTS.filter((p) => inRegions(p.region) && inField(p.fieldsOfAction)
    && (!filter.status || p.status === filter.status) && overlaps(p.startsOn, p.endsOn)) };
}

/**
 * The numbers the page must show for `filter`, computed from the seeders' demo records (not from the
 * gateway) with the filter semantics of the page and the schema: projects match every condition;
 * alliances the regions, field and founding date (they have no status); networks the regions only.
 */
function expected(filter: Filter = {}) {
  const inRegions = (region: Region) => !filter.regions || filter.regions.includes(region);
  const inField = (fields: readonly FieldOfAction[]) => !filter.field || fields.includes(filter.field);
  const period = filter.from !== undefined || filter.to !== undefined;
  // Dates [start, end] overlap the period; no start never matches, no end is still running.
  const overlaps = (start: string | null | undefined, end: string | null | undefined) => !period || (!!start
    && (filter.to === undefined || yearOf(start) <= filter.to) && (filter.from === undefined || !end || yearOf(end) >= filter.from));
  const { projects } = selectedProjects(filter);
  // A founding date is a period that starts and ends with itself.
  const alliances = ALLIANCES.filter((a) => inRegions(a.region) && inField(a.fieldsOfAction) && overlaps(a.foundedOn, a.foundedOn ?? null));
  const networks = NETWORKS.filter((n) => inRegions(regionOf(n.id)));
  const selected = new Set<string>(alliances.map((a) => a.id));
  // Distinct organisations with a current membership in a selected alliance.
  const organizations = new Set(MEMBERSHIPS.filter((m) => selected.has(m.allianceId) && !m.leftOn).map((m) => m.organizationId));
  const count = <T>(list: T[], test: (item: T) => boolean) => String(list.filter(test).length);
  const meetings = new Map<number, number>();
  for (const meeting of MEETINGS.filter((m) => networks.some((n) => n.id === m.networkId) && overlaps(m.date, m.date))) {
    meetings.set(yearOf(meeting.date), (meetings.get(yearOf(meeting.date)) ?? 0) + 1);
  }
  return {
    totals: [projects.length, alliances.length, organizations.size, networks.length].map(String),
    /** Per state in the page's order (all 17 without a region filter, zeros too): alliances, projects, networks. */
    states: Object.fromEntries(REGIONS.filter(inRegions).map((region) => [region, [count(alliances, (a) => a.region === region),
      count(projects, (p) => p.region === region), count(networks, (n) => regionOf(n.id) === region)]])),
    status: Object.fromEntries([...Object.values(ProjectStatus), null].map((status) => [status ? STATUS_LABELS[status] : 'unbekannt',
      count(projects, (p) => (p.status ?? null) === status)])),
    /** As the schema documents memberCounts: most current members first, then by name (its sort key, byte-wise), then id. */
    networks: networks.map((n) => ({ id: n.id, name: n.name, members: n.members?.length ?? 0 }))
      .sort((a, b) => b.members - a.members || bytewise(sortKeyOf(a.name), sortKeyOf(b.name)) || bytewise(a.id, b.id))
      .map(({ name, members }) => [name, String(members)]),
    /** The meetings chart's rows, year and count run together as the row's text reads. */
    meetings: [...meetings].sort(([a], [b]) => a - b).map(([year, n]) => `${year}${n}`),
  };
}

const euro = (cents: number) => new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(cents / 100);
const number = (n: number) => new Intl.NumberFormat('de-DE').format(n);
const PROGRAMME_LABELS: Record<string, string> = {
  LEADER: 'EU-Förderprogramm LEADER', ESF: 'Europäischer Sozialfonds', FEDERAL: 'Bundesmittel', STATE: 'Landesmittel',
  MUNICIPAL: 'Kommunale Mittel', FOUNDATION: 'Stiftungsmittel', COMPANY: 'Unternehmensmittel', OTHER: 'Sonstige Förderung',
};

/**
 * The money figures the page must show for `filter`, from the demo projects' funding lines: known
 * amounts summed, lines without an amount counted beside them (by programme, state and start year).
 */
function expectedMoney(filter: Filter = {}) {
  const { projects } = selectedProjects(filter);
  const lines = projects.flatMap((p) => (p.fundingLines ?? []).map((l) => ({
    ...l, region: p.region, year: (l.startsOn ?? p.startsOn)?.slice(0, 4) ?? 'unbekannt' })));
  const known = lines.filter((l) => l.amountCents !== null && l.amountCents !== undefined);
  const cents = (list: typeof lines) => list.reduce((sum, l) => sum + (l.amountCents ?? 0), 0);
  const unknown = (list: typeof lines) => list.filter((l) => l.amountCents === null || l.amountCents === undefined).length;
  const main = (programme: string | null) => projects.filter((p) => (mainProgramme(p) ?? null) === programme).length;
  const programmes = Object.keys(PROGRAMME_LABELS).filter((code) => main(code) || lines.some((l) => l.programme === code))
    .sort((a, b) => cents(lines.filter((l) => l.programme === b)) - cents(lines.filter((l) => l.programme === a)) || main(b) - main(a));
  const regions = REGIONS.filter((region) => !filter.regions || filter.regions.includes(region));
  const years = [...new Set(lines.map((l) => l.year))].sort((a, b) => Number(a === 'unbekannt') - Number(b === 'unbekannt') || Number(a) - Number(b));
  return {
    total: euro(cents(known)),
    detail: `bekannt aus ${number(known.length)} von ${number(lines.length)} Förderlinien; ${number(lines.length - known.length)} ohne Betrag`,
    programmes: [
      ...programmes.map((code) => {
        const of = lines.filter((l) => l.programme === code);
        return [PROGRAMME_LABELS[code], number(main(code)), euro(cents(of)), number(unknown(of))];
      }),
      ...(main(null) ? [['unbekannt', number(main(null)), '–', '–']] : []),
    ],
    states: regions.map((region) => {
      const of = lines.filter((l) => l.region === region);
      return [region, euro(cents(of)), number(unknown(of))];
    }),
    years: years.map((year) => {
      const of = lines.filter((l) => l.year === year);
      return [year, euro(cents(of)), number(unknown(of))];
    }),
  };
}

/** The money figures as the page shows them. */
async function moneyOnPage(page: Page) {
  const rows = (table: string, key = false) => page.$$eval(`${table} tbody tr`, (trs, withKey) => trs.map((tr) =>
    [withKey ? tr.getAttribute('data-key') : tr.querySelector('th')?.textContent, ...[...tr.querySelectorAll('td')].map((td) => td.textContent)]), key);
  return {
    total: await page.locator('#total-funding').textContent(),
    detail: await page.locator('#total-funding-detail').textContent(),
    programmes: await rows('#table-funding'),
    states: await rows('#table-funding-states', true),
    years: await rows('#table-funding-years'),
  };
}

/** What the page shows, read from its text. */
async function fromPage(page: Page) {
  const texts = (selector: string) => page.$$eval(selector, (cells) => cells.map((c) => c.textContent?.trim() ?? ''));
  const rows = await page.$$eval('#table-states tbody tr', (trs) => trs.map((tr) => [
    tr.getAttribute('data-region'), ...[...tr.querySelectorAll('td')].map((td) => td.textContent)]));
  return {
    totals: await texts('#total-projects, #total-alliances, #total-organizations, #total-networks'),
    states: Object.fromEntries(rows.map(([region, ...counts]) => [region, counts])),
    status: Object.fromEntries((await page.$$eval('#chart-status tbody tr', (trs) => trs.map((tr) => [
      tr.querySelector('th')?.textContent, tr.querySelector('td')?.textContent])))),
    networks: await page.$$eval('#table-networks tbody tr', (trs) => trs.map((tr) => [tr.querySelector('th')?.textContent,
      tr.querySelector('td:last-child')?.textContent])),
  };
}

/** Waits until the page has drawn the data of exactly this filter (its URL query). */
const shown = (page: Page, filter: string) =>
  page.waitForSelector(`main[aria-busy="false"][data-filter="${filter}"]`, { timeout: 15_000 });

/** A page that records every console error, page error, failed request and HTTP error. */
async function openPage(path = '/dashboard') {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()}`); });
  page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`));
  page.on('response', (response) => { if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`); });
  await page.goto(`${site.url}${path}`);
  return { page, problems };
}

describe('dashboard page', () => {
  it('serves the page and its assets with content types and a strict Content-Security-Policy', async () => {
    for (const [path, type] of [['/dashboard', 'text/html'], ['/dashboard/app.js', 'text/javascript'],
      ['/dashboard/charts.js', 'text/javascript'], ['/dashboard/dom.js', 'text/javascript'], ['/dashboard/filters.js', 'text/javascript'],
      ['/dashboard/style.css', 'text/css'], ['/dashboard/chart.umd.js', 'text/javascript'], ['/dashboard/favicon.svg', 'image/svg+xml']]) {
      const response = await fetch(`${site.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toContain(type);
      expect(response.headers.get('content-security-policy'), path).toMatch(/^default-src 'self';/);
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
    expect((await fetch(`${site.url}/dashboard/chart.umd.js`).then((r) => r.text())).slice(0, 200)).toContain('Chart.js v4.6.1');
    expect((await fetch(`${site.url}/dashboard`, { method: 'POST' })).status).toBe(405);
  });

  it('loads without errors and shows the totals and per-state numbers of the demo data', async () => {
    const { page, problems } = await openPage();
    await shown(page, '');
    const want = expected();
    const seen = await fromPage(page);
    expect(seen.totals).toEqual(want.totals);
    // The demo data: 12 projects, 4 alliances, 12 member organisations, 5 networks.
    expect(seen.totals).toEqual(['12', '4', '12', '5']);
    expect(Object.keys(seen.states)).toHaveLength(17);
    expect(Object.keys(seen.states)).toEqual(Object.keys(want.states));
    expect(seen.states).toEqual(want.states);
    expect(seen.states.HB).toEqual(['0', '0', '0']);
    expect(seen.status).toEqual(want.status);
    expect(seen.networks).toEqual(want.networks);
    expect(await page.locator('figure canvas').count()).toBe(7);
    expect(await page.locator('#chart-programme tbody tr').last().textContent()).toBe('unbekannt10');
    // Money next to the counts: the two LEADER projects of the Börde name no amount, so 0 € is known and 2 lines lack one.
    const money = await moneyOnPage(page);
    expect(money).toEqual(expectedMoney());
    expect(money.detail).toBe('bekannt aus 0 von 2 Förderlinien; 2 ohne Betrag');
    expect(money.programmes[0]).toEqual(['EU-Förderprogramm LEADER', '2', euro(0), '2']);
    expect(money.states).toHaveLength(17);
    expect(await page.locator('#chart-field tbody tr').first().textContent()).toBe('Vereinbarkeit von Familie und Beruf6');
    mkdirSync('.artifacts', { recursive: true });
    await page.screenshot({ path: '.artifacts/dashboard.png', fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('narrows every chart and table to the filter chosen with the keyboard', async () => {
    const { page, problems } = await openPage();
    await shown(page, '');
    await page.locator('#region-BW').focus();
    await page.keyboard.press('Space');
    await shown(page, 'regions=BW');
    const bw = expected({ regions: [Region.BW] });
    let seen = await fromPage(page);
    expect(seen.totals).toEqual(bw.totals);
    expect(seen.totals).toEqual(['7', '1', '0', '2']);
    expect(seen.states).toEqual(bw.states);
    expect(seen.status).toEqual(bw.status);
    expect(seen.networks).toEqual([['ARGE Netzwerk Familie Baden-Württemberg', '1'],
      ['Lokale Bündnisse für Familie in der Metropolregion Rhein-Neckar', '1']]);
    expect(seen.networks).toEqual(bw.networks);
    expect(await page.locator('#chart-region tbody tr').allTextContents()).toEqual(['Baden-Württemberg7']);
    expect(await moneyOnPage(page)).toEqual(expectedMoney({ regions: [Region.BW] }));

    await page.locator('#field').selectOption('HEALTH');
    await shown(page, 'regions=BW&field=HEALTH');
    const health = expected({ regions: [Region.BW], field: FieldOfAction.HEALTH });
    seen = await fromPage(page);
    expect(seen.totals).toEqual(health.totals);
    expect(seen.totals).toEqual(['2', '1', '0', '2']);
    expect(seen.states).toEqual(health.states);
    expect(seen.status).toEqual(health.status);
    expect(seen.status.unbekannt).toBe('2');
    expect(seen.networks).toEqual(health.networks);
    await page.screenshot({ path: '.artifacts/dashboard-bw.png', fullPage: true });

    // A period: the demo projects have no dates and no alliance was founded then; the 2018 and 2019 meetings remain.
    await page.locator('button[type=reset]').click();
    await shown(page, '');
    await page.locator('#from').fill('2018');
    await page.locator('#to').fill('2019');
    await page.locator('#to').press('Enter');
    await shown(page, 'from=2018&to=2019');
    const period = expected({ from: 2018, to: 2019 });
    seen = await fromPage(page);
    expect(seen.totals).toEqual(period.totals);
    expect(seen.totals).toEqual(['0', '0', '0', '5']);
    expect(seen.states).toEqual(period.states);
    expect(seen.networks).toEqual(period.networks);
    expect(await page.locator('#chart-meetings tbody tr').allTextContents()).toEqual(period.meetings);
    expect(await page.locator('#chart-meetings tbody tr').allTextContents()).toEqual(['20181', '20191']);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opens with the filter in the address, and says in German what is wrong', async () => {
    const { page } = await openPage(`/dashboard?regions=SL,NW&status=ACTIVE`);
    await shown(page, 'regions=NW%2CSL&status=ACTIVE');
    const want = expected({ regions: [Region.SL, Region.NW], status: ProjectStatus.ACTIVE });
    const seen = await fromPage(page);
    expect(seen.totals).toEqual(want.totals);
    expect(seen.totals).toEqual(['1', '3', '12', '1']);
    expect(seen.states).toEqual(want.states);
    expect(seen.status).toEqual(want.status);
    expect(seen.networks).toEqual(want.networks);
    expect(await page.locator('#region-SL').isChecked()).toBe(true);
    expect(await moneyOnPage(page)).toEqual(expectedMoney({ regions: [Region.SL, Region.NW], status: ProjectStatus.ACTIVE }));

    await page.locator('#from').fill('2020');
    await page.locator('#to').fill('2019');
    await page.locator('#to').press('Enter');
    await expect.poll(() => page.locator('#period-error').textContent()).toContain('„bis“ liegt vor „von“');

    await page.route('**/graphql', (route) => route.fulfill({ status: 200, contentType: 'application/json',
      body: JSON.stringify({ data: null, errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }) }));
    await page.locator('#to').fill('');
    await page.locator('#to').press('Enter');
    await expect.poll(() => page.locator('#error').textContent())
      .toBe('Die Daten konnten nicht geladen werden. Die Schnittstelle meldet einen Fehler (HTTP 200): Internal server error.');
    expect(await page.locator('#total-projects').textContent()).toBe('–');
    expect(await page.locator('#total-funding').textContent()).toBe('–');
    expect(await page.locator('#table-funding tbody tr').count()).toBe(0);

    await page.unroute('**/graphql');
    await page.route('**/graphql', (route) => route.abort('connectionrefused'));
    await page.locator('#status').selectOption('');
    await expect.poll(() => page.locator('#error').textContent()).toContain('Die Schnittstelle ist nicht erreichbar');
    expect(await page.locator('#error').isVisible()).toBe(true);
    await page.close();
  });
});
