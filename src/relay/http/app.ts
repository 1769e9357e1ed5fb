import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getConnInfo } from '@hono/node-server/conninfo';
import { clientAddress } from './clientAddress.js';
import { getAddress, isAddress } from 'viem';
import type { Db } from '../db/db.js';
import { ZkProofError } from '../../core/zk/errors.js';
import { INTERNAL_ERROR_CODE } from '../../core/relayWire/refusals.js';
import { openApiDocument } from '../../core/relayWire/openapi.js';
import { ROUTES, routerPath } from '../../core/relayWire/routes.js';
import type { ErrorBody, Health, RelayInfo, SubmitResponse } from '../../core/relayWire/schemas.js';
import { waitingBatches } from '../anchor/builder.js';
import { RelayRejection } from '../errors.js';
import { ingestBatch, type IngestDeps } from '../ingest/ingest.js';
import { anchorDocumentText, loadReceipt } from '../ingest/receipts.js';
import type { Logger } from '../log.js';
import type { RelayMetrics } from '../metrics.js';
import { rewardsOf } from '../rewards/worker.js';
import { createLimiters } from './rateLimit.js';

export type AppDeps = {
  db: Db;
  ingest: Omit<IngestDeps, 'allowDevice'>;
  metrics: RelayMetrics;
  log: Logger;
  bodyLimitBytes: number;
  corsOrigins: string[];
  /** Reverse proxies whose X-Forwarded-For is believed (see clientAddress). */
  trustedProxies: string[];
  rateLimit: { perDevice: number; perIp: number };
  /** What a client needs to prove batches this relay accepts, and what the relay promises (GET /v1/info). */
  info: Required<RelayInfo>;
  /** Facts /healthz reports (instance, store, contracts). */
  health: () => Promise<Omit<Health, 'ok' | 'unanchored'>>;
};

function reject(c: Context, rejection: RelayRejection): Response {
  return c.json(rejection.toJSON(), rejection.status as 400);
}

