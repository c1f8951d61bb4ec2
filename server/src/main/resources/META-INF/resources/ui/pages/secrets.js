// The secrets of one environment: table, filters, sorting, reveal, copy, create, edit, .env import.
import { orgPath } from '../api.js';
import { el, field, formDialog, showProblem, table, tagChips, toast, when } from '../components.js';
import { actorNames } from '../people.js';
import { HIDE_AFTER_MS, NAME, isOpenError, openFailure, parseDotenv, parseTags, reveal, store, transportKey } from '../vault.js';

const MASK = '••••••••';

export async function render(main, ctx) {
  if (!ctx.org) {
    main.append(el('h1', {}, 'Secrets'), el('p', {}, 'You are not a member of any organization yet. Ask an admin to add you.'));
    return;
  }
  const state = {
    rows: [],
    nameFilter: '',
    tagFilter: '',
    sortKey: 'name',
    sortDir: 'asc',
    revealed: new Map(),
    timers: new Map(),
    // name@version -> the actor who stored that version (created_by); pending: being looked up.
    by: new Map(),
    pending: new Set(),
    queue: [],
    workers: 0,
    names: { label: (actor) => actor || '' },
  };

  const heading = el('h1', {}, 'Secrets in ', el('span', { class: 'env-name' }, ctx.env));
  const messages = el('div', { class: 'messages' });
  const nameInput = el('input', { type: 'search', id: 'filter-name', autocomplete: 'off' });
  const tagSelect = el('select', { id: 'filter-tag' });
  const listHolder = el('div', { id: 'secrets-list' });
  const toolbar = el(
    'div',
    { class: 'toolbar', role: 'search' },
    field('Filter by name', nameInput),
    field('Filter by tag', tagSelect),
    el('button', { type: 'button', id: 'new-secret', onclick: () => editDialog(null) }, 'New secret'),
    el('button', { type: 'button', class: 'secondary', id: 'import-env', onclick: () => importDialog() }, 'Import .env'),
    el('button', { type: 'button', class: 'secondary', id: 'reveal-all', onclick: () => revealNames(visibleRows().map((r) => r.name)) }, 'Reveal all visible'),
    el('button', { type: 'button', class: 'secondary', id: 'hide-all', onclick: () => hideAll() }, 'Hide values'),
  );
  main.append(heading, messages, toolbar, listHolder);

  nameInput.addEventListener('input', () => {
    state.nameFilter = nameInput.value;
    draw();
  });
  tagSelect.addEventListener('change', () => {
    state.tagFilter = tagSelect.value;
    draw();
  });

  function hideAll() {
    for (const t of state.timers.values()) clearTimeout(t);
    state.timers.clear();
    state.revealed.clear();
    draw();
  }
  ctx.onLeave(() => {
    for (const t of state.timers.values()) clearTimeout(t);
    state.queue.length = 0;
    state.revealed.clear();
    listHolder.replaceChildren();
  });
  const onHidden = () => {
    if (document.visibilityState === 'hidden' && state.revealed.size) hideAll();
  };
  document.addEventListener('visibilitychange', onHidden);
  ctx.onLeave(() => document.removeEventListener('visibilitychange', onHidden));

  async function load() {
    // A stored or imported version makes any value on screen stale: hide them all.
    for (const t of state.timers.values()) clearTimeout(t);
    state.timers.clear();
    state.revealed.clear();
    try {
      const [list, names] = await Promise.all([
        ctx.api.get(orgPath(ctx.org.id, 'secrets') + '?env=' + encodeURIComponent(ctx.env)),
        actorNames(ctx),
      ]);
      state.rows = list.secrets || [];
      state.names = names;
    } catch (e) {
      showProblem(messages, e);
      state.rows = [];
    }
    const tags = [...new Set(state.rows.flatMap((r) => r.tags || []))].sort();
    if (state.tagFilter && !tags.includes(state.tagFilter)) state.tagFilter = '';
    tagSelect.replaceChildren(
      el('option', { value: '' }, 'All tags'),
      ...tags.map((t) => el('option', { value: t, selected: t === state.tagFilter }, t)),
    );
    draw();
  }

  function visibleRows() {
    const needle = state.nameFilter.trim().toLowerCase();
    const rows = state.rows.filter(
      (r) => (!needle || r.name.toLowerCase().includes(needle)) && (!state.tagFilter || (r.tags || []).includes(state.tagFilter)),
    );
    const dir = state.sortDir === 'desc' ? -1 : 1;
    const key = state.sortKey;
    rows.sort((a, b) => {
      let x = a[key];
      let y = b[key];
      if (key === 'tags') {
        x = (a.tags || []).join(',');
        y = (b.tags || []).join(',');
      }
      if (key === 'by') {
        x = byLabel(a).toLowerCase();
        y = byLabel(b).toLowerCase();
      }
      return (x < y ? -1 : x > y ? 1 : 0) * dir || (a.name < b.name ? -1 : 1);
    });
    return rows;
  }

  function sortBy(key) {
    if (state.sortKey === key) {
      state.sortDir = state.sortDir === 'asc' ? 'desc' : 'asc';
    } else {
      state.sortKey = key;
      state.sortDir = key === 'updated_at' || key === 'version' ? 'desc' : 'asc';
    }
    draw();
    const button = listHolder.querySelector('th[aria-sort="' + (state.sortDir === 'desc' ? 'descending' : 'ascending') + '"] button');
    if (button) button.focus();
  }

  function draw() {
    const focusKey = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.focus : null;
    const rows = visibleRows();
    const authors = authorsToFind(rows);
    const columns = [
      {
        key: 'name',
        label: 'Name',
        sort: true,
        render: (r) => el('a', { href: '#/secret?name=' + encodeURIComponent(r.name), class: 'secret-name', 'data-focus': 'name:' + r.name }, r.name),
      },
      { key: 'version', label: 'Version', sort: true, render: (r) => String(r.version) },
      { key: 'tags', label: 'Tags', sort: true, render: (r) => tagChips(r.tags) },
      { key: 'updated_at', label: 'Updated', sort: true, render: (r) => when(r.updated_at) },
      { key: 'by', label: 'By', sort: true, render: (r) => byCell(r) },
      {
        key: 'value',
        label: 'Value',
        render: (r) => {
          const shown = state.revealed.get(r.name);
          return shown !== undefined
            ? el('code', { class: 'value', 'data-name': r.name }, shown)
            : el('span', { class: 'value hidden', 'data-name': r.name, 'aria-label': 'hidden value' }, MASK);
        },
      },
      {
        key: 'actions',
        label: 'Actions',
        render: (r) => {
          const shown = state.revealed.has(r.name);
          return el(
            'div',
            { class: 'row-actions' },
            el(
              'button',
              {
                type: 'button',
                class: 'small secondary',
                'data-action': shown ? 'hide' : 'reveal',
                'data-focus': 'reveal:' + r.name,
                'aria-label': (shown ? 'Hide ' : 'Reveal ') + r.name,
                onclick: () => (shown ? hideOne(r.name) : revealNames([r.name])),
              },
              shown ? 'Hide' : 'Reveal',
            ),
            el(
              'button',
              { type: 'button', class: 'small secondary', 'data-action': 'copy', 'data-focus': 'copy:' + r.name, 'aria-label': 'Copy ' + r.name, onclick: () => copy(r.name) },
              'Copy',
            ),
            el(
              'button',
              { type: 'button', class: 'small secondary', 'data-action': 'edit', 'data-focus': 'edit:' + r.name, 'aria-label': 'Edit ' + r.name, onclick: () => editDialog(r) },
              'Edit',
            ),
          );
        },
      },
    ];
    listHolder.replaceChildren(
      table(columns, rows, {
        caption: rows.length + ' of ' + state.rows.length + ' secrets' + (state.revealed.size ? ' · values hide again after ' + HIDE_AFTER_MS / 1000 + ' s' : ''),
        sortKey: state.sortKey,
        sortDir: state.sortDir,
        onSort: sortBy,
        empty: state.rows.length ? 'No secret matches the filters.' : 'No secrets in this environment yet.',
        rowAttrs: (r) => ({ 'data-secret': r.name }),
      }),
    );
    if (focusKey) {
      const again = [...listHolder.querySelectorAll('[data-focus]')].find((n) => n.dataset.focus === focusKey);
      if (again) again.focus();
    }
    if (authors.length) fillAuthors(authors);
  }

  function hideOne(name) {
    clearTimeout(state.timers.get(name));
    state.timers.delete(name);
    state.revealed.delete(name);
    draw();
  }

  async function revealNames(names) {
    if (!names.length) return;
    try {
      const { values } = await reveal(ctx, names);
      for (const [name, v] of values) {
        state.revealed.set(name, v.value);
        clearTimeout(state.timers.get(name));
        state.timers.set(
          name,
          setTimeout(() => hideOne(name), HIDE_AFTER_MS),
        );
      }
      draw();
    } catch (e) {
      showProblem(messages, isOpenError(e) ? openFailure() : e);
    }
  }

  async function copy(name) {
    try {
      let value = state.revealed.get(name);
      if (value === undefined) {
        const { values } = await reveal(ctx, [name]);
        value = values.has(name) ? values.get(name).value : undefined;
      }
      if (value === undefined) {
        toast(name + ' is gone: reload the list.');
        return;
      }
      await navigator.clipboard.writeText(value);
      toast('Copied ' + name + ' to the clipboard.');
    } catch (e) {
      if (isOpenError(e)) {
        showProblem(messages, openFailure());
      } else if (e && e.code) {
        showProblem(messages, e);
      } else {
        showProblem(messages, { code: 'clipboard', title: 'Could not copy', detail: 'The browser did not allow writing to the clipboard.' });
      }
    }
  }

  function editDialog(row) {
    const editing = !!row;
    formDialog(editing ? 'Edit ' + row.name : 'New secret', (form, close) => {
      const nameInput2 = el('input', { type: 'text', name: 'name', autocomplete: 'off', spellcheck: 'false', required: !editing, readonly: editing, value: editing ? row.name : '' });
      nameInput2.id = 'secret-name';
      const valueInput = el('textarea', { name: 'value', class: 'mono', autocomplete: 'off', spellcheck: 'false', required: !editing });
      valueInput.id = 'secret-value';
      const tagsInput = el('input', { type: 'text', name: 'tags', autocomplete: 'off', value: editing ? (row.tags || []).join(', ') : '' });
      tagsInput.id = 'secret-tags';
      const save = el('button', { type: 'submit', id: 'secret-save' }, editing ? 'Store new version' : 'Create');
      form.append(
        field('Name', nameInput2, editing ? null : 'Letters, digits and "_", starting with a letter or "_".'),
        field('Value', valueInput, editing ? 'Leave empty to keep the current value and change only the tags. Sealed in this browser before it is sent.' : 'Sealed in this browser before it is sent.'),
        field('Tags', tagsInput, 'Comma-separated, e.g. backend, payments'),
        el('div', { class: 'actions' }, el('button', { type: 'button', class: 'secondary', onclick: close }, 'Cancel'), save),
      );
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        const name = nameInput2.value.trim();
        try {
          if (!NAME.test(name)) {
            throw { code: 'invalid_name', title: 'Invalid name', detail: '"' + name + '" is not a valid secret name.' };
          }
          if (!editing && state.rows.some((r) => r.name === name)) {
            throw { code: 'exists', title: 'Already exists', detail: name + ' already exists in ' + ctx.env + ': edit it instead.' };
          }
          const tags = parseTags(tagsInput.value);
          save.disabled = true;
          let value = valueInput.value;
          if (editing && value === '') {
            const { values } = await reveal(ctx, [name]);
            if (!values.has(name)) throw { code: 'secret_not_found', title: 'Not found', detail: name + ' is gone.' };
            value = values.get(name).value;
          }
          if (value === '') throw { code: 'invalid_value', title: 'Empty value', detail: 'A secret needs a value.' };
          const stored = await store(ctx, { name, value, tags, expectedVersion: editing ? row.version : undefined });
          value = '';
          valueInput.value = '';
          close();
          toast('Stored ' + stored.name + ', version ' + stored.version + '.');
          await load();
        } catch (e) {
          save.disabled = false;
          showProblem(form, isOpenError(e) ? openFailure() : e);
        }
      });
      (editing ? valueInput : nameInput2).setAttribute('autofocus', '');
    });
  }

  function importDialog() {
    formDialog('Import a .env file', (form, close) => {
      const text = el('textarea', { name: 'dotenv', class: 'mono', rows: 10, autocomplete: 'off', spellcheck: 'false', required: true });
      text.id = 'dotenv-text';
      const tagsInput = el('input', { type: 'text', name: 'tags', autocomplete: 'off' });
      tagsInput.id = 'dotenv-tags';
      const results = el('ul', { class: 'results', 'aria-live': 'polite' });
      const go = el('button', { type: 'submit', id: 'dotenv-import' }, 'Seal and import');
      form.append(
        field('Paste NAME=value lines', text, 'Each value is sealed in this browser, one by one. Existing names get a new version.'),
        field('Tags for all imported secrets', tagsInput, 'Optional, comma-separated'),
        results,
        el('div', { class: 'actions' }, el('button', { type: 'button', class: 'secondary', onclick: close }, 'Close'), go),
      );
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        results.replaceChildren();
        let tags;
        try {
          tags = parseTags(tagsInput.value);
        } catch (e) {
          showProblem(form, e);
          return;
        }
        const { entries, errors } = parseDotenv(text.value);
        for (const err of errors) results.append(el('li', { class: 'failed' }, err.text));
        if (!entries.length) {
          if (!errors.length) results.append(el('li', { class: 'failed' }, 'Nothing to import.'));
          return;
        }
        go.disabled = true;
        let ok = 0;
        try {
          const key = await transportKey(ctx);
          for (const entry of entries) {
            try {
              const stored = await store(ctx, { name: entry.name, value: entry.value, tags: tags.length ? tags : undefined, key });
              ok++;
              results.append(el('li', { class: 'ok' }, entry.name + ': stored version ' + stored.version));
            } catch (e) {
              results.append(
                el('li', { class: 'failed' }, entry.name + ': ' + (e.title || e.code) + (e.detail ? ' (' + e.detail + ')' : '') + (e.requestId ? ' · request id ' + e.requestId : '')),
              );
            }
            entry.value = '';
          }
        } catch (e) {
          showProblem(form, e);
        }
        text.value = '';
        go.disabled = false;
        toast('Imported ' + ok + ' of ' + entries.length + ' secrets.');
        await load();
      });
      text.setAttribute('autofocus', '');
    });
  }

  function byLabel(row) {
    return state.names.label(state.by.get(row.name + '@' + row.version) || '');
  }

  // The author of the current version: a readable name, the raw actor id as the tooltip; "…" while
  // it is looked up, "—" for a row not shown yet beyond the first 50.
  function byCell(row) {
    const key = row.name + '@' + row.version;
    if (state.by.has(key)) {
      const actor = state.by.get(key);
      return el('span', { class: 'by', 'data-key': key, title: actor || null }, state.names.label(actor));
    }
    return el('span', { class: 'by muted', 'data-key': key }, state.pending.has(key) ? '…' : '—');
  }

  // The list carries no author: one history request per shown row whose author is not known yet, at
  // most 50 per drawing (a filter that shows other rows looks those up then).
  function authorsToFind(rows) {
    const todo = rows.filter((r) => !state.by.has(r.name + '@' + r.version) && !state.pending.has(r.name + '@' + r.version)).slice(0, 50);
    for (const row of todo) state.pending.add(row.name + '@' + row.version);
    return todo;
  }

  // Three history requests at a time, however often the table is drawn.
  function fillAuthors(todo) {
    state.queue.push(...todo);
    while (state.workers < 3 && state.queue.length) {
      state.workers++;
      authorWorker().finally(() => state.workers--);
    }
  }

  async function authorWorker() {
    const orgId = ctx.org.id;
    while (state.queue.length) {
      const row = state.queue.shift();
      const key = row.name + '@' + row.version;
      try {
        const history = await ctx.api.get(orgPath(orgId, 'secrets', row.name, 'versions') + '?env=' + encodeURIComponent(ctx.env));
        const current = (history.versions || []).find((v) => v.version === row.version);
        state.by.set(key, current ? current.created_by : '');
      } catch (e) {
        state.by.set(key, '');
      }
      state.pending.delete(key);
      const cell = listHolder.querySelector('.by[data-key="' + CSS.escape(key) + '"]');
      if (cell) cell.replaceWith(byCell(row));
    }
  }

  await load();
}
