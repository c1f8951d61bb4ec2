// The organization's tags catalog: list, create, change metadata, delete (docs/API.md, section 7).
import { confirmDialog } from '../components.js';
import { dataTable, field, h, header, orgPath, problemArea, run } from './admin-common.js';

const TAG = '^[a-z0-9][a-z0-9_\\-]{0,63}$';

export async function render(main, ctx) {
  const problems = problemArea();
  const list = h('section', { class: 'adm-section', attrs: { 'aria-label': 'Tags' } });
  main.replaceChildren(
    ...header('Tags', 'The organization-wide tag catalog. A tag also appears when a secret is first stored with it.'),
    problems.node,
    tagForm(ctx, null, problems, refresh),
    list,
  );

  async function refresh() {
    try {
      const answer = await ctx.api.get(orgPath(ctx, '/tags'));
      list.replaceChildren(dataTable('Tags', [
        { label: 'Tag', cell: (t) => h('span', { class: 'adm-tag' }, swatch(t.metadata.color), h('span', { text: t.name })) },
        { label: 'Color', cell: (t) => t.metadata.color || 'none' },
        { label: 'Description', cell: (t) => t.metadata.description || '' },
        { label: 'Actions', cell: (t) => actions(ctx, t, problems, refresh) },
      ], answer.tags, 'No tags yet.'));
    } catch (error) {
      problems.show(error);
    }
  }
  await refresh();
}

/** A colour swatch, set through the CSSOM (allowed by the CSP, unlike a style attribute). */
function swatch(color) {
  const node = h('span', { class: 'adm-swatch', attrs: { 'aria-hidden': 'true' } });
  if (color) node.style.backgroundColor = color;
  return node;
}

function actions(ctx, tag, problems, refresh) {
  const edit = h('button', { type: 'button', class: 'secondary small', text: 'Edit', attrs: { 'aria-label': 'Edit tag ' + tag.name } });
  const remove = h('button', { type: 'button', class: 'danger small', text: 'Delete', attrs: { 'aria-label': 'Delete tag ' + tag.name } });
  const box = h('div', { class: 'adm-actions' }, edit, remove);
  edit.addEventListener('click', () => {
    const existing = box.querySelector('form');
    if (existing) {
      existing.remove();
      edit.setAttribute('aria-expanded', 'false');
      return;
    }
    const form = tagForm(ctx, tag, problems, refresh);
    box.append(form);
    edit.setAttribute('aria-expanded', 'true');
    form.querySelector('input').focus();
  });
  remove.addEventListener('click', async () => {
    if (!(await confirmDialog('Delete the tag "' + tag.name + '"? Only a tag no live secret carries can be deleted.'))) return;
    const ok = await run(remove, problems, () => ctx.api.del(orgPath(ctx, '/tags/' + encodeURIComponent(tag.name))), 'Deleted tag ' + tag.name);
    if (ok) await refresh();
  });
  return box;
}

/** The create form (tag null) or the edit form of one tag. PUT replaces the metadata. */
function tagForm(ctx, tag, problems, refresh) {
  const creating = tag === null;
  const name = h('input', { type: 'text', name: 'name', required: true, maxLength: 64, pattern: TAG, autocomplete: 'off',
    spellcheck: false });
  const hasColor = h('input', { type: 'checkbox', checked: creating || Boolean(tag.metadata.color) });
  const color = h('input', { type: 'color', name: 'color', value: (tag && tag.metadata.color) || '#2563eb' });
  const description = h('input', { type: 'text', name: 'description', maxLength: 256, value: (tag && tag.metadata.description) || '' });
  const submit = h('button', { type: 'submit', text: creating ? 'Create tag' : 'Save' });
  const colorField = field('Color', color);
  colorField.prepend(h('span', { class: 'adm-check' }, hasColor, h('label', { htmlFor: hasColor.id = color.id + '-on', text: 'Has a color' })));
  hasColor.addEventListener('change', () => { color.disabled = !hasColor.checked; });
  color.disabled = !hasColor.checked;
  const headingId = creating ? 'adm-new-tag' : null;
  const form = h('form', { class: creating ? 'adm-form' : 'adm-inline-form',
    attrs: creating ? { 'aria-labelledby': headingId } : { 'aria-label': 'Edit tag ' + tag.name } },
  creating ? h('h2', { id: headingId, text: 'Create a tag' }) : null,
  h('div', { class: 'adm-row' },
    creating ? field('Name', name, 'Lowercase letters, digits, - and _.') : null,
    colorField,
    field('Description (optional)', description)),
  h('div', { class: 'adm-buttons' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const tagName = creating ? name.value.trim() : tag.name;
    const body = {};
    if (hasColor.checked) body.color = color.value;
    if (description.value.trim()) body.description = description.value.trim();
    const ok = await run(submit, problems, () => ctx.api.put(orgPath(ctx, '/tags/' + encodeURIComponent(tagName)), body),
      (creating ? 'Created tag ' : 'Saved tag ') + tagName);
    if (ok) {
      if (creating) form.reset();
      await refresh();
    }
  });
  return form;
}
