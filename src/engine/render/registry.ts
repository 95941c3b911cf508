import type { Unit } from '../unit.js';

export const MANAGED_MARKER = '@managed by create-secure-api';

function alias(modulePath: string): string {
  const first = modulePath.split('/')[0] ?? modulePath;
  return first.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * src/registry.ts: the one place where the set of units shows in code. The server reads the settings
 * shape and the modules (in phase order) from it, so adding a feature is a re-render, not an AST edit.
 */
export function renderRegistry(units: readonly Unit[]): string {
  const withModule = units.filter((u): u is Unit & { module: string } => typeof u.module === 'string');
  const lines = [
    `// ${MANAGED_MARKER}: rendered from .secure-api.json. Do not edit by hand:`,
    '// `npx secure-api generate <feature>` re-renders it and `npx secure-api check` verifies it byte for byte.',
    "import type { z } from 'zod';",
    // Sorted by path, as formatters order imports; the modules array below keeps the phase order.
    ...[...withModule.map((u) => `import * as ${alias(u.module)} from './${u.module}.js';`), "import type { Module } from './core/types.js';"]
      .sort((a, b) => (a.split(' from ')[1] as string).localeCompare(b.split(' from ')[1] as string)),
    '',
    '/** Every environment variable the server reads, validated at boot (C21). */',
    `export const settingsShape = {`,
    ...withModule.map((u) => `  ...${alias(u.module)}.settings,`),
    '};',
    '',
    'export type Settings = z.infer<z.ZodObject<typeof settingsShape>>;',
    '',
    '/** The modules of this project, in the order their hooks run (edge steps, init, routes). */',
    'export const modules: readonly Module[] = [',
    ...withModule.map((u) => `  ${alias(u.module)}.module,`),
    '];',
    '',
  ];
  return lines.join('\n');
}
