/**
 * Control checks on files the user owns (G6): with ts-morph syntax trees, not regular expressions over whole
 * files, so formatting, comments and reordering do not matter; what matters is that each control is still wired
 * and still strong. Each check names the checklist ID of the control it protects.
 */
import { join } from 'node:path';
import type { Node as TsNode, SourceFile } from 'ts-morph';
import { isAppModuleRegistered } from '../../edits/app-modules.js';
import { loadTsMorph, parse } from '../../edits/ts-morph.js';
import type { Plan } from '../plan.js';
import { readText } from '../project.js';
import { resourcePaths } from '../resource/render.js';
import type { ResourceSpec } from '../resource/spec.js';
import type { Findings } from './finding.js';

type TsMorph = typeof import('ts-morph');

/** The C20 values (CHECKLIST.md). A function: the value passes when it returns true. */
const HEADERS: Record<string, { expected: string; ok: (v: string) => boolean }> = {
  'x-content-type-options': { expected: 'nosniff', ok: (v) => v.trim().toLowerCase() === 'nosniff' },
  'x-frame-options': { expected: 'DENY', ok: (v) => v.trim().toUpperCase() === 'DENY' },
  'content-security-policy': {
    expected: "default-src 'none'; frame-ancestors 'none'",
    ok: (v) => /(^|;)\s*default-src\s+'none'\s*(;|$)/.test(v) && /(^|;)\s*frame-ancestors\s+'none'\s*(;|$)/.test(v),
  },
  'referrer-policy': { expected: 'no-referrer', ok: (v) => v.trim().toLowerCase() === 'no-referrer' },
  'cross-origin-opener-policy': { expected: 'same-origin', ok: (v) => v.trim().toLowerCase() === 'same-origin' },
  'cross-origin-resource-policy': { expected: 'same-origin', ok: (v) => ['same-origin', 'same-site'].includes(v.trim().toLowerCase()) },
  'permissions-policy': { expected: 'a policy that disables unused features', ok: (v) => v.trim().length > 0 },
  'x-xss-protection': { expected: '0', ok: (v) => v.trim() === '0' },
  'cache-control': { expected: 'no-store (on /api responses)', ok: (v) => /no-store/i.test(v) },
  'strict-transport-security': {
    expected: 'max-age=31536000; includeSubDomains',
    ok: (v) => {
      const age = /max-age\s*=\s*"?(\d+)"?/i.exec(v);
      return !!age && Number(age[1]) >= 31_536_000 && /includesubdomains/i.test(v);
    },
  },
};

const TITLES: Record<string, string> = {
  'x-content-type-options': 'X-Content-Type-Options',
  'x-frame-options': 'X-Frame-Options',
  'content-security-policy': 'Content-Security-Policy',
  'referrer-policy': 'Referrer-Policy',
  'cross-origin-opener-policy': 'Cross-Origin-Opener-Policy',
  'cross-origin-resource-policy': 'Cross-Origin-Resource-Policy',
  'permissions-policy': 'Permissions-Policy',
  'x-xss-protection': 'X-XSS-Protection',
  'strict-transport-security': 'Strict-Transport-Security (HSTS)',
  'cache-control': 'Cache-Control',
};

const FILES = {
  headers: 'src/core/edge/security-headers.ts',
  pipeline: 'src/core/edge/pipeline.ts',
  createServer: 'src/create-server.ts',
  framework: 'src/framework.ts',
  coreModule: 'src/core/module.ts',
  routeRunner: 'src/core/route-runner.ts',
  appModules: 'src/app-modules.ts',
  docs: 'src/docs/module.ts',
  websocket: 'src/websocket/module.ts',
  multipart: 'src/uploads/multipart.ts',
} as const;

interface Context {
  dir: string;
  plan: Plan;
  resources: readonly ResourceSpec[];
  findings: Findings;
  ts: TsMorph;
  /** Parsed source files by path (undefined: missing). */
  files: Map<string, SourceFile | undefined>;
}

async function load(ctx: Context, path: string): Promise<SourceFile | undefined> {
  if (ctx.files.has(path)) return ctx.files.get(path);
  const text = readText(join(ctx.dir, path));
  const file = text === undefined ? undefined : await parse(path, text);
  ctx.files.set(path, file);
  return file;
}

