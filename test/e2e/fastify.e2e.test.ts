import { projectSuite } from './suite.js';

projectSuite({ framework: 'fastify', auth: 'jwt', database: 'sqlite', features: 'all', install: 'real' });
projectSuite({ framework: 'fastify', auth: 'session', database: 'postgres', features: 'redis,metrics', install: 'shared' });
projectSuite({ framework: 'fastify', auth: 'api-key', database: 'mysql', features: 'uploads,websocket', install: 'shared' });
projectSuite({ framework: 'fastify', auth: 'none', database: 'none', features: 'none', install: 'shared' });
