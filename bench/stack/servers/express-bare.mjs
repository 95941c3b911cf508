// (a) Bare Express 5: no middleware.
import express from 'express';
import { authorized, HEALTH, ITEMS, listening, PORT, UNAUTHORIZED } from './common.mjs';

const app = express();
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
app.listen(PORT, '127.0.0.1', () => listening('express-bare'));