/** The text of a string literal or a template without substitutions; undefined for anything else. */
function literal(ts: TsMorph, node: TsNode | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.Node.isStringLiteral(node) || ts.Node.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralValue();
  return undefined;
}

/** `foo(...)` and `a.b.foo(...)` → `foo`. */
function calleeName(ts: TsMorph, call: TsNode): string | undefined {
  if (!ts.Node.isCallExpression(call) && !ts.Node.isNewExpression(call)) return undefined;
  const callee = call.getExpression();
  if (ts.Node.isIdentifier(callee)) return callee.getText();
  if (ts.Node.isPropertyAccessExpression(callee)) return callee.getName();
  return undefined;
}

function calls(ts: TsMorph, root: TsNode, name: string): TsNode[] {
  return root.getDescendantsOfKind(ts.SyntaxKind.CallExpression).filter((c) => calleeName(ts, c) === name);
}

/** Name of a property in an object literal (`a`, `'a'`, `a` shorthand). */
function propertyName(ts: TsMorph, p: TsNode): string | undefined {
  if (ts.Node.isPropertyAssignment(p) || ts.Node.isShorthandPropertyAssignment(p)) {
    const name = p.getNameNode();
    return ts.Node.isStringLiteral(name) ? name.getLiteralValue() : name.getText();
  }
  return undefined;
}

/**
 * The source files whose text mentions `pattern`: parsing is the expensive part, and a file that never names
 * the thing a check looks for cannot hold it.
 */
function mentioning(ctx: Context, sources: readonly string[], pattern: RegExp): string[] {
  return sources.filter((path) => {
    const text = readText(join(ctx.dir, path));
    return text !== undefined && pattern.test(text);
  });
}

function missingFile(ctx: Context, path: string, id: string, what: string): void {
  ctx.findings.error(id, path, 1, `${path} is missing, so ${what} is not in place.`, `Restore ${path} from git (or from a freshly generated project).`);
}

/** C20: the header values in the security-headers file, compared with the checklist. */
async function checkHeaders(ctx: Context): Promise<void> {
  const { ts, findings } = ctx;
  const file = await load(ctx, FILES.headers);
  if (!file) return missingFile(ctx, FILES.headers, 'C20', 'the security headers (C20)');
  const seen = new Map<string, Array<{ value: string; line: number }>>();
  const record = (nameNode: TsNode | undefined, valueNode: TsNode | undefined) => {
    const name = literal(ts, nameNode)?.toLowerCase();
    if (!name || !(name in HEADERS)) return;
    const value = literal(ts, valueNode);
    const list = seen.get(name) ?? [];
    list.push({ value: value ?? '', line: (valueNode ?? nameNode)!.getStartLineNumber() });
    seen.set(name, list);
    if (value === undefined) seen.set(`${name}#computed`, list);
  };
  // ['Header', 'value'] tuples, setHeader('Header', 'value') calls and { 'Header': 'value' } objects.
  for (const array of file.getDescendantsOfKind(ts.SyntaxKind.ArrayLiteralExpression)) {
    const [a, b, ...rest] = array.getElements();
    if (rest.length === 0 && a && b) record(a, b);
  }
  for (const call of file.getDescendantsOfKind(ts.SyntaxKind.CallExpression)) {
    const [a, b] = call.getArguments();
    if (a && b) record(a, b);
  }
  for (const prop of file.getDescendantsOfKind(ts.SyntaxKind.PropertyAssignment)) {
    const nameNode = prop.getNameNode();
    if (ts.Node.isStringLiteral(nameNode)) record(nameNode, prop.getInitializer());
  }
  for (const [name, rule] of Object.entries(HEADERS)) {
    const found = seen.get(name);
    const title = TITLES[name] ?? name;
    if (!found) {
      findings.error('C20', FILES.headers, 1, `${title} is no longer set.`, `Set ${title}: ${rule.expected} again in securityHeaderList().`);
      continue;
    }
    if (seen.has(`${name}#computed`)) {
      findings.warning('C20', FILES.headers, found[0]!.line, `${title} is computed, so check cannot verify its value.`, `Use the literal value ${rule.expected}.`);
      continue;
    }
    for (const { value, line } of found) {
      if (!rule.ok(value)) {
        const why = name === 'x-xss-protection' ? ' (`1; mode=block` re-enables the legacy XSS auditor, which can itself be abused)' : '';
        findings.error('C20', FILES.headers, line, `${title} is "${value}"; the checklist requires ${rule.expected}${why}.`, `Set ${title} back to ${rule.expected}.`);
      }
    }
  }
}

