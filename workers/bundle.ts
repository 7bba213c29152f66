import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, type WorkflowBundlePath } from '@temporalio/worker';

/**
 * The workflow code bundled ahead of time (the Dockerfile runs this file at image build time): a worker that finds
 * the bundle loads it instead of bundling workflows/ with webpack at every start, which takes seconds and memory.
 */
export const WORKFLOW_BUNDLE_PATH = path.resolve(__dirname, '../dist/workflow-bundle.js');
export const WORKFLOWS_PATH = require.resolve('../workflows');

export async function writeWorkflowBundle(file: string = WORKFLOW_BUNDLE_PATH): Promise<{ file: string; bytes: number }> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, code);
  return { file, bytes: Buffer.byteLength(code) };
}

/**
 * The prebuilt bundle when there is one and no file of workflows/ changed after it was built, else undefined (the
 * worker then bundles workflows/ itself): a bundle left in dist/ by an earlier build never runs outdated code.
 */
export function prebuiltWorkflowBundle(file: string = WORKFLOW_BUNDLE_PATH): WorkflowBundlePath | undefined {
  if (!fs.existsSync(file)) return undefined;
  const built = fs.statSync(file).mtimeMs;
  const dir = path.dirname(WORKFLOWS_PATH);
  const newer = fs.readdirSync(dir).some((name) => name.endsWith('.ts') && fs.statSync(path.join(dir, name)).mtimeMs > built);
  return newer ? undefined : { codePath: file };
}

if (require.main === module) {
  writeWorkflowBundle(process.argv[2] ? path.resolve(process.argv[2]) : undefined).then(
    ({ file, bytes }) => console.log(`workflow bundle written: ${file} (${Math.round(bytes / 1024)} KiB)`),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}
