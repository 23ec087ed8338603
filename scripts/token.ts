/**
 * Mints a signed token (HS256) for trying the hub:
 *   npm run token -- --roles editor:SL,admin:SL --subject jana@example.org --expires 8h
 * Roles: hub-admin, admin:<REGION>, editor:<REGION>. The key is HUB_JWT_SECRET, or the local hub's
 * secret in .hub/secrets.json (made by `npm start`).
 */
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { devSecrets } from './lib/dev-secrets.js';

const { values } = parseArgs({
  options: { roles: { type: 'string', default: '' }, subject: { type: 'string', default: 'developer' }, expires: { type: 'string', default: '8h' } },
});
const roles = values.roles.split(',').map((r) => r.trim()).filter(Boolean);
const invalid = roles.filter((r) => !/^(hub-admin|(admin|editor):[A-Z]{2})$/.test(r));
if (invalid.length) {
  console.error(`Unknown roles: ${invalid.join(', ')} (use hub-admin, admin:SL, editor:SL, …)`);
  process.exit(1);
}
const secret = process.env.HUB_JWT_SECRET ?? devSecrets().jwtSecret;
const token = await new SignJWT({ roles })
  .setProtectedHeader({ alg: 'HS256' })
  .setSubject(values.subject)
  .setIssuedAt()
  .setExpirationTime(values.expires)
  .sign(new TextEncoder().encode(secret));
console.log(token);
