// The organization's environments: list and create (docs/API.md, section 8).
import { dataTable, field, h, header, orgPath, problemArea, run, time } from './admin-common.js';

export async function render(main, ctx) {
  const problems = problemArea();
  const list = h('section', { class: 'adm-section', attrs: { 'aria-label': 'Environments' } });
  const name = h('input', { type: 'text', name: 'name', required: true, maxLength: 32, pattern: '^[a-z0-9][a-z0-9\\-]{0,31}$',
    autocomplete: 'off', spellcheck: false });
  const submit = h('button', { type: 'submit', text: 'Create environment' });
  const form = h('form', { class: 'adm-form', attrs: { 'aria-labelledby': 'adm-new-env' } },
    h('h2', { id: 'adm-new-env', text: 'Create an environment' }),
    h('div', { class: 'adm-row' }, field('Name', name, 'Lowercase letters, digits and -, up to 32 characters. Environments cannot be deleted.')),
    h('div', { class: 'adm-buttons' }, submit));
  main.replaceChildren(
    ...header('Environments', 'dev, staging and prod always exist; admins can add more.'),
    problems.node,
    form,
    list,
  );

  async function refresh() {
    try {
      const answer = await ctx.api.get(orgPath(ctx, '/environments'));
      list.replaceChildren(dataTable('Environments', [
        { label: 'Name', cell: (e) => h('span', { class: 'adm-strong', text: e.name }) },
        { label: 'Kind', cell: (e) => (e.builtin ? 'built-in' : 'added') },
        { label: 'Created', cell: (e) => time(e.created_at) },
      ], answer.environments));
    } catch (error) {
      problems.show(error);
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const envName = name.value.trim();
    const ok = await run(submit, problems, () => ctx.api.post(orgPath(ctx, '/environments'), { name: envName }), 'Created environment ' + envName);
    if (ok) {
      form.reset();
      await refresh();
      if (ctx.environmentsChanged) await ctx.environmentsChanged();
    }
  });
  await refresh();
}
