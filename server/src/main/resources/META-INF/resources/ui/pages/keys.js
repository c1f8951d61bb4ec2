// Key status and "rotate now" (docs/API.md, section 12).
import { confirmDialog } from '../components.js';
import { attached, dataTable, h, header, orgPath, problemArea, run, time } from './admin-common.js';

const POLL_MS = 2000;

export async function render(main, ctx) {
  const problems = problemArea();
  const status = h('div', { class: 'adm-section', attrs: { 'aria-live': 'polite' } });
  const rotateOrg = h('button', { type: 'button', class: 'danger', text: 'Rotate org key now' });
  const rotateTransport = h('button', { type: 'button', class: 'danger', text: 'Rotate transport key now' });
  main.replaceChildren(
    ...header('Keys', 'The organization key wraps the data keys of every secret; the transport key is the public key values are sealed to. Both rotate on a schedule; an admin can rotate them now.'),
    problems.node,
    h('section', { class: 'adm-form', attrs: { 'aria-labelledby': 'adm-rotate' } },
      h('h2', { id: 'adm-rotate', text: 'Rotate now' }),
      h('p', { text: 'An org key rotation re-wraps every data key under a new version, in the background. A transport key rotation publishes a new public key at once; the old one still opens values during its grace period.' }),
      h('div', { class: 'adm-buttons' }, rotateOrg, rotateTransport)),
    status,
  );

  let timer = null;
  if (typeof ctx.onLeave === 'function') ctx.onLeave(() => clearTimeout(timer));
  async function refresh() {
    clearTimeout(timer);
    if (!attached(status)) return;
    try {
      const answer = await ctx.api.get(orgPath(ctx, '/keys'));
      if (!attached(status)) return;
      status.replaceChildren(...keyStatus(answer));
      // Follow a running re-wrap while the page is shown.
      if (answer.rewrap && answer.rewrap.running) timer = setTimeout(refresh, POLL_MS);
    } catch (error) {
      problems.show(error);
    }
  }

  for (const [button, tier, text] of [
    [rotateOrg, 'org', 'Rotate the organization key now? Every data key is re-wrapped under a new version in the background.'],
    [rotateTransport, 'transport', 'Rotate the transport key now? Clients must fetch the new public key; the old one keeps working during its grace period.'],
  ]) {
    button.addEventListener('click', async () => {
      if (!(await confirmDialog(text))) return;
      const done = await run(button, problems, () => ctx.api.post(orgPath(ctx, '/keys/rotate'), { tier }));
      if (done) {
        const r = done.value || {};
        const note = h('p', { class: 'adm-ok adm-note', attrs: { role: 'status' },
          text: 'Rotation of the ' + tier + ' key started: ' + (r.from_key || '?') + ' → ' + (r.to_key || '?') + ', ' + (r.state || 'running') + '.' });
        problems.node.replaceChildren(note);
        await refresh();
      }
    });
  }
  await refresh();
}

function keyStatus(k) {
  const parts = [];
  const rewrap = k.rewrap || {};
  parts.push(h('p', { class: 'adm-summary', dataset: { testid: 'rewrap' } },
    rewrap.running
      ? 'Re-wrap running: ' + rewrap.rewrapped + ' done, ' + rewrap.remaining + ' to go.'
      : 'No re-wrap running.'));
  parts.push(dataTable('Organization key versions', [
    { label: 'Version', cell: (v) => 'v' + v.version },
    { label: 'State', cell: (v) => stateBadge(v.state) },
    { label: 'Root key', cell: (v) => h('code', { text: v.root_kid || '' }) },
    { label: 'Data keys wrapped', cell: (v) => String(v.wrap_count ?? '') },
    { label: 'Created', cell: (v) => time(v.created_at) },
  ], k.org_keys || []));
  parts.push(dataTable('Transport keys', [
    { label: 'Key id', cell: (t) => h('code', { text: t.kid }) },
    { label: 'State', cell: (t) => stateBadge(t.state) },
    { label: 'Created', cell: (t) => time(t.created_at) },
    { label: 'Grace until', cell: (t) => (t.grace_until ? time(t.grace_until) : '') },
  ], k.transport_keys || []));
  parts.push(dataTable('Schedule', [
    { label: 'Key', cell: (s) => s.label },
    { label: 'Last rotation', cell: (s) => time(s.value && s.value.last_rotation) || 'never' },
    { label: 'Next rotation', cell: (s) => time(s.value && s.value.next_rotation) },
    { label: 'Period', cell: (s) => period(s.value && s.value.period) },
  ], [
    { label: 'Organization key', value: k.org_key_rotation },
    { label: 'Transport key', value: k.transport_key_rotation },
  ]));
  parts.push(dataTable('Last rotations', [
    { label: 'Tier', cell: (r) => r.tier },
    { label: 'From → to', cell: (r) => (r.from_key || '') + ' → ' + (r.to_key || '') },
    { label: 'Trigger', cell: (r) => r.trigger },
    { label: 'State', cell: (r) => stateBadge(r.state) },
    { label: 'Re-wrapped', cell: (r) => String(r.rewrapped ?? '') },
    { label: 'Started', cell: (r) => time(r.started_at) },
    { label: 'Finished', cell: (r) => time(r.finished_at) },
  ], k.rotations || [], 'No rotations yet.'));
  return parts;
}

function stateBadge(state) {
  const good = ['active', 'done'].includes(state);
  const bad = ['failed', 'disabled', 'retired'].includes(state);
  return h('span', { class: 'adm-badge' + (good ? ' adm-good' : bad ? ' adm-muted' : ''), text: state || '' });
}

/** An ISO-8601 duration such as PT2160H as "90 days". */
function period(iso) {
  if (!iso) return '';
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso);
  if (!m) return iso;
  const hours = Number(m[1] || 0) * 24 + Number(m[2] || 0) + Number(m[3] || 0) / 60;
  if (hours >= 24 && hours % 24 === 0) return hours / 24 + ' days';
  return hours ? hours + ' hours' : iso;
}
