import type { FilterQuery } from '@mikro-orm/core';
import { NO_ROWS, overlapsPeriod, whereAll } from '../../kit/index.js';
import { Project } from '../entities/project.js';
import type { ProjectFilter } from '../inputs/project.inputs.js';

/**
 * The one translation of a ProjectFilter into SQL conditions, used by the project list and by the
 * statistics, so both always count the same projects.
 */
export function projectWhere(filter: ProjectFilter | null | undefined): FilterQuery<Project> {
  return whereAll<Project>(
    filter,
    filter?.fieldsOfAction && { fieldsOfAction: { $overlap: filter.fieldsOfAction } },
    filter?.statuses && { status: { $in: filter.statuses } },
    filter?.fundingProgrammes && { fundingProgramme: { $in: filter.fundingProgrammes } },
    // A project counts for year Y when its start date (YYYY, YYYY-MM or YYYY-MM-DD) begins with Y.
    filter?.years && (filter.years.length ? { $or: filter.years.map((year) => ({ startsOn: { $like: `${year}%` } })) } : NO_ROWS),
    filter?.period && overlapsPeriod<Project>('startsOn', 'endsOn', filter.period, 'period.to'),
    filter?.leadAllianceId && { leadAllianceId: filter.leadAllianceId },
  );
}
