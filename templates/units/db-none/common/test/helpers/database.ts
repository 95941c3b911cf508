/** This project has no database: the shared tests get an empty environment and nothing to drop. */
export const engine = 'none';

export interface FreshDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

export async function freshDatabase(): Promise<FreshDatabase> {
  return { env: {}, drop: async () => {} };
}
