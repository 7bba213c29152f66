import { gunzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { extract } from 'tar-stream';

/** One operation's outcome from a finished batch. */
export interface BatchOperationResult {
  operation_id: string | null;
  status_code: number;
  /** The operation's response body, parsed from the JSON string Mailchimp stores (null when empty). */
  response: unknown;
}

/** Reads every file of a (gzipped) tar archive. */
async function readTarFiles(archive: Buffer): Promise<Buffer[]> {
  const files: Buffer[] = [];
  const tar = extract();
  const done = new Promise<void>((resolve, reject) => {
    tar.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: unknown) => {
        chunks.push(Buffer.from(chunk as Uint8Array));
      });
      stream.on('end', () => {
        if (header.type === 'file') files.push(Buffer.concat(chunks));
        next();
      });
      stream.on('error', reject);
    });
    tar.on('finish', resolve);
    tar.on('error', reject);
  });
  Readable.from([archive]).pipe(tar);
  await done;
  return files;
}

function isGzip(data: Buffer): boolean {
  return data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
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

function toResult(entry: unknown): BatchOperationResult | null {
  if (typeof entry !== 'object' || entry === null) return null;
  const record = entry as Record<string, unknown>;
  const status = Number(record.status_code);
  if (!Number.isFinite(status)) return null;
  return {
    operation_id: typeof record.operation_id === 'string' ? record.operation_id : null,
    status_code: status,
    response: parseResponse(record.response),
  };
}

/**
 * Parses the archive behind a batch's `response_body_url`: a tar.gz of JSON files, each holding an array
 * of `{status_code, operation_id, response}` where `response` is a JSON string.
 */
export async function parseBatchResults(archive: Buffer): Promise<BatchOperationResult[]> {
  const tarBytes = isGzip(archive) ? gunzipSync(archive) : archive;
  const results: BatchOperationResult[] = [];
  for (const file of await readTarFiles(tarBytes)) {
    const text = file.toString('utf8').trim();
    if (text === '') continue;
    const parsed: unknown = JSON.parse(text);
    for (const entry of Array.isArray(parsed) ? parsed : [parsed]) {
      const result = toResult(entry);
      if (result) results.push(result);
    }
  }
  return results;
}
