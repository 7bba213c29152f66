/** Moved to workflows/contract.ts; re-exported until the last importers have moved. */
export { entityChanged, optInConfirmed, progressQuery, type ResyncProgress } from './contract';
