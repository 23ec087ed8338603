import { REGIONS, isRegion, type Region } from './region.js';

/**
 * The roles a token's `roles` claim may hold: "hub-admin", "admin:<REGION>" and
 * "editor:<REGION>", written exactly so (a look-alike such as "Editor:SL" is no role).
 */
export const ROLE_FORMS = ['hub-admin', 'admin:<REGION>', 'editor:<REGION>'] as const;

export interface Roles {
  hubAdmin: boolean;
  admin: Region[];
  editor: Region[];
}

/** Why one role is not a role, or undefined when it is one. */
export function roleProblem(role: string): string | undefined {
  if (role === 'hub-admin') return undefined;
  const scoped = /^(admin|editor):(.*)$/.exec(role);
  if (!scoped) return `"${role}" is not a role (roles are ${ROLE_FORMS.join(', ')})`;
  if (!isRegion(scoped[2])) return `"${role}" names no region: "${scoped[2]}" is not one of ${REGIONS.join(', ')}`;
  return undefined;
}

/**
 * Reads a `roles` claim (a list of roles; absent means none). Every malformed role is named, so
 * a token is refused rather than silently granted less, or misread, than its issuer meant.
 */
export function parseRoles(claim: unknown): { roles: Roles; problems: string[] } {
  const roles: Roles = { hubAdmin: false, admin: [], editor: [] };
  if (claim === undefined || claim === null) return { roles, problems: [] };
  if (!Array.isArray(claim)) return { roles, problems: ['the roles claim must be a list of roles'] };
  const problems: string[] = [];
  for (const role of claim) {
    if (typeof role !== 'string') {
      problems.push(`${JSON.stringify(role)} is not a role (roles are text)`);
      continue;
    }
    const problem = roleProblem(role);
    if (problem) problems.push(problem);
    else if (role === 'hub-admin') roles.hubAdmin = true;
    else roles[role.startsWith('admin:') ? 'admin' : 'editor'].push(role.slice(role.indexOf(':') + 1) as Region);
  }
  return { roles, problems };
}
