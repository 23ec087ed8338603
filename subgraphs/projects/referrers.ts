import type { ReferrerColumns } from '../kit/index.js';
import { Project } from './entities/project.js';

/** The columns of this subgraph that name records of other subgraphs, for deletes: the project stays, without the reference. */
export const projectReferrers: ReferrerColumns = {
  Alliance: [
    { entity: Project, property: 'leadAllianceId', referrer: 'Project', field: 'leadAlliance', onRemove: 'clear' },
    { entity: Project, property: 'partnerAllianceIds', referrer: 'Project', field: 'partnerAlliances', onRemove: 'clear' },
  ],
  Organization: [{ entity: Project, property: 'partnerOrganizationIds', referrer: 'Project', field: 'partnerOrganizations', onRemove: 'clear' }],
  Person: [{ entity: Project, property: 'contactIds', referrer: 'Project', field: 'contacts', onRemove: 'clear' }],
};