/** The edge pipeline: every step still built, in buildEdge(). */
async function checkPipeline(ctx: Context): Promise<void> {
  const { ts, findings } = ctx;
  const file = await load(ctx, FILES.pipeline);
  if (!file) return missingFile(ctx, FILES.pipeline, 'C20', 'the edge pipeline (headers, hosts, CORS, limits)');
  const build = file.getFunction('buildEdge');
  if (!build) {
    findings.error('C20', FILES.pipeline, 1, 'buildEdge() is gone: the edge controls are not built.', 'Restore buildEdge() from git.');
    return;
  }
  const steps: Array<[string, string, string]> = [
    ['securityHeaders', 'C20', 'security headers'],
    ['trustedHosts', 'C19', 'the trusted Host allowlist'],
    ['httpsOnly', 'C34', 'the HTTPS redirect behind the proxy'],
    ['cors', 'C01', 'the CORS allowlist'],
    ['globalRateLimit', 'C12', 'the global rate limit'],
    ['step', 'C27', 'load shedding (backpressure)'],
  ];
  for (const [name, id, what] of steps) {
    if (calls(ts, build, name).length === 0) {
      findings.error(id, FILES.pipeline, build.getStartLineNumber(), `buildEdge() no longer calls ${name}(): ${what} is off for every request.`, `Restore the step (\`steps.push(${name}(...))\`) in buildEdge().`);
    }
  }
  const edgeHook = build.getDescendantsOfKind(ts.SyntaxKind.PropertyAccessExpression).some((p) => p.getName() === 'edge' && ts.Node.isCallExpression(p.getParent()));
  if (!edgeHook) {
    const waf = ctx.plan.answers.features.includes('waf');
    findings.error(waf ? 'W1' : 'G6', FILES.pipeline, build.getStartLineNumber(), 'buildEdge() no longer runs the modules\' edge steps (module.edge): the WAF and other edge filters are skipped.', 'Restore `for (const module of modules) if (module.edge) steps.push(module.edge(app));`.');
  }
}

