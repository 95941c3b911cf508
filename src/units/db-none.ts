import type { Unit } from '../engine/unit.js';

/** No database: no users or items. Only the test helper, so that the shared tests find `freshDatabase()`. */
export const unit: Unit = {
  id: 'db-none',
  title: 'No database',
  checklist: [],
};
