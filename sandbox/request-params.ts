import type { FastifyRequest } from 'fastify';
import type { Params } from './web-api-methods.ts';

/** Parameters that carry JSON inside a form-encoded body. */
const JSON_PARAMS = ['blocks', 'attachments', 'view', 'files', 'metadata'];

export function bearer(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

/** Query string plus a form-encoded or JSON body; JSON-valued form fields decoded. Undefined: unreadable. */
export function readParams(request: FastifyRequest): Params | undefined {
  const params: Params = { ...(request.query as Params) };
  const raw = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
  const type = String(request.headers['content-type'] ?? '');
  if (raw.length > 0) {
    if (type.includes('json')) {
      try {
        Object.assign(params, JSON.parse(raw));
      } catch {
        return undefined;
      }
    } else {
      Object.assign(params, Object.fromEntries(new URLSearchParams(raw)));
    }
  }
  for (const key of JSON_PARAMS) {
    const value = params[key];
    if (typeof value !== 'string') continue;
    try {
      params[key] = JSON.parse(value);
    } catch {
      // Slack answers a malformed JSON field as a wrong value of that field.
    }
  }
  return params;
}

/** The file's bytes from the upload POST: a multipart form's file part, else the raw body. */
export async function uploadedBytes(raw: Buffer, contentType: string): Promise<Buffer> {
  if (!contentType.includes('multipart/form-data')) return raw;
  const form = await new Response(new Uint8Array(raw), {
    headers: { 'content-type': contentType },
  }).formData();
  let file: Blob | undefined;
  form.forEach((value) => {
    if (typeof value !== 'string') file ??= value;
  });
  return file ? Buffer.from(await file.arrayBuffer()) : Buffer.alloc(0);
}