/** create-server.ts: settings validated, registry run, the edge listener in front, timeouts set. */
async function checkCreateServer(ctx: Context): Promise<void> {
  const { ts, findings } = ctx;
  const path = FILES.createServer;
  const file = await load(ctx, path);
  if (!file) return missingFile(ctx, path, 'C20', 'the server assembly (settings, edge pipeline, timeouts)');

  // C21: loadSettings(env, settingsShape, modules).
  const load_ = calls(ts, file, 'loadSettings');
  const withShape = load_.find((c) => c.asKindOrThrow(ts.SyntaxKind.CallExpression).getArguments().some((a) => a.getText() === 'settingsShape'));
  if (!withShape) {
    findings.error('C21', path, 1, 'Settings are no longer validated at boot: no loadSettings(..., settingsShape, ...) call.', 'Build the settings with `loadSettings(options.env, settingsShape, modules)` so a bad configuration fails before listening.');
  } else if (withShape.asKindOrThrow(ts.SyntaxKind.CallExpression).getArguments().length < 3) {
    findings.error('C21', path, withShape.getStartLineNumber(), 'loadSettings() is called without the modules, so the production checks (weak secrets, TLS off) never run.', 'Pass the modules as the third argument: loadSettings(env, settingsShape, modules).');
  }

  // G6: the registry's modules are what runs.
  const registryImport = file.getImportDeclarations().find((d) => d.getModuleSpecifierValue() === './registry.js');
  const modulesName = registryImport?.getNamedImports().find((n) => n.getName() === 'modules');
  const localModules = modulesName ? (modulesName.getAliasNode()?.getText() ?? 'modules') : undefined;
  const usesModules = localModules && file.getDescendantsOfKind(ts.SyntaxKind.Identifier).filter((i) => i.getText() === localModules).length > 1;
  if (!usesModules) {
    findings.error('G6', path, 1, 'createServer() no longer runs the modules of src/registry.ts: the units\' controls are not initialised.', 'Import `modules` from ./registry.js and run them (`const all = [...modules, ...appModules]`).');
  }
  if (ctx.resources.length > 0) {
    const usesApp = file.getDescendantsOfKind(ts.SyntaxKind.Identifier).filter((i) => i.getText() === 'appModules').length > 1;
    if (!usesApp) {
      findings.error('G6', path, 1, 'createServer() does not run src/app-modules.ts, so your resources have no routes.', "Import `appModules` from './app-modules.js' and run `[...modules, ...appModules]`.");
    }
  }

  // The edge pipeline in front of the framework: http.createServer(options?, edge.listener).
  const servers = calls(ts, file, 'createServer').map((c) => c.asKindOrThrow(ts.SyntaxKind.CallExpression)).filter((c) => c.getArguments().length > 0);
  const edgeVars = new Set(
    calls(ts, file, 'buildEdge')
      .map((c) => c.getParentIfKind(ts.SyntaxKind.VariableDeclaration)?.getName())
      .filter((n): n is string => !!n),
  );
  const viaEdge = (node: TsNode | undefined): boolean => {
    if (!node) return false;
    if (ts.Node.isPropertyAccessExpression(node) && node.getName() === 'listener') {
      const target = node.getExpression();
      return (ts.Node.isIdentifier(target) && edgeVars.has(target.getText())) || calleeName(ts, target) === 'buildEdge';
    }
    return false;
  };
  if (servers.length === 0) {
    findings.error('C20', path, 1, 'No http.createServer(...) call found: check cannot see the edge pipeline in front of the routes.', 'Create the server with `http.createServer(options, edge.listener)`.');
  }
  for (const server of servers) {
    const args = server.getArguments();
    const listener = args[args.length - 1];
    if (!viaEdge(listener)) {
      findings.error(
        'C20',
        path,
        server.getStartLineNumber(),
        'The server no longer hands requests to the edge pipeline first: security headers (C20), trusted hosts (C19), the WAF, CORS (C01), rate limits (C12) and load shedding (C27) are bypassed.',
        'Pass `edge.listener` (from buildEdge(app, modules, framework)) to http.createServer, never the framework listener itself.',
      );
    }
  }
  for (const on of calls(ts, file, 'on')) {
    const [event, handler] = on.asKindOrThrow(ts.SyntaxKind.CallExpression).getArguments();
    if (literal(ts, event) === 'request' && !viaEdge(handler)) {
      findings.error('C20', path, on.getStartLineNumber(), "A second 'request' listener bypasses the edge pipeline.", "Remove the extra server.on('request', ...) handler; mount routes through modules instead.");
    }
  }

  // C15: header and body read timeouts, as createServer options or assignments.
  for (const name of ['headersTimeout', 'requestTimeout']) {
    const values: TsNode[] = [];
    for (const server of servers) {
      const options = server.getArguments()[0];
      if (options && ts.Node.isObjectLiteralExpression(options)) {
        for (const p of options.getProperties()) if (propertyName(ts, p) === name) values.push(p);
      }
    }
    for (const bin of file.getDescendantsOfKind(ts.SyntaxKind.BinaryExpression)) {
      const left = bin.getLeft();
      if (bin.getOperatorToken().getKind() === ts.SyntaxKind.EqualsToken && ts.Node.isPropertyAccessExpression(left) && left.getName() === name) values.push(bin);
    }
    if (values.length === 0) {
      findings.error('C15', path, servers[0]?.getStartLineNumber() ?? 1, `server ${name} is no longer set: slow clients (slowloris) can hold connections open.`, `Set ${name} from the settings (HEADERS_TIMEOUT_MS / REQUEST_BODY_TIMEOUT_MS) in http.createServer's options.`);
    }
    for (const v of values) {
      const init = ts.Node.isPropertyAssignment(v) ? v.getInitializer() : ts.Node.isBinaryExpression(v) ? v.getRight() : undefined;
      if (init && ts.Node.isNumericLiteral(init) && Number(init.getLiteralValue()) === 0) {
        findings.error('C15', path, v.getStartLineNumber(), `${name} is 0, which disables it.`, `Set ${name} from the settings.`);
      }
    }
  }
}

