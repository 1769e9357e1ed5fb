import * as v from 'valibot';
import { getAddress, isAddress } from 'viem';
import { CONTRACT_NAMES, type AddressBook } from './addressBook.js';
import { OutpostError } from './errors.js';

/**
 * What a running devnet stack tells its clients: where the chain and relay are, and the
 * addresses the deploy script wrote. The file crosses a process boundary (deploy script → app,
 * relay, tools), so it is validated on every read.
 */
const AddressSchema = v.pipe(
  v.string(),
  v.check((value) => isAddress(value, { strict: false }), 'must be a 0x address'),
  v.transform((value) => getAddress(value)),
);

const UrlSchema = v.pipe(v.string(), v.url('must be a URL'));

const DevnetConfigSchema = v.object({
  version: v.literal(1),
  chainId: v.literal(31337),
  rpcUrl: UrlSchema,
  relayUrl: v.nullable(UrlSchema),
  deployedAt: v.string(),
  contracts: v.record(v.picklist(CONTRACT_NAMES), AddressSchema),
  /** Extra deployment facts (demo project id, module id, dev-only accounts). */
  extra: v.optional(v.record(v.string(), v.unknown())),
});

export type DevnetConfig = {
  version: 1;
  chainId: 31337;
  rpcUrl: string;
  relayUrl: string | null;
  deployedAt: string;
  contracts: AddressBook;
  extra?: Record<string, unknown>;
};

/** URL path under which the dev/preview server serves the running stack's devnet config. */
const DEVNET_CONFIG_PATH = '/devnet.json';

export class InvalidDevnetConfigError extends OutpostError {
  override name = 'InvalidDevnetConfigError';
  constructor(details: string) {
    super('network.devnet_invalid_config', 'The local devnet configuration is malformed.', {
      details,
      hint: 'Restart the stack with `npm run dev` so the deploy script writes it again.',
    });
  }
}

export function parseDevnetConfig(input: unknown): DevnetConfig {
  const result = v.safeParse(DevnetConfigSchema, input);
  if (!result.success) {
    const issues = result.issues
      .map((issue) => `${v.getDotPath(issue) ?? '(root)'}: ${issue.message}`)
      .join('; ');
    throw new InvalidDevnetConfigError(issues);
  }
  return result.output as DevnetConfig;
}

class DevnetUnavailableError extends OutpostError {
  override name = 'DevnetUnavailableError';
  constructor(details: string) {
    super('network.devnet_unavailable', 'No local devnet is running.', {
      details,
      hint: 'Start the whole stack with `npm run dev`, or switch to IoTeX Testnet in Settings.',
    });
  }
}

/** Reads and validates the running stack's devnet config from the server that served the app. */
export async function fetchDevnetConfig(
  origin: string,
  { fetchImpl = fetch, timeoutMs = 4000 }: { fetchImpl?: typeof fetch; timeoutMs?: number } = {},
): Promise<DevnetConfig> {
  let response: Response;
  try {
    response = await fetchImpl(new URL(DEVNET_CONFIG_PATH, origin), {
      cache: 'no-store',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new DevnetUnavailableError(error instanceof Error ? error.message : String(error));
  }
  if (response.status === 404) throw new DevnetUnavailableError(`${DEVNET_CONFIG_PATH} is not served here`);
  if (!response.ok) throw new DevnetUnavailableError(`${DEVNET_CONFIG_PATH} answered HTTP ${response.status}`);
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    throw new InvalidDevnetConfigError(`not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseDevnetConfig(body);
}
