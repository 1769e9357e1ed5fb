import type { JobRecord } from '../../../../core/jobs/types.js';

/**
 * The mint journey as the owner sees it (issue 15): connect → genuine → project → device NFT →
 * approval → the device signs the permit → register → done. Rows are decided from what is known
 * now (the link, the authenticity check, the chain reads, the stored job record), never from what
 * the screen did before, so a reload shows the same rows.
 */
type JourneyRowState = 'done' | 'working' | 'waiting' | 'failed';
export type JourneyRow = { id: string; label: string; state: JourneyRowState; detail: string };

export type JourneyCheck =
  | { state: 'idle' | 'reading' }
  | { state: 'failed'; message: string }
  | { state: 'ready'; project: string; nft: 'held' | 'demo-mint' | 'none'; approved: boolean };

export type JourneyInput = {
  /** The device has an ioID owned by this account (read from the chain). */
  registered: boolean;
  connected: boolean;
  authenticity: 'unchecked' | 'checking' | 'genuine' | 'failed';
  check: JourneyCheck;
  record: JobRecord | null;
  /** The permit is on screen ('showing') or the device is signing it ('signing'). */
  signing: 'idle' | 'showing' | 'signing';
  /** The code of the error that stopped the job last, if any. */
  errorCode: string | null;
};

const DEVICE_SIGNATURE_ERRORS = ['ioid.device_unreachable', 'ioid.permit_other_owner', 'ioid.permit_stale', 'ioid.permit_other_signer', 'ioid.signature_high_s', 'ioid.signature_length'];

function jobStepState(record: JobRecord | null, id: string): JourneyRowState | null {
  const step = record?.steps.find((candidate) => candidate.id === id);
  if (!step) return null;
  switch (step.status.kind) {
    case 'confirmed':
    case 'skipped-already-landed':
      return 'done';
    case 'replaced':
      return step.status.landed ? 'done' : 'waiting';
    case 'failed':
      return 'failed';
    case 'waiting':
      return 'waiting';
    default:
      return 'working';
  }
}

export function journeyRows(input: JourneyInput): JourneyRow[] {
  const { registered, check, record } = input;
  const doneAll = (id: string, label: string, detail: string): JourneyRow => ({ id, label, state: 'done', detail });
  if (registered) {
    return [
      doneAll('connect', 'Connect', 'Paired'),
      doneAll('genuine', 'Genuine', 'Its identity is on-chain'),
      doneAll('project', 'Project', 'Bound'),
      doneAll('nft', 'Device NFT', 'In the ioID’s account'),
      doneAll('approval', 'Approval', 'Given'),
      doneAll('permit', 'Device signs the permit', 'Signed'),
      doneAll('register', 'Register', 'Registered'),
      doneAll('done', 'Done', 'ioID minted'),
    ];
  }
  const connect: JourneyRow = input.connected
    ? { id: 'connect', label: 'Connect', state: 'done', detail: 'Connected' }
    : { id: 'connect', label: 'Connect', state: 'waiting', detail: 'Connect the device to continue' };
  const genuineState: JourneyRowState = input.authenticity === 'genuine' ? 'done' : input.authenticity === 'failed' ? 'failed' : input.authenticity === 'checking' ? 'working' : 'waiting';
  const genuine: JourneyRow = {
    id: 'genuine',
    label: 'Genuine',
    state: input.connected ? genuineState : 'waiting',
    detail: { done: 'It signed a fresh challenge with its own key', failed: 'Not verified', working: 'Checking…', waiting: 'Not checked yet' }[input.connected ? genuineState : 'waiting'],
  };
  const project: JourneyRow =
    check.state === 'ready'
      ? { id: 'project', label: 'Project', state: 'done', detail: check.project }
      : check.state === 'failed'
        ? { id: 'project', label: 'Project', state: 'failed', detail: check.message }
        : { id: 'project', label: 'Project', state: check.state === 'reading' ? 'working' : 'waiting', detail: check.state === 'reading' ? 'Reading the chain…' : 'Not read yet' };

  const mintStep = jobStepState(record, 'mint-nft');
  const nftState: JourneyRowState = mintStep ?? (check.state === 'ready' ? (check.nft === 'held' ? 'done' : check.nft === 'none' ? 'failed' : 'waiting') : 'waiting');
  const nft: JourneyRow = {
    id: 'nft',
    label: 'Device NFT',
    state: nftState,
    detail:
      nftState === 'done'
        ? 'You hold one'
        : check.state === 'ready' && check.nft === 'demo-mint'
          ? 'Minted for you from the devnet’s demo NFT (one wallet confirmation)'
          : check.state === 'ready' && check.nft === 'none'
            ? 'You hold none: only your project’s device NFT contract can provide one'
            : 'Not read yet',
  };
  const approveStep = jobStepState(record, 'approve');
  const approvalState: JourneyRowState = approveStep ?? (check.state === 'ready' && check.approved ? 'done' : 'waiting');
  const approval: JourneyRow = {
    id: 'approval',
    label: 'Approval',
    state: approvalState,
    detail: approvalState === 'done' ? 'The ioID registry may move your device NFTs of this contract' : 'One wallet confirmation, once per NFT contract',
  };
  const registerStep = jobStepState(record, 'register');
  const signatureFailed = input.errorCode !== null && DEVICE_SIGNATURE_ERRORS.includes(input.errorCode);
  const permitState: JourneyRowState =
    input.signing !== 'idle' ? 'working' : registerStep === 'done' || registerStep === 'working' ? 'done' : signatureFailed ? 'failed' : 'waiting';
  const permit: JourneyRow = {
    id: 'permit',
    label: 'Device signs the permit',
    state: permitState,
    detail:
      input.signing === 'showing'
        ? 'Check the permit, then let the device sign'
        : input.signing === 'signing'
          ? 'The device is signing…'
          : permitState === 'done'
            ? 'Signed and checked'
            : permitState === 'failed'
              ? 'The device did not give a valid signature'
              : 'Asked when the registration is built',
  };
  const registerState: JourneyRowState = registerStep === 'done' ? 'done' : registerStep === 'failed' ? 'failed' : registerStep === 'working' && input.signing === 'idle' ? 'working' : 'waiting';
  const register: JourneyRow = { id: 'register', label: 'Register', state: registerState, detail: registerState === 'done' ? 'Registered' : 'One wallet confirmation' };
  const done: JourneyRow = { id: 'done', label: 'Done', state: 'waiting', detail: 'The ioID and its account appear here' };
  return [connect, genuine, project, nft, approval, permit, register, done];
}