/** C27: the body limit is applied by the framework adapter; C20: Express's X-Powered-By off. */
async function checkFramework(ctx: Context): Promise<void> {
  const { ts, findings } = ctx;
  const path = FILES.framework;
  const file = await load(ctx, path);
  if (!file) return missingFile(ctx, path, 'C27', 'the framework adapter (body limits)');
  const usesLimit = file.getDescendantsOfKind(ts.SyntaxKind.PropertyAccessExpression).some((p) => p.getName() === 'BODY_LIMIT_BYTES');
  const limitOption = file
    .getDescendantsOfKind(ts.SyntaxKind.ObjectLiteralExpression)
    .some((o) => o.getProperties().some((p) => ['bodyLimit', 'limit', 'maxSize'].includes(propertyName(ts, p) ?? '')));
  if (!usesLimit || !limitOption) {
    findings.error('C27', path, 1, 'The request body limit (BODY_LIMIT_BYTES) is no longer applied by the framework: a client can send bodies of any size.', 'Pass settings.BODY_LIMIT_BYTES to the body parser (Fastify bodyLimit, express.json({ limit }), Hono bodyLimit({ maxSize })).');
  }
  if (ctx.plan.answers.framework === 'express') {
    const off = file.getDescendantsOfKind(ts.SyntaxKind.CallExpression).some((c) => {
      const [a, b] = c.getArguments();
      const name = calleeName(ts, c);
      return literal(ts, a)?.toLowerCase() === 'x-powered-by' && (name === 'disable' || (name === 'set' && b?.getText() === 'false'));
    });
    if (!off) findings.error('C20', path, 1, 'Express announces itself with X-Powered-By again.', "Call app.disable('x-powered-by').");
  }
}

/** C15: the per-request deadline; C12: the login limit enforced by the route runner. */
async function checkRouteRunner(ctx: Context): Promise<void> {
  const { ts, findings } = ctx;
  const path = FILES.routeRunner;
  const file = await load(ctx, path);
  if (!file) return missingFile(ctx, path, 'C03', 'route validation, auth and deadlines');
  const names = new Set(file.getDescendantsOfKind(ts.SyntaxKind.PropertyAccessExpression).map((p) => p.getName()));
  if (!names.has('REQUEST_TIMEOUT_MS')) {
    findings.error('C15', path, 1, 'The per-request deadline (REQUEST_TIMEOUT_MS) is no longer applied: slow handlers hold connections past the router limit.', 'Race the handler against settings.REQUEST_TIMEOUT_MS and answer 504.');
  }
  if (!names.has('rateLimit')) {
    findings.error('C12', path, 1, "The route runner no longer applies `rateLimit: 'login'`: login endpoints have no per-account limit.", 'Restore the login limit in runRoute().');
  }
}

