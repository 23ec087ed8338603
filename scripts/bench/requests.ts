/**
 * The benchmark's requests: for each workload a seeded sequence of varied requests drawn from the
 * generated data (other states, other search words, other pages, other ids), so that no two
 * consecutive requests need be the same and in-flight sharing only helps where real traffic would
 * let it. Every answer is checked with the workload's `check`.
 */
import { Faker, base, de } from '@faker-js/faker';
import { encodeCursor } from '../../subgraphs/shared/cursor.js';
import { REGIONS, type Region } from '../../subgraphs/shared/region.js';
import type { Dataset } from './generate.js';

export const WORKLOADS = ['NetworkMembers', 'FindAlliances', 'Dashboard', 'NodeLookup'] as const;
export type WorkloadName = typeof WORKLOADS[number];

export interface BenchRequest {
  workload: WorkloadName;
  variables: Record<string, unknown>;
  /** The HTTP body, ready to send. */
  body: string;
}

export const QUERIES: Record<WorkloadName, string> = {
  NetworkMembers: `query NetworkMembers($region: Region!) { networks(region: $region) { id name kind region
    memberAlliances { alliance { id name region foundedOn } since } meetings { number date place topics } } }`,
  FindAlliances: `query FindAlliances($text: String, $after: String) { alliances(first: 50, after: $after, filter: { text: $text }) {
    totalCount edges { node { id name region foundedOn municipality { name ags } fieldsOfAction
      memberships { joinedOn organization { name kind } } contacts { name } projects { title status } networks { name } } }
    pageInfo { hasNextPage endCursor } } }`,
  Dashboard: `query Dashboard($regions: [Region!]) {
    projectStatistics(filter: { regions: $regions }) { total byRegion { region count } byFieldOfAction { fieldOfAction count }
      byStatus { status count } byFundingProgramme { programme count } byYear { year count } }
    allianceStatistics(filter: { regions: $regions }) { total byRegion { region count } byFoundingYear { year count }
      byFieldOfAction { fieldOfAction count } organizationsByKind { kind count } memberships } }`,
  NodeLookup: `query NodeLookup($alliance: ID!, $project: ID!, $network: ID!) {
    alliance(id: $alliance) { id name region foundedOn fieldsOfAction memberships { joinedOn organization { name kind } } }
    project(id: $project) { id title status fundingProgramme startsOn leadAlliance { id name } }
    network(id: $network) { id name kind memberAlliances { since alliance { id name } } } }`,
};

type Row = Record<string, unknown> & { id: string; region: Region };

/** The rows of one entity of the generated data set. */
function rowsOf(dataset: Dataset, entity: string): Row[] {
  for (const tables of Object.values(dataset.rows)) {
    const table = tables.find((t) => t.name === entity);
    if (table) return table.rows as Row[];
  }
  throw new Error(`the data set has no ${entity} rows`);
}

/** Search words people type: general ones, and town names taken from the data (so most find something). */
const GENERAL_WORDS = [
  'Familie', 'Bündnis', 'Netzwerk', 'Lokales', 'Familienbündnis', 'Landkreis', 'Initiative', 'Pflege', 'Beruf', 'Väter',
  'Erfolgsfaktor', 'Kinderbetreuung', 'Unternehmensnetzwerk', 'Familienfreundliche', 'Regionen',
];

/**
 * `length` requests of one workload, the same for every gateway (same seed → same sequence).
 * Lookups name existing records only, so every answer must carry data.
 */
export function requestSequence(workload: WorkloadName, dataset: Dataset, options: { seed: number; length: number }): BenchRequest[] {
  const f = new Faker({ locale: [de, base] });
  f.seed(options.seed * 7919 + WORKLOADS.indexOf(workload));
  const pick = <T>(list: readonly T[]): T => list[f.number.int({ min: 0, max: list.length - 1 })];
  const alliances = rowsOf(dataset, 'alliance');
  const projects = rowsOf(dataset, 'project');
  const networks = rowsOf(dataset, 'network');
  const towns = [...new Set(alliances.map((a) => (a.municipality as { name?: string } | null)?.name).filter((n): n is string => !!n))];
  const words = [...GENERAL_WORDS, ...Array.from({ length: 15 }, () => pick(towns))];
  const make = (variables: Record<string, unknown>): BenchRequest => ({
    workload, variables, body: JSON.stringify({ query: QUERIES[workload], operationName: workload, variables }),
  });
  const next = (): BenchRequest => {
    switch (workload) {
      case 'NetworkMembers':
        return make({ region: pick(REGIONS) });
      case 'FindAlliances': {
        // Half searches (first page of a search word), half browsing from a page boundary anywhere in the list.
        if (f.number.int({ min: 0, max: 1 }) === 0) return make({ text: pick(words), after: null });
        const from = pick(alliances);
        return make({ text: null, after: encodeCursor(from.sortKey as string, from.id) });
      }
      case 'Dashboard': {
        // All regions a fifth of the time, otherwise one to six of them.
        if (f.number.int({ min: 0, max: 4 }) === 0) return make({ regions: null });
        return make({ regions: f.helpers.arrayElements([...REGIONS], { min: 1, max: 6 }) });
      }
      case 'NodeLookup':
        return make({ alliance: pick(alliances).id, project: pick(projects).id, network: pick(networks).id });
    }
  };
  return Array.from({ length: options.length }, next);
}

/** Why an answer does not count (HTTP status, errors, missing data), or undefined when it is good. */
export function badAnswer(workload: WorkloadName, status: number, text: string): string | undefined {
  if (status !== 200) return `HTTP ${status}`;
  let answer: { data?: Record<string, unknown> | null; errors?: { message?: string; extensions?: { code?: string } }[] };
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    return 'not JSON';
  }
  if (answer.errors?.length) return `error ${answer.errors[0].extensions?.code ?? ''} ${answer.errors[0].message ?? ''}`.trim();
  const data = answer.data;
  if (!data) return 'no data';
  const present: Record<WorkloadName, (d: Record<string, unknown>) => boolean> = {
    NetworkMembers: (d) => Array.isArray(d.networks),
    FindAlliances: (d) => Array.isArray((d.alliances as { edges?: unknown } | null)?.edges),
    Dashboard: (d) => typeof (d.projectStatistics as { total?: unknown } | null)?.total === 'number'
      && typeof (d.allianceStatistics as { total?: unknown } | null)?.total === 'number',
    NodeLookup: (d) => !!d.alliance && !!d.project && !!d.network,
  };
  return present[workload](data) ? undefined : 'data missing';
}
