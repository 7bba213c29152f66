import { customerIdForEmail, type EntityType } from '../../mapping/ids';

/**
 * What the generated steps have created so far: just enough to pick existing rows and to know every entity the sync
 * may have a workflow for. The database stays the truth; this only mirrors ids and keys.
 */

export interface ModelVariant { id: number; sku: string }
export interface ModelProduct { id: number; code: string; variants: ModelVariant[] }
export interface ModelUser { id: number; email: string }
export interface ModelLine { id: number; productId: number }
export interface ModelOrder { id: number; number: string; userId: number | null; guestEmail: string | null; lines: ModelLine[] }
export interface ModelCode { id: number; code: string }
export interface ModelPromotion { id: number; codes: ModelCode[] }
export interface ModelCart { id: number; userId: number | null; guestEmail: string | null; lines: Array<{ id: number }> }

export interface Touch { type: EntityType; id: string }

export class ShopModel {
  products: ModelProduct[] = [];
  users: ModelUser[] = [];
  orders: ModelOrder[] = [];
  promotions: ModelPromotion[] = [];
  carts: ModelCart[] = [];
  /** Every entity any step touched: the workflows the catch-up waits for. */
  readonly known = new Map<string, Touch>();
  private next = 1000;
  private emails = 0;

  nextId(): number {
    this.next += 1;
    return this.next;
  }

  /** A fresh address no other row uses: valid, or one the mapping refuses. */
  email(kind: 'valid' | 'invalid'): string {
    this.emails += 1;
    return kind === 'valid' ? `buyer${this.emails}@example.com` : `not valid ${this.emails}@example`;
  }

  remember(touches: Touch[]): void {
    for (const t of touches) this.known.set(`${t.type}:${t.id}`, t);
  }

  codes(): ModelCode[] {
    return this.promotions.flatMap((p) => p.codes);
  }

  variants(): Array<{ product: ModelProduct; variant: ModelVariant }> {
    return this.products.flatMap((product) => product.variants.map((variant) => ({ product, variant })));
  }

  lines(): Array<{ order: ModelOrder; line: ModelLine }> {
    return this.orders.flatMap((order) => order.lines.map((line) => ({ order, line })));
  }

  /** Guest e-mails of orders, one per customer, whose buyer has not registered. */
  unregisteredGuests(): string[] {
    const registered = new Set(this.users.map((u) => customerIdForEmail(u.email)));
    const seen = new Set<string>();
    const out: string[] = [];
    for (const o of this.orders) {
      if (o.userId !== null || o.guestEmail === null) continue;
      const id = customerIdForEmail(o.guestEmail);
      if (registered.has(id) || seen.has(id)) continue;
      seen.add(id);
      out.push(o.guestEmail);
    }
    return out;
  }
}

/** The element at `pick`, wrapping around; undefined when there is none. */
export function at<T>(items: readonly T[], pick: number): T | undefined {
  return items.length === 0 ? undefined : items[pick % items.length];
}

/** The same address written differently: another case, padded with spaces (the same Mailchimp customer). */
export function otherCase(email: string): string {
  const trimmed = email.trim();
  const flipped = trimmed === trimmed.toLowerCase() ? trimmed.replace(/^./, (c) => c.toUpperCase()).replace(/@.*/, (d) => d.toUpperCase()) : trimmed.toLowerCase();
  return ` ${flipped} `;
}

export function customerTouch(email: string): Touch {
  return { type: 'customer', id: customerIdForEmail(email) };
}