/** C01: no `*` origin anywhere, and the CORS_ORIGINS setting still refuses it. */
async function checkCors(ctx: Context, sources: readonly string[]): Promise<void> {
  const { ts, findings } = ctx;
  for (const path of sources) {
    const file = await load(ctx, path);
    if (!file) continue;
    for (const call of file.getDescendantsOfKind(ts.SyntaxKind.CallExpression)) {
      const [a, b] = call.getArguments();
      if (literal(ts, a)?.toLowerCase() === 'access-control-allow-origin' && literal(ts, b)?.trim() === '*') {
        findings.error('C01', path, call.getStartLineNumber(), 'Access-Control-Allow-Origin is set to `*`: any site can call this API from a browser.', 'Answer only origins listed in CORS_ORIGINS, echoing the one that matched (see src/core/edge/cors.ts).');
      }
    }
    for (const prop of file.getDescendantsOfKind(ts.SyntaxKind.PropertyAssignment)) {
      const name = propertyName(ts, prop)?.toLowerCase();
      const init = prop.getInitializer();
      const value = literal(ts, init)?.trim();
      if (name === 'access-control-allow-origin' && value === '*') {
        findings.error('C01', path, prop.getStartLineNumber(), 'Access-Control-Allow-Origin is `*`.', 'Answer only origins listed in CORS_ORIGINS.');
      }
      if (name === 'origin' && (value === '*' || init?.getKind() === ts.SyntaxKind.TrueKeyword)) {
        findings.error('C01', path, prop.getStartLineNumber(), `A CORS option allows every origin (origin: ${init?.getText()}).`, 'Use the CORS_ORIGINS allowlist instead.');
      }
    }
  }
  const core = await load(ctx, FILES.coreModule);
  if (!core) return missingFile(ctx, FILES.coreModule, 'C21', 'the core settings');
  const setting = core.getDescendantsOfKind(ts.SyntaxKind.PropertyAssignment).find((p) => propertyName(ts, p) === 'CORS_ORIGINS');
  if (!setting) {
    findings.error('C01', FILES.coreModule, 1, 'The CORS_ORIGINS setting is gone.', 'Restore it: an explicit list of origins, empty by default, `*` refused.');
    return;
  }
  const star = setting.getDescendants().find((n) => literal(ts, n) === '*');
  if (star) {
    findings.error('C01', FILES.coreModule, star.getStartLineNumber(), 'CORS_ORIGINS lists `*`.', 'Default to an empty list; list the origins that may call the API.');
  }
  const refusesStar = core
    .getDescendantsOfKind(ts.SyntaxKind.BinaryExpression)
    .some((b) => [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken].includes(b.getOperatorToken().getKind()) && (literal(ts, b.getRight()) === '*' || literal(ts, b.getLeft()) === '*'));
  if (!refusesStar) {
    findings.error('C01', FILES.coreModule, setting.getStartLineNumber(), 'CORS_ORIGINS no longer refuses `*` at boot.', "Keep the origin validator's `value === '*'` refusal.");
  }
}

/** C12: POST login/token/register routes keep `rateLimit: 'login'`. */
async function checkLoginLimits(ctx: Context, sources: readonly string[]): Promise<void> {
  const { ts, findings } = ctx;
  const expected = new Set<string>();
  if (ctx.plan.answers.auth === 'jwt') expected.add('/api/v1/auth/token');
  if (ctx.plan.answers.auth === 'session') expected.add('/api/v1/auth/login');
  if (ctx.plan.units.some((u) => u.id === 'users')) expected.add('/api/v1/auth/register');
  const found = new Set<string>();
  for (const path of sources) {
    const file = await load(ctx, path);
    if (!file) continue;
    for (const object of file.getDescendantsOfKind(ts.SyntaxKind.ObjectLiteralExpression)) {
      const props = new Map(object.getProperties().map((p) => [propertyName(ts, p), p] as const));
      const pathProp = props.get('path');
      if (!pathProp || !ts.Node.isPropertyAssignment(pathProp)) continue;
      const routePath = literal(ts, pathProp.getInitializer());
      if (!routePath || !/\/auth\/(login|token|register)$/.test(routePath)) continue;
      found.add(routePath);
      const limit = props.get('rateLimit');
      const value = limit && ts.Node.isPropertyAssignment(limit) ? literal(ts, limit.getInitializer()) : undefined;
      if (value !== 'login') {
        findings.error('C12', path, object.getStartLineNumber(), `POST ${routePath} has no \`rateLimit: 'login'\`: passwords can be guessed at the global rate.`, "Add `rateLimit: 'login'` to the route definition.");
      }
    }
  }
  for (const route of expected) {
    if (!found.has(route)) {
      findings.warning('C12', 'src/auth', 1, `Could not find the route definition of ${route} to verify its login rate limit.`, "Keep the path a string literal in the route definition, with `rateLimit: 'login'`.");
    }
  }
}

