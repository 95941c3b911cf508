/** The items resource (C03, C04, C10, C17, C23): a small owner-scoped CRUD API, the example to copy. */
import type { Module } from '../core/types.js';
import { itemRoutes } from './routes.js';

export const settings = {};

export const module: Module = {
  name: 'items',
  checklist: ['C03', 'C04', 'C10', 'C17', 'C18', 'C23'],
  routes: () => itemRoutes(),
};
