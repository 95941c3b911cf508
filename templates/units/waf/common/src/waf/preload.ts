/** Runs before the rest of the app is loaded (src/preload.ts imports it): see prefetch.ts. */
import { prefetchBlockList } from './prefetch.js';

prefetchBlockList(process.env);
