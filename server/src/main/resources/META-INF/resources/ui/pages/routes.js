// The console's pages (docs/CONSOLE.md, section 2). Each module exports
// `async function render(main, ctx)` with ctx = {api, org, env, navigate(hash), params, me, onLeave(fn)}.
// Part B adds the admin pages here.
export const routes = [
  { path: '#/login', title: 'Log in', public: true, nav: false, load: () => import('./login.js') },
  { path: '#/secrets', title: 'Secrets', adminOnly: false, load: () => import('./secrets.js') },
  { path: '#/secret', title: 'Secret', adminOnly: false, nav: false, load: () => import('./secret.js') },
  // Admin pages (docs/CONSOLE.md, section 7).
  { path: '#/members', title: 'Members', adminOnly: true, load: () => import('./members.js') },
  { path: '#/api-keys', title: 'API keys', adminOnly: true, load: () => import('./apikeys.js') },
  { path: '#/tags', title: 'Tags', adminOnly: true, load: () => import('./tags.js') },
  { path: '#/environments', title: 'Environments', adminOnly: true, load: () => import('./environments.js') },
  { path: '#/keys', title: 'Keys', adminOnly: true, load: () => import('./keys.js') },
  { path: '#/audit', title: 'Audit', adminOnly: true, load: () => import('./audit.js') },
];
