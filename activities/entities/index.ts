import type { EntityType } from '../../source/shop-source';
import type { SyncOutcome } from '../../workflows/activity-contract';
import type { SyncContext } from '../context';
import { syncCart } from './cart';
import { syncCustomer } from './customer';
import { syncOrder } from './order';
import { syncProduct } from './product';
import { syncPromoCode, syncPromoRule } from './promotion';

export type { SyncOutcome };

/** The one dispatch from an entity type to its sync. Each sync holds its entity's lock from read to record (guarded, record.ts). */
export function syncEntity(ctx: SyncContext, type: EntityType, id: string, options: { force?: boolean } = {}): Promise<SyncOutcome> {
  switch (type) {
    case 'product':
      return syncProduct(ctx, id, options);
    case 'customer':
      return syncCustomer(ctx, id, options);
    case 'order':
      return syncOrder(ctx, id, options);
    case 'promo_rule':
      return syncPromoRule(ctx, id, options);
    case 'promo_code':
      return syncPromoCode(ctx, id, options);
    case 'cart':
      return syncCart(ctx, id, options);
  }
}
