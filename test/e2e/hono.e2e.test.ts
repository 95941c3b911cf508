import { projectSuite } from './suite.js';

projectSuite({ framework: 'hono', auth: 'jwt', database: 'postgres', features: 'all', install: 'real' });
projectSuite({ framework: 'hono', auth: 'session', database: 'mysql', features: 'waf,metrics', install: 'shared' });
projectSuite({ framework: 'hono', auth: 'api-key', database: 'sqlite', features: 'uploads,docs', install: 'shared' });
projectSuite({ framework: 'hono', auth: 'none', database: 'none', features: 'all', install: 'shared' });
projectSuite({ framework: 'hono', auth: 'api-key', database: 'none', features: 'websocket', install: 'shared' });
