/**
 * Mints a signed token (HS256) for trying the hub:
 *   npm run token -- --roles editor:SL,admin:SL --subject jana@example.org --expires 8h
 * Roles: hub-admin, admin:<REGION>, editor:<REGION>. The key is HUB_JWT_SECRET, or the local hub's
 * secret in .hub/secrets.json (made by `npm start`).
 */
import { SignJWT } from 'jose';
import { z } from 'zod';
import { runCommand, type CommandSpec } from '../subgraphs/kit/cli.js';
import { REGIONS } from '../subgraphs/shared/region.js';
import { ROLE_FORMS, roleProblem } from '../subgraphs/shared/roles.js';
import { devSecrets } from './lib/dev-secrets.js';

const SPEC: CommandSpec = {
  command: 'npm run token --',
  summary: 'Prints a signed token (HS256 JWT) for the hub\'s gateway, e.g. export HUB_TOKEN=$(npm run --silent token -- --roles editor:SL).',
  options: {
    roles: { type: 'string', value: 'LIST', description: `roles, comma-separated: ${ROLE_FORMS.join(', ')} (none: a signed-in reader)`, default: '' },
    subject: { type: 'string', value: 'NAME', description: 'who the token is for; the audit log records it', default: 'developer' },
    expires: { type: 'string', value: 'TIME', description: 'how long it is valid: a number and s, m, h, d or w (30m, 8h, 7d)', default: '8h' },
  },
  settings: {
    HUB_JWT_SECRET: 'the HS256 key the gateway verifies with, 32+ characters (default: the local hub\'s, .hub/secrets.json)',
  },
  notes: `Regions: ${REGIONS.join(', ')}.`,
};

/** A positive duration as jose reads it, in the short forms the help names. */
const DURATION = /^[1-9]\d*\s?(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?|w|weeks?)$/;

runCommand(SPEC, async ({ values, problems }) => {
  const roles = String(values.roles).split(',').map((r) => r.trim()).filter(Boolean);
  for (const role of roles) {
    const problem = roleProblem(role);
    if (problem) problems.add('--roles', problem);
  }
  const subject = String(values.subject).trim();
  if (!subject) problems.add('--subject', 'must not be empty (the gateway refuses a token without a subject)');
  const expires = String(values.expires).trim();
  if (!DURATION.test(expires)) problems.add('--expires', `"${expires}" is not a duration such as 30m, 8h or 7d`);
  const settings = problems.settings(z.object({ HUB_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional() }));
  problems.stopIfAny();
  const secret = settings?.HUB_JWT_SECRET ?? devSecrets().jwtSecret;
  const token = await new SignJWT({ roles })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime(expires)
    .sign(new TextEncoder().encode(secret));
  console.log(token);
  return 0;
});
