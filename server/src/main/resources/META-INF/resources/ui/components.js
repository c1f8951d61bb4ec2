// Shared helpers of the console's pages. Nothing here writes HTML from strings: text goes in as text
// nodes, so a secret name or an error detail can never become markup.

/**
 * el('button', {class: 'primary', onclick: fn, 'aria-label': 'x'}, 'text', otherNode)
 * Attributes: on* functions become listeners, true/false toggle boolean attributes, null/undefined are skipped.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'class') {
      node.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    } else if (name === 'value' && 'value' in node) {
      node.value = value;
    } else if (value === true) {
      node.setAttribute(name, '');
    } else {
      node.setAttribute(name, String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * A table. columns: [{key, label, render?(row) -> node|text, sort?: true, className?}];
 * rows: array of objects. Options: {caption, sortKey, sortDir, onSort(key), rowAttrs(row)}.
 */
export function table(columns, rows, options = {}) {
  const head = el(
    'tr',
    {},
    columns.map((c) => {
      if (!c.sort || !options.onSort) return el('th', { scope: 'col', class: c.className }, c.label);
      const active = options.sortKey === c.key;
      const dir = active ? options.sortDir : null;
      return el(
        'th',
        { scope: 'col', class: c.className, 'aria-sort': active ? (dir === 'desc' ? 'descending' : 'ascending') : 'none' },
        el(
          'button',
          { type: 'button', class: 'link sort', onclick: () => options.onSort(c.key) },
          c.label,
          el('span', { 'aria-hidden': 'true', class: 'sort-mark' }, active ? (dir === 'desc' ? ' ▼' : ' ▲') : ''),
        ),
      );
    }),
  );
  const body = el(
    'tbody',
    {},
    rows.length === 0
      ? el('tr', {}, el('td', { colspan: columns.length, class: 'empty' }, options.empty || 'Nothing to show.'))
      : rows.map((row) =>
          el(
            'tr',
            options.rowAttrs ? options.rowAttrs(row) : {},
            columns.map((c) =>
              el('td', { class: c.className, 'data-label': c.label }, c.render ? c.render(row) : row[c.key] ?? ''),
            ),
          ),
        ),
  );
  return el(
    'div',
    { class: 'table-wrap' },
    el('table', {}, options.caption ? el('caption', {}, options.caption) : null, el('thead', {}, head), body),
  );
}

/** A modal confirmation; resolves true only when the confirm button is pressed. */
export function confirmDialog(text, { confirmLabel = 'Confirm', danger = true, title = 'Please confirm' } = {}) {
  return new Promise((resolve) => {
    const titleId = 'dlg-' + Math.random().toString(36).slice(2);
    const dialog = el(
      'dialog',
      { class: 'confirm', 'aria-labelledby': titleId, role: 'alertdialog' },
      el('h2', { id: titleId }, title),
      el('p', {}, text),
      el(
        'div',
        { class: 'actions' },
        el('button', { type: 'button', class: 'secondary', 'data-action': 'cancel', onclick: () => close(false) }, 'Cancel'),
        el(
          'button',
          { type: 'button', class: danger ? 'danger' : 'primary', 'data-action': 'confirm', onclick: () => close(true) },
          confirmLabel,
        ),
      ),
    );
    let done = false;
    function close(result) {
      if (done) return;
      done = true;
      dialog.close();
      dialog.remove();
      resolve(result);
    }
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      close(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    dialog.querySelector('[data-action="cancel"]').focus();
  });
}

/** Words for a few codes people meet often; anything else shows the server's own title and detail. */
const HINTS = {
  network_error: 'The server could not be reached.',
  unauthenticated: 'Your session is no longer valid. Log in again.',
  forbidden: 'Your role or grants do not allow this.',
  version_conflict: 'Someone stored a newer version meanwhile. Reload and try again.',
  invalid_name: 'Names start with a letter or underscore, then letters, digits or underscores (at most 128).',
  invalid_tag: 'Tags are lower-case letters, digits, "-" or "_", starting with a letter or digit.',
  version_destroyed: 'That version was purged: its key is destroyed and it can never be read again.',
  value_too_large: 'The value is larger than 64 KiB.',
};

/** Renders a ProblemError (or any error) in words, with its request id, into the container. */
export function showProblem(container, error) {
  const status = error && error.status ? error.status + ' ' : '';
  const title = (error && (error.title || error.code)) || 'Something went wrong';
  const detail = error && error.detail ? error.detail : error && error.message ? error.message : '';
  const hint = error && HINTS[error.code];
  const box = el(
    'div',
    { class: 'problem', role: 'alert', 'data-code': error && error.code ? error.code : 'error' },
    el('p', { class: 'problem-title' }, el('strong', {}, status + title)),
    detail ? el('p', { class: 'problem-detail' }, detail) : null,
    hint && hint !== detail ? el('p', { class: 'problem-hint' }, hint) : null,
    error && error.requestId
      ? el('p', { class: 'problem-id' }, 'Request id: ', el('code', { class: 'request-id' }, error.requestId))
      : null,
  );
  if (container) {
    container.querySelectorAll(':scope > .problem').forEach((n) => n.remove());
    container.prepend(box);
  }
  return box;
}

/** A short message in the polite live region, gone after a few seconds. */
export function toast(text) {
  let region = document.getElementById('toasts');
  if (!region) {
    region = el('div', { id: 'toasts', class: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.append(region);
  }
  const item = el('div', { class: 'toast' }, text);
  region.append(item);
  setTimeout(() => item.remove(), 4000);
  return item;
}

/** A labelled form field: el('label') wrapping the text and the control, with an optional hint. */
export function field(labelText, control, hint) {
  const id = control.id || 'f-' + Math.random().toString(36).slice(2);
  control.id = id;
  const hintNode = hint ? el('small', { id: id + '-hint', class: 'hint' }, hint) : null;
  if (hintNode) control.setAttribute('aria-describedby', hintNode.id);
  return el('div', { class: 'field' }, el('label', { for: id }, labelText), control, hintNode);
}

/** A modal form dialog; build(form, close) fills it (autofocus marks the control to start in); returns {dialog, close}. */
export function formDialog(title, build) {
  const titleId = 'dlg-' + Math.random().toString(36).slice(2);
  const form = el('form', { method: 'dialog', class: 'stack' });
  const dialog = el('dialog', { 'aria-labelledby': titleId }, el('h2', { id: titleId }, title), form);
  function close() {
    if (dialog.open) dialog.close();
    dialog.remove();
  }
  dialog.addEventListener('close', () => dialog.remove());
  build(form, close);
  document.body.append(dialog);
  dialog.showModal();
  // A control focused by build() was not shown yet: focus the one marked autofocus now.
  const first = form.querySelector('[autofocus]');
  if (first) first.focus();
  return { dialog, form, close };
}

/** A date-time in the reader's locale, with the exact UTC instant as a tooltip. */
export function when(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return el('time', { datetime: iso, title: iso }, date.toLocaleString());
}

export function tagChips(tags) {
  return el('span', { class: 'tags' }, (tags || []).map((t) => el('span', { class: 'tag' }, t)));
}
