// KLAR renders in the browser: screens read IndexedDB and must open offline from the
// precached shell, so there is nothing to render on the server.
export const ssr = false;
export const prerender = false;