/** C04: every paginated query keeps an upper bound; C10: no sql.raw with values. */
async function checkQueries(ctx: Context, sources: readonly string[]): Promise<void> {
  const { ts, findings } = ctx;
  for (const path of sources) {
    const file = await load(ctx, path);
    if (!file) continue;
    for (const prop of file.getDescendantsOfKind(ts.SyntaxKind.PropertyAssignment)) {
      if (propertyName(ts, prop) !== 'limit') continue;
      const init = prop.getInitializer();
      if (!init || !init.getText().includes('coerce')) continue; // query input, not a response field
      const max = init.getDescendantsOfKind(ts.SyntaxKind.CallExpression).find((c) => calleeName(ts, c) === 'max');
      let bound: number | undefined;
      const arg = max?.getArguments()[0];
      if (arg && ts.Node.isNumericLiteral(arg)) bound = Number(arg.getLiteralValue());
      else if (arg && ts.Node.isIdentifier(arg)) {
        const decl = file.getVariableDeclaration(arg.getText())?.getInitializer();
        if (decl && ts.Node.isNumericLiteral(decl)) bound = Number(decl.getLiteralValue());
        else bound = -1; // imported: trust it
      }
      if (bound === undefined || bound > 1000) {
        findings.error('C04', path, prop.getStartLineNumber(), bound === undefined ? 'A page size (`limit`) has no upper bound.' : `A page size (\`limit\`) allows ${bound} rows per request.`, 'Bound it: `.max(100)` (the shared `pagination` validator).');
      }
    }
    for (const call of file.getDescendantsOfKind(ts.SyntaxKind.CallExpression)) {
      const callee = call.getExpression();
      if (ts.Node.isPropertyAccessExpression(callee) && callee.getName() === 'raw' && callee.getExpression().getText() === 'sql') {
        const arg = call.getArguments()[0];
        if (!literal(ts, arg)) {
          findings.error('C10', path, call.getStartLineNumber(), 'sql.raw() with a computed string: SQL built from values is injectable.', 'Use Kysely builders or the sql`` template with ${value} placeholders (bound parameters).');
        }
      }
    }
  }
}

/** C02: the docs routes stay off in production. */
async function checkDocs(ctx: Context): Promise<void> {
  if (!ctx.plan.answers.features.includes('docs')) return;
  const { ts, findings } = ctx;
  const file = await load(ctx, FILES.docs);
  if (!file) return missingFile(ctx, FILES.docs, 'C02', 'the docs switch');
  const guarded = file.getDescendantsOfKind(ts.SyntaxKind.BinaryExpression).some((b) => b.getText().includes('NODE_ENV') && (literal(ts, b.getRight()) === 'production' || literal(ts, b.getLeft()) === 'production'));
  if (!guarded) {
    findings.error('C02', FILES.docs, 1, 'The docs module no longer checks NODE_ENV: /docs and /openapi.json would be served in production.', "Serve the routes only when `app.settings.NODE_ENV !== 'production'`.");
  }
}

/** C28: WebSocket frames bounded and Origin checked; C16: upload size bounded while streaming. */
async function checkFeatureLimits(ctx: Context): Promise<void> {
  const { ts, findings } = ctx;
  const features = ctx.plan.answers.features;
  if (features.includes('websocket')) {
    const file = await load(ctx, FILES.websocket);
    if (!file) return missingFile(ctx, FILES.websocket, 'C28', 'WebSocket hardening');
    const props = file.getDescendantsOfKind(ts.SyntaxKind.PropertyAssignment);
    if (!props.some((p) => propertyName(ts, p) === 'maxPayload')) {
      findings.error('C28', FILES.websocket, 1, 'The WebSocket server no longer sets maxPayload: a client can send frames of any size.', 'Set `maxPayload: app.settings.WS_MAX_PAYLOAD_BYTES` on the WebSocketServer.');
    }
    const originCall = file.getDescendantsOfKind(ts.SyntaxKind.CallExpression).some((c) => /origin/i.test(calleeName(ts, c) ?? ''));
    if (!originCall) {
      findings.error('C28', FILES.websocket, 1, 'The upgrade no longer checks Origin: any web page can open a socket with a visitor\'s credentials.', 'Refuse upgrades whose Origin is not allowed (originAllowed) before accepting them.');
    }
  }
  if (features.includes('uploads')) {
    const file = await load(ctx, FILES.multipart);
    if (!file) return missingFile(ctx, FILES.multipart, 'C16', 'upload validation');
    const limited = file.getDescendantsOfKind(ts.SyntaxKind.PropertyAssignment).some((p) => propertyName(ts, p) === 'fileSize');
    if (!limited) {
      findings.error('C16', FILES.multipart, 1, 'Multipart parsing no longer limits fileSize: uploads are unbounded while streaming.', 'Pass `limits: { fileSize: options.maxBytes, files: 1, ... }` to busboy.');
    }
  }
}

