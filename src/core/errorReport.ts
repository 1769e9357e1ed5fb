import { causeChain, firstLine, OutpostError } from './errors.js';

/**
 * How any error is shown and reported: the short message, what to do (hint), and on request a
 * plain-text report (code, cause chain, context) someone can paste into a bug report. Pure, so
 * the same report comes out of a component, a test, or a record read back from storage.
 */

/** An error as stores keep it (outbox entries, wallet history): structure, not a sentence. */
export type ErrorRecord = { code: string | null; message: string; hint: string | null; details?: string | null };

export type ErrorView = { code: string | null; shortMessage: string; hint: string | null; details: string | null; chain: string[] };

export type ErrorContext = { screen: string; network?: string | null; appVersion?: string | null };

/** `{code, message, hint}` for storing; the cause chain is not kept (it may hold library internals). */
export function toErrorRecord(error: unknown): ErrorRecord {
  const view = errorView(error);
  return { code: view.code, message: view.shortMessage, hint: view.hint, ...(view.details ? { details: view.details } : {}) };
}

/**
 * Reads a stored error back. Records written before errors were structured hold a plain string:
 * it becomes the message, with no code, so nothing stored is lost.
 */
export function readErrorRecord(stored: unknown): ErrorRecord | null {
  if (stored === undefined || stored === null) return null;
  if (typeof stored === 'string') return { code: null, message: stored, hint: null };
  if (typeof stored === 'object' && typeof (stored as ErrorRecord).message === 'string') {
    const record = stored as Partial<ErrorRecord>;
    return {
      code: typeof record.code === 'string' ? record.code : null,
      message: record.message!,
      hint: typeof record.hint === 'string' ? record.hint : null,
      ...(typeof record.details === 'string' ? { details: record.details } : {}),
    };
  }
  return { code: null, message: String(stored), hint: null };
}

function isRecord(value: unknown): value is ErrorRecord {
  return typeof value === 'object' && value !== null && !(value instanceof Error) && typeof (value as ErrorRecord).message === 'string' && 'code' in value;
}

/** One line per link of the cause chain: `Name [code]: first line`. */
function describeLink(link: unknown): string {
  if (link instanceof OutpostError) return `${link.name} [${link.code}]: ${link.shortMessage}`;
  if (link instanceof Error) {
    const code = (link as { code?: unknown }).code;
    return `${link.name}${code === undefined ? '' : ` [${String(code)}]`}: ${firstLine(link)}`;
  }
  if (typeof link === 'object' && link !== null) {
    const { code, message } = link as { code?: unknown; message?: unknown };
    return `${code === undefined ? 'value' : `[${String(code)}]`}: ${typeof message === 'string' ? firstLine(message) : JSON.stringify(link)}`;
  }
  return firstLine(link);
}

/** What a screen shows for any thrown value or stored record. */
export function errorView(error: unknown): ErrorView {
  if (error instanceof OutpostError) {
    return { code: error.code, shortMessage: error.shortMessage, hint: error.hint ?? null, details: error.details ?? null, chain: causeChain(error).map(describeLink) };
  }
  if (isRecord(error) || typeof error === 'string') {
    const record = readErrorRecord(error)!;
    return { code: record.code, shortMessage: record.message, hint: record.hint, details: record.details ?? null, chain: [] };
  }
  const code = (error as { code?: unknown } | null)?.code;
  return { code: typeof code === 'string' ? code : null, shortMessage: firstLine(error), hint: null, details: null, chain: causeChain(error).map(describeLink) };
}

const HEX_32_BYTES = /\b(0x)?[0-9a-fA-F]{64}\b/g;
const SECRET_FIELD = /\b(password|passphrase|passcode|pin|secret|mnemonic|seed(?: phrase)?|private[ _-]?key|recovery phrase)(\s*["']?\s*[:=]\s*)("[^"]*"|'[^']*'|\S+)/gi;

/**
 * Removes what must never leave the device in a copied report: anything shaped like a private
 * key (32 bytes of hex, which also hides transaction hashes: harmless, they are on-chain), a
 * run of 12 or more BIP-39 words (a recovery phrase), and the value of any password/secret
 * field. `bip39Words` is the English list; without it, any 12+ run of short lowercase words goes.
 */
export function redactSecrets(text: string, bip39Words?: ReadonlySet<string>): string {
  const isWord = (word: string) => (bip39Words ? bip39Words.has(word) : /^[a-z]{3,8}$/.test(word));
  let out = text.replace(HEX_32_BYTES, '[redacted 32-byte hex]').replace(SECRET_FIELD, (_m, field: string, sep: string) => `${field}${sep}[redacted]`);
  // Runs of phrase words separated only by spaces or commas; a run of 12+ is treated as a phrase.
  const spans: [number, number][] = [];
  let run: { start: number; end: number; count: number } | null = null;
  for (const match of out.matchAll(/[A-Za-z]+/g)) {
    const start = match.index;
    const end = start + match[0].length;
    const joins: boolean = run !== null && /^[\s,]+$/.test(out.slice(run.end, start));
    if (isWord(match[0].toLowerCase()) && (joins || run === null)) {
      run = run !== null && joins ? { start: run.start, end, count: run.count + 1 } : { start, end, count: 1 };
      continue;
    }
    if (run && run.count >= 12) spans.push([run.start, run.end]);
    run = isWord(match[0].toLowerCase()) ? { start, end, count: 1 } : null;
  }
  if (run && run.count >= 12) spans.push([run.start, run.end]);
  for (const [start, end] of spans.reverse()) out = `${out.slice(0, start)}[redacted word sequence]${out.slice(end)}`;
  return out;
}

/** The text "Copy details" puts on the clipboard, secrets removed. */
export function errorReport(error: unknown, context: ErrorContext, bip39Words?: ReadonlySet<string>, now = new Date()): string {
  const view = errorView(error);
  const lines = [
    'Outpost error report',
    `code: ${view.code ?? '(none)'}`,
    `message: ${view.shortMessage}`,
    ...(view.hint ? [`fix: ${view.hint}`] : []),
    ...(view.details ? [`details: ${view.details}`] : []),
    ...(view.chain.length > 1 ? ['cause chain:', ...view.chain.map((link, i) => `  ${i}. ${link}`)] : []),
    `screen: ${context.screen}`,
    ...(context.network ? [`network: ${context.network}`] : []),
    ...(context.appVersion ? [`app version: ${context.appVersion}`] : []),
    `time: ${now.toISOString()}`,
  ];
  return redactSecrets(lines.join('\n'), bip39Words);
}
