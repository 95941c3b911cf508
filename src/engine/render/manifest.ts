import type { Answers } from '../answers.js';
import { GENERATOR_VERSION } from '../version.js';

export const MANIFEST_FILE = '.secure-api.json';

/** The command that regenerates this project from scratch. */
export function reproduceCommand(a: Answers): string {
  const features = a.features.length ? a.features.join(',') : 'none';
  return `npm create secure-api@${GENERATOR_VERSION} -- ${a.projectName} --framework ${a.framework} --auth ${a.auth} --database ${a.database} --features ${features} --yes`;
}

/** The answers file (G6): what `generate` and `check` re-plan from. Choices only, never a secret. */
export function renderManifest(a: Answers): string {
  const manifest = {
    $comment: 'Written by create-secure-api. `npx secure-api check` re-plans the project from these answers; `npx secure-api generate` updates them.',
    generatorVersion: GENERATOR_VERSION,
    projectName: a.projectName,
    framework: a.framework,
    auth: a.auth,
    database: a.database,
    features: a.features,
    ...(a.resources?.length ? { resources: a.resources.map((r) => ({ name: r.name, fields: [...r.fields] })) } : {}),
    command: reproduceCommand(a),
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
