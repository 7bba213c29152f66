import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';
import type { BatchRecord } from './state';

/** Results per JSON file inside the archive. */
export const RESULTS_PER_FILE = 1000;

/** The batch's results as Mailchimp serves them: a .tar.gz of JSON files, each an array of results. */
export async function buildBatchArchive(batch: BatchRecord): Promise<Buffer> {
  const tar = pack();
  const gzip = createGzip();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
    gzip.on('end', () => resolve(Buffer.concat(chunks)));
    gzip.on('error', reject);
    tar.on('error', reject);
  });
  tar.pipe(gzip);
  for (let start = 0, file = 0; start < batch.results.length || file === 0; start += RESULTS_PER_FILE, file += 1) {
    const content = JSON.stringify(batch.results.slice(start, start + RESULTS_PER_FILE));
    await new Promise<void>((resolve, reject) =>
      tar.entry({ name: `${batch.id}-${file}.json`, mtime: new Date() }, content, (error) => (error ? reject(error) : resolve())),
    );
    if (batch.results.length === 0) break;
  }
  tar.finalize();
  return done;
}
