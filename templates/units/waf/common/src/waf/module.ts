/**
 * The WAF (checklist W1–W5): in-process edge filtering that runs on the raw request after the core has set the
 * request id, the trusted client IP (C34) and the security headers (C20), and before trusted hosts, CORS,
 * limits, body parsing, auth and routes. Order: IP allow (wins over everything) and deny → anonymous-proxy lists
 * → country → user agent → flood gate (hard-threshold shedding, then the proof-of-work challenge).
 *
 * A blocked request gets 403 with the generic error body (identical for every path), one `warn` log line
 * `{event:'waf_block', rule}`, and `waf_blocks_total{rule}` in the metrics. See docs/WAF.md.
 */
import { randomBytes } from 'node:crypto';
import type { AppContext, EdgeStep, Module } from '../core/types.js';
import { ChallengeService } from './challenge.js';
import { CountryRules } from './country.js';
import { bundledCountryDbPath, CountryDb } from './country-db.js';
import { watchForChanges } from './file-watch.js';
import { FloodGate } from './flood.js';
import { IpRules } from './ip-rules.js';
import { ProxyLists } from './proxy-lists.js';
import { sendForbidden, sendUnavailable } from './respond.js';
import { Rules } from './rules.js';
import { UaMatcher } from './user-agents.js';

export { settings } from './settings.js';

interface WafState {
  rules: Rules;
  flood: FloodGate;
  stop: Array<() => void>;
  shed: { count: number; loggedAt: number };
}

const states = new WeakMap<AppContext, WafState>();

/** Build every rule from the settings; throws (stopping the boot) on a bad list file or database. */
export async function createWaf(app: AppContext): Promise<WafState> {
  const s = app.settings;
  const stop: Array<() => void> = [];
  const ip = new IpRules({ allow: s.WAF_ALLOW_IPS, block: s.WAF_BLOCK_IPS, blockFile: s.WAF_BLOCK_IPS_FILE });
  await ip.load();

  let proxies: ProxyLists | null = null;
  if (s.WAF_BLOCK_PROXIES) {
    proxies = new ProxyLists(
      {
        file: s.WAF_PROXY_LIST_FILE,
        url: s.WAF_PROXY_LIST_URL,
        cache: s.WAF_PROXY_LIST_CACHE,
        refreshSeconds: s.WAF_PROXY_LIST_REFRESH_S,
      },
      app.log,
    );
    await proxies.start();
    const lists = proxies;
    stop.push(() => lists.stop());
  }

  let country: CountryRules | null = null;
  if (s.WAF_BLOCK_COUNTRIES.length > 0 || s.WAF_ALLOW_COUNTRIES.length > 0) {
    const db = await CountryDb.open(s.WAF_GEOIP_DB ?? bundledCountryDbPath());
    country = new CountryRules({
      block: s.WAF_BLOCK_COUNTRIES,
      allow: s.WAF_ALLOW_COUNTRIES,
      header: s.WAF_COUNTRY_HEADER,
      db,
    });
  }

  const ua = new UaMatcher(s.WAF_BLOCK_USER_AGENTS, {
    builtin: s.WAF_BUILTIN_USER_AGENTS,
    blockEmpty: s.WAF_BLOCK_EMPTY_UA,
  });

  let secret = s.WAF_CHALLENGE_SECRET;
  if (secret === undefined) {
    // Passes then only work on this instance and die with it; production should share one secret.
    secret = randomBytes(32).toString('base64url');
    if (s.NODE_ENV === 'production' && s.WAF_CHALLENGE !== 'off') {
      app.log.warn(
        { event: 'waf_config' },
        'WAF_CHALLENGE_SECRET is not set: challenge passes are valid on this instance only',
      );
    }
  }
  const challenge = new ChallengeService(secret, s.WAF_CHALLENGE_TTL, s.WAF_CHALLENGE_MAX_NUMBER);
  const flood = new FloodGate(
    {
      mode: s.WAF_CHALLENGE,
      threshold: s.WAF_CHALLENGE_THRESHOLD,
      hardThreshold: s.WAF_HARD_THRESHOLD,
      secureCookie: s.NODE_ENV === 'production',
    },
    challenge,
    app.log,
  );

  // Reload the local list files on SIGHUP and when they change; a bad file keeps the previous list.
  const reloadFiles = (): void => {
    void ip.reload(app.log);
    void proxies?.reloadFile();
  };
  if (s.WAF_BLOCK_IPS_FILE !== undefined)
    stop.push(watchForChanges(s.WAF_BLOCK_IPS_FILE, () => void ip.reload(app.log)));
  if (proxies !== null && s.WAF_PROXY_LIST_FILE !== undefined) {
    const lists = proxies;
    stop.push(watchForChanges(s.WAF_PROXY_LIST_FILE, () => void lists.reloadFile()));
  }
  if (s.WAF_BLOCK_IPS_FILE !== undefined || s.WAF_PROXY_LIST_FILE !== undefined) {
    process.on('SIGHUP', reloadFiles);
    stop.push(() => process.off('SIGHUP', reloadFiles));
  }

  app.log.info(
    {
      event: 'waf_ready',
      blockRanges: ip.block.size,
      allowRanges: ip.allow.size,
      proxyRanges: proxies?.set.size ?? 0,
      countries: country !== null,
      challenge: s.WAF_CHALLENGE,
    },
    'WAF rules loaded',
  );
  return { rules: new Rules(ip, proxies, country, ua), flood, stop, shed: { count: 0, loggedAt: 0 } };
}

