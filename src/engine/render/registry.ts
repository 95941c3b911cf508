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

/**
 * src/preload.ts: server.ts imports it before anything else, so the units' preloads (`Unit.preload`) start while
 * Node is still loading the rest of the app's code (a quarter of a second of one core on a small dyno).
 */
export function renderPreload(units: readonly Unit[]): string {
  const preloads = units.flatMap((u) => (typeof u.preload === 'string' ? [u.preload] : []));
  return [
    `// ${MANAGED_MARKER}: rendered from .secure-api.json. Do not edit by hand:`,
    '// `npx secure-api generate <feature>` re-renders it and `npx secure-api check` verifies it byte for byte.',
    '// server.ts imports this file first: what it imports starts before the rest of the app is loaded.',
    ...(preloads.length > 0 ? preloads.map((path) => `import './${path}.js';`) : ['export {};']),
    '',
  ].join('\n');
}
