import type { EntityManager } from '../kit/index.js';
import { FieldOfAction, Region, parseId, servesId } from '../kit/index.js';
import { DEMO } from '../../data/demo/ids.js';
import { Alliance } from './entities/alliance.js';
import { Membership } from './entities/membership.js';
import { Organization } from './entities/organization.js';
import { OrganizationKind } from './enums.js';

const { alliance: A, organization: O, membership: M, person: P } = DEMO;

/** Facts from the press texts in data/seeds/ (file number in brackets); unknown facts stay empty. Exported for tests. */
export const alliances = [
  {
    // [000] founded November 2005, almost 60 members, working groups Kinderbetreuung and Pflege
    id: A.saarbruecken, region: Region.SL, name: 'Lokales Bündnis für Familien im Regionalverband Saarbrücken',
    municipality: { name: 'Regionalverband Saarbrücken', ags: '10041' }, foundedOn: '2005-11',
    goals: 'Regionale Akteure aus Verwaltung, Unternehmen und Politik, Verbände, Stiftungen, Hochschulen, '
      + 'Krankenhäuser, Kirchen, freie Träger der Kinder- und Jugendhilfe, Agentur für Arbeit und Jobcenter erarbeiten '
      + 'gemeinsam Lösungen zur Vereinbarkeit von Beruf und Familie und von Beruf und Pflege.',
    website: 'https://www.regionalverband-saarbruecken.de/eltern/buendnis-fuer-familie/',
    fieldsOfAction: [FieldOfAction.WORK_LIFE_BALANCE, FieldOfAction.CHILDCARE, FieldOfAction.CARE],
    workingGroups: [
      { name: 'Kinderbetreuung', fieldOfAction: FieldOfAction.CHILDCARE },
      { name: 'Pflege', fieldOfAction: FieldOfAction.CARE },
    ],
  },
  {
    // [001] short-term childcare for students of Saarland University and staff of the university hospital
    id: A.unimedkids, region: Region.SL, name: 'Lokales Bündnis Kinderbetreuung - UniMedKids',
    municipality: { name: 'Homburg', ags: '10045111' },
    goals: 'Kurzzeitbetreuung für Kinder von Studentinnen und Studenten der Universität des Saarlandes sowie '
      + 'von Mitarbeiterinnen und Mitarbeitern des Universitätsklinikums.',
    fieldsOfAction: [FieldOfAction.CHILDCARE, FieldOfAction.WORK_LIFE_BALANCE],
  },
  {
    // [003] founded July 2004 with the joint declaration of 15 July 2004
    id: A.iserlohn, region: Region.NW, name: 'Iserlohner Bündnis für Familie',
    municipality: { name: 'Iserlohn', ags: '05962024' }, foundedOn: '2004-07-15',
    goals: 'Familie und Beruf besser vereinbaren: Flexibilisierung der Arbeitszeit, Verbesserung der '
      + 'Nachmittags-Kinderbetreuung und Unterstützung bei der Pflege von Angehörigen; das Leben der Familie in '
      + 'Iserlohn in den Mittelpunkt des politischen und gesellschaftlichen Interesses rücken.',
    fieldsOfAction: [
      FieldOfAction.WORK_LIFE_BALANCE, FieldOfAction.CHILDCARE, FieldOfAction.CARE, FieldOfAction.FAMILY_SERVICES,
      FieldOfAction.FAMILY_EDUCATION, FieldOfAction.LIVING_ENVIRONMENT, FieldOfAction.SCHOOL_AND_EDUCATION,
      FieldOfAction.HEALTH,
    ],
  },
  {
    // [004] member of ARGE Netzwerk Familie Baden-Württemberg
    id: A.heidelberg, region: Region.BW, name: 'Bündnis für Familie Heidelberg',
    municipality: { name: 'Heidelberg', ags: '08221000' },
    goals: 'Bessere Vereinbarkeit von Beruf und Familie, z. B. durch Ausbildungsplätze in Teilzeit für Mütter und '
      + 'Väter, und mehr Familienfreundlichkeit in der Region.',
    website: 'https://www.hddienste.de/buendnis/',
    fieldsOfAction: [FieldOfAction.WORK_LIFE_BALANCE, FieldOfAction.CHILDCARE, FieldOfAction.HEALTH,
      FieldOfAction.FAMILY_FRIENDLY_EMPLOYERS],
  },
];

