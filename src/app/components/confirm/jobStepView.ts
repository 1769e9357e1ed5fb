import { addressForms } from '../../../core/address.js';
import { decodeCall, formatNative, type DecodedCall } from '../../../core/signing/decode.js';
import type { JobStepRequest } from '../../state/confirmationQueue.svelte.js';

export type JobStepCallView = {
  step: number;
  heading: string;
  to: string;
  amount: string;
  decoded: DecodedCall | null;
  decodeError: unknown;
  simulated: boolean;
  simulation: string;
};

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * What the job-step confirmation shows, worked out of the request: headings, decoded calls, the
 * runner's simulation in words, and the wallet prompts this approval leads to.
 */
export function jobStepView(request: JobStepRequest): { calls: JobStepCallView[]; prompts: string; canApprove: boolean } {
  const calls = request.calls.map((call): JobStepCallView => {
    let decoded: DecodedCall | null = null;
    let decodeError: unknown = null;
    try {
      decoded = decodeCall({ to: call.to, value: call.value, ...(call.data ? { data: call.data } : {}), ...(call.abi ? { abi: call.abi } : {}) });
    } catch (error) {
      decodeError = error;
    }
    return {
      step: call.step,
      heading: `Step ${call.step} of ${call.total}: ${call.label}`,
      to: addressForms(call.to).io,
      amount: formatNative(call.value),
      decoded,
      decodeError,
      simulated: call.gas !== null,
      // The runner simulated the call (eth_call and a gas estimate) before asking: a revert never reaches this screen.
      simulation: call.gas !== null
        ? `Will succeed (gas ${call.gas.toString()}), simulated on the current chain state.`
        : 'Simulated by the wallet with the calls before it in the batch (this node cannot simulate a batch).',
    };
  });
  const last = request.calls.at(-1);
  const later = last ? last.total - last.step : 0;
  const prompts = request.batch
    ? `1 wallet prompt for ${plural(request.calls.length, 'call')} (sent as one batch)`
    : `1 wallet prompt now${later > 0 ? `, then up to ${plural(later, 'more prompt')} for the ${later === 1 ? 'step' : 'steps'} after it` : ''}`;
  return { calls, prompts, canApprove: calls.every((call) => call.decodeError === null) };
}
