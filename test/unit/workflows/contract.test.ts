import fs from 'node:fs';
import path from 'node:path';
import { ENTITY_TYPES } from '../../../mapping/entity-types';
import {
  changeScanWorkflowId, entityChanged, entityWorkflowId, fullResyncWorkflowId, optInConfirmed, progressQuery,
  SEARCH_ATTRIBUTE_KEYS, SEARCH_ATTRIBUTE_NAMES, searchAttributesFor, webhookRetentionWorkflowId,
} from '../../../workflows/contract';
import * as workflows from '../../../workflows';
import { changeScanAction, webhookRetentionAction } from '../../../workflows/start';

const ROOT = path.resolve(__dirname, '../../..');

describe('the Temporal contract (workflows/contract.ts)', () => {
  it('builds every workflow id', () => {
    expect(entityWorkflowId('shop1', 'order', '10023')).toBe('shop1:order:10023');
    expect(fullResyncWorkflowId('shop1')).toBe('shop1:full-resync');
    expect(changeScanWorkflowId('shop1', 'orders')).toBe('shop1:scan:orders');
    expect(webhookRetentionWorkflowId('shop1')).toBe('shop1:webhook-retention');
  });

  it.each(ENTITY_TYPES)('an entity workflow id is store:type:id for %s', (type) => {
    expect(entityWorkflowId('shop1', type, '42')).toBe(`shop1:${type}:42`);
  });

  it('names the signals and the query the workflows handle', () => {
    expect([entityChanged.name, optInConfirmed.name, progressQuery.name]).toEqual(['entityChanged', 'optInConfirmed', 'progress']);
  });

  it('lists every search attribute it sets, all Keyword', () => {
    expect(SEARCH_ATTRIBUTE_NAMES).toEqual(['EntityType', 'EntityId', 'StoreId']);
    expect(SEARCH_ATTRIBUTE_KEYS.every((key) => key.type === 'KEYWORD')).toBe(true);
    const set = searchAttributesFor('shop1', 'order', '7');
    expect(set.map((pair) => pair.key.name)).toEqual(SEARCH_ATTRIBUTE_NAMES);
    expect(set.map((pair) => pair.value)).toEqual(['order', '7', 'shop1']);
  });

  it('schedule actions start the workflows by function reference, under the contract ids', () => {
    const scan = changeScanAction({ storeId: 'shop1', taskQueue: 'q' }, 'orders');
    expect(scan).toMatchObject({ workflowType: workflows.changeScanWorkflow, workflowId: 'shop1:scan:orders', args: [{ storeId: 'shop1', scope: 'orders' }] });
    const retention = webhookRetentionAction({ storeId: 'shop1', taskQueue: 'q' }, '1 day');
    expect(retention).toMatchObject({ workflowType: workflows.webhookRetentionWorkflow, workflowId: 'shop1:webhook-retention', args: [{ olderThanMs: 86_400_000 }] });
  });

  it('no workflow, signal or query name is written as a string outside workflows/', () => {
    const names = [...Object.keys(workflows), entityChanged.name, optInConfirmed.name];
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (['node_modules', 'test', 'workflows', 'dist', 'emulator'].includes(entry.name) || entry.name.startsWith('.')) continue;
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (entry.name.endsWith('.ts')) {
          const code = fs.readFileSync(file, 'utf8');
          for (const name of names) if (code.includes(`'${name}'`) || code.includes(`"${name}"`)) offenders.push(`${path.relative(ROOT, file)}: ${name}`);
        }
      }
    };
    walk(ROOT);
    expect(offenders).toEqual([]);
  });
});
