import { readFileSync } from 'node:fs';

/** The generator's answers for this project (`.secure-api.json`), read at test time: which engine, which auth. */
export interface Answers {
  framework: string;
  auth: 'jwt' | 'session' | 'api-key' | 'none';
  database: 'sqlite' | 'postgres' | 'mysql' | 'none';
  features: string[];
}

export const answers: Answers = JSON.parse(readFileSync(new URL('../../.secure-api.json', import.meta.url), 'utf8'));
