// Shared helpers of the console's admin pages (members, API keys, tags, environments, keys,
// audit). The REST calls they make are those of docs/API.md, sections 5a, 7, 8, 10, 11 and 12.
import { showProblem, toast } from '../components.js';

/** The organization id of the context (ctx.org is an organization object or its id). */
export function orgId(ctx) {
  return typeof ctx.org === 'string' ? ctx.org : ctx.org.id;
}

/** The path prefix of the organization's routes. */
export function orgPath(ctx, rest = '') {
  return '/organization/' + encodeURIComponent(orgId(ctx)) + rest;
}

/**
 * Creates an element. props: 'class', 'text', 'on<event>' (listeners), 'dataset', 'attrs'
 * (attributes by name) and any DOM property (value, checked, type, id, htmlFor, ...).
 * Children: nodes, strings, or null/false (skipped); arrays are flattened.
 */
export function h(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key === 'attrs') for (const [a, v] of Object.entries(value)) node.setAttribute(a, v);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else node[key] = value;
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : String(child));
  }
}

let uid = 0;
/** A unique element id, for label/for pairs. */
export function nextId(prefix) {
  uid += 1;
  return 'adm-' + prefix + '-' + uid;
}

/** A labelled form field: the label is tied to the control with for/id. */
export function field(labelText, control, hint) {
  if (!control.id) control.id = nextId('f');
  const parts = [h('label', { htmlFor: control.id, text: labelText }), control];
  if (hint) {
    const hintId = control.id + '-hint';
    control.setAttribute('aria-describedby', hintId);
    parts.push(h('small', { id: hintId, class: 'adm-hint', text: hint }));
  }
  return h('div', { class: 'adm-field' }, parts);
}

/** A select with the given options ([value, label] pairs or plain strings). */
export function select(options, value, props = {}) {
  const node = h('select', props);
  for (const option of options) {
    const [v, label] = Array.isArray(option) ? option : [option, option];
    node.append(h('option', { value: v, text: label, selected: v === value }));
  }
  return node;
}

/**
 * A table with a caption; columns are {label, cell(row) -> Node|string, class?}.
 * An empty list shows `empty` in one row.
 */
export function dataTable(caption, columns, rows, empty = 'Nothing here yet.') {
  const head = h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', text: c.label }))));
  const body = h('tbody');
  if (rows.length === 0) {
    body.append(h('tr', {}, h('td', { colSpan: columns.length, class: 'adm-empty', text: empty })));
  }
  for (const row of rows) {
    body.append(
      h('tr', {}, columns.map((c) => {
        const value = c.cell(row);
        return h('td', { class: c.class, attrs: { 'data-label': c.label } }, value === '' ? null : value);
      })),
    );
  }
  return h('div', { class: 'adm-table-wrap' }, h('table', { class: 'adm-table' }, h('caption', { text: caption }), head, body));
}

/** A timestamp as the reader's local time, with the exact value in a title and a <time>. */
export function time(value) {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return h('time', { dateTime: value, title: value, text: date.toLocaleString() });
}

/** Grants {"dev":["read"],"prod":["read","write"]} as "dev: read; prod: read, write". */
export function grantsText(grants) {
  const entries = Object.entries(grants || {});
  if (entries.length === 0) return 'none';
  return entries.map(([env, perms]) => env + ': ' + perms.join(', ')).join('; ');
}

/**
 * A per-environment grants editor: a fieldset with a read and a write checkbox per environment.
 * Returns {node, value() -> grants object, setEnabled(bool)}.
 */
export function grantsEditor(environments, grants = {}, legend = 'Grants per environment') {
  const boxes = [];
  const names = [...new Set([...environments, ...Object.keys(grants || {})])];
  const rows = names.map((env) => {
    const perms = (grants && grants[env]) || [];
    const cells = ['read', 'write'].map((perm) => {
      const box = h('input', { type: 'checkbox', checked: perms.includes(perm), id: nextId('g'), attrs: { 'aria-label': env + ' ' + perm } });
      box.dataset.env = env;
      box.dataset.perm = perm;
      boxes.push(box);
      return h('span', { class: 'adm-check' }, box, h('label', { htmlFor: box.id, text: perm }));
    });
    return h('div', { class: 'adm-grant-row' }, h('span', { class: 'adm-grant-env', text: env }), cells);
  });
  const node = h('fieldset', { class: 'adm-grants' }, h('legend', { text: legend }), rows.length ? rows : h('p', { text: 'No environments.' }));
  return {
    node,
    value() {
      const out = {};
      for (const box of boxes) {
        if (!box.checked) continue;
        (out[box.dataset.env] ||= []).push(box.dataset.perm);
      }
      return out;
    },
    setEnabled(enabled) {
      node.disabled = !enabled;
      node.hidden = !enabled;
    },
  };
}

/** A region for errors of one part of a page; show(e) renders problem+json errors in words. */
export function problemArea() {
  const node = h('div', { class: 'adm-problem', attrs: { 'aria-live': 'polite' } });
  return {
    node,
    clear() {
      node.replaceChildren();
    },
    show(error) {
      node.replaceChildren();
      if (error && error.status !== undefined && error.code !== undefined) {
        showProblem(node, error);
      } else {
        // Not an answer of the server (network down, a bug): say so in words, without details
        // that could carry data.
        node.append(h('p', { class: 'adm-error', attrs: { role: 'alert' }, text: 'The request failed: ' + ((error && error.message) || 'unknown error') }));
      }
      node.scrollIntoView({ block: 'nearest' });
    },
  };
}

/**
 * Runs an async action from a button: disables it meanwhile, clears and fills the problem area,
 * and toasts `done` when the action succeeds. Returns {value} on success, null on failure.
 */
export async function run(button, problems, action, done) {
  problems.clear();
  if (button) button.disabled = true;
  try {
    const value = await action();
    if (done) toast(done);
    return { value };
  } catch (error) {
    problems.show(error);
    return null;
  } finally {
    if (button) button.disabled = false;
  }
}

/** The organization's environment names (docs/API.md, section 8). */
export async function environmentNames(ctx) {
  const answer = await ctx.api.get(orgPath(ctx, '/environments'));
  return answer.environments.map((e) => e.name);
}

/** True while `node` is still in the document (the reader has not navigated away). */
export function attached(node) {
  return node.isConnected;
}

/** The page's heading and intro. */
export function header(title, intro) {
  return [h('h1', { text: title, tabIndex: -1 }), intro ? h('p', { class: 'adm-intro', text: intro }) : null];
}
