import { GraphQLError } from 'graphql';
import { isRegion, type Region } from '../shared/region.js';

/**
 * Who is asking, as the gateway verified it from the caller's token. Roles in the token's
 * `roles` claim: "hub-admin", "admin:<REGION>", "editor:<REGION>" (several allowed).
 */
export interface Viewer {
  subject: string | null;
  hubAdmin: boolean;
  /** Regions the viewer may write (editors and admins). */
  editor: ReadonlySet<Region>;
  /** Regions the viewer administers (personal data, erasure). */
  admin: ReadonlySet<Region>;
}

export const ANONYMOUS: Viewer = { subject: null, hubAdmin: false, editor: new Set(), admin: new Set() };

export function viewerFromRoles(subject: string | null, roles: unknown): Viewer {
  const list = Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
  const scoped = (prefix: string) => new Set(list.filter((r) => r.startsWith(prefix)).map((r) => r.slice(prefix.length)).filter(isRegion));
  const admin = scoped('admin:');
  return { subject, hubAdmin: list.includes('hub-admin'), admin, editor: new Set([...scoped('editor:'), ...admin]) };
}

export function canWrite(viewer: Viewer, region: Region): boolean {
  return viewer.hubAdmin || viewer.editor.has(region);
}

/** Contact details and erasure: the owning region's editors and admins, and hub admins. */
export function canSeePersonalData(viewer: Viewer, region: Region): boolean {
  return viewer.hubAdmin || viewer.editor.has(region);
}

export function canErase(viewer: Viewer, region: Region): boolean {
  return viewer.hubAdmin || viewer.admin.has(region);
}

/**
 * Why a viewer may not do something: UNAUTHENTICATED without a token (`needs` says what to send),
 * FORBIDDEN for a signed-in viewer without the role (`action` names what was refused).
 */
export function refusal(viewer: Viewer, needs: string, action: string, region?: Region): GraphQLError {
  if (!viewer.subject) return new GraphQLError(`${needs}: send a bearer token`, { extensions: { code: 'UNAUTHENTICATED' } });
  return new GraphQLError(`${viewer.subject} may not ${action}`, { extensions: { code: 'FORBIDDEN', ...(region ? { region } : {}) } });
}

/** Why the viewer may not write `region` (UNAUTHENTICATED or FORBIDDEN), or undefined when it may. */
export function writeRefusal(viewer: Viewer, region: Region): GraphQLError | undefined {
  return canWrite(viewer, region) ? undefined : refusal(viewer, 'Writing needs a signed-in editor', `write data of region ${region}`, region);
}

/** Refuses a write to `region`: UNAUTHENTICATED without a token, FORBIDDEN for another region's role. */
export function assertCanWrite(viewer: Viewer, region: Region): void {
  const refused = writeRefusal(viewer, region);
  if (refused) throw refused;
}

/** Erasing a person (GDPR Art. 17) is for admins of the person's region and hub admins. */
export function assertCanErase(viewer: Viewer, personRegion: Region): void {
  if (!canErase(viewer, personRegion)) {
    throw refusal(viewer, 'Erasure needs a signed-in admin', `erase people of region ${personRegion}`, personRegion);
  }
}

/** The viewer as the gateway's signature carries it (kit/signing.ts). */
export function encodeViewer(viewer: Viewer): string {
  return Buffer.from(JSON.stringify({ s: viewer.subject, h: viewer.hubAdmin, e: [...viewer.editor], a: [...viewer.admin] })).toString('base64url');
}

/** The viewer of `encodeViewer`; throws when it is not one. */
export function decodeViewer(encoded: string): Viewer {
  const value = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as { s: string | null; h: boolean; e: string[]; a: string[] };
  return { subject: value.s, hubAdmin: value.h === true, editor: new Set(value.e.filter(isRegion)), admin: new Set(value.a.filter(isRegion)) };
}
