/**
 * Products and their variants. Only live products (status active) are upserted; the caller deletes the others.
 * A variant is identified in Mailchimp by its SKU; a product without active variants gets one placeholder variant
 * whose id is the product code (order lines of variant-less products point at it).
 */
import type { ProductPatchPayload, ProductPayload, VariantPayload } from '../mailchimp/schemas';
import type { ProductRow, ProductWithVariants, ShopSettings, VariantRow } from './shop-rows';
import { isoUtc } from './dates';
import { nonNegativeMoney, sameCurrency } from './money';
import { invalid, ok, skip, type Mapped } from './result';
import { normaliseDomain } from './store';
import { cleanText, shorten, stripControlChars } from './text';

/** Only an active product is sent; inactive and deleted ones are removed from Mailchimp by the caller. */
export function isProductLive(row: ProductRow): boolean {
  return row.status === 'active';
}

function activeVariants(p: ProductWithVariants): VariantRow[] {
  return p.variants.filter((v) => v.status === 'active');
}

/**
 * The variant an order line needs when the product no longer sells it (a deleted variant, a variant-less line):
 * it stays in Mailchimp with nothing in stock, so the order keeps its line. The one shape, for every path.
 */
export function stocklessVariant(id: string, title: string): VariantPayload {
  return { id, title, inventory_quantity: 0 };
}

/** A variant Mailchimp answers with: what a write sends, plus its defaults ("" and 0 for what was never sent). */
export type RemoteVariant = { id: string } & Partial<Record<keyof VariantPayload, unknown>>;

const VARIANT_FIELDS = ['title', 'url', 'sku', 'price', 'inventory_quantity', 'image_url'] as const;

function emptyOrValue(value: unknown): unknown {
  return value === undefined || value === null || value === '' || value === 0 ? undefined : value;
}

/** Whether Mailchimp's variant already equals what a PUT of `wanted` would leave (a field left out reads "" or 0). */
export function variantMatches(remote: RemoteVariant | undefined, wanted: VariantPayload): boolean {
  if (!remote) return false;
  return VARIANT_FIELDS.every((field) => emptyOrValue(remote[field]) === emptyOrValue(wanted[field]));
}

/** Variant ids Mailchimp has that are not wanted any more (to DELETE). */
export function staleVariantIds(remoteIds: readonly string[], wanted: readonly VariantPayload[]): string[] {
  const keep = new Set(wanted.map((v) => v.id));
  return [...new Set(remoteIds)].filter((id) => !keep.has(id));
}

/**
 * The product page: "https://" + store domain + seo_url. A seo_url without a leading slash gets one; a seo_url
 * that is already an absolute http(s) URL is used as it is. Undefined when there is no seo_url.
 */
