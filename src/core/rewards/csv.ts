import { formatEther, type Address } from 'viem';
import { explorerTxUrl } from '../explorer.js';
import { NETWORK_IDS, NETWORKS } from '../networks.js';
import type { ClaimRecord } from './types.js';

/**
 * Claim history as CSV (RFC 4180: CRLF line ends, fields holding a comma, a quote or a line break
 * quoted with quotes doubled), for a spreadsheet or a tax report. Amounts of IOTX are exact decimals
 * (formatEther never rounds) with the wei beside them; another restaking token's amount is left to
 * its base units (its decimals are the token's business), its address in `token`.
 */

/** MSP's reward token standing for native IOTX (restakingReads.ts IOTX_REWARD_TOKEN). */
const IOTX_TOKEN = '0x0000000000000000000000000000000000000001';

const HEADER = ['date_utc', 'source', 'epoch', 'device', 'token', 'amount', 'symbol', 'amount_wei', 'block', 'tx_hash', 'explorer_url'];

function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

const isIotx = (token: Address | null) => token === null || token.toLowerCase() === IOTX_TOKEN;

export function claimHistoryCsv(rows: readonly ClaimRecord[], opts: { chainId: number; symbol: string }): string {
  const network = NETWORK_IDS.map((id) => NETWORKS[id]).find((candidate) => candidate.chainId === opts.chainId);
  const lines = rows.map((row) => {
    const iotx = isIotx(row.token);
    return [
      new Date(row.at * 1000).toISOString(),
      row.source,
      row.epoch === null ? '' : String(row.epoch),
      row.device ?? '',
      row.token ?? '',
      iotx ? formatEther(row.amount) : '',
      iotx ? opts.symbol : '',
      row.amount.toString(),
      row.block.toString(),
      row.txHash,
      (network && explorerTxUrl(network, row.txHash)) ?? '',
    ];
  });
  return [HEADER, ...lines].map((cells) => cells.map(field).join(',')).join('\r\n') + '\r\n';
}
