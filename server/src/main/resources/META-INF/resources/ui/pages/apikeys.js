// API keys of the organization: list, create (the key shown once), revoke (docs/API.md, section 10).
import { confirmDialog, toast } from '../components.js';
import {
  dataTable, environmentNames, field, grantsEditor, grantsText, h, header, nextId,
  orgPath, problemArea, run, select, time,
} from './admin-common.js';

const ROLES = [['viewer', 'viewer'], ['member', 'member'], ['admin', 'admin']];

export async function render(main, ctx) {
  const problems = problemArea();
  const list = h('section', { class: 'adm-section', attrs: { 'aria-label': 'API keys' } });
  main.replaceChildren(
    ...header('API keys', 'Keys for machines (CI jobs, services). Crate keeps only a hash: a new key is shown once, when it is created.'),
    problems.node,
    list,
  );
  let environments = [];
  try {
    environments = await environmentNames(ctx);
  } catch (error) {
    problems.show(error);
  }
  main.insertBefore(createForm(ctx, environments, problems, refresh), list);

  async function refresh() {
    try {
      const answer = await ctx.api.get(orgPath(ctx, '/api-keys'));
      list.replaceChildren(keysTable(ctx, answer.api_keys, problems, refresh));
    } catch (error) {
      problems.show(error);
    }
  }
  await refresh();
}

function scope(key) {
  const parts = [];
  if (key.role === 'member') parts.push('grants: ' + grantsText(key.grants));
  if (key.environments) parts.push('environments: ' + key.environments.join(', '));
  if (key.tags) parts.push('tags: ' + key.tags.join(', '));
  if (key.read_only) parts.push('read-only');
  return parts.length ? parts.join('; ') : 'unrestricted';
}

function currentKeyId(ctx) {
  const subject = ctx.me && ctx.me.subject;
  return subject && subject.startsWith('api-key:') ? subject.slice('api-key:'.length) : null;
}

function keysTable(ctx, keys, problems, refresh) {
  const mine = currentKeyId(ctx);
  return dataTable('Active API keys', [
    {
      label: 'Name',
      cell: (k) => h('div', { class: 'adm-who' }, h('span', { class: 'adm-strong', text: k.name }),
        k.id === mine ? h('span', { class: 'adm-badge', text: 'this session' }) : null),
    },
    { label: 'Role', cell: (k) => k.role },
    { label: 'Prefix', cell: (k) => h('code', { text: k.prefix }) },
    { label: 'Scope', cell: scope },
    { label: 'Created', cell: (k) => time(k.created_at) },
    { label: 'Last used', cell: (k) => (k.last_used_at ? time(k.last_used_at) : 'never') },
    {
      label: 'Expires',
      cell: (k) => {
        if (!k.expires_at) return 'never';
        const expired = new Date(k.expires_at) <= new Date();
        return h('span', {}, time(k.expires_at), expired ? h('span', { class: 'adm-badge adm-bad', text: 'expired' }) : null);
      },
    },
    { label: 'Actions', cell: (k) => revokeButton(ctx, k, k.id === mine, problems, refresh) },
  ], keys, 'No active API keys.');
}

function revokeButton(ctx, key, mine, problems, refresh) {
  const button = h('button', { type: 'button', class: 'danger small', text: 'Revoke', attrs: { 'aria-label': 'Revoke ' + key.name } });
  button.addEventListener('click', async () => {
    const text = 'Revoke the API key "' + key.name + '" (' + key.prefix + '…)? It stops working on its next request.'
      + (mine ? ' This console session uses this key: you will be signed out.' : '');
    if (!(await confirmDialog(text))) return;
    const ok = await run(button, problems, () => ctx.api.del(orgPath(ctx, '/api-keys/' + encodeURIComponent(key.id))), 'Revoked ' + key.name);
    if (ok) await refresh();
  });
  return button;
}

