/**
 * What each kind of record looks like in a file: its fields (the names the API's import rows
 * use, which the export writes as headers) and the German headers networks keep in their lists.
 */
import { REGIONS, type Region } from '../../subgraphs/kit/region.js';

export const KINDS = ['alliances', 'organizations', 'memberships', 'projects', 'people'] as const;
export type Kind = (typeof KINDS)[number];

export interface FieldSpec {
  name: string;
  /** Other headers meaning this field (compared folded: case, umlauts, spaces and punctuation ignored). */
  aliases: string[];
  /** A list: one cell holds several values separated by `;` or `,`. */
  list?: boolean;
}

export interface KindSpec {
  mutation: string;
  inputType: string;
  fields: FieldSpec[];
  /** The natural key within a region. */
  key: string[];
}

const website: FieldSpec = { name: 'website', aliases: ['Website', 'Webseite', 'Homepage', 'Internet', 'URL', 'Internetseite'] };
const email: FieldSpec = { name: 'email', aliases: ['E-Mail', 'Mail', 'E-Mail-Adresse'] };
const phone: FieldSpec = { name: 'phone', aliases: ['Telefon', 'Tel', 'Telefonnummer'] };
const fieldsOfAction: FieldSpec = { name: 'fieldsOfAction', aliases: ['Handlungsfelder', 'Handlungsfeld', 'Themen'], list: true };

export const KIND_SPECS: Record<Kind, KindSpec> = {
  alliances: {
    mutation: 'importAlliances', inputType: 'AllianceImportInput', key: ['name'],
    fields: [
      { name: 'name', aliases: ['Name', 'Bündnis', 'Bündnisname', 'Lokales Bündnis'] },
      { name: 'municipality', aliases: ['Gemeinde', 'Kommune', 'Ort', 'Stadt', 'Landkreis', 'Kreis'] },
      { name: 'ags', aliases: ['AGS', 'Gemeindeschlüssel', 'Amtlicher Gemeindeschlüssel'] },
      { name: 'foundedOn', aliases: ['Gegründet', 'Gründung', 'Gründungsdatum', 'Gegründet am'] },
      { name: 'legalForm', aliases: ['Rechtsform'] },
      { name: 'goals', aliases: ['Ziele', 'Ziel', 'Beschreibung'] },
      website,
      fieldsOfAction,
    ],
  },
  organizations: {
    mutation: 'importOrganizations', inputType: 'OrganizationImportInput', key: ['name'],
    fields: [
      { name: 'name', aliases: ['Name', 'Organisation', 'Organization', 'Mitglied', 'Mitgliedsorganisation'] },
      { name: 'kind', aliases: ['Art', 'Typ', 'Organisationsart', 'Art der Organisation'] },
      website, email, phone,
    ],
  },
  memberships: {
    mutation: 'importMemberships', inputType: 'MembershipImportInput', key: ['alliance', 'organization'],
    fields: [
      { name: 'alliance', aliases: ['Bündnis', 'Lokales Bündnis'] },
      { name: 'organization', aliases: ['Organisation', 'Organization', 'Mitglied', 'Mitgliedsorganisation'] },
      { name: 'organizationId', aliases: ['Organisation (ID)', 'Mitglied (ID)'] },
      { name: 'joinedOn', aliases: ['Beigetreten', 'Beitritt', 'Mitglied seit', 'Beigetreten am'] },
      { name: 'leftOn', aliases: ['Ausgetreten', 'Austritt', 'Ausgetreten am'] },
      { name: 'certificateHandedOverOn', aliases: ['Urkunde', 'Urkunde überreicht', 'Mitgliedsurkunde'] },
      { name: 'representativeId', aliases: ['Vertretung (ID)', 'Vertreter-ID'] },
    ],
  },
  projects: {
    mutation: 'importProjects', inputType: 'ProjectImportInput', key: ['title'],
    fields: [
      { name: 'title', aliases: ['Titel', 'Projekt', 'Projekttitel', 'Name'] },
      { name: 'summary', aliases: ['Beschreibung', 'Zusammenfassung', 'Kurzbeschreibung'] },
      fieldsOfAction,
      { name: 'status', aliases: ['Status', 'Stand'] },
      { name: 'fundingProgramme', aliases: ['Förderung', 'Förderprogramm', 'Finanzierung'] },
      { name: 'startsOn', aliases: ['Beginn', 'Start', 'Projektbeginn', 'Von'] },
      { name: 'endsOn', aliases: ['Ende', 'Projektende', 'Bis'] },
      website,
      { name: 'leadAllianceId', aliases: ['Federführendes Bündnis (ID)'] },
      { name: 'partnerAllianceIds', aliases: ['Partnerbündnisse (IDs)'], list: true },
      { name: 'partnerOrganizationIds', aliases: ['Partnerorganisationen (IDs)'], list: true },
      { name: 'contactIds', aliases: ['Ansprechpersonen (IDs)'], list: true },
    ],
  },
  people: {
    mutation: 'importPeople', inputType: 'PersonImportInput', key: ['familyName', 'givenName'],
    fields: [
      { name: 'familyName', aliases: ['Nachname', 'Familienname', 'Name'] },
      { name: 'givenName', aliases: ['Vorname'] },
      email, phone,
      { name: 'address', aliases: ['Adresse', 'Anschrift'] },
      { name: 'publicListing', aliases: ['Veröffentlichung', 'Einwilligung', 'Veröffentlichen'] },
      { name: 'consentRecordedOn', aliases: ['Einwilligung am', 'Einwilligungsdatum', 'Einwilligung vom'] },
      { name: 'consentSource', aliases: ['Einwilligungsnachweis', 'Einwilligung Quelle', 'Quelle der Einwilligung'] },
    ],
  },
};

