import type { Unit } from '../engine/unit.js';

// Placeholder until the unit's owner writes its declaration.
export const unit: Unit = { id: 'uploads', title: 'uploads', checklist: [] };