/** Resources from `generate resource`: registered, authenticated, strict bodies. */
async function checkResources(ctx: Context): Promise<void> {
  const { ts, findings } = ctx;
  const appModules = readText(join(ctx.dir, FILES.appModules));
  for (const resource of ctx.resources) {
    const paths = resourcePaths(resource.name);
    if (appModules === undefined || !(await isAppModuleRegistered(appModules, paths.importPath))) {
      findings.error('G6', FILES.appModules, 1, `The resource ${resource.name} (in .secure-api.json) is not registered in appModules.`, `Add \`import { module as ${resource.name}Module } from '${paths.importPath}';\` and list it in appModules, or remove the resource from .secure-api.json.`);
    }
    const routes = await load(ctx, `${paths.dir}/routes.ts`);
    if (!routes) {
      findings.error('G6', `${paths.dir}/routes.ts`, 1, `The routes of the resource ${resource.name} are missing.`, 'Restore them from git, or remove the resource from .secure-api.json.');
    } else {
      for (const object of routes.getDescendantsOfKind(ts.SyntaxKind.ObjectLiteralExpression)) {
        const auth = object.getProperties().find((p) => propertyName(ts, p) === 'auth');
        const hasHandler = object.getProperties().some((p) => ['handler'].includes(propertyName(ts, p) ?? '') || (ts.Node.isMethodDeclaration(p) && p.getName() === 'handler'));
        if (!hasHandler) continue;
        if (!auth || (ts.Node.isPropertyAssignment(auth) && auth.getInitializer()?.getKind() === ts.SyntaxKind.FalseKeyword)) {
          findings.error('C08', `${paths.dir}/routes.ts`, object.getStartLineNumber(), `A route of the resource ${resource.name} no longer requires credentials.`, 'Set `auth: true` (records are owner-scoped; without a principal there is no owner).');
        }
      }
    }
    const schemas = await load(ctx, `${paths.dir}/schemas.ts`);
    if (schemas) {
      for (const name of ['create', 'update']) {
        const decl = schemas.getVariableDeclarations().find((d) => d.getName().startsWith(name) && d.getName().endsWith('Body'));
        const strict = decl?.getDescendantsOfKind(ts.SyntaxKind.CallExpression).some((c) => calleeName(ts, c) === 'strict' || calleeName(ts, c) === 'strictObject');
        if (decl && !strict) {
          findings.error('C03', `${paths.dir}/schemas.ts`, decl.getStartLineNumber(), `${decl.getName()} is no longer .strict(): unknown fields (owner_id, id) would be accepted silently.`, 'Add .strict() to the body schema.');
        }
      }
    }
  }
}

/** Every check on user-owned code. `sources` are the project's src/**\/*.ts files. */
export async function checkControls(dir: string, plan: Plan, resources: readonly ResourceSpec[], findings: Findings, sources: readonly string[]): Promise<number> {
  const ts = await loadTsMorph();
  const ctx: Context = { dir, plan, resources, findings, ts, files: new Map() };
  await checkHeaders(ctx);
  await checkPipeline(ctx);
  await checkCreateServer(ctx);
  await checkFramework(ctx);
  await checkRouteRunner(ctx);
  await checkCors(ctx, mentioning(ctx, sources, /access-control-allow-origin|origin\s*:/i));
  await checkLoginLimits(ctx, mentioning(ctx, sources, /\/auth\//));
  await checkQueries(ctx, mentioning(ctx, sources, /coerce|sql\s*\.\s*raw/));
  await checkDocs(ctx);
  await checkFeatureLimits(ctx);
  await checkResources(ctx);
  return ctx.files.size;
}