/**
 * A project's funding lines in a file: one group of columns per line, numbered from 1 —
 * `funding1Programme`, `funding1Amount`, … (or `Förderung 1 Betrag`, …) — so a spreadsheet shows
 * each line's cells side by side. Amounts in euro (`120000`, `120.000,50 €`), shares in percent.
 * A column maps to the import row's path `fundingLines.<index>.<cell>`.
 */
export const FUNDING_PREFIXES = ['funding', 'Förderung', 'Förderlinie'];
export const FUNDING_CELLS: FieldSpec[] = [
  { name: 'programme', aliases: ['Programme', 'Programm', 'Förderprogramm'] },
  { name: 'funder', aliases: ['Funder', 'Geldgeber', 'Fördergeber', 'Zuwendungsgeber', 'Mittelgeber'] },
  { name: 'amount', aliases: ['Amount', 'Betrag', 'Betrag (€)', 'Betrag in Euro', 'Summe', 'Fördersumme'] },
  { name: 'share', aliases: ['Share', 'Anteil', 'Anteil (%)', 'Anteil in Prozent'] },
  { name: 'startsOn', aliases: ['StartsOn', 'von', 'Beginn', 'Start'] },
  { name: 'endsOn', aliases: ['EndsOn', 'bis', 'Ende'] },
  { name: 'grantReference', aliases: ['GrantReference', 'Aktenzeichen', 'Förderkennzeichen', 'Zeichen'] },
];
/** The most funding lines a file's columns may number (as many as a project may have). */
const MAX_FUNDING_COLUMNS = 20;

/** The header an export writes for cell `cell` of the `index`th (0-based) funding line: `funding1Amount`. */
export const fundingHeader = (index: number, cell: string) => `funding${index + 1}${cell[0].toUpperCase()}${cell.slice(1)}`;

const FOLDED_FUNDING_CELLS = new Map(FUNDING_CELLS.flatMap((cell) => [cell.name, ...cell.aliases].map((name) => [foldName(name), cell.name])));
const FUNDING_HEADER = new RegExp(`^(?:${FUNDING_PREFIXES.map((prefix) => foldName(prefix)).join('|')})(\\d{1,2})(.+)$`);

/** The import row path a funding column means (`Förderung 2 Betrag` → `fundingLines.1.amount`), or undefined. */
function fundingField(kind: Kind, header: string): string | undefined {
  if (kind !== 'projects') return undefined;
  const match = FUNDING_HEADER.exec(foldName(header));
  const cell = match ? FOLDED_FUNDING_CELLS.get(match[2]) : undefined;
  const number = match ? Number(match[1]) : 0;
  return cell && number >= 1 && number <= MAX_FUNDING_COLUMNS ? `fundingLines.${number - 1}.${cell}` : undefined;
}

