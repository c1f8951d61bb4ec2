// The console's pages (docs/CONSOLE.md, section 2). Each module exports
// `async function render(main, ctx)` with ctx = {api, org, env, navigate(hash), params, me, onLeave(fn)}.
// Part B adds the admin pages here.
export const routes = [
  { path: '#/login', title: 'Log in', public: true, nav: false, load: () => import('./login.js') },
  { path: '#/secrets', title: 'Secrets', adminOnly: false, load: () => import('./secrets.js') },
  { path: '#/secret', title: 'Secret', adminOnly: false, nav: false, load: () => import('./secret.js') },
];
