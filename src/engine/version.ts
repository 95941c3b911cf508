import { readFileSync } from 'node:fs';

/** This generator's version, from its package.json (recorded in every project's answers file). */
export const GENERATOR_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
