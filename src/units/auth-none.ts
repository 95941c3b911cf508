import type { Unit } from '../engine/unit.js';

// Placeholder until the unit's owner writes its declaration.
export const unit: Unit = { id: 'auth-none', title: 'auth-none', checklist: [] };
