/**
 * `npm run token -- create --role editor --name NAME`: makes a token and prints it once, on its last line.
 * `npm run token -- revoke NAME`: revokes it. Only a SHA-256 of each token is stored (app.token).
 * On PostgreSQL it works while the server runs; the embedded engine's data folder is held by one process, so
 * there it is run while the server is stopped (README).
 */
import { openDb } from '../server/db/index.ts';
import { migrate } from '../server/db/migrate.ts';
import { createToken, ROLES, type Role, revokeToken } from '../server/db/queries/tokens.ts';
import { readEnv } from '../server/env.ts';

const USAGE = 'usage: npm run token -- create --role editor|admin --name NAME | revoke NAME';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

const [command, ...args] = process.argv.slice(2);
if (command !== 'create' && command !== 'revoke') {
  console.error(USAGE);
  process.exit(2);
}
const env = readEnv();
const db = await openDb({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
try {
  await migrate(db);
  if (command === 'create') {
    const role = option(args, 'role') ?? 'editor';
    const name = option(args, 'name');
    if (!name || !ROLES.includes(role as Role)) throw new Error(USAGE);
    const token = await createToken(db, name, role as Role);
    console.log(`token "${name}" (${role}) created; it is shown this once, keep it safe:`);
    console.log(token);
  } else {
    const name = args[0];
    if (!name) throw new Error(USAGE);
    if (!(await revokeToken(db, name))) throw new Error(`no active token named "${name}"`);
    console.log(`token "${name}" revoked`);
  }
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
} finally {
  await db.close();
}
