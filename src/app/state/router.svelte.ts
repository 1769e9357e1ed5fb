/** Hash routes, so a static host and the service worker's navigation fallback serve every section. */
export const SECTIONS = [
  { id: 'devices', label: 'Devices', icon: '◎' },
  { id: 'staking', label: 'Staking', icon: '▣' },
  { id: 'rewards', label: 'Rewards', icon: '★' },
  { id: 'wallet', label: 'Wallet', icon: '◈' },
  { id: 'settings', label: 'Settings', icon: '⚙' },
] as const;

export type SectionId = (typeof SECTIONS)[number]['id'];

function sectionFromHash(hash: string): SectionId {
  const id = hash.replace(/^#\/?/, '').split('/')[0];
  return SECTIONS.find((section) => section.id === id)?.id ?? 'devices';
}

export const route = $state({ section: sectionFromHash(location.hash) });

window.addEventListener('hashchange', () => {
  route.section = sectionFromHash(location.hash);
});
