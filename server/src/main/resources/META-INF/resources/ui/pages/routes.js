// The console's pages, in menu order. Each page module exports `async function render(main, ctx)`.
export const routes = [
  // Admin pages (docs/CONSOLE.md, "Admin pages").
  { path: '#/members', title: 'Members', adminOnly: true, load: () => import('./members.js') },
  { path: '#/api-keys', title: 'API keys', adminOnly: true, load: () => import('./apikeys.js') },
  { path: '#/tags', title: 'Tags', adminOnly: true, load: () => import('./tags.js') },
  { path: '#/environments', title: 'Environments', adminOnly: true, load: () => import('./environments.js') },
  { path: '#/keys', title: 'Keys', adminOnly: true, load: () => import('./keys.js') },
  { path: '#/audit', title: 'Audit', adminOnly: true, load: () => import('./audit.js') },
];
