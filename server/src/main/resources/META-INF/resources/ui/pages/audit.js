// The audit trail: filtered listing with cursor paging, export, and chain verification
// (docs/API.md, section 5a).
import { fetchBlob } from '../api.js';
import {
  dataTable, environmentNames, field, h, header, orgPath, problemArea, run, select, time,
} from './admin-common.js';

const ACTIONS = [
  'secret.', 'secret.read', 'secret.write', 'secret.delete', 'secret.restore', 'secret.purge', 'secret.rollback',
  'secret.versions_pruned', 'member.', 'member.add', 'member.update', 'member.remove', 'api_key.', 'api_key.create',
  'api_key.revoke', 'environment.create', 'tag.', 'tag.put', 'tag.delete', 'organization.create', 'key.rotate',
  'transport_key.rotate', 'root_key.rotate', 'audit.export', 'audit.retention', 'access',
];

/** What each `reason` of a broken chain means, in words (docs/API.md, section 5a). */
const BREAKS = {
  hash_mismatch: 'a record was edited after it was written',
  prev_hash_mismatch: 'records were reordered, replaced, or removed and renumbered',
  record_missing: 'a record is missing (a gap in the sequence, or the head names records that are gone)',
  out_of_order: 'records are out of order',
  head_mismatch: 'the end of the chain was changed',
  checkpoint_invalid: 'the retention checkpoint does not verify',
};