/**
 * A row's cells as the import mutation takes them: the funding columns (`fundingLines.<index>.<cell>`)
 * become the list `fundingLines`, one entry per numbered line up to the highest the file has
 * (a line of empty cells is no line); a file without such columns leaves the lines as they are.
 */
export function apiRow<C>(values: Record<string, C>): Record<string, C | Record<string, C>[]> {
  const row: Record<string, C | Record<string, C>[]> = {};
  const lines: Record<string, C>[] = [];
  let funding = false;
  for (const [field, value] of Object.entries(values)) {
    const match = /^fundingLines\.(\d+)\.(\w+)$/.exec(field);
    if (!match) {
      row[field] = value;
      continue;
    }
    funding = true;
    const index = Number(match[1]);
    while (lines.length <= index) lines.push({});
    lines[index][match[2]] = value;
  }
  if (funding) row.fundingLines = lines;
  return row;
}

/** The column holding the region, in every kind. */
export const REGION_FIELD: FieldSpec = { name: 'region', aliases: ['Region', 'Bundesland', 'Land'] };

/** Folded for comparison: case, spaces and punctuation ignored, umlauts as ae/oe/ue ("E-Mail" = "email", "Bündnis" = "Buendnis"). */
export function foldName(text: string): string {
  return text.trim().toLowerCase()
    .replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss')
    .normalize('NFKD').replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9]/g, '');
}

export interface HeaderMapping {
  /** The field of each column; undefined for a column the kind does not use. */
  fields: (string | undefined)[];
  /** Headers no field of the kind takes (ignored). */
  ignored: string[];
  /** Fields named by more than one column. */
  repeated: string[];
}

/** Maps a file's headers to the kind's fields by name or German alias. */
export function mapHeaders(kind: Kind, headers: string[]): HeaderMapping {
  const lookup = new Map<string, string>();
  for (const field of [REGION_FIELD, ...KIND_SPECS[kind].fields]) {
    for (const name of [field.name, ...field.aliases]) if (!lookup.has(foldName(name))) lookup.set(foldName(name), field.name);
  }
  const fields = headers.map((header) => lookup.get(foldName(header)) ?? fundingField(kind, header));
  const ignored = headers.filter((header, index) => header.trim() && !fields[index]);
  const repeated = [...new Set(fields.filter((f, i): f is string => !!f && fields.indexOf(f) !== i))];
  return { fields, ignored, repeated };
}

export function isList(kind: Kind, field: string): boolean {
  return KIND_SPECS[kind].fields.some((f) => f.name === field && f.list);
}

const REGION_NAMES: Record<string, Region> = {
  'baden-württemberg': 'BW' as Region, bayern: 'BY' as Region, berlin: 'BE' as Region, brandenburg: 'BB' as Region,
  bremen: 'HB' as Region, hamburg: 'HH' as Region, hessen: 'HE' as Region, 'mecklenburg-vorpommern': 'MV' as Region,
  niedersachsen: 'NI' as Region, 'nordrhein-westfalen': 'NW' as Region, nrw: 'NW' as Region, 'rheinland-pfalz': 'RP' as Region,
  saarland: 'SL' as Region, sachsen: 'SN' as Region, 'sachsen-anhalt': 'ST' as Region, 'schleswig-holstein': 'SH' as Region,
  'thüringen': 'TH' as Region, bund: 'DE' as Region, deutschland: 'DE' as Region, bundesebene: 'DE' as Region,
  'bavaria': 'BY' as Region, 'hesse': 'HE' as Region, 'lower saxony': 'NI' as Region, 'north rhine-westphalia': 'NW' as Region,
  'rhineland-palatinate': 'RP' as Region, saxony: 'SN' as Region, 'saxony-anhalt': 'ST' as Region, thuringia: 'TH' as Region,
};
const FOLDED_REGION_NAMES = new Map(Object.entries(REGION_NAMES).map(([name, region]) => [foldName(name), region]));
// ISO 3166-2 writes the states as DE-SL, DE-NW, …
const ISO_PREFIX = /^de-/i;

/** A region from its two-letter code (also `DE-SL`) or its German (or English) name; undefined if unknown. */
export function regionOf(text: string): Region | undefined {
  const trimmed = text.trim().replace(ISO_PREFIX, '');
  const upper = trimmed.toUpperCase();
  if ((REGIONS as string[]).includes(upper)) return upper as Region;
  return FOLDED_REGION_NAMES.get(foldName(trimmed));
}
