import { basename, resolve } from 'node:path';
import prompts from 'prompts';
import { type Answers, AUTH_STYLES, combinationProblem, DATABASES, DEFAULTS, FEATURES, FRAMEWORKS, validateAnswers, validateProjectName } from '../engine/answers.js';
import { CliError } from '../engine/errors.js';
import type { FeatureId } from '../engine/unit.js';

const LABELS: Record<string, string> = {
  fastify: 'Fastify 5', express: 'Express 5', hono: 'Hono 4 (on Node)',
  jwt: 'JWT: OAuth2 password flow, rotating refresh tokens', session: 'Sessions: cookie + CSRF', 'api-key': 'API keys: hashed, scoped', none: 'None: public API',
  sqlite: 'SQLite (embedded, no server)', postgres: 'PostgreSQL', mysql: 'MySQL 8 / MariaDB', none_db: 'None',
  waf: 'WAF edge filters (IP, user agent, country, proxies, PoW challenge)', uploads: 'File uploads', websocket: 'WebSockets', docs: 'OpenAPI docs (not in production)', metrics: 'Prometheus metrics', redis: 'Redis shared store (multi-instance limits, sessions)',
};

/** G1: ask for every choice the flags did not give. Ctrl-C or Esc cancels with exit 130 and writes nothing. */
export async function askForAnswers(
  flags: { name?: string; install?: boolean; git?: boolean },
  given: { directory?: string; framework?: string; auth?: string; database?: string; features?: FeatureId[] },
): Promise<{ answers: Answers; directory: string; install: boolean; git: boolean }> {
  const onCancel = () => {
    throw new CliError('cancelled', 'Cancelled: nothing was written.', undefined, 130);
  };
  const r = await prompts(
    [
      {
        type: given.directory ? null : 'text',
        name: 'directory',
        message: 'Project directory',
        initial: 'my-api',
        validate: (v: string) => validateProjectName(basename(resolve(v))) ?? true,
      },
      {
        type: given.framework ? null : 'select',
        name: 'framework',
        message: 'Framework',
        choices: FRAMEWORKS.map((f) => ({ title: LABELS[f] ?? f, value: f })),
        initial: FRAMEWORKS.indexOf(DEFAULTS.framework),
      },
      {
        type: given.database ? null : 'select',
        name: 'database',
        message: 'Database',
        choices: DATABASES.map((d) => ({ title: LABELS[d === 'none' ? 'none_db' : d] ?? d, value: d })),
        initial: DATABASES.indexOf(DEFAULTS.database),
      },
      {
        type: given.auth ? null : 'select',
        name: 'auth',
        message: 'Authentication',
        // Only the styles that work with the chosen database are offered.
        choices: (_prev: unknown, values: { database?: string }) =>
          AUTH_STYLES.filter((a) => !combinationProblem({ auth: a, database: (given.database ?? values.database) as Answers['database'], features: [] })).map((a) => ({ title: LABELS[a] ?? a, value: a })),
      },
      {
        type: given.features ? null : 'multiselect',
        name: 'features',
        message: 'Optional features',
        choices: FEATURES.map((f) => ({ title: LABELS[f] ?? f, value: f, selected: true })),
        hint: 'space to toggle, enter to confirm',
        instructions: false,
      },
      { type: flags.git === undefined ? 'confirm' : null, name: 'git', message: 'Create a git repository?', initial: true },
      { type: flags.install === undefined ? 'confirm' : null, name: 'install', message: 'Install dependencies?', initial: true },
    ],
    { onCancel },
  );
  const directory = (given.directory ?? r.directory) as string;
  const answers = validateAnswers({
    projectName: flags.name ?? basename(resolve(directory)),
    framework: (given.framework ?? r.framework) as Answers['framework'],
    auth: (given.auth ?? r.auth) as Answers['auth'],
    database: (given.database ?? r.database) as Answers['database'],
    features: given.features ?? (r.features as FeatureId[]),
  });
  return { answers, directory, install: flags.install ?? (r.install as boolean), git: flags.git ?? (r.git as boolean) };
}
