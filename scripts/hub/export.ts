/**
 * `hub export`: pages through the API and writes the columns the importer reads (the import rows'
 * field names), so an exported file imports back to the same data.
 */
import { callApi, type ApiOptions } from './api.js';
import { formatCsv, type Delimiter } from './csv.js';
import { KIND_SPECS, type Kind } from './columns.js';
import type { Cell } from './source.js';

type Node = Record<string, any>;

interface ExportQuery {
  root: string;
  /** At most 100; smaller where each node brings a list. */
  pageSize: number;
  selection: string;
  rows(node: Node): Record<string, Cell>[];
}

const ids = (refs: ({ id: string } | null)[] | null | undefined) => (refs ?? []).filter(Boolean).map((r) => r!.id);

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
    selection: 'region name memberships { organization { name } joinedOn leftOn certificateHandedOverOn representative { id } }',
    rows: (n) => (n.memberships as Node[]).map((m) => ({
      region: n.region, alliance: n.name, organization: m.organization.name, joinedOn: m.joinedOn, leftOn: m.leftOn,
      certificateHandedOverOn: m.certificateHandedOverOn, representativeId: m.representative?.id ?? null,
    })),
  },
  projects: {
    root: 'projects', pageSize: 100,
    selection: 'region title summary fieldsOfAction status fundingProgramme startsOn endsOn website leadAlliance { id } '
      + 'partnerAlliances { id } partnerOrganizations { id } contacts { id }',
    rows: (n) => [{
      region: n.region, title: n.title, summary: n.summary, fieldsOfAction: n.fieldsOfAction, status: n.status,
      fundingProgramme: n.fundingProgramme, startsOn: n.startsOn, endsOn: n.endsOn, website: n.website,
      leadAllianceId: n.leadAlliance?.id ?? null, partnerAllianceIds: ids(n.partnerAlliances),
      partnerOrganizationIds: ids(n.partnerOrganizations), contactIds: ids(n.contacts),
    }],
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
  return { columns: ['region', ...KIND_SPECS[options.kind].fields.map((f) => f.name)], rows };
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
