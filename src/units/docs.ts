import type { Unit } from '../engine/unit.js';

/**
 * Feature `docs` (C02): OpenAPI 3.1 from the routes' zod schemas and Swagger UI, outside production only.
 * swagger-ui-dist depends on @scarf/scarf (install-time analytics): the generated package.json must carry
 * `"scarfSettings": { "enabled": false }` whenever this unit is present.
 */
export const unit: Unit = {
  id: 'docs',
  title: 'API docs',
  checklist: ['C02'],
  dependencies: ['swagger-ui-dist'],
  env: [
    { name: 'DOCS_ENABLED', example: 'true', description: 'Serve /docs and /openapi.json (never in production)' },
  ],
  // swagger-ui-dist's @scarf/scarf reports installs unless the project opts out.
  packageFields: { scarfSettings: { enabled: false } },
  module: 'docs/module',
  order: 80,
};
