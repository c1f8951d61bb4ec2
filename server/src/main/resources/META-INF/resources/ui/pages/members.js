// Members of the organization and their roles and grants (docs/API.md, section 11).
import { confirmDialog } from '../components.js';
import {
  dataTable, environmentNames, field, grantsEditor, grantsText, h, header,
  orgPath, problemArea, run, select, time,
} from './admin-common.js';

const ROLES = [['admin', 'admin'], ['member', 'member'], ['viewer', 'viewer']];

export async function render(main, ctx) {
  const problems = problemArea();
  const list = h('section', { class: 'adm-section', attrs: { 'aria-label': 'Members' } });
  main.replaceChildren(
    ...header('Members', 'People of the identity provider with a role in this organization. Changes count from their next request.'),
    problems.node,
    list,
  );
  let environments = [];
  try {
    environments = await environmentNames(ctx);
  } catch (error) {
    problems.show(error);
  }
  main.insertBefore(addForm(ctx, environments, problems, refresh), list);

  async function refresh() {
    try {
      const answer = await ctx.api.get(orgPath(ctx, '/members'));
      list.replaceChildren(membersTable(ctx, answer.members, environments, problems, refresh));
    } catch (error) {
      problems.show(error);
    }
  }
  await refresh();
}

function who(member) {
  const main = member.email || member.subject || member.id;
  const parts = [h('span', { class: 'adm-strong', text: main })];
  if (member.name) parts.push(h('span', { class: 'adm-sub', text: member.name }));
  if (!member.subject) parts.push(h('span', { class: 'adm-badge', text: 'not logged in yet' }));
  else if (member.email) parts.push(h('span', { class: 'adm-sub adm-mono', text: member.subject }));
  return h('div', { class: 'adm-who' }, parts);
}

function membersTable(ctx, members, environments, problems, refresh) {
  return dataTable('Members', [
    { label: 'Member', cell: who },
    { label: 'Role', cell: (m) => m.role },
    { label: 'Grants', cell: (m) => (m.role === 'member' ? grantsText(m.grants) : m.role === 'admin' ? 'all (admin)' : 'metadata only (viewer)') },
    { label: 'Added', cell: (m) => time(m.created_at) },
    { label: 'Actions', cell: (m) => actions(ctx, m, environments, problems, refresh) },
  ], members, 'No members yet.');
}

function actions(ctx, member, environments, problems, refresh) {
  const label = member.email || member.subject || member.id;
  const edit = h('button', { type: 'button', class: 'secondary small', text: 'Edit', attrs: { 'aria-label': 'Edit ' + label } });
  const remove = h('button', { type: 'button', class: 'danger small', text: 'Remove', attrs: { 'aria-label': 'Remove ' + label } });
  const box = h('div', { class: 'adm-actions' }, edit, remove);
  edit.addEventListener('click', () => {
    const existing = box.querySelector('form');
    if (existing) {
      existing.remove();
      edit.setAttribute('aria-expanded', 'false');
      return;
    }
    const form = editForm(ctx, member, environments, problems, refresh);
    box.append(form);
    edit.setAttribute('aria-expanded', 'true');
    form.querySelector('select').focus();
  });
  remove.addEventListener('click', async () => {
    if (!(await confirmDialog('Remove ' + label + ' from this organization? They lose access on their next request.'))) return;
    const ok = await run(remove, problems, () => ctx.api.del(orgPath(ctx, '/members/' + encodeURIComponent(member.id))), 'Removed ' + label);
    if (ok) await refresh();
  });
  return box;
}

function editForm(ctx, member, environments, problems, refresh) {
  const role = select(ROLES, member.role, { name: 'role' });
  const grants = grantsEditor(environments, member.grants, 'Grants per environment (member role only)');
  grants.setEnabled(member.role === 'member');
  role.addEventListener('change', () => grants.setEnabled(role.value === 'member'));
  const save = h('button', { type: 'submit', text: 'Save' });
  const form = h('form', { class: 'adm-inline-form', attrs: { 'aria-label': 'Change role and grants' } },
    field('Role', role), grants.node, h('div', { class: 'adm-buttons' }, save));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    // Grants are replaced, not merged; another role than member needs "grants": {} (API.md §11).
    const body = { role: role.value, grants: role.value === 'member' ? grants.value() : {} };
    const ok = await run(save, problems,
      () => ctx.api.patch(orgPath(ctx, '/members/' + encodeURIComponent(member.id)), body),
      'Saved ' + (member.email || member.subject));
    if (ok) await refresh();
  });
  return form;
}

function addForm(ctx, environments, problems, refresh) {
  const kind = select([['email', 'Email address'], ['subject', 'Subject (user id at the identity provider)']], 'email', { name: 'kind' });
  const who = h('input', { type: 'email', name: 'who', required: true, autocomplete: 'off', spellcheck: false });
  const whoField = field('Email', who, 'Bound to the user at their first login with this verified email.');
  kind.addEventListener('change', () => {
    const byEmail = kind.value === 'email';
    who.type = byEmail ? 'email' : 'text';
    whoField.querySelector('label').textContent = byEmail ? 'Email' : 'Subject';
    whoField.querySelector('small').textContent = byEmail
      ? 'Bound to the user at their first login with this verified email.'
      : 'The user\'s "sub" claim; in Keycloak, the user id.';
  });
  const role = select(ROLES, 'member', { name: 'role' });
  const grants = grantsEditor(environments, {}, 'Grants per environment (member role only; none by default)');
  role.addEventListener('change', () => grants.setEnabled(role.value === 'member'));
  const submit = h('button', { type: 'submit', text: 'Add member' });
  const form = h('form', { class: 'adm-form', attrs: { 'aria-labelledby': 'adm-add-member' } },
    h('h2', { id: 'adm-add-member', text: 'Add a member' }),
    h('div', { class: 'adm-row' }, field('Identify by', kind), whoField, field('Role', role)),
    grants.node,
    h('div', { class: 'adm-buttons' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { [kind.value]: who.value.trim(), role: role.value };
    if (role.value === 'member') body.grants = grants.value();
    const added = await run(submit, problems, () => ctx.api.post(orgPath(ctx, '/members'), body), 'Added ' + who.value.trim());
    if (added) {
      form.reset();
      grants.setEnabled(true);
      await refresh();
    }
  });
  return form;
}