export async function render(main, ctx) {
  const problems = problemArea();
  const params = ctx.params || {};
  const from = h('input', { type: 'datetime-local', name: 'from', value: localInput(params.from) });
  const to = h('input', { type: 'datetime-local', name: 'to', value: localInput(params.to) });
  const actor = h('input', { type: 'text', name: 'actor', value: params.actor || '', autocomplete: 'off', spellcheck: false });
  const action = h('input', { type: 'text', name: 'action', value: params.action || '', autocomplete: 'off', spellcheck: false,
    attrs: { list: 'adm-audit-actions' } });
  const actions = h('datalist', { id: 'adm-audit-actions' }, ACTIONS.map((a) => h('option', { value: a })));
  const env = select([['', 'any']], params.env || '', { name: 'env' });
  const limit = select(['25', '50', '100', '250'], '50', { name: 'limit' });
  const apply = h('button', { type: 'submit', text: 'Apply filters' });
  const clear = h('button', { type: 'button', class: 'secondary', text: 'Clear' });
  const filters = h('form', { class: 'adm-form', attrs: { 'aria-labelledby': 'adm-audit-filters', role: 'search' } },
    h('h2', { id: 'adm-audit-filters', text: 'Filters' }),
    h('div', { class: 'adm-row' },
      field('From (inclusive, local time)', from),
      field('To (exclusive, local time)', to),
      field('Actor', actor, 'User subject or email, API key id or name.'),
      field('Action', action, 'Exact (secret.read) or a family (secret.).'),
      field('Environment', env),
      field('Per page', limit)),
    actions,
    h('div', { class: 'adm-buttons' }, apply, clear));

  const format = select([['jsonl', 'JSON lines (as hashed)'], ['csv', 'CSV']], 'jsonl', { name: 'format' });
  const exportButton = h('button', { type: 'button', class: 'secondary', text: 'Export' });
  const verifyButton = h('button', { type: 'button', text: 'Verify chain' });
  const verdict = h('div', { class: 'adm-verdict', attrs: { 'aria-live': 'polite' }, dataset: { testid: 'verify-result' } });
  const tools = h('section', { class: 'adm-form', attrs: { 'aria-labelledby': 'adm-audit-tools' } },
    h('h2', { id: 'adm-audit-tools', text: 'Export and verify' }),
    h('div', { class: 'adm-row' }, field('Export format', format),
      h('div', { class: 'adm-buttons adm-align-end' }, exportButton, verifyButton)),
    h('p', { class: 'adm-hint', text: 'The export uses the filters above, oldest first, and is itself recorded in the trail.' }),
    verdict);

  const results = h('section', { class: 'adm-section', attrs: { 'aria-label': 'Audit records' } });
  const pager = h('nav', { class: 'adm-pager', attrs: { 'aria-label': 'Audit pages' } });
  main.replaceChildren(...header('Audit trail', 'Every read of values, every change and every denied attempt, newest first, in a tamper-evident hash chain.'),
    problems.node, filters, tools, results, pager);

  try {
    for (const name of await environmentNames(ctx)) env.append(h('option', { value: name, text: name, selected: name === params.env }));
  } catch (error) {
    problems.show(error);
  }

  // Cursor paging: the cursors of the pages before this one, to go back.
  let cursors = [];
  let cursor = null;

  function query(extra = {}) {
    const q = new URLSearchParams();
    if (from.value) q.set('from', isoOf(from.value));
    if (to.value) q.set('to', isoOf(to.value));
    if (actor.value.trim()) q.set('actor', actor.value.trim());
    if (action.value.trim()) q.set('action', action.value.trim());
    if (env.value) q.set('env', env.value);
    for (const [k, v] of Object.entries(extra)) if (v !== null && v !== undefined) q.set(k, v);
    const text = q.toString();
    return text ? '?' + text : '';
  }

  async function load() {
    problems.clear();
    results.setAttribute('aria-busy', 'true');
    try {
      const answer = await ctx.api.get(orgPath(ctx, '/audit' + query({ limit: limit.value, cursor })));
      results.replaceChildren(eventsTable(answer.events));
      renderPager(answer.next_cursor);
    } catch (error) {
      problems.show(error);
    } finally {
      results.removeAttribute('aria-busy');
    }
  }

  function renderPager(next) {
    const newer = h('button', { type: 'button', class: 'secondary', text: '← Newer', disabled: cursors.length === 0 });
    const older = h('button', { type: 'button', class: 'secondary', text: 'Older →', disabled: !next });
    newer.addEventListener('click', () => {
      cursor = cursors.pop() ?? null;
      load();
    });
    older.addEventListener('click', () => {
      cursors.push(cursor);
      cursor = next;
      load();
    });
    pager.replaceChildren(newer, h('span', { text: 'Page ' + (cursors.length + 1) }), older);
  }

  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    cursors = [];
    cursor = null;
    load();
  });
  clear.addEventListener('click', () => {
    filters.reset();
    from.value = '';
    to.value = '';
    actor.value = '';
    action.value = '';
    env.value = '';
    cursors = [];
    cursor = null;
    load();
  });

  exportButton.addEventListener('click', () => run(exportButton, problems, async () => {
    // With the session's Bearer header, never a token in a URL (api.js, fetchBlob).
    const blob = await fetchBlob(orgPath(ctx, '/audit/export' + query({ format: format.value })));
    const url = URL.createObjectURL(blob);
    try {
      const link = h('a', { href: url, download: 'crate-audit-' + new Date().toISOString().slice(0, 19).replace(/:/g, '') + '.' + format.value, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
    } finally {
      // Give the download a moment to start before the URL goes.
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    }
  }, 'Export downloaded'));

  verifyButton.addEventListener('click', () => run(verifyButton, problems, async () => {
    verdict.replaceChildren(h('p', { text: 'Verifying…' }));
    try {
      const answer = await ctx.api.get(orgPath(ctx, '/audit/verify'));
      verdict.replaceChildren(...verifyVerdict(answer));
    } catch (error) {
      verdict.replaceChildren();
      throw error;
    }
  }));

  await load();
}

function verifyVerdict(v) {
  const records = v.checked + ' record' + (v.checked === 1 ? '' : 's');
  if (v.intact) {
    return [h('div', { class: 'adm-result adm-good', attrs: { role: 'status' }, dataset: { state: 'intact' } },
      h('p', { class: 'adm-strong', text: '✔ Chain intact.' }),
      h('p', { text: records + ' checked, from the anchor (seq ' + v.anchor_seq + ') to the head (seq ' + v.last_seq + ').' }),
      v.last_hash ? h('p', { class: 'adm-mono adm-sub', text: 'Head hash: ' + v.last_hash }) : null)];
  }
  const broken = v.first_broken || {};
  const why = BREAKS[broken.reason] || 'the chain does not verify';
  return [h('div', { class: 'adm-result adm-bad', attrs: { role: 'alert' }, dataset: { state: 'broken' } },
    h('p', { class: 'adm-strong', text: '✖ Chain BROKEN at record seq ' + (broken.seq ?? '?') + ': ' + why + '.' }),
    h('p', { text: 'Reason: ' + (broken.reason || 'unknown') + (broken.id ? '; record id ' + broken.id : '') + '.' }),
    h('p', { text: records + ' verified before the break (from the anchor, seq ' + v.anchor_seq + '). The record at seq ' + (broken.seq ?? '?') + ' and every record after it cannot be trusted. Tell your operator.' }))];
}

function eventsTable(events) {
  return dataTable('Audit records', [
    { label: 'Time', cell: (e) => time(e.occurred_at) },
    {
      label: 'Actor',
      cell: (e) => h('div', { class: 'adm-who' }, h('span', { class: 'adm-strong', text: e.actor_name || e.actor_id || '—' }),
        h('span', { class: 'adm-sub', text: (e.actor_type || '').replace('_', ' ') })),
    },
    { label: 'Action', cell: (e) => h('code', { text: e.action }) },
    { label: 'Environment', cell: (e) => e.environment || '' },
    { label: 'Target', cell: (e) => (e.name ? e.name + (e.version ? ' v' + e.version : '') : '') },
    {
      label: 'Outcome',
      cell: (e) => h('span', { class: 'adm-badge ' + (e.outcome === 'success' ? 'adm-good' : 'adm-bad'),
        text: e.outcome + (e.reason ? ': ' + e.reason : '') }),
    },
    { label: 'Request id', cell: (e) => h('code', { class: 'adm-sub', text: e.request_id || '' }) },
    { label: 'Details', cell: details },
  ], events, 'No records match.');
}

function details(e) {
  const rows = [
    ['Seq', e.seq], ['Record id', e.id], ['Actor id', e.actor_id], ['Client IP', e.client_ip], ['User agent', e.user_agent],
    ['Detail', e.detail], ['Hash', e.hash], ['Previous hash', e.prev_hash],
  ].filter(([, v]) => v !== undefined && v !== null && v !== '');
  return h('details', {}, h('summary', { text: 'More' }),
    h('dl', { class: 'adm-dl' }, rows.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { class: 'adm-mono', text: String(v) })])));
}

/** A datetime-local value (local time) as an ISO-8601 instant. */
function isoOf(local) {
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? local : date.toISOString();
}

/** An ISO-8601 instant from the hash as a datetime-local value. */
function localInput(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
  return shifted.toISOString().slice(0, 16);
}
