// (b) Express 5 with the usual security middleware: helmet, cors (an allowlist), express-rate-limit (in
// memory) and pino-http (one JSON line per request) writing to stdout (a file here).
import cors from 'cors';
import express from 'express';
import rateLimit from 'express-rate-limit';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { authorized, CORS_ORIGINS, HEALTH, ITEMS, listening, PORT, RATE_LIMIT, UNAUTHORIZED } from './common.mjs';

const app = express();
app.set('trust proxy', 1);
app.use(pinoHttp());
app.use(helmet());
app.use(cors({ origin: CORS_ORIGINS }));
app.use(rateLimit({ windowMs: 60_000, limit: RATE_LIMIT, standardHeaders: 'draft-8', legacyHeaders: false }));
app.get('/health', (_req, res) => {
  res.json(HEALTH);
});
app.get('/api/v1/items', (req, res) => {
  if (!authorized(req.headers.authorization)) {
    res.status(401).json(UNAUTHORIZED);
    return;
  }
  res.json(ITEMS);
});
app.listen(PORT, '127.0.0.1', () => listening('express-naive'));