export function productUrl(seoUrl: string | null, storeDomain: string): string | undefined {
  const path = cleanText(seoUrl);
  if (path === undefined) return undefined;
  if (/^https?:\/\//i.test(path)) return path;
  const domain = normaliseDomain(storeDomain);
  return `https://${domain}${path.startsWith('/') ? '' : '/'}${path}`;
}

/** The last non-empty path segment of seo_url ("/shoes/red-runner/" → "red-runner"), ignoring ?query and #fragment. */
export function productHandle(seoUrl: string | null): string | undefined {
  const raw = cleanText(seoUrl);
  if (raw === undefined) return undefined;
  const path = raw.replace(/^https?:\/\/[^/]*/i, '').replace(/[?#].*$/, '');
  const segments = path.split('/').filter((s) => s !== '');
  return segments.length > 0 ? segments[segments.length - 1] : undefined;
}

/** The id a product has in Mailchimp: its trimmed code. The one rule, for writes, deletes and order lines alike. */
export function productRemoteId(code: string): string {
  return code.trim();
}

/** The id a variant has in Mailchimp: its trimmed SKU. */
export function variantRemoteId(sku: string): string {
  return sku.trim();
}

/** An active variant left out of the product (the product is sent with its other variants). */
export interface RefusedVariant {
  /** product_variants.id */
  variantId: string;
  sku: string;
  reason: string;
}

/** A mapped product, with the active variants that could not be sent and why. */
export interface PlannedProduct {
  payload: ProductPayload;
  refused: RefusedVariant[];
}

/** The variant payload, or why this variant cannot be sent (a sentence part naming the variant). */
function mapVariant(v: VariantRow, product: { title: string; url?: string; imageUrl?: string }, settings: ShopSettings): VariantPayload | string {
  const sku = variantRemoteId(v.sku);
  if (sku === '') return `variant #${v.id} has an empty SKU`;
  if (!sameCurrency(v.currency, settings.storeCurrency)) {
    return `variant ${shorten(sku)} is priced in ${shorten(v.currency, 12)} but the store's currency is ${settings.storeCurrency}`;
  }
  const price = nonNegativeMoney(v.price, `the price of variant ${shorten(sku)}`);
  if (!price.ok) return price.problem;
  const variant: VariantPayload = { id: sku, title: cleanText(v.title) ?? product.title, sku, price: price.value };
  if (v.inventory_quantity !== null && Number.isFinite(v.inventory_quantity)) {
    variant.inventory_quantity = Math.max(0, Math.trunc(v.inventory_quantity));
  }
  const variantImage = cleanText(v.image_url) ?? product.imageUrl;
  if (variantImage !== undefined) variant.image_url = variantImage;
  if (product.url !== undefined) variant.url = product.url;
  return variant;
}

/** One sentence for the product's sync state: every variant left out, with its reason. */
export function refusedVariantsReason(code: string, refused: readonly RefusedVariant[]): string | undefined {
  if (refused.length === 0) return undefined;
  return `Product ${code} was sent without ${refused.length === 1 ? 'a variant' : `${refused.length} variants`}: ${refused.map((r) => r.reason).join('; ')}`;
}

/**
 * Maps a live product with its variants.
 * - id = code (trimmed), title, description (HTML kept as is, control characters removed), type = category, vendor,
 *   url, handle, image_url, published_at_foreign (ISO UTC); empty optional fields are left out.
 * - variants: every ACTIVE variant → id = sku, title (the product's when empty), sku, price, inventory_quantity,
 *   image_url (the product's when the variant has none), url (the product's page).
 * - no active variant → one variant { id: code, title: product title, url, image_url }.
 * - refuses the smallest unit: an active variant with an empty SKU, priced in another currency than the store's, or
 *   with a price that is not a non-negative number is left out (in `refused`, with its reason); the product is sent
 *   with the others. When every active variant is refused, the product fails with their reasons (nothing of it
 *   could be sold).
 * Fails: empty code or title. A negative stock count (oversold) is sent as 0 rather than failing the variant.
 * Skips: inactive or deleted products.
 */
export function planProduct(p: ProductWithVariants, settings: ShopSettings): Mapped<PlannedProduct> {
  const { product } = p;
  const code = productRemoteId(product.code);
  const subject = `Product ${code === '' ? `#${product.id}` : shorten(code)}`;
  if (!isProductLive(product)) {
    return skip(`${subject} is ${product.status}: it is removed from Mailchimp, not sent`);
  }
  if (code === '') return invalid(`${subject} was not sent: its product code is empty`, 'id');
  const title = cleanText(product.title);
  if (title === undefined) return invalid(`${subject} was not sent: its title is empty`, 'title');

  const url = productUrl(product.seo_url, settings.storeDomain);
  const imageUrl = cleanText(product.image_url);

  const payload: ProductPayload = { id: code, title, variants: [] };
  const description = product.description === null ? undefined : stripControlChars(product.description);
  if (description !== undefined && description.trim() !== '') payload.description = description;
  const type = cleanText(product.category);
  if (type !== undefined) payload.type = type;
  const vendor = cleanText(product.vendor);
  if (vendor !== undefined) payload.vendor = vendor;
  if (url !== undefined) payload.url = url;
  const handle = productHandle(product.seo_url);
  if (handle !== undefined) payload.handle = handle;
  if (imageUrl !== undefined) payload.image_url = imageUrl;
  const publishedAt = isoUtc(product.published_at);
  if (publishedAt !== undefined) payload.published_at_foreign = publishedAt;

  const active = activeVariants(p);
  if (active.length === 0) {
    const placeholder: VariantPayload = { id: code, title };
    if (url !== undefined) placeholder.url = url;
    if (imageUrl !== undefined) placeholder.image_url = imageUrl;
    payload.variants.push(placeholder);
    return ok({ payload, refused: [] });
  }

  const refused: RefusedVariant[] = [];
  for (const v of active) {
    const variant = mapVariant(v, { title, url, imageUrl }, settings);
    if (typeof variant === 'string') {
      refused.push({ variantId: v.id, sku: variantRemoteId(v.sku), reason: variant });
    } else if (!payload.variants.some((sent) => sent.id === variant.id)) {
      payload.variants.push(variant);
    }
  }
  if (payload.variants.length === 0) {
    return invalid(`${subject} was not sent: ${refused.map((r) => r.reason).join('; ')}`, refused[0].sku === '' ? 'variants.id' : 'variants.price');
  }
  return ok({ payload, refused });
}

/** The payload of planProduct, for callers that only need what is sent. */
export function mapProduct(p: ProductWithVariants, settings: ShopSettings): Mapped<ProductPayload> {
  const planned = planProduct(p, settings);
  return planned.kind === 'ok' ? ok(planned.payload.payload) : planned;
}

/**
 * The active variants that a product sent without them leaves out, by product_variants.id, with the reason (orders
 * that name one are refused). An inactive product is judged as its placeholder is sent: as if it were active. A
 * product that cannot be sent at all refuses nothing here: its orders wait for the product.
 */
export function refusedVariantReasons(p: ProductWithVariants, settings: ShopSettings): Map<string, string> {
  const planned = planProduct({ ...p, product: { ...p.product, status: 'active' } }, settings);
  const out = new Map<string, string>();
  if (planned.kind === 'ok') for (const r of planned.payload.refused) out.set(r.variantId, r.reason);
  return out;
}

/**
 * Why nothing of this product can be sent (judged like refusedVariantReasons: an inactive product as its placeholder
 * is sent), or undefined when it can be. An order naming it waits for the product: it is not sent (mapOrder).
 */
export function productRefusal(p: ProductWithVariants, settings: ShopSettings): string | undefined {
  const planned = planProduct({ ...p, product: { ...p.product, status: 'active' } }, settings);
  return planned.kind === 'invalid' ? planned.reason : undefined;
}

/** Optional text fields of a product that the shop can clear; a PATCH leaves out nothing of them. */
const CLEARABLE_PRODUCT_FIELDS = ['handle', 'url', 'description', 'type', 'vendor', 'image_url'] as const;

/**
 * The PATCH body that updates a product already in Mailchimp: every field but `id` and `variants` (the caller
 * writes variants one by one). A PATCH keeps whatever a body leaves out, so an optional text field the mapper left
 * out because the shop cleared it is sent as "" to clear it in Mailchimp too.
 */
export function productPatchFrom(payload: ProductPayload): ProductPatchPayload {
  const { id: _id, variants: _variants, ...fields } = payload;
  const patch: ProductPatchPayload = { ...fields };
  for (const field of CLEARABLE_PRODUCT_FIELDS) patch[field] ??= '';
  return patch;
}

/** The id of the placeholder for a product row gone from the shop that order lines still name. */
export function goneProductId(productId: string): string {
  return `deleted-${productId}`;
}

/** Orders may reference a product row that no longer exists at all: Mailchimp still needs something to point at. */
export function goneProductPlaceholder(productId: string): ProductPayload {
  const id = goneProductId(productId);
  const title = `Deleted product ${productId}`;
  return { id, title, variants: [stocklessVariant(id, title)] };
}

/** An inactive or deleted product that orders still reference: sent as if active, with nothing in stock. */
export function placeholderPlanOf(found: ProductWithVariants, settings: ShopSettings): Mapped<PlannedProduct> {
  const planned = planProduct({ ...found, product: { ...found.product, status: 'active' } }, settings);
  if (planned.kind === 'ok') {
    const stockless: VariantPayload[] = planned.payload.payload.variants.map((v) => ({ ...v, inventory_quantity: 0 }));
    return { kind: 'ok', payload: { ...planned.payload, payload: { ...planned.payload.payload, variants: stockless } } };
  }
  return planned;
}

/** The placeholder's payload (the direct path, the batch backfill and reconcile send or expect the same body). */
export function placeholderOf(found: ProductWithVariants, settings: ShopSettings): Mapped<ProductPayload> {
  const planned = placeholderPlanOf(found, settings);
  return planned.kind === 'ok' ? { kind: 'ok', payload: planned.payload.payload } : planned;
}

/** The variant named after the product code, which order lines without a variant point at. */
export function codeVariantOf(payload: Pick<ProductPayload, 'id' | 'title' | 'url' | 'image_url'>): VariantPayload {
  return {
    id: payload.id, title: payload.title,
    ...(payload.url ? { url: payload.url } : {}),
    ...(payload.image_url ? { image_url: payload.image_url } : {}),
  };
}

/**
 * The variant an order line needs that Mailchimp's copy of the product lacks, as the product's own sync would write
 * it: the code variant (with the product's url and image) for the product's code, else a stock-less one.
 */
export function lineVariantFor(product: { id: string; title?: unknown; url?: unknown; image_url?: unknown }, variantId: string): VariantPayload {
  const title = typeof product.title === 'string' && product.title !== '' ? product.title : variantId;
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  if (variantId === product.id) return codeVariantOf({ id: product.id, title, url: text(product.url), image_url: text(product.image_url) });
  return stocklessVariant(variantId, title);
}

/** A new product needs the code variant too when it has none and order lines without a variant point at it. */
export function needsCodeVariant(payload: ProductPayload, orderedWithoutVariant: boolean): boolean {
  return orderedWithoutVariant && !payload.variants.some((v) => v.id === payload.id);
}
