import type { FilterQuery } from '@mikro-orm/core';
import { overlapsPeriod, textSearchCondition } from '../../kit/index.js';
import { Project } from '../entities/project.js';
import type { ProjectFilter } from '../inputs/project.inputs.js';

// Matches no row: an empty list or an unsearchable text selects nothing rather than everything.
const NOTHING: FilterQuery<Project> = { id: null };

/**
 * The one translation of a ProjectFilter into SQL conditions, used by the project list and by the
 * statistics, so both always count the same projects.
 */
export function projectWhere(filter: ProjectFilter | null | undefined): FilterQuery<Project> {
  const conditions: FilterQuery<Project>[] = [];
  if (filter?.text != null) conditions.push((textSearchCondition(filter.text) as FilterQuery<Project>) ?? NOTHING);
  if (filter?.regions) conditions.push({ region: { $in: filter.regions } });
  if (filter?.fieldsOfAction) conditions.push({ fieldsOfAction: { $overlap: filter.fieldsOfAction } });
  if (filter?.statuses) conditions.push({ status: { $in: filter.statuses } });
  if (filter?.fundingProgrammes) conditions.push({ fundingProgramme: { $in: filter.fundingProgrammes } });
  if (filter?.years) {
    // A project counts for year Y when its start date (YYYY, YYYY-MM or YYYY-MM-DD) begins with Y.
    conditions.push(filter.years.length
      ? { $or: filter.years.map((year) => ({ startsOn: { $like: `${year}%` } })) }
      : NOTHING);
  }
  if (filter?.period) conditions.push(overlapsPeriod<Project>('startsOn', 'endsOn', filter.period, 'period.to'));
  if (filter?.leadAllianceId) conditions.push({ leadAllianceId: filter.leadAllianceId });
  return conditions.length ? { $and: conditions } : {};
}
