// (a) Bare Express 5: no middleware. With BENCH_FLOOR=1, the floor: the same app wrapped in withFloor (common.mjs).
import http from 'node:http';
import express from 'express';
import { authorized, FLOOR, HEALTH, ITEMS, listening, PORT, UNAUTHORIZED, withFloor } from './common.mjs';

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
http.createServer(FLOOR ? withFloor(app) : app).listen(PORT, '127.0.0.1', () => listening(FLOOR ? 'express-floor' : 'express-bare'));