function block(app: AppContext, rule: string, req: Parameters<EdgeStep>[0], res: Parameters<EdgeStep>[1]): true {
  app.log.warn({ event: 'waf_block', rule, ip: req.edge.ip, requestId: req.edge.id }, 'request blocked by the WAF');
  app.metrics.inc('waf_blocks_total', { rule });
  sendForbidden(req, res);
  return true;
}

export const module: Module = {
  name: 'waf',
  checklist: ['W1', 'W2', 'W3', 'W4', 'W5'],

  productionIssues(s) {
    const issues: string[] = [];
    if (s.WAF_PROXY_LIST_URL !== undefined && !s.WAF_PROXY_LIST_URL.startsWith('https://')) {
      issues.push('WAF_PROXY_LIST_URL: must be an https:// URL in production');
    }
    return issues;
  },

  async init(app) {
    if (!app.settings.WAF_ENABLED) return;
    states.set(app, await createWaf(app));
  },

  edge(app): EdgeStep {
    // init has run (the edge is built after every module's init): look the state up once, not per request.
    const found = states.get(app);
    if (found === undefined) return () => false; // WAF_ENABLED=false
    const state: WafState = found;
    // A function declaration: its name survives the bundler (a function expression's does not), so that CPU
    // profiles show what the WAF costs per request (bench/stack/profile-top.mjs --share wafEdgeStep).
    function wafEdgeStep(req: Parameters<EdgeStep>[0], res: Parameters<EdgeStep>[1]): ReturnType<EdgeStep> {
      const verdict = state.rules.decide(req.edge.ip, req.headers);
      if (verdict === 'allow') return false;
      if (verdict !== null) return block(app, verdict, req, res);
      const flood = state.flood;
      const now = Date.now();
      if (flood.overHard(now)) {
        // Shedding must stay cheap under a flood: count every one, log once a second.
        state.shed.count++;
        if (now - state.shed.loggedAt >= 1000) {
          app.log.warn({ event: 'waf_block', rule: 'hard_limit', shed: state.shed.count }, 'WAF shedding load');
          state.shed = { count: 0, loggedAt: now };
        }
        app.metrics.inc('waf_blocks_total', { rule: 'hard_limit' });
        sendUnavailable(req, res);
        return true;
      }
      if (!flood.active || flood.exempt(req)) return false;
      const outcome = flood.gate(req, res, app.store, state.rules.address);
      if (outcome === 'pass') return false;
      return outcome.then((ended) => {
        if (ended !== 'challenged') return false;
        app.metrics.inc('waf_blocks_total', { rule: 'challenge' });
        return true;
      });
    }
    return wafEdgeStep;
  },

  async close(app) {
    const state = states.get(app);
    if (state === undefined) return;
    for (const stop of state.stop) stop();
    states.delete(app);
  },
};
