export { entitySyncWorkflow } from './entity-sync';
export { customerSyncWorkflow } from './customer-sync';
export { fullResyncWorkflow } from './full-resync';
export { changeScanWorkflow } from './change-scan';
export { webhookRetentionWorkflow } from './webhook-retention';
