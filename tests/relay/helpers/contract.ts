/**
 * Checks the relay against its published contract: every answer a test sees is recorded, and each
 * must validate (JSON Schema 2020-12, Ajv) against the schema /openapi.json gives for its route,
 * method and status. The document is what the relay serves, so this checks the generator too.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';

export type Answer = { method: string; path: string; status: number; contentType: string; text: string };

/** Origins of the relays the tests start (tests/relay/helpers/relay.ts adds each). */
export const relayOrigins = new Set<string>();

/** Records every answer from a test relay that passes through the global fetch; returns the list and the undo. */
export function recordRelayAnswers(): { answers: Answer[]; stop: () => void } {
  const answers: Answer[] = [];
  const original = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const response = await original(input, init);
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (relayOrigins.has(url.origin)) {
      answers.push({ method: request.method, path: url.pathname, status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.clone().text() });
    }
    return response;
  };
  return { answers, stop: () => (globalThis.fetch = original) };
}

type Operation = { responses: Record<string, { content: Record<string, { schema: object }> }> };
export type OpenApi = { paths: Record<string, Record<string, Operation>> };

/** The document's path template an actual path falls under (`/v1/batches/0x…` → `/v1/batches/{id}`), or null. */
export function templateOf(document: OpenApi, path: string): string | null {
  for (const template of Object.keys(document.paths)) {
    const pattern = new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`);
    if (pattern.test(path)) return template;
  }
  return null;
}

/**
 * What is wrong with one answer by the document, or null when it conforms. A path outside the
 * document must be answered with a not_found error body (the relay's 404 for an unknown route).
 */
export function contractViolation(document: OpenApi, answer: Answer): string | null {
  const where = `${answer.method} ${answer.path} → ${answer.status}`;
  const template = templateOf(document, answer.path);
  let body: unknown = answer.text;
  const json = answer.contentType.startsWith('application/json');
  if (json) {
    try {
      body = JSON.parse(answer.text);
    } catch {
      return `${where}: the body is not JSON though the content type says so`;
    }
  }
  if (template === null) {
    const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
    return answer.status === 404 && code === 'not_found' ? null : `${where}: a path outside the document, answered other than 404 not_found`;
  }
  const operation = document.paths[template]![answer.method.toLowerCase()];
  if (!operation) return `${where}: the document has no ${answer.method} ${template}`;
  const response = operation.responses[String(answer.status)];
  if (!response) return `${where}: status ${answer.status} is not documented for ${answer.method} ${template}`;
  const mediaType = Object.keys(response.content).find((type) => answer.contentType.startsWith(type));
  if (!mediaType) return `${where}: content type ${answer.contentType} is not documented (${Object.keys(response.content).join(', ')})`;
  const validate = validator(response.content[mediaType]!.schema);
  return validate(body) ? null : `${where}: ${ajv.errorsText(validate.errors)} in ${answer.text.slice(0, 300)}`;
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
const compiled = new WeakMap<object, ReturnType<typeof ajv.compile>>();
/** One compiled validator per schema object (compiling is the slow part). */
function validator(schema: object): ReturnType<typeof ajv.compile> {
  let validate = compiled.get(schema);
  if (!validate) compiled.set(schema, (validate = ajv.compile(schema)));
  return validate;
}
