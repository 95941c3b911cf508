/**
 * Your own modules: resources added with `npx secure-api generate resource <name>` are registered here, and
 * you can add yours by hand. `createServer()` runs them after the generator's modules (src/registry.ts), so
 * every request still passes the edge pipeline (headers, WAF, hosts, CORS, limits) before reaching them.
 * This file is yours: the generator only adds an import and an array element to it.
 */
import type { Module } from './core/types.js';

export const appModules: Module[] = [];
