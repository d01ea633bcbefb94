/** The app's top-level views, in tab order. */
export const APP_TABS = ['dashboard', 'speedup', 'processes', 'cluster'] as const
export type AppTab = (typeof APP_TABS)[number]

/** The tab a URL hash names (`#speedup`), or the dashboard. */
export function tabFromHash(hash: string): AppTab {
  const name = hash.replace(/^#\/?/, '')
  return (APP_TABS as readonly string[]).includes(name) ? (name as AppTab) : 'dashboard'
}
