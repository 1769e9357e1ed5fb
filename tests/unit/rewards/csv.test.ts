/** claimHistoryCsv: RFC 4180 quoting, exact decimals beside wei, ISO UTC dates, explorer links; expected text written by hand. */
import { describe, expect, it } from 'vitest';
import type { Address, Hash } from 'viem';
import { claimHistoryCsv } from '../../../src/core/rewards/csv.js';
import type { ClaimRecord } from '../../../src/core/rewards/types.js';

const TX1 = `0x${'11'.repeat(32)}` as Hash;
const TX2 = `0x${'22'.repeat(32)}` as Hash;
const TX3 = `0x${'33'.repeat(32)}` as Hash;
const DEVICE = '0x00000000000000000000000000000000000000d1' as Address;
const ERC20 = '0x00000000000000000000000000000000000000E2' as Address;
const HEADER = 'date_utc,source,epoch,device,token,amount,symbol,amount_wei,block,tx_hash,explorer_url';

const rows: ClaimRecord[] = [
  { source: 'data', amount: 1_234_567_890_123_456_789n, token: null, epoch: 41, device: DEVICE, txHash: TX1, block: 100n, at: 1_700_000_000 },
  { source: 'restaking', amount: 500_000_000_000_000_000n, token: '0x0000000000000000000000000000000000000001', epoch: null, device: null, txHash: TX2, block: 101n, at: 1_700_000_005 },
  { source: 'restaking', amount: 42n, token: ERC20, epoch: null, device: null, txHash: TX3, block: 102n, at: 1_700_000_010 },
];

describe('claimHistoryCsv', () => {
  it('one line per payment after the header, CRLF, with testnet explorer links', () => {
    expect(claimHistoryCsv(rows, { chainId: 4690, symbol: 'IOTX' })).toBe(
      [
        HEADER,
        `2023-11-14T22:13:20.000Z,data,41,0x00000000000000000000000000000000000000d1,,1.234567890123456789,IOTX,1234567890123456789,100,${TX1},https://testnet.iotexscan.io/tx/${TX1}`,
        `2023-11-14T22:13:25.000Z,restaking,,,0x0000000000000000000000000000000000000001,0.5,IOTX,500000000000000000,101,${TX2},https://testnet.iotexscan.io/tx/${TX2}`,
        // Another token: its base units only, its address in `token`.
        `2023-11-14T22:13:30.000Z,restaking,,,0x00000000000000000000000000000000000000E2,,,42,102,${TX3},https://testnet.iotexscan.io/tx/${TX3}`,
        '',
      ].join('\r\n'),
    );
  });

  it('quotes fields with commas and quotes (doubled); no explorer on the devnet', () => {
    expect(claimHistoryCsv([rows[0]!], { chainId: 31337, symbol: 'IO,"T"X' })).toBe(
      `${HEADER}\r\n2023-11-14T22:13:20.000Z,data,41,0x00000000000000000000000000000000000000d1,,1.234567890123456789,"IO,""T""X",1234567890123456789,100,${TX1},\r\n`,
    );
  });

  it('an empty history is the header alone', () => {
    expect(claimHistoryCsv([], { chainId: 4689, symbol: 'IOTX' })).toBe(`${HEADER}\r\n`);
  });
});