function createForm(ctx, environments, problems, refresh) {
  const name = h('input', { type: 'text', name: 'name', required: true, maxLength: 64, autocomplete: 'off' });
  const role = select(ROLES, 'viewer', { name: 'role' });
  const grants = grantsEditor(environments, {}, 'Grants per environment (member role only)');
  grants.setEnabled(false);
  role.addEventListener('change', () => grants.setEnabled(role.value === 'member'));

  const envBoxes = environments.map((env) => {
    const box = h('input', { type: 'checkbox', value: env, id: nextId('env') });
    return { box, node: h('span', { class: 'adm-check' }, box, h('label', { htmlFor: box.id, text: env })) };
  });
  const envs = h('fieldset', { class: 'adm-envs' }, h('legend', { text: 'Only in these environments (none checked: all)' }), envBoxes.map((e) => e.node));
  const tags = h('input', { type: 'text', name: 'tags', autocomplete: 'off', spellcheck: false, placeholder: 'backend, payments' });
  const readOnly = h('input', { type: 'checkbox', name: 'read_only', id: nextId('ro') });
  const expires = h('input', { type: 'datetime-local', name: 'expires_at' });
  const submit = h('button', { type: 'submit', text: 'Create API key' });
  const form = h('form', { class: 'adm-form', attrs: { 'aria-labelledby': 'adm-new-key' } },
    h('h2', { id: 'adm-new-key', text: 'Create an API key' }),
    h('div', { class: 'adm-row' }, field('Name', name, 'For humans, such as "CI deploy".'), field('Role', role),
      field('Expires (optional, your local time)', expires)),
    grants.node,
    envs,
    h('div', { class: 'adm-row' },
      field('Only secrets with one of these tags (optional, comma-separated)', tags),
      h('div', { class: 'adm-check adm-check-field' }, readOnly, h('label', { htmlFor: readOnly.id, text: 'Read-only (no writes, no admin operations)' }))),
    h('div', { class: 'adm-buttons' }, submit));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { name: name.value.trim(), role: role.value };
    if (role.value === 'member') body.grants = grants.value();
    const chosen = envBoxes.filter((e) => e.box.checked).map((e) => e.box.value);
    if (chosen.length) body.environments = chosen;
    const tagList = tags.value.split(',').map((t) => t.trim()).filter(Boolean);
    if (tagList.length) body.tags = tagList;
    if (readOnly.checked) body.read_only = true;
    if (expires.value) {
      const at = new Date(expires.value);
      body.expires_at = Number.isNaN(at.getTime()) ? expires.value : at.toISOString();
    }
    const created = await run(submit, problems, () => ctx.api.post(orgPath(ctx, '/api-keys'), body));
    if (!created) return;
    form.reset();
    grants.setEnabled(false);
    await showKeyOnce(created.value);
    await refresh();
  });
  return form;
}

/**
 * Shows a new key in a modal dialog, once. The key lives only in this dialog's input: when the
 * dialog closes, the input is emptied and the dialog removed, and nothing keeps a reference.
 */
function showKeyOnce(created) {
  return new Promise((resolve) => {
    const titleId = nextId('key-title');
    const input = h('input', { type: 'text', readOnly: true, class: 'adm-mono adm-key', value: created.key, spellcheck: false,
      autocomplete: 'off', attrs: { 'aria-label': 'The new API key', 'data-testid': 'new-api-key' } });
    const status = h('p', { class: 'adm-copied', attrs: { role: 'status', 'aria-live': 'polite' } });
    const copy = h('button', { type: 'button', class: 'secondary', text: 'Copy to clipboard' });
    const close = h('button', { type: 'button', text: 'I have stored it: close' });
    const dialog = h('dialog', { class: 'adm-dialog', attrs: { 'aria-labelledby': titleId } },
      h('h2', { id: titleId, text: 'New API key "' + created.name + '"' }),
      h('p', { class: 'adm-warn', text: 'Copy the key now and keep it somewhere safe. It is shown only this once: Crate keeps just its hash.' }),
      input,
      h('div', { class: 'adm-buttons' }, copy, close),
      status);
    copy.addEventListener('click', async () => {
      const ok = await copyText(input);
      status.textContent = ok ? 'Copied to clipboard.' : 'Could not copy: select the key and copy it by hand.';
      status.className = ok ? 'adm-copied adm-ok' : 'adm-copied adm-bad';
      if (ok) toast('API key copied to clipboard');
    });
    input.addEventListener('focus', () => input.select());
    const onNavigate = () => dialog.close();
    const finish = () => {
      window.removeEventListener('hashchange', onNavigate);
      input.value = '';
      dialog.remove();
      resolve();
    };
    close.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', finish, { once: true });
    window.addEventListener('hashchange', onNavigate);
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}

async function copyText(input) {
  try {
    await navigator.clipboard.writeText(input.value);
    return true;
  } catch (notAllowed) {
    // Older browsers or a denied permission: copy the selection instead.
    input.select();
    try {
      return document.execCommand('copy');
    } catch (no) {
      return false;
    }
  }
}
