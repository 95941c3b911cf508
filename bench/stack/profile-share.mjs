// The share of a V8 CPU profile's busy time spent inside named functions: what one part of a server costs per
// request, measured without comparing two noisy throughput runs (e.g. the WAF's edge step, `wafEdgeStep`).
// Used by run.mjs (its waf-share phase) and profile-top.mjs (--share).

/** A V8 CPU profile's nodes by id, and each node's parent id (the profile itself only lists children). */
export function indexProfile(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  return { byId, parent };
}

/**
 * Each sample is counted once, for the outermost named frame on its stack (callees included); idle samples are
 * left out. With `fromFirst`, so are the samples before the first one inside a named function (the startup).
 */
export function shareInside(profile, names, { fromFirst = false } = {}) {
  const wanted = new Set(names);
  const { byId, parent } = indexProfile(profile);
  const memo = new Map();
  const outermost = (id) => {
    if (memo.has(id)) return memo.get(id);
    let hit = null;
    for (let p = id; p !== undefined; p = parent.get(p)) {
      const fn = byId.get(p).callFrame.functionName;
      if (wanted.has(fn)) hit = fn;
    }
    memo.set(id, hit);
    return hit;
  };
  let busy = 0;
  let inside = 0;
  let counting = !fromFirst;
  const byName = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    if (byId.get(id).callFrame.functionName === '(idle)') continue;
    const hit = outermost(id);
    if (!counting && hit === null) continue;
    counting = true;
    const dt = profile.timeDeltas[i] ?? 0;
    busy += dt;
    if (hit !== null) {
      inside += dt;
      byName.set(hit, (byName.get(hit) ?? 0) + dt);
    }
  }
  return { busyUs: busy, insideUs: inside, share: busy > 0 ? inside / busy : 0, byName };
}
