/**
 * The Wallet section's screens, each at its own hash route (`#/wallet/<id>`). The home ('') shows
 * the balance first with Send and Receive; the rest are one task each, so no screen is a 2,000 px
 * column of everything.
 */
export const WALLET_SCREENS = [
  { id: 'send', title: 'Send IOTX', needsAccount: true },
  { id: 'receive', title: 'Receive', needsAccount: true },
  { id: 'history', title: 'History', needsAccount: true },
  { id: 'security', title: 'Security', needsAccount: false },
  { id: 'wallets', title: 'Other wallets', needsAccount: false },
] as const;

export type WalletScreenId = (typeof WALLET_SCREENS)[number]['id'];

/** The screen a route names, or null for the home (and for a name no screen has). */
export function walletScreen(id: string): (typeof WALLET_SCREENS)[number] | null {
  return WALLET_SCREENS.find((screen) => screen.id === id) ?? null;
}

export const walletHref = (id: WalletScreenId | '') => (id ? `#/wallet/${id}` : '#/wallet');
