import { projectSuite } from './suite.js';

projectSuite({ framework: 'express', auth: 'jwt', database: 'mysql', features: 'all', install: 'real' });
projectSuite({ framework: 'express', auth: 'session', database: 'sqlite', features: 'websocket,docs', install: 'shared' });
projectSuite({ framework: 'express', auth: 'api-key', database: 'postgres', features: 'waf,redis', install: 'shared' });
projectSuite({ framework: 'express', auth: 'none', database: 'none', features: 'uploads,metrics', install: 'shared' });
