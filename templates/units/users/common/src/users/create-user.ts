/**
 * `npm run user:create -- --email <email> --role <user|admin>` (in production: `node dist/users/create-user.js`).
 * The password is read from standard input, never from an argument (arguments show in `ps` and shell history):
 * typed at a prompt without echo, or piped (`printf %s "$PW" | npm run user:create -- …`). The same password
 * policy as registration applies. An existing account with that email keeps its password and gets the role.
 */
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { settings as coreSettings } from '../core/module.js';
import { loadSettings } from '../core/settings.js';
import { createDb } from '../database/db.js';
import { module as database, settings as databaseSettings } from '../database/module.js';
import { hashPassword } from './password.js';
import { createUser, EmailTakenError, findCredentialsByEmail, updateRole } from './repository.js';
import {
  EMAIL_AS_PASSWORD_MESSAGE,
  emailSchema,
  isEmailAsPassword,
  newPasswordSchema,
  roleSchema,
} from './validators.js';

class UsageError extends Error {}

async function readPassword(): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    let text = '';
    for await (const chunk of input) text += String(chunk);
    // One password, the first line: a trailing newline from `echo` is not part of it.
    return text.split(/\r?\n/)[0] ?? '';
  }
  const output = process.stderr;
  output.write('Password (not shown): ');
  const rl = createInterface({ input, output, terminal: true });
  // Swallow the echo of typed characters.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
  const password = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  output.write('\n');
  return password;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { email: { type: 'string' }, role: { type: 'string', default: 'user' } } });
  const email = emailSchema.safeParse(values.email ?? '');
  if (!email.success) throw new UsageError('--email <email> is required and must be an email address');
  const role = roleSchema.safeParse(values.role);
  if (!role.success) throw new UsageError('--role must be user or admin');

  const password = newPasswordSchema.safeParse(await readPassword());
  if (!password.success) throw new UsageError(`password refused: ${password.error.issues[0]?.message ?? 'invalid'}`);
  if (isEmailAsPassword(password.data, email.data))
    throw new UsageError(`password refused: ${EMAIL_AS_PASSWORD_MESSAGE}`);

  if (process.env.NODE_ENV !== 'production' && existsSync('.env')) process.loadEnvFile('.env');
  const settings = loadSettings(process.env, { NODE_ENV: coreSettings.NODE_ENV, ...databaseSettings }, [database]);
  const db = createDb(settings, { rawErrors: true });
  try {
    try {
      const user = await createUser(db, {
        email: email.data,
        passwordHash: await hashPassword(password.data),
        role: role.data,
      });
      console.log(`created ${user.role} ${user.email} (${user.id})`);
    } catch (err) {
      if (!(err instanceof EmailTakenError)) throw err;
      const existing = await findCredentialsByEmail(db, email.data);
      if (!existing) throw err;
      await updateRole(db, existing.id, role.data);
      console.log(`${email.data} already exists: role set to ${role.data}, password unchanged`);
    }
  } finally {
    await db.destroy();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
