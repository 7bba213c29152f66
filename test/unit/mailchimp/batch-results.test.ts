import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { parseBatchResults, readBatchResults } from '../../../mailchimp/batch-results';

async function tarOf(files: Record<string, unknown>): Promise<Buffer> {
  const tar = pack();
  const chunks: Buffer[] = [];
  tar.on('data', (c: unknown) => void chunks.push(Buffer.from(c as Uint8Array)));
  const done = new Promise<void>((resolve) => tar.on('end', () => resolve()));
  tar.entry({ name: 'results/', type: 'directory' });
  for (const [name, content] of Object.entries(files)) tar.entry({ name }, JSON.stringify(content));
  tar.finalize();
  await done;
  return Buffer.concat(chunks);
}

const files = {
  'results/a.json': [
    { status_code: 200, operation_id: 'product:p1', response: JSON.stringify({ id: 'p1', title: 'A long body' }) },
    { status_code: 400, operation_id: 'order:o1', response: JSON.stringify({ title: 'Bad Request' }) },
  ],
  'results/b.json': [{ status_code: 204, operation_id: null, response: '' }],
};

/** The bytes as a stream of tiny chunks, as a slow download delivers them. */
const trickle = (bytes: Buffer, size = 7) => Readable.from((function* () {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
})());

describe('batch results archive, read as it streams in', () => {
  it('reads a tar.gz arriving in small chunks, file by file', async () => {
    const results = await readBatchResults(trickle(gzipSync(await tarOf(files)), 1));
    expect(results).toEqual([
      { status_code: 200, operation_id: 'product:p1', response: { id: 'p1', title: 'A long body' } },
      { status_code: 400, operation_id: 'order:o1', response: { title: 'Bad Request' } },
      { status_code: 204, operation_id: null, response: null },
    ]);
  });

  it('reads a plain tar too', async () => {
    expect(await parseBatchResults(await tarOf(files))).toHaveLength(3);
  });

  it('drops the bodies of successes when asked (the sync needs only their status), keeps the refusals', async () => {
    const results = await readBatchResults(trickle(gzipSync(await tarOf(files))), { successBodies: false });
    expect(results).toEqual([
      { status_code: 200, operation_id: 'product:p1', response: null },
      { status_code: 400, operation_id: 'order:o1', response: { title: 'Bad Request' } },
      { status_code: 204, operation_id: null, response: null },
    ]);
  });

  it('a damaged archive is an error, not an empty result', async () => {
    const bytes = gzipSync(await tarOf(files));
    await expect(readBatchResults(trickle(bytes.subarray(0, bytes.length - 30)))).rejects.toThrow();
  });
});
