import { createHmac, timingSafeEqual } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { isRegion, type Region } from './region.js';

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

/** Refuses a write to `region`: UNAUTHENTICATED without a token, FORBIDDEN for another region's role. */
export function assertCanWrite(viewer: Viewer, region: Region): void {
  if (canWrite(viewer, region)) return;
  if (!viewer.subject) {
    throw new GraphQLError('Writing needs a signed-in editor: send a bearer token', { extensions: { code: 'UNAUTHENTICATED' } });
  }
  throw new GraphQLError(`${viewer.subject} may not write data of region ${region}`, { extensions: { code: 'FORBIDDEN', region } });
}

/** Erasing a person (GDPR Art. 17) is for admins of the person's region and hub admins. */
export function assertCanErase(viewer: Viewer, personRegion: Region): void {
  if (canErase(viewer, personRegion)) return;
  if (!viewer.subject) {
    throw new GraphQLError('Erasure needs a signed-in admin: send a bearer token', { extensions: { code: 'UNAUTHENTICATED' } });
  }
  throw new GraphQLError(`${viewer.subject} may not erase people of region ${personRegion}`, { extensions: { code: 'FORBIDDEN', region: personRegion } });
}

// Requests from the gateway to a subgraph carry the verified viewer and an HMAC over it and the body.
export const VIEWER_HEADER = 'x-hub-viewer';
export const TIMESTAMP_HEADER = 'x-hub-timestamp';
export const SIGNATURE_HEADER = 'x-hub-signature';
/** How old a signed request may be: bounds the replay of a captured request. */
export const SIGNATURE_MAX_AGE_MS = 5 * 60_000;

export function encodeViewer(viewer: Viewer): string {
  return Buffer.from(JSON.stringify({ s: viewer.subject, h: viewer.hubAdmin, e: [...viewer.editor], a: [...viewer.admin] })).toString('base64url');
}

function decodeViewer(header: string): Viewer {
  const value = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { s: string | null; h: boolean; e: string[]; a: string[] };
  return { subject: value.s, hubAdmin: value.h === true, editor: new Set(value.e.filter(isRegion)), admin: new Set(value.a.filter(isRegion)) };
}

function mac(secret: string, timestamp: string, viewer: string, body: string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}\n${viewer}\n${body}`).digest();
}

/** The headers that prove a request body comes from the gateway, for this viewer. */
export function signedHeaders(secret: string, body: string, viewer: Viewer = ANONYMOUS, now = Date.now()): Record<string, string> {
  const encoded = encodeViewer(viewer);
  const timestamp = String(now);
  return {
    [VIEWER_HEADER]: encoded,
    [TIMESTAMP_HEADER]: timestamp,
    [SIGNATURE_HEADER]: mac(secret, timestamp, encoded, body).toString('hex'),
  };
}

export class UnsignedRequest extends Error {}

/** The viewer of a request signed by the gateway; throws UnsignedRequest for anything else. */
export function verifySignedRequest(secret: string, body: string, headers: Record<string, string | string[] | undefined>, now = Date.now()): Viewer {
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const viewer = header(VIEWER_HEADER);
  const timestamp = header(TIMESTAMP_HEADER);
  const signature = header(SIGNATURE_HEADER);
  if (!viewer || !timestamp || !signature) throw new UnsignedRequest('the request does not come from the hub\'s gateway');
  if (!/^\d{13}$/.test(timestamp) || Math.abs(now - Number(timestamp)) > SIGNATURE_MAX_AGE_MS) {
    throw new UnsignedRequest('the request\'s signature has expired');
  }
  const expected = mac(secret, timestamp, viewer, body);
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new UnsignedRequest('the request\'s signature is wrong');
  try {
    return decodeViewer(viewer);
  } catch {
    throw new UnsignedRequest('the request\'s viewer cannot be read');
  }
}
