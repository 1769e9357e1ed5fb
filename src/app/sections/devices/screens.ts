import { getAddress, isAddress, type Address } from 'viem';

/**
 * The Devices section's screens (`#/devices[/device/<address>]`): the home lists My devices and
 * connects new ones; `device/<address>` is one device's page (ioID, pairing, sync, proof, Wi-Fi,
 * reset).
 */
export const deviceHref = (address: Address): string => `#/devices/device/${address}`;

/** The device address a route names, or null for anything that is not one. */
export function deviceFromParam(param: string): Address | null {
  return isAddress(param, { strict: false }) ? getAddress(param) : null;
}
