// `npm run generate`: a menu over `secure-api generate` (G5). Both generators call the same engine as the CLI,
// from the create-secure-api version pinned in devDependencies, so the menu and the command always agree.
// Every prompt can be answered from the command line, for CI and scripts:
//   npm run generate -- feature uploads
//   npm run generate -- resource books title:string,done:boolean,notes:text?
import { readFileSync } from 'node:fs';

const FEATURES = {
  waf: 'WAF edge filters: IP/CIDR, user agents, countries, proxies, proof-of-work challenge',
  uploads: 'File uploads: allowlisted types by magic bytes, size limits, random names',
  websocket: 'WebSockets: authenticated upgrade, Origin check, message size and rate limits',
  docs: 'OpenAPI docs (never in production)',
  metrics: 'Prometheus metrics behind a token',
  redis: 'Redis shared store: rate limits, sessions and revocation across instances',
};

function presentFeatures() {
  try {
    return JSON.parse(readFileSync(new URL('./.secure-api.json', import.meta.url), 'utf8')).features ?? [];
  } catch {
    return [];
  }
}

/** Run `secure-api generate ...` in this process; a failure becomes the action's error message. */
async function generate(args) {
  const { main } = await import('create-secure-api/dist/cli.js');
  let code;
  try {
    code = await main(['generate', ...args]);
  } catch (error) {
    throw new Error([error.message, error.hint].filter(Boolean).join('\n'));
  }
  if (code !== 0) throw new Error(`secure-api generate ${args.join(' ')} exited with ${code}`);
  return `secure-api generate ${args.join(' ')}`;
}

export default function (plop) {
  const present = presentFeatures();
  plop.setGenerator('feature', {
    description: 'add an optional feature left out at creation',
    prompts: [
      {
        type: 'list',
        name: 'feature',
        message: 'Which feature?',
        // A list, not a function: plop's command-line bypass matches against it.
        choices: Object.entries(FEATURES).map(([value, title]) => ({
          name: `${value}: ${title}${present.includes(value) ? ' (already in this project)' : ''}`,
          value,
        })),
      },
    ],
    actions: [(answers) => generate([answers.feature])],
  });

  plop.setGenerator('resource', {
    description: 'add an owner-scoped CRUD resource under /api/v1/<name> (needs a database)',
    prompts: [
      {
        type: 'input',
        name: 'name',
        message: 'Resource name (plural, lowercase, words joined by _):',
        validate: (value) =>
          /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(value) ||
          'Use lowercase letters and digits, words joined by "_" (books, book_reviews).',
      },
      {
        type: 'input',
        name: 'fields',
        message: 'Fields (name:type, comma separated; types string, text, int, number, boolean, date; ? for optional):',
        default: 'title:string',
        validate: (value) =>
          /^\s*[A-Za-z][A-Za-z0-9_]*:[a-z]+\??(\s*,\s*[A-Za-z][A-Za-z0-9_]*:[a-z]+\??)*\s*$/.test(value) ||
          'Write name:type pairs, e.g. title:string,done:boolean',
      },
    ],
    actions: [(answers) => generate(['resource', answers.name, '--fields', answers.fields.replace(/\s+/g, '')])],
  });
}
