import type { Answers } from '../answers.js';

/** .github/workflows/ci.yml (G4, C26, C29, C31, G6): npm ci, type-check, lint, tests, audit, drift check. */
export function renderCiWorkflow(a: Answers): string {
  const services: string[] = [];
  const env: string[] = [];
  if (a.database === 'postgres') {
    services.push(
      '      postgres:',
      '        image: postgres:17',
      '        env: { POSTGRES_PASSWORD: postgres }',
      '        ports: ["5432:5432"]',
      '        options: --health-cmd "pg_isready -U postgres" --health-interval 5s --health-retries 10',
    );
    env.push('      TEST_DATABASE_URL: postgres://postgres:postgres@127.0.0.1:5432/postgres');
  }
  if (a.database === 'mysql') {
    services.push(
      '      mysql:',
      '        image: mysql:8.4',
      '        env: { MYSQL_ROOT_PASSWORD: root }',
      '        ports: ["3306:3306"]',
      '        options: --health-cmd "mysqladmin ping -proot" --health-interval 5s --health-retries 20',
    );
    env.push('      TEST_DATABASE_URL: mysql://root:root@127.0.0.1:3306/mysql');
  }
  if (a.features.includes('redis')) {
    services.push('      redis:', '        image: redis:7', '        ports: ["6379:6379"]');
    env.push('      TEST_REDIS_URL: redis://127.0.0.1:6379');
  }
  return [
    'name: ci',
    'on:',
    '  push:',
    '  pull_request:',
    'permissions:',
    '  contents: read',
    'jobs:',
    '  test:',
    '    runs-on: ubuntu-24.04',
    '    timeout-minutes: 20',
    ...(services.length ? ['    services:', ...services] : []),
    ...(env.length ? ['    env:', ...env] : []),
    '    steps:',
    '      - uses: actions/checkout@v4',
    '        with: { persist-credentials: false }',
    '      - uses: actions/setup-node@v4',
    '        with: { node-version-file: .nvmrc, cache: npm }',
    '      - run: npm ci',
    '      - run: npm run typecheck',
    '      - run: npm run lint',
    '      - run: npm test',
    '      - name: Dependency audit (C31)',
    '        run: npm run audit',
    '      - name: Drift and control check (G6)',
    '        run: npx secure-api check',
    '',
  ].join('\n');
}
