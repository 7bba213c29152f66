import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { PageCounts } from '../activities';

/** The entity changed in the shop: sync it again (coalesced with any other change that arrives meanwhile). */
export const entityChanged = defineSignal('entityChanged');
/** The contact confirmed the double opt-in (sent by the audience webhook receiver). */
export const optInConfirmed = defineSignal('optInConfirmed');

export interface ResyncProgress {
  phase: string;
  phaseIndex: number;
  phases: string[];
  startedAt: string | null;
  pages: number;
  /** Rows not sent so far, and the Web UI / `temporal workflow list` query that lists their failed workflows. */
  failures?: { count: number; query: string };
  counts: Record<string, PageCounts>;
  done: boolean;
}

export const progressQuery = defineQuery<ResyncProgress>('progress');
