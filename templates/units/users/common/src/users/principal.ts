/**
 * What a signed-in user may do. Users get every resource scope; admins also `admin` (see Principal in
 * core/types.ts). The auth styles build their principals here, so the rule lives in one place.
 */
import type { Principal } from '../core/types.js';
import type { Role } from './validators.js';

export const USER_SCOPES: readonly string[] = ['items:read', 'items:write', 'files:read', 'files:write'];
const ADMIN_SCOPES: readonly string[] = [...USER_SCOPES, 'admin'];

export function userPrincipal(
  user: { id: string; role: Role },
  credential: { credentialId: string; expiresAt: number },
): Principal {
  return {
    id: user.id,
    kind: 'user',
    role: user.role,
    scopes: user.role === 'admin' ? [...ADMIN_SCOPES] : [...USER_SCOPES],
    credentialId: credential.credentialId,
    expiresAt: credential.expiresAt,
  };
}
