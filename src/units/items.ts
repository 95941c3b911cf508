import type { Unit } from '../engine/unit.js';

/** The items resource: owner-scoped CRUD under /api/v1/items, sanitised rich text, and its migration. */
export const unit: Unit = {
  id: 'items',
  title: 'Items resource',
  checklist: ['C03', 'C04', 'C10', 'C17', 'C18', 'C23'],
  dependencies: ['sanitize-html', 'zod'],
  devDependencies: ['@types/sanitize-html'],
  module: 'items/module',
  order: 40,
};
