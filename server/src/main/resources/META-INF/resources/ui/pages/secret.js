// One secret: its versions (never values unless revealed here), rollback, delete, restore, purge.
import { orgPath } from '../api.js';
import { confirmDialog, el, showProblem, table, tagChips, toast, when } from '../components.js';
import { actorNames } from '../people.js';
import { HIDE_AFTER_MS, NAME, isOpenError, openFailure, reveal } from '../vault.js';

export async function render(main, ctx) {
  const name = ctx.params.name || '';
  if (!ctx.org || !NAME.test(name)) {
    main.append(el('h1', {}, 'Secret'), el('p', {}, 'No such secret. '), el('a', { href: '#/secrets' }, 'Back to the secrets'));
    return;
  }
  const base = orgPath(ctx.org.id, 'secrets', name);
  const envQuery = '?env=' + encodeURIComponent(ctx.env);
  const messages = el('div', { class: 'messages' });
  const body = el('div', {});
  const revealed = new Map();
  const timers = new Map();
  main.append(
    el('p', {}, el('a', { href: '#/secrets' }, '← All secrets in ' + ctx.env)),
    el('h1', {}, el('span', { class: 'secret-title' }, name), ' ', el('span', { class: 'muted' }, 'in ' + ctx.env)),
    messages,
    body,
  );
  ctx.onLeave(() => {
    for (const t of timers.values()) clearTimeout(t);
    revealed.clear();
    body.replaceChildren();
  });
  // A hidden tab hides the values, as on the secrets page.
  const onHidden = () => {
    if (document.visibilityState !== 'hidden' || !revealed.size) return;
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
    revealed.clear();
    if (history) draw();
  };
  document.addEventListener('visibilitychange', onHidden);
  ctx.onLeave(() => document.removeEventListener('visibilitychange', onHidden));

  let history = null;
  let names = { label: (actor) => actor || '' };

  async function load() {
    // After any change the history is read again and every value on screen hides.
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
    revealed.clear();
    try {
      [history, names] = await Promise.all([ctx.api.get(base + '/versions' + envQuery), actorNames(ctx)]);
    } catch (e) {
      body.replaceChildren();
      showProblem(messages, e);
      return;
    }
    draw();
  }

  function status() {
    if (history.purged) return el('span', { class: 'badge', id: 'secret-status' }, 'purged');
    if (history.deleted) return el('span', { class: 'badge', id: 'secret-status' }, 'deleted');
    return el('span', { class: 'tag', id: 'secret-status' }, 'live');
  }

  function draw() {
    const actions = el('div', { class: 'toolbar' });
    if (!history.deleted) {
      actions.append(el('button', { type: 'button', class: 'danger', id: 'delete-secret', onclick: remove }, 'Delete'));
    }
    if (history.deleted && !history.purged) {
      actions.append(el('button', { type: 'button', id: 'restore-secret', onclick: restore }, 'Restore'));
    }
    if (!history.purged) {
      actions.append(el('button', { type: 'button', class: 'danger', id: 'purge-secret', onclick: purge }, 'Purge…'));
    }
    const columns = [
      { key: 'version', label: 'Version', render: (v) => String(v.version) + (v.version === history.current_version ? ' (current)' : '') },
      { key: 'created_at', label: 'Stored', render: (v) => when(v.created_at) },
      { key: 'created_by', label: 'By', render: (v) => el('span', { class: 'by', title: v.created_by || null }, names.label(v.created_by)) },
      { key: 'tags', label: 'Tags', render: (v) => tagChips(v.tags) },
      {
        key: 'value',
        label: 'Value',
        render: (v) =>
          v.destroyed
            ? el('span', { class: 'badge' }, 'destroyed')
            : revealed.has(v.version)
              ? el('code', { class: 'value', 'data-version': v.version }, revealed.get(v.version))
              : el('span', { class: 'value hidden', 'data-version': v.version, 'aria-label': 'hidden value' }, '••••••••'),
      },
      {
        key: 'actions',
        label: 'Actions',
        render: (v) => {
          const buttons = el('div', { class: 'row-actions' });
          if (!v.destroyed && !history.deleted) {
            const shown = revealed.has(v.version);
            buttons.append(
              el(
                'button',
                {
                  type: 'button',
                  class: 'small secondary',
                  'data-action': shown ? 'hide' : 'reveal',
                  'aria-label': (shown ? 'Hide' : 'Reveal') + ' version ' + v.version,
                  onclick: () => (shown ? hide(v.version) : show(v.version)),
                },
                shown ? 'Hide' : 'Reveal',
              ),
            );
            if (v.version !== history.current_version) {
              buttons.append(
                el(
                  'button',
                  { type: 'button', class: 'small', 'data-action': 'rollback', 'aria-label': 'Roll back to version ' + v.version, onclick: () => rollback(v.version) },
                  'Roll back to this',
                ),
              );
            }
          }
          return buttons;
        },
      },
    ];
    body.replaceChildren(
      el(
        'dl',
        { class: 'meta' },
        el('dt', {}, 'Status'),
        el('dd', {}, status()),
        el('dt', {}, 'Current version'),
        el('dd', { id: 'current-version' }, String(history.current_version)),
      ),
      actions,
      el('h2', {}, 'History'),
      table(columns, history.versions || [], {
        caption: 'Kept versions, newest first' + (revealed.size ? ' · values hide again after ' + HIDE_AFTER_MS / 1000 + ' s' : ''),
        rowAttrs: (v) => ({ 'data-version': v.version }),
      }),
    );
  }

  function hide(version) {
    clearTimeout(timers.get(version));
    timers.delete(version);
    revealed.delete(version);
    draw();
  }

  async function show(version) {
    try {
      const { values } = await reveal(ctx, [name], { [name]: version });
      if (!values.has(name)) {
        showProblem(messages, { code: 'version_not_found', title: 'Not available', detail: 'Version ' + version + ' cannot be read.' });
        return;
      }
      revealed.set(version, values.get(name).value);
      timers.set(version, setTimeout(() => hide(version), HIDE_AFTER_MS));
      draw();
    } catch (e) {
      showProblem(messages, isOpenError(e) ? openFailure() : e);
    }
  }

  async function act(promise, message) {
    try {
      await promise();
      toast(message);
      await load();
    } catch (e) {
      showProblem(messages, e);
    }
  }

  async function rollback(version) {
    if (!(await confirmDialog('Store the value of version ' + version + ' as a new version of ' + name + '?', { confirmLabel: 'Roll back', danger: false }))) return;
    await act(async () => {
      const stored = await ctx.api.post(base + '/rollback' + envQuery, { version });
      toast(name + ' is now at version ' + stored.version + '.');
    }, 'Rolled back to version ' + version + '.');
  }

  async function remove() {
    if (!(await confirmDialog('Delete ' + name + ' from ' + ctx.env + '? It can be restored later.', { confirmLabel: 'Delete' }))) return;
    await act(() => ctx.api.del(base + envQuery), 'Deleted ' + name + '.');
  }

  async function restore() {
    await act(() => ctx.api.post(base + '/restore' + envQuery, {}), 'Restored ' + name + '.');
  }

  async function purge() {
    const ok = await confirmDialog(
      'Purge ' + name + ' in ' + ctx.env + '? The keys of every version are destroyed: no one, not even an operator, can read them again. This cannot be undone.',
      { confirmLabel: 'Purge for ever', title: 'Purge ' + name },
    );
    if (!ok) return;
    await act(() => ctx.api.del(base + envQuery + '&purge=true'), 'Purged ' + name + '.');
  }

  await load();
}
