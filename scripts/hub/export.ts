/**
 * `hub export`: pages through the API and writes the columns the importer reads (the import rows'
 * field names), so an exported file imports back to the same data.
 */
import { callApi, type ApiOptions } from './api.js';
import { formatCsv, type Delimiter } from './csv.js';
import { FUNDING_CELLS, KIND_SPECS, fundingHeader, type Kind } from './columns.js';
import type { Cell } from './source.js';

type Node = Record<string, any>;

interface ExportQuery {
  root: string;
  /** At most 100; smaller where each node brings a list. */
  pageSize: number;
  selection: string;
  rows(node: Node): Record<string, Cell>[];
  /** Columns besides the kind's fields, from the rows (e.g. a group per funding line). */
  moreColumns?(rows: Record<string, Cell>[]): string[];
}

const ids = (refs: ({ id: string } | null)[] | null | undefined) => (refs ?? []).filter(Boolean).map((r) => r!.id);

/** Cents as euros with two decimals and a point (`1200.50`), exact for any integer; the importer also reads `1.200,50`. */
const euros = (cents: number | null) => (cents === null ? null
  : `${cents < 0 ? '-' : ''}${Math.trunc(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`);

/** A project's funding lines as numbered groups of cells (`funding1Programme`, `funding1Amount`, …). */
function fundingCells(lines: Node[]): Record<string, Cell> {
  const cells: Record<string, Cell> = {};
  lines.forEach((line, index) => {
    const values: Record<string, Cell> = {
      programme: line.programme, funder: line.funder, amount: euros(line.amountCents),
      share: line.share === null ? null : String(line.share), startsOn: line.startsOn, endsOn: line.endsOn, grantReference: line.grantReference,
    };
    for (const cell of FUNDING_CELLS) cells[fundingHeader(index, cell.name)] = values[cell.name] ?? null;
  });
  return cells;
}

/** As many groups as the project with the most lines has, at least one, so a spreadsheet shows where lines go. */
function fundingColumns(rows: Record<string, Cell>[]): string[] {
  const most = Math.max(1, ...rows.map((row) => Object.keys(row).filter((key) => /^funding\d+Programme$/.test(key)).length));
  return Array.from({ length: most }, (_, index) => FUNDING_CELLS.map((cell) => fundingHeader(index, cell.name))).flat();
}

const QUERIES: Record<Kind, ExportQuery> = {
  alliances: {
    root: 'alliances', pageSize: 100,
    selection: 'region name municipality { name ags } foundedOn legalForm goals website fieldsOfAction',
    rows: (n) => [{
      region: n.region, name: n.name, municipality: n.municipality?.name ?? null, ags: n.municipality?.ags ?? null,
      foundedOn: n.foundedOn, legalForm: n.legalForm, goals: n.goals, website: n.website, fieldsOfAction: n.fieldsOfAction,
    }],
  },
  organizations: {
    root: 'organizations', pageSize: 100,
    selection: 'region name kind website email phone',
    rows: (n) => [{ region: n.region, name: n.name, kind: n.kind, website: n.website, email: n.email, phone: n.phone }],
  },
  memberships: {
    root: 'alliances', pageSize: 20,
    selection: 'region name memberships { organization { id name region } joinedOn leftOn certificateHandedOverOn representative { id } }',
    // An organisation of another region is named by its id too: the importer cannot look its name up in the alliance's region.
    rows: (n) => (n.memberships as Node[]).map((m) => ({
      region: n.region, alliance: n.name, organization: m.organization.name,
      organizationId: m.organization.region === n.region ? null : m.organization.id, joinedOn: m.joinedOn, leftOn: m.leftOn,
      certificateHandedOverOn: m.certificateHandedOverOn, representativeId: m.representative?.id ?? null,
    })),
  },
  projects: {
    root: 'projects', pageSize: 100,
    selection: 'region title summary fieldsOfAction status fundingProgramme startsOn endsOn website leadAlliance { id } '
      + 'partnerAlliances { id } partnerOrganizations { id } contacts { id } '
      + 'fundingLines { programme funder amountCents share startsOn endsOn grantReference }',
    rows: (n) => [{
      region: n.region, title: n.title, summary: n.summary, fieldsOfAction: n.fieldsOfAction, status: n.status,
      fundingProgramme: n.fundingProgramme, startsOn: n.startsOn, endsOn: n.endsOn, website: n.website,
      leadAllianceId: n.leadAlliance?.id ?? null, partnerAllianceIds: ids(n.partnerAlliances),
      partnerOrganizationIds: ids(n.partnerOrganizations), contactIds: ids(n.contacts), ...fundingCells(n.fundingLines),
    }],
    moreColumns: fundingColumns,
  },
  people: {
    root: 'people', pageSize: 100,
    selection: 'region familyName givenName contact { email phone address } consent { publicListing recordedOn source }',
    rows: (n) => [{
      region: n.region, familyName: n.familyName, givenName: n.givenName, email: n.contact?.email ?? null,
      phone: n.contact?.phone ?? null, address: n.contact?.address ?? null,
      publicListing: n.consent.publicListing ? 'true' : 'false', consentRecordedOn: n.consent.recordedOn, consentSource: n.consent.source,
    }],
  },
};

export interface ExportOptions extends ApiOptions {
  kind: Kind;
  /** Regions to export; all when empty. */
  regions?: string[];
}

export interface ExportResult {
  columns: string[];
  rows: Record<string, Cell>[];
}

/** Every record of the kind in the regions, page by page. */
export async function runExport(options: ExportOptions): Promise<ExportResult> {
  const query = QUERIES[options.kind];
  const document = `query Export($regions: [Region!], $after: String) {
    page: ${query.root}(filter: { regions: $regions }, first: ${query.pageSize}, after: $after) {
      edges { node { ${query.selection} } } pageInfo { hasNextPage endCursor }
    }
  }`;
  const rows: Record<string, Cell>[] = [];
  let after: string | null = null;
  for (;;) {
    const data: { page: { edges: { node: Node }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } =
      await callApi(options, document, { regions: options.regions?.length ? options.regions : null, after });
    for (const edge of data.page.edges) rows.push(...query.rows(edge.node));
    if (!data.page.pageInfo.hasNextPage || !data.page.pageInfo.endCursor) break;
    after = data.page.pageInfo.endCursor;
  }
  return { columns: ['region', ...KIND_SPECS[options.kind].fields.map((f) => f.name), ...(query.moreColumns?.(rows) ?? [])], rows };
}

/**
 * JSON needs no neutralising of formulas: no spreadsheet evaluates a JSON file's strings, and
 * the importer takes them exactly as written.
 */
export function exportAsJson(result: ExportResult): string {
  return `${JSON.stringify(result.rows.map((row) => Object.fromEntries(result.columns.map((c) => [c, row[c] ?? null]))), null, 2)}\n`;
}

/**
 * Lists go into one cell separated by `;` (the cell is quoted). Cells a spreadsheet would evaluate
 * as formulas are neutralised by `formatCsv`, for Excel's form too; the importer restores them.
 */
export function exportAsCsv(result: ExportResult, options: { delimiter?: Delimiter; bom?: boolean } = {}): string {
  const text = (value: Cell | undefined) => (Array.isArray(value) ? value.join(';') : value ?? '');
  return formatCsv([result.columns, ...result.rows.map((row) => result.columns.map((c) => text(row[c])))], options);
}
