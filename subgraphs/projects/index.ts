import { AuditLogResolver, IntegrityResolver, RegionalEntity, defineSubgraph, referenceById } from '../kit/index.js';
import { projectReferrers } from './referrers.js';
import { FundingLine } from './entities/funding-line.js';
import { Project } from './entities/project.js';
import { migrations } from './migrations/index.js';
import { AllianceProjectsResolver } from './resolvers/alliance.resolver.js';
import { ProjectResolver } from './resolvers/project.resolver.js';
import { StatisticsResolver } from './resolvers/statistics.resolver.js';
import { ProjectErasureResolver } from './resolvers/erasure.resolver.js';
import { seedProjects } from './seed.js';
import { ProjectImportResolver } from './resolvers/import.resolver.js';

/** Projects of local alliances, with the dashboard statistics; adds `projects` to Alliance. */
export const projectsSubgraph = defineSubgraph({
  name: 'projects',
  entities: [RegionalEntity, Project, FundingLine],
  migrations,
  resolvers: [ProjectResolver, StatisticsResolver, AllianceProjectsResolver, ProjectErasureResolver, ProjectImportResolver, AuditLogResolver('projects'), IntegrityResolver('projects', projectReferrers)],
  referenceResolvers: {
    Project: referenceById(Project),
    // Alliances live in the alliances subgraph; the key is all this one needs for `projects`.
    Alliance: (reference: { id: string }) => ({ id: reference.id }),
  },
  references: { Alliance: [{ entity: Project, property: 'leadAllianceId' }, { entity: Project, property: 'partnerAllianceIds' }] },
  seed: seedProjects,
});
