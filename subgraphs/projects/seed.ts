import { FieldOfAction, Region, servesId, type EntityManager } from '../kit/index.js';
import { DEMO } from '../../data/demo/ids.js';
import { Project } from './entities/project.js';
import { FundingProgramme, ProjectStatus } from './enums.js';
import { replaceFundingLines, type FundingLineValue } from './resolvers/funding.js';

const { alliance, organization, person, project } = DEMO;
const { WORK_LIFE_BALANCE, CHILDCARE, HEALTH, FAMILY_SERVICES, FAMILY_FRIENDLY_EMPLOYERS } = FieldOfAction;

type DemoProject = Pick<Project, 'id' | 'region' | 'title' | 'fieldsOfAction'> & Omit<Partial<Project>, 'fundingProgramme'>
  & { fundingLines?: FundingLineValue[] };

/** "LEADER-Projekt": the texts name the programme only, neither the local action group nor an amount. */
const LEADER_UNKNOWN_AMOUNT: FundingLineValue[] = [{ programme: FundingProgramme.LEADER }];

/**
 * Only what the press texts state; unknown status, funding and dates stay null (no funding lines
 * where the texts name no funding). Exported for tests.
 */
export const PROJECTS: DemoProject[] = [
  // 002: Netzwerk-Fachtag in Haldensleben
  {
    id: project.helfendeHaende, region: Region.ST, title: 'Helfende Hände für junge Familien',
    summary: 'LEADER-Projekt, im Rahmen dessen der Fachaustausch „Familienakteure im Dialog“ am 26. März 2019 in Haldensleben initiiert wurde.',
    fundingLines: LEADER_UNKNOWN_AMOUNT, partnerOrganizationIds: [organization.liba],
    fieldsOfAction: [FAMILY_SERVICES, CHILDCARE],
  },
  {
    id: project.familienserviceRundum, region: Region.ST, title: 'Familienservice rundum',
    summary: 'Familienportal zur Vermittlung von Babysittern und Haushaltshilfen in Regionen des Landkreises Börde; '
      + 'Babysitter zur flexiblen Kurzzeitbetreuung von Kindern vermittelt das Familienservicecenter des LIBa e.V.',
    fundingLines: LEADER_UNKNOWN_AMOUNT, website: 'https://www.familienservice-rundum.de',
    partnerOrganizationIds: [organization.liba], contactIds: [person.braemer],
    fieldsOfAction: [FAMILY_SERVICES, CHILDCARE, WORK_LIFE_BALANCE],
  },
  {
    id: project.awoLifebalance, region: Region.ST, title: 'AWOlifebalance',
    summary: 'Arbeitgeber der Region erhalten professionelle Unterstützung, die Work-Life-Balance ihrer Mitarbeitenden zu fördern.',
    website: 'https://awo-lifebalance.de', partnerOrganizationIds: [organization.awo], contactIds: [person.kutz],
    fieldsOfAction: [WORK_LIFE_BALANCE, FAMILY_FRIENDLY_EMPLOYERS],
  },
  // 001: the 2018 report says the alliance "hat ... geschaffen", so the service runs.
  {
    id: project.unimedkidsKurzzeitbetreuung, region: Region.SL, title: 'Kurzzeitbetreuung UniMedKids',
    summary: 'Kurzzeitbetreuung für Kinder von Studierenden der Universität des Saarlandes und Beschäftigten des Universitätsklinikums, Homburg.',
    status: ProjectStatus.ACTIVE, leadAllianceId: alliance.unimedkids,
    partnerOrganizationIds: [organization.uniSaarland, organization.uniklinikumSaarland],
    fieldsOfAction: [CHILDCARE, WORK_LIFE_BALANCE],
  },
  // 003: Iserlohner Bündnis für Familie
  {
    id: project.iserlohnNachmittagsbetreuung, region: Region.NW, title: 'Modellprojekt zur Nachmittagsbetreuung von Kindern',
    summary: 'Von der SIHK unterstütztes Modellprojekt, an dem sich neben dem Trägerverein auch der Kreis Junger Unternehmer beteiligt.',
    leadAllianceId: alliance.iserlohn,
    partnerOrganizationIds: [organization.sihk, organization.kju, organization.regenbogen],
    fieldsOfAction: [CHILDCARE, WORK_LIFE_BALANCE],
  },
  // 004: Bündnis für Familie Heidelberg
  ...([
    [project.heidelbergTeilzeitausbildung, 'Ausbildungsplätze in Teilzeit für Mütter und Väter', WORK_LIFE_BALANCE],
    [project.heidelbergTeilzeitWiedereinstieg, 'Veranstaltungsserie „Teilzeit und Wiedereinstieg“', WORK_LIFE_BALANCE],
    [project.heidelbergFerienbetreuung, 'Verlässliche Ferienbetreuungsangebote', CHILDCARE],
    [project.heidelbergFamiliensporttag, 'Familiensporttag', HEALTH],
    [project.heidelbergGutscheinbooklet, 'Gutscheinbooklet für Familiensport', HEALTH],
  ] as const).map(([id, title, field]) => ({
    id, region: Region.BW, title, leadAllianceId: alliance.heidelberg, fieldsOfAction: [field],
  })),
  {
    id: project.buendnisVorOrtHandwerk, region: Region.BW,
    title: 'Bündnis vor Ort: Mit familienfreundlicher Unternehmenskultur erfolgreich',
    summary: 'Veranstaltungsreihe für das Handwerk, gemeinsam mit der FamilienForschung Baden-Württemberg.',
    leadAllianceId: alliance.heidelberg, partnerOrganizationIds: [organization.familienforschungBw],
    fieldsOfAction: [FAMILY_FRIENDLY_EMPLOYERS],
  },
  {
    id: project.stillUndWickelpunkt, region: Region.BW, title: 'Familienfreundlichkeitslabel „Still- und Wickelpunkt“',
    summary: 'Kooperationsprojekt der Lokalen Bündnisse für Familie in der Metropolregion Rhein-Neckar.',
    // Shared by several alliances, none named as lead.
    partnerAllianceIds: [alliance.heidelberg],
    fieldsOfAction: [FAMILY_SERVICES],
  },
];

/** Loads the demo projects into an empty database; false when projects were already there. */
export async function seedProjects(em: EntityManager, regions?: ReadonlySet<Region>): Promise<boolean> {
  if (await em.count(Project, {})) return false;
  for (const { fundingLines, ...data } of PROJECTS.filter((p) => servesId(regions, p.id))) {
    await replaceFundingLines(em as never, em.create(Project, data as never), fundingLines ?? [], false);
  }
  await em.flush();
  return true;
}
