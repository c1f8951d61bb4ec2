// Log in: paste an API key, or sign in with the organization's identity provider (authorization
// code + PKCE). Either way the token stays in this page's memory only.
import { el, field, showProblem } from '../components.js';
import { loginConfig, startLogin } from '../oidc.js';

export async function render(main, ctx) {
  const wrap = el('div', { class: 'login' }, el('h1', {}, 'Log in to Crate'));
  main.append(wrap);
  const messages = el('div', { class: 'messages' });
  wrap.append(messages);
  if (ctx.session && ctx.session.message) {
    messages.append(el('p', { class: 'notice', role: 'status', id: 'login-message' }, ctx.session.message));
  }

  const providerSection = el('section', { 'aria-labelledby': 'sso-title' }, el('h2', { id: 'sso-title' }, 'With your identity provider'));
  const providerBody = el('p', { class: 'muted' }, 'Checking the server’s login configuration…');
  providerSection.append(providerBody);
  wrap.append(providerSection);

  const input = el('input', {
    type: 'password',
    name: 'api-key',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
  });
  input.id = 'api-key';
  const submit = el('button', { type: 'submit', class: 'primary' }, 'Log in with API key');
  const form = el(
    'form',
    { class: 'stack', id: 'api-key-form' },
    field('API key', input, 'The key stays in this tab’s memory: reloading the page logs you out.'),
    el('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) {
      input.focus();
      return;
    }
    submit.disabled = true;
    try {
      await ctx.session.startSession(token);
      input.value = '';
    } catch (e) {
      submit.disabled = false;
      showProblem(messages, e);
      input.focus();
    }
  });
  wrap.append(el('section', { 'aria-labelledby': 'key-title' }, el('h2', { id: 'key-title' }, 'With an API key'), form));
  input.focus();

  try {
    const config = await loginConfig();
    if (!config) {
      providerBody.textContent = 'This server takes API keys only (no identity provider is configured).';
      return;
    }
    const button = el(
      'button',
      { type: 'button', class: 'primary', id: 'sso-login', onclick: () => startLogin(config) },
      'Log in with the identity provider',
    );
    providerBody.replaceWith(el('div', {}, el('p', { class: 'muted' }, 'Issuer: ', el('code', {}, config.issuer)), button));
  } catch (e) {
    providerBody.textContent = 'The identity provider cannot be used right now.';
    showProblem(messages, e);
  }
}