const K = OrganizationKind;
export const organizations: { id: string; name: string; kind: OrganizationKind; website?: string; email?: string; phone?: string }[] = [
  { id: O.impuls, name: 'Impuls Soziales Management', kind: K.COMPANY, website: 'https://www.e-impuls.de/home/' },
  { id: O.regionalverbandSaarbruecken, name: 'Regionalverband Saarbrücken', kind: K.MUNICIPALITY, website: 'https://www.regionalverband-saarbruecken.de/' },
  { id: O.msgff, name: 'Ministerium für Soziales, Gesundheit, Frauen und Familie des Saarlandes', kind: K.MINISTRY },
  { id: O.uniSaarland, name: 'Universität des Saarlandes', kind: K.UNIVERSITY },
  { id: O.uniklinikumSaarland, name: 'Universitätsklinikum des Saarlandes', kind: K.HOSPITAL },
  { id: O.servicestelle, name: 'Servicestelle Lokale Bündnisse für Familie', kind: K.PUBLIC_BODY },
  { id: O.sihk, name: 'Südwestfälische Industrie- und Handelskammer zu Hagen (SIHK)', kind: K.CHAMBER },
  { id: O.agenturIserlohn, name: 'Agentur für Arbeit Iserlohn', kind: K.EMPLOYMENT_AGENCY },
  { id: O.stadtIserlohn, name: 'Stadt Iserlohn', kind: K.MUNICIPALITY },
  { id: O.kju, name: 'Kreis Junger Unternehmer (KJU)', kind: K.EMPLOYERS_ASSOCIATION },
  { id: O.kreishandwerkerschaft, name: 'Kreishandwerkerschaft im Märkischen Kreis', kind: K.CHAMBER },
  { id: O.agvRuhrLenne, name: 'Arbeitgeberverband Ruhr-Lenne e. V.', kind: K.EMPLOYERS_ASSOCIATION },
  { id: O.evKirchengemeinden, name: 'Ev. Kirchengemeinden', kind: K.CHURCH },
  { id: O.kathKirchengemeinden, name: 'Kath. Kirchengemeinden', kind: K.CHURCH },
  { id: O.wohlfahrtsverbaende, name: 'Wohlfahrtsverbände', kind: K.WELFARE_ASSOCIATION },
  { id: O.beratungsstelle, name: 'Beratungsstelle für Eltern, Kinder und Jugendliche', kind: K.COUNSELLING_SERVICE },
  { id: O.regenbogen, name: 'Trägerverein "Regenbogen-Kinderbetreuung KJU" e. V. Iserlohn Oestrich', kind: K.CHILDCARE_PROVIDER },
  { id: O.liba, name: 'LIBa e.V.', kind: K.ASSOCIATION, email: 'info@liba-bemb.de', phone: '039203 753915' },
  { id: O.zfa, name: 'Zentrum für Familie und Alleinerziehende e.V.', kind: K.ASSOCIATION },
  { id: O.awo, name: 'Arbeiterwohlfahrt (AWO)', kind: K.WELFARE_ASSOCIATION },
  { id: O.drkBoerde, name: 'DRK Börde', kind: K.WELFARE_ASSOCIATION },
  { id: O.landkreisBoerde, name: 'Landkreis Börde', kind: K.MUNICIPALITY },
  { id: O.jobcenterBoerde, name: 'Jobcenter Börde', kind: K.JOB_CENTRE },
  { id: O.familienzentrumJena, name: 'Familienzentrum Jena', kind: K.FAMILY_CENTRE, website: 'https://www.familienzentrum-jena.de' },
  { id: O.familienforschungBw, name: 'FamilienForschung Baden-Württemberg', kind: K.RESEARCH_INSTITUTE },
  { id: O.kvjs, name: 'Kommunalverband Jugend und Soziales Baden-Württemberg (KVJS)', kind: K.PUBLIC_BODY },
];

/** [003] "Wer ist dabei": the members of the Iserlohn alliance. */
const iserlohnMembers = [
  O.sihk, O.agenturIserlohn, O.stadtIserlohn, O.kju, O.kreishandwerkerschaft, O.agvRuhrLenne,
  O.evKirchengemeinden, O.kathKirchengemeinden, O.wohlfahrtsverbaende, O.beratungsstelle, O.regenbogen,
];

interface DemoMembership {
  id: string; allianceId: string; organizationId: string;
  joinedOn?: string; leftOn?: string; certificateHandedOverOn?: string; representativeId?: string;
}

/** Every demo membership; each lives with its alliance, in the alliance's region. Exported for tests. */
export const memberships: DemoMembership[] = [
  // [000] Impuls joined in 2018; Michael Kemmer received the certificate handed over on 16 May 2018.
  {
    id: M.impulsSaarbruecken, allianceId: A.saarbruecken, organizationId: O.impuls,
    joinedOn: '2018', certificateHandedOverOn: '2018-05-16', representativeId: P.kemmer,
  },
  ...iserlohnMembers.map((organizationId) => ({
    id: `NW:membership:iserlohn-${organizationId.split(':')[2]}`, allianceId: A.iserlohn, organizationId,
  })),
];

const regionOf = (id: string) => parseId(id, id.split(':')[1]).region;

export async function seedAlliances(em: EntityManager, regions?: ReadonlySet<Region>): Promise<boolean> {
  if (await em.count(Alliance, {}) || await em.count(Organization, {})) return false;
  const served = <T extends { id: string }>(records: T[]) => records.filter((r) => servesId(regions, r.id));
  for (const alliance of served(alliances)) em.create(Alliance, alliance as never);
  for (const organization of served(organizations)) em.create(Organization, { ...organization, region: regionOf(organization.id) } as never);
  // A membership lives with its alliance; the demo's members belong to their alliance's region.
  const membership = (id: string, allianceId: string, organizationId: string, extra: object = {}) =>
    servesId(regions, allianceId) && em.create(Membership, {
      id, region: regionOf(allianceId), alliance: allianceId, organizationId, ...extra,
    } as never);
  for (const { id, allianceId, organizationId, ...extra } of memberships) membership(id, allianceId, organizationId, extra);
  await em.flush();
  return true;
}
