/** Hash routes, so a static host and the service worker's navigation fallback serve every section. */
export const SECTIONS = [
  { id: 'devices', label: 'Devices', icon: '◎' },
  { id: 'staking', label: 'Staking', icon: '▣' },
  { id: 'rewards', label: 'Rewards', icon: '★' },
  { id: 'wallet', label: 'Wallet', icon: '◈' },
  { id: 'settings', label: 'Settings', icon: '⚙' },
] as const;

export type SectionId = (typeof SECTIONS)[number]['id'];

/**
 * `#/wallet/send` → section `wallet`, screen `send`; a section's home has the screen ''.
 * `#/staking/bucket/12` → screen `bucket`, param `12` (what the screen is about); '' when absent.
 */
function parseHash(hash: string): { section: SectionId; screen: string; param: string } {
  const [id, screen = '', param = ''] = hash.replace(/^#\/?/, '').split('/');
  const section = SECTIONS.find((s) => s.id === id)?.id;
  return section ? { section, screen, param: safeDecode(param) } : { section: 'devices', screen: '', param: '' };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export const route = $state(parseHash(location.hash));

window.addEventListener('hashchange', () => {
  Object.assign(route, parseHash(location.hash));
});
