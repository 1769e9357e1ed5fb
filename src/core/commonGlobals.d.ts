/**
 * The globals that browsers, Node ≥ 20 and workers all provide (the WinterTC "minimum common
 * API"), declared for pure code only as far as it uses them. No TypeScript lib holds exactly this
 * set: lib.dom adds `window`, `navigator` and IndexedDB, @types/node adds `process` and `fs`, and
 * either would let pure code reach for a runtime it may not have. The browser and Node projects
 * do not see this file; they get the full types from their own libs.
 */

type CommonBufferSource = ArrayBuffer | ArrayBufferView<ArrayBuffer>;
type CommonAlgorithm = string | { readonly name: string; readonly [parameter: string]: unknown };
type CommonKeyUsage = 'encrypt' | 'decrypt' | 'sign' | 'verify' | 'deriveKey' | 'deriveBits' | 'wrapKey' | 'unwrapKey';

interface CryptoKey {
  readonly algorithm: { readonly name: string };
  readonly extractable: boolean;
  readonly type: 'public' | 'private' | 'secret';
  readonly usages: CommonKeyUsage[];
}

interface SubtleCrypto {
  digest(algorithm: CommonAlgorithm, data: CommonBufferSource): Promise<ArrayBuffer>;
  importKey(format: 'raw', keyData: CommonBufferSource, algorithm: CommonAlgorithm, extractable: boolean, keyUsages: CommonKeyUsage[]): Promise<CryptoKey>;
  deriveBits(algorithm: CommonAlgorithm, baseKey: CryptoKey, length: number): Promise<ArrayBuffer>;
  deriveKey(algorithm: CommonAlgorithm, baseKey: CryptoKey, derivedKeyType: CommonAlgorithm, extractable: boolean, keyUsages: CommonKeyUsage[]): Promise<CryptoKey>;
  encrypt(algorithm: CommonAlgorithm, key: CryptoKey, data: CommonBufferSource): Promise<ArrayBuffer>;
  decrypt(algorithm: CommonAlgorithm, key: CryptoKey, data: CommonBufferSource): Promise<ArrayBuffer>;
}

interface Crypto {
  readonly subtle: SubtleCrypto;
  getRandomValues<T extends ArrayBufferView>(array: T): T;
  randomUUID(): `${string}-${string}-${string}-${string}-${string}`;
}
declare const crypto: Crypto;

declare class TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBuffer | ArrayBufferView, options?: { stream?: boolean }): string;
}

interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  throwIfAborted(): void;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
declare const AbortSignal: {
  prototype: AbortSignal;
  timeout(milliseconds: number): AbortSignal;
  any(signals: AbortSignal[]): AbortSignal;
};
declare class AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}

type CommonTimer = { readonly __commonTimer: unique symbol };
/** `never[]`: the callback is called with no arguments, so `resolve` of a Promise fits. */
declare function setTimeout(callback: (...args: never[]) => void, milliseconds?: number): CommonTimer;
declare function clearTimeout(timer: CommonTimer | undefined): void;

declare const performance: { now(): number };

declare class URL {
  constructor(url: string | URL, base?: string | URL);
  readonly href: string;
  readonly origin: string;
  readonly protocol: string;
  readonly host: string;
  readonly pathname: string;
  readonly search: string;
  toString(): string;
}

interface RequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  cache?: 'default' | 'no-store' | 'reload' | 'no-cache' | 'force-cache' | 'only-if-cached';
}
interface Response {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };
  json(): Promise<unknown>;
  text(): Promise<string>;
}
declare function fetch(input: string | URL, init?: RequestInit): Promise<Response>;
