// Readable names for the actors the API writes into `created_by` ("user:<sub>", "api-key:<id>",
// "workload:<binding id>:<sub>"; docs/API.md, section 5). The caller is named from /me; an admin's
// console also reads the organization's members, API keys and workload bindings, one list request
// each per organization and minute, never one per row (docs/CONSOLE.md, section 5).
import { orgPath } from './api.js';

const FRESH_MS = 60000;

const LISTS = [
  {
    path: 'members',
    field: 'members',
    add: (names, m) => m.subject && names.set('user:' + m.subject, m.email || m.name || m.subject),
  },
  { path: 'api-keys', field: 'api_keys', add: (names, k) => names.set('api-key:' + k.id, k.name + ' (API key)') },
  { path: 'workload-identities', field: 'workload_identities', add: (names, w) => names.set('workload:' + w.id, w.name) },
];

// org id -> {at, names}; lists the server refused (a restricted admin key) are not asked again.
let cache = new Map();
let refused = new Set();

/** Forgets every name learned: called when a session starts or ends. */
export function forgetActors() {
  cache = new Map();
  refused = new Set();
}

function selfNames(me) {
  const names = new Map();
  if (!me || !me.subject) return names;
  if (me.kind === 'user') names.set('user:' + me.subject, me.email || me.name || me.subject);
  else if (me.kind === 'api_key') names.set(me.subject, (me.name || 'this key') + ' (API key)');
  return names;
}

async function adminNames(ctx) {
  const names = new Map();
  await Promise.all(
    LISTS.map(async (list) => {
      const key = ctx.org.id + ' ' + list.path;
      if (refused.has(key)) return;
      try {
        const answer = await ctx.api.get(orgPath(ctx.org.id, list.path));
        for (const item of answer[list.field] || []) list.add(names, item);
      } catch (e) {
        // 403 for an admin key narrowed to environments or tags: fall back to short ids.
        if (e && (e.status === 403 || e.status === 404)) refused.add(key);
      }
    }),
  );
  return names;
}

function short(id) {
  return id.length > 12 ? id.slice(0, 8) + '…' : id;
}

/** Words for an actor nobody could name here: its kind and a short id (the full one is the title). */
function fallback(actor) {
  if (actor.startsWith('user:')) return 'user ' + short(actor.slice(5));
  if (actor.startsWith('api-key:')) return 'API key ' + short(actor.slice(8));
  if (actor.startsWith('workload:')) {
    const rest = actor.slice(9);
    const colon = rest.indexOf(':');
    return 'workload ' + (colon >= 0 ? rest.slice(colon + 1) : short(rest));
  }
  return actor;
}

/**
 * A resolver for the organization of `ctx`: `label(actor)` answers a name a person can read (an email,
 * an API key's or a workload binding's name), `label('')` answers ''. Never fails: a list that
 * cannot be read leaves its actors as kind and short id.
 */
export async function actorNames(ctx) {
  const names = selfNames(ctx.me);
  if (ctx.org && ctx.isAdmin) {
    let entry = cache.get(ctx.org.id);
    if (!entry || Date.now() - entry.at > FRESH_MS) {
      entry = { at: Date.now(), names: await adminNames(ctx) };
      cache.set(ctx.org.id, entry);
    }
    for (const [actor, name] of entry.names) if (!names.has(actor)) names.set(actor, name);
  }
  return {
    label(actor) {
      if (!actor) return '';
      if (names.has(actor)) return names.get(actor);
      if (actor.startsWith('workload:')) {
        const rest = actor.slice(9);
        const colon = rest.indexOf(':');
        const binding = names.get('workload:' + (colon >= 0 ? rest.slice(0, colon) : rest));
        if (binding) return binding + (colon >= 0 ? ' (' + rest.slice(colon + 1) + ')' : '');
      }
      return fallback(actor);
    },
  };
}
