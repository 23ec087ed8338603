import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { dashboardRoutes } from '../gateway/dashboard/index.js';
import type { Region } from '../subgraphs/kit/index.js';
import { startTestHub, type TestHub } from './support/hub.js';

let hub: TestHub;
let site: { url: string };
let browser: Browser;

beforeAll(async () => {
  // The regional hub: the page's numbers are the gateway's sums over every region's instances.
  hub = await startTestHub({ seed: true, regions: [['SL'], ['ST'], ['NW'], ['BW'], ['DE', 'TH']] as Region[][], routes: dashboardRoutes() });
  site = { url: hub.gateway.url.replace(/\/graphql$/, '') };
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

const API = `query($regions: [Region!], $fields: [FieldOfAction!]) {
  projectStatistics(filter: { regions: $regions, fieldsOfAction: $fields }) { total byRegion { region count } byStatus { status count } }
  allianceStatistics(filter: { regions: $regions, fieldsOfAction: $fields }) { total byRegion { region count } organizationsByKind { count } }
  networkStatistics(filter: { regions: $regions }) { total byRegion { region count } memberCounts { network { name } members } }
}`;

/** The numbers the page must show, straight from the gateway. */
async function fromApi(variables: { regions?: string[]; fields?: string[] } = {}) {
  const result = await hub.query(API, variables);
  expect(result.errors).toBeUndefined();
  const { projectStatistics: p, allianceStatistics: a, networkStatistics: n } = result.data;
  const of = (list: { region: string; count: number }[], region: string) => list.find((r) => r.region === region)?.count ?? 0;
  return {
    totals: [p.total, a.total, a.organizationsByKind.reduce((s: number, k: { count: number }) => s + k.count, 0), n.total].map(String),
    state: (region: string) => [of(a.byRegion, region), of(p.byRegion, region), of(n.byRegion, region)].map(String),
    status: (status: string | null) => String(p.byStatus.find((s: { status: string | null }) => s.status === status)?.count ?? 0),
    networks: n.memberCounts.map((m: { network: { name: string }; members: number }) => [m.network.name, String(m.members)]),
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

  it('loads without errors and shows the totals and per-state numbers the API gives', async () => {
    const { page, problems } = await openPage();
    await shown(page, '');
    const api = await fromApi();
    const seen = await fromPage(page);
    expect(seen.totals).toEqual(api.totals);
    // The demo data: 12 projects, 4 alliances, 12 member organisations, 5 networks.
    expect(seen.totals).toEqual(['12', '4', '12', '5']);
    expect(Object.keys(seen.states)).toHaveLength(17);
    for (const [region, counts] of Object.entries(seen.states)) expect(counts, region).toEqual(api.state(region));
    expect(seen.states.HB).toEqual(['0', '0', '0']);
    expect(seen.status).toEqual({ Geplant: '0', Laufend: api.status('ACTIVE'), Abgeschlossen: '0', unbekannt: api.status(null) });
    expect(seen.networks).toEqual(api.networks);
    expect(await page.locator('figure canvas').count()).toBe(7);
    expect(await page.locator('#chart-programme tbody tr').last().textContent()).toBe('unbekannt10');
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
    const bw = await fromApi({ regions: ['BW'] });
    let seen = await fromPage(page);
    expect(seen.totals).toEqual(bw.totals);
    expect(seen.totals).toEqual(['7', '1', '0', '2']);
    expect(seen.states).toEqual({ BW: bw.state('BW') });
    expect(seen.networks).toEqual([['ARGE Netzwerk Familie Baden-Württemberg', '1'],
      ['Lokale Bündnisse für Familie in der Metropolregion Rhein-Neckar', '1']]);
    expect(seen.networks).toEqual(bw.networks);
    expect(await page.locator('#chart-region tbody tr').allTextContents()).toEqual(['Baden-Württemberg7']);

    await page.locator('#field').selectOption('HEALTH');
    await shown(page, 'regions=BW&field=HEALTH');
    const health = await fromApi({ regions: ['BW'], fields: ['HEALTH'] });
    seen = await fromPage(page);
    expect(seen.totals).toEqual(health.totals);
    expect(seen.totals).toEqual(['2', '1', '0', '2']);
    expect(seen.status.unbekannt).toBe('2');
    await page.screenshot({ path: '.artifacts/dashboard-bw.png', fullPage: true });

    // A period: the demo projects have no dates and no alliance was founded then; the 2018 and 2019 meetings remain.
    await page.locator('button[type=reset]').click();
    await shown(page, '');
    await page.locator('#from').fill('2018');
    await page.locator('#to').fill('2019');
    await page.locator('#to').press('Enter');
    await shown(page, 'from=2018&to=2019');
    expect((await fromPage(page)).totals).toEqual(['0', '0', '0', '5']);
    expect(await page.locator('#chart-meetings tbody tr').allTextContents()).toEqual(['20181', '20191']);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opens with the filter in the address, and says in German what is wrong', async () => {
    const { page } = await openPage(`/dashboard?regions=SL,NW&status=ACTIVE`);
    await shown(page, 'regions=NW%2CSL&status=ACTIVE');
    expect((await fromPage(page)).totals).toEqual(['1', '3', '12', '1']);
    expect(await page.locator('#region-SL').isChecked()).toBe(true);

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

    await page.unroute('**/graphql');
    await page.route('**/graphql', (route) => route.abort('connectionrefused'));
    await page.locator('#status').selectOption('');
    await expect.poll(() => page.locator('#error').textContent()).toContain('Die Schnittstelle ist nicht erreichbar');
    expect(await page.locator('#error').isVisible()).toBe(true);
    await page.close();
  });
});
