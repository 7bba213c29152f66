import { env, envInt } from '../config/env';
import { ensureMariaDb } from './mariadb';
import { stopRecorded } from './process';
import { ensureTemporal } from './temporal';

export interface StartedServices {
  temporal: boolean;
  mariadb: boolean;
}

/** Starts (or reuses) Temporal and the shop database. Says which ones it started, so the caller can stop just those. */
export async function ensureServices(): Promise<StartedServices> {
  const [mariadb, temporal] = await Promise.all([
    ensureMariaDb(env('DATABASE_URL')),
    ensureTemporal(env('TEMPORAL_ADDRESS'), env('TEMPORAL_NAMESPACE'), envInt('TEMPORAL_UI_PORT')),
  ]);
  return { mariadb, temporal };
}

export async function stopServices(which: Partial<StartedServices> = { temporal: true, mariadb: true }): Promise<void> {
  if (which.temporal) await stopRecorded('temporal');
  if (which.mariadb) await stopRecorded('mariadb');
}
