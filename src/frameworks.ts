import type { PackageName } from './versions.js';
import type { Framework } from './engine/unit.js';

/** What each framework adds to a project; its files are in templates/base/<framework>. */
export const frameworkPackages: Record<Framework, { dependencies: PackageName[]; devDependencies: PackageName[]; title: string }> = {
  express: { title: 'Express 5', dependencies: ['express'], devDependencies: ['@types/express'] },
  fastify: { title: 'Fastify 5', dependencies: ['fastify'], devDependencies: [] },
  hono: { title: 'Hono 4 on @hono/node-server', dependencies: ['hono', '@hono/node-server'], devDependencies: [] },
};
