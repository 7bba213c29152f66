import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { extract } from 'tar-stream';

/** One operation's outcome from a finished batch. */
export interface BatchOperationResult {
  operation_id: string | null;
  status_code: number;
  /** The operation's response body, parsed from the JSON string Mailchimp stores (null when empty). */
  response: unknown;
}

export interface ReadResultsOptions {
  /**
   * Keep the response bodies of successful operations (default true). The sync needs only their status, so it drops
   * them: a page then holds a few bytes per operation instead of every resource Mailchimp sent back.
   */
  successBodies?: boolean;
}

/** The same bytes, through gunzip when they start with gzip's magic number (Mailchimp's archives are tar.gz). */
async function gunzipped(input: AsyncIterable<unknown>): Promise<Readable> {
  const chunks = input[Symbol.asyncIterator]();
  let first = await chunks.next();
  // The magic number needs two bytes; a first chunk of one is joined with the next.
  while (!first.done && Buffer.from(first.value as Uint8Array).length < 2) {
    const more = await chunks.next();
    if (more.done) break;
    first = { done: false, value: Buffer.concat([Buffer.from(first.value as Uint8Array), Buffer.from(more.value as Uint8Array)]) };
  }
  const head = first.done ? Buffer.alloc(0) : Buffer.from(first.value as Uint8Array);
  const all = Readable.from((async function* () {
    if (head.length > 0) yield head;
    for (let c = await chunks.next(); !c.done; c = await chunks.next()) yield Buffer.from(c.value as Uint8Array);
  })());
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b ? all.pipe(createGunzip()) : all;
}

function parseResponse(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw ?? null;
  if (raw.trim() === '') return null;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function toResult(entry: unknown, keepBodies: boolean): BatchOperationResult | null {
  if (typeof entry !== 'object' || entry === null) return null;
  const record = entry as Record<string, unknown>;
  const status = Number(record.status_code);
  if (!Number.isFinite(status)) return null;
  const success = status >= 200 && status < 300;
  return {
    operation_id: typeof record.operation_id === 'string' ? record.operation_id : null,
    status_code: status,
    response: success && !keepBodies ? null : parseResponse(record.response),
  };
}

/**
 * Reads the archive behind a batch's `response_body_url` as it streams in: a tar.gz of JSON files, each holding an
 * array of `{status_code, operation_id, response}` where `response` is a JSON string. One file at a time is held
 * (Mailchimp splits the results into files), never the whole archive nor its unpacked bytes.
 */
export async function readBatchResults(archive: AsyncIterable<unknown>, options: ReadResultsOptions = {}): Promise<BatchOperationResult[]> {
  const keepBodies = options.successBodies ?? true;
  const results: BatchOperationResult[] = [];
  const tar = extract();
  const source = await gunzipped(archive);
  source.on('error', (err) => tar.destroy(err));
  source.pipe(tar);
  for await (const entry of tar) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(Buffer.from(chunk as Uint8Array));
    if (entry.header.type !== 'file') continue;
    const text = Buffer.concat(chunks).toString('utf8').trim();
    if (text === '') continue;
    const parsed: unknown = JSON.parse(text);
    for (const item of Array.isArray(parsed) ? parsed : [parsed]) {
      const result = toResult(item, keepBodies);
      if (result) results.push(result);
    }
  }
  return results;
}

/** readBatchResults of an archive already in memory. */
export function parseBatchResults(archive: Buffer, options: ReadResultsOptions = {}): Promise<BatchOperationResult[]> {
  return readBatchResults(Readable.from([archive]), options);
}