function clientIp(c: Context, trustedProxies: readonly string[]): string {
  let remote: string | undefined;
  try {
    remote = getConnInfo(c).remote.address;
  } catch {
    remote = undefined;
  }
  return clientAddress(remote, c.req.header('x-forwarded-for'), trustedProxies);
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  const { perIp, perDevice } = createLimiters(deps.db, deps.rateLimit);
  const anyOrigin = deps.corsOrigins.includes('*');
  const allowed = (origin: string) => anyOrigin || deps.corsOrigins.includes(origin);
  /** Batches waiting for an anchor, also kept in the pending gauge. */
  const pending = async () => {
    const { count } = await waitingBatches(deps.db);
    deps.metrics.pending.set({}, count);
    return count;
  };

  app.use('*', async (c, next) => {
    const started = performance.now();
    const origin = c.req.header('origin');
    if (origin !== undefined) {
      if (!allowed(origin)) {
        return reject(c, new RelayRejection('cors_forbidden', `Origin ${origin} may not call this relay.`, { hint: 'Add it to RELAY_CORS_ORIGINS.' }));
      }
      c.header('Access-Control-Allow-Origin', anyOrigin ? '*' : origin);
      c.header('Vary', 'Origin');
      if (c.req.method === 'OPTIONS') {
        c.header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
        c.header('Access-Control-Allow-Headers', 'content-type');
        c.header('Access-Control-Max-Age', '600');
        return c.body(null, 204);
      }
    }
    await next();
    const route = c.req.routePath;
    deps.metrics.requests.inc({ method: c.req.method, route, status: String(c.res.status) });
    deps.log(c.res.status >= 500 ? 'error' : 'debug', 'request', { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) });
  });

  app.post(
    routerPath(ROUTES.submitBatch.path),
    async (c, next) => {
      if (!(await perIp.take(clientIp(c, deps.trustedProxies)))) {
        deps.metrics.rejected.inc({ code: 'rate_limited' });
        return reject(c, new RelayRejection('rate_limited', 'Too many requests from this address.', { hint: 'Retry later with backoff.' }));
      }
      await next();
    },
    bodyLimit({
      maxSize: deps.bodyLimitBytes,
      onError: (c) => {
        deps.metrics.rejected.inc({ code: 'body_too_large' });
        // The rest of the body is not read (it may be endless), so the connection cannot carry another
        // request: say so, and Node closes it after this answer. Left keep-alive, the server's
        // drain gives up on a slow upload after a moment and drops the socket, and the client's next
        // request on it gets no answer at all.
        c.header('Connection', 'close');
        return reject(c, new RelayRejection('body_too_large', `The body is larger than ${deps.bodyLimitBytes} bytes.`, { hint: 'A batch is one proof and at most 48 KiB of encrypted readings.' }));
      },
    }),
    async (c) => {
      const started = performance.now();
      try {
        const type = c.req.header('content-type') ?? '';
        if (!/^application\/json\b/i.test(type)) throw new RelayRejection('unsupported_media_type', 'Send the batch as application/json.');
        const text = await c.req.text();
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch (error) {
          throw new RelayRejection('malformed_json', 'The body is not valid JSON.', { details: error instanceof Error ? error.message : String(error) });
        }
        const result = await ingestBatch({ ...deps.ingest, allowDevice: (device) => perDevice.take(device) }, body);
        deps.metrics.ingestLatency.observe((performance.now() - started) / 1000);
        if (!result.duplicate) {
          deps.metrics.accepted.inc();
          deps.metrics.readings.inc({}, result.readings);
        }
        return c.json({ receipt: result.receipt, duplicate: result.duplicate } satisfies SubmitResponse, result.duplicate ? 200 : 201);
      } catch (error) {
        if (error instanceof RelayRejection) {
          deps.metrics.rejected.inc({ code: error.wireCode });
          deps.log('info', 'batch refused', { code: error.wireCode, reason: error.shortMessage });
          return reject(c, error);
        }
        if (error instanceof ZkProofError && error.code === 'zk.verify_unavailable') {
          // A verification thread died: the relay's failure, not the batch's; the same batch can be sent again.
          deps.log('error', 'verification unavailable', { error: error.details ?? error.shortMessage });
          deps.metrics.rejected.inc({ code: 'unavailable' });
          return reject(c, new RelayRejection('unavailable', 'The relay could not verify the batch just now.', { hint: 'Send the same batch again shortly.' }));
        }
        throw error;
      }
    },
  );

  app.get(routerPath(ROUTES.receipt.path), async (c) => {
    const id = c.req.param('id');
    if (!/^0x[0-9a-fA-F]{64}$/.test(id)) return reject(c, new RelayRejection('not_found', 'A batch id is a 32-byte 0x hex leaf.'));
    const receipt = await loadReceipt(deps.db, id);
    return receipt ? c.json({ receipt }) : reject(c, new RelayRejection('not_found', `No batch ${id} here.`));
  });

  app.get(routerPath(ROUTES.anchorDocument.path), async (c) => {
    const id = Number(c.req.param('id'));
    const document = Number.isSafeInteger(id) ? await anchorDocumentText(deps.db, id) : null;
    if (document === null) return reject(c, new RelayRejection('not_found', `No anchor ${c.req.param('id')} here.`));
    // The exact bytes whose keccak256 is the on-chain dataHash.
    return c.body(document, 200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=31536000, immutable' });
  });

  app.get(routerPath(ROUTES.rewards.path), async (c) => {
    const device = c.req.param('device');
    if (!isAddress(device, { strict: false })) return reject(c, new RelayRejection('invalid_batch', 'The device must be a 0x address.'));
    return c.json({ device: getAddress(device), rewards: await rewardsOf(deps.db, getAddress(device)) });
  });

  app.get(routerPath(ROUTES.info.path), (c) => c.json(deps.info satisfies RelayInfo));

  app.get(routerPath(ROUTES.health.path), async (c) => {
    try {
      return c.json({ ok: true, unanchored: await pending(), ...(await deps.health()) } satisfies Health);
    } catch (error) {
      return c.json({ ok: false, error: error instanceof Error ? error.message : String(error) }, 503);
    }
  });

  app.get(routerPath(ROUTES.metrics.path), async (c) => {
    await pending();
    return c.body(deps.metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  });

  // Generated once: the document depends only on the schemas and the configured body limit.
  const openApi = openApiDocument(deps.bodyLimitBytes);
  app.get(routerPath(ROUTES.openApi.path), (c) => c.json(openApi));

  app.notFound((c) => reject(c, new RelayRejection('not_found', `No route ${c.req.method} ${c.req.path}.`, { hint: 'See /openapi.json.' })));
  app.onError((error, c) => {
    deps.log('error', 'unhandled error', { path: c.req.path, error: error instanceof Error ? error.stack : String(error) });
    return c.json({ error: { code: INTERNAL_ERROR_CODE, message: 'The relay failed to handle this request.' } } satisfies ErrorBody, 500);
  });
  return app;
}
