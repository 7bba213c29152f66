/**
 * Products and their variants. Only live products (status active) are upserted; the caller deletes the others.
 * A variant is identified in Mailchimp by its SKU; a product without active variants gets one placeholder variant
 * whose id is the product code (order lines of variant-less products point at it).
 */
import type { ProductPatchPayload, ProductPayload, VariantPayload } from '../mailchimp/schemas';
import type { ProductRow, ProductWithVariants, ShopSettings, VariantRow } from '../source/types';
import { isoUtc } from './dates';
import { nonNegativeMoney, sameCurrency } from './money';
import { invalid, ok, skip, type Mapped } from './result';
import { normaliseDomain } from './store';
import { cleanText, stripControlChars } from './text';

/** Only an active product is sent; inactive and deleted ones are removed from Mailchimp by the caller. */
export function isProductLive(row: ProductRow): boolean {
  return row.status === 'active';
}

function activeVariants(p: ProductWithVariants): VariantRow[] {
  return p.variants.filter((v) => v.status === 'active');
}

/** The variant ids the product has in Mailchimp: the active SKUs, or the product code for a variant-less product. */
export function liveVariantIds(p: ProductWithVariants): string[] {
  const active = activeVariants(p);
  return active.length > 0 ? active.map((v) => v.sku) : [p.product.code];
}

/** SKUs of deleted variants (to DELETE in Mailchimp), leaving out any SKU that is also live. */
export function deletedVariantIds(p: ProductWithVariants): string[] {
  const live = new Set(liveVariantIds(p));
  const out: string[] = [];
  for (const v of p.variants) {
    if (v.status === 'deleted' && !live.has(v.sku) && !out.includes(v.sku)) out.push(v.sku);
  }
  return out;
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

/**
 * Maps a live product with its variants.
 * - id = code, title, description (HTML kept as is, control characters removed), type = category, vendor,
 *   url, handle, image_url, published_at_foreign (ISO UTC); empty optional fields are left out.
 * - variants: every ACTIVE variant → id = sku, title (the product's when empty), sku, price, inventory_quantity,
 *   image_url (the product's when the variant has none), url (the product's page).
 * - no active variant → one variant { id: code, title: product title, url, image_url }.
 * Fails: empty code or title, an active variant priced in another currency than the store's, a price that is not
 * a number or is negative. A negative stock count (oversold) is sent as 0 rather than failing the product.
 * Skips: inactive or deleted products.
 */
export function mapProduct(p: ProductWithVariants, settings: ShopSettings): Mapped<ProductPayload> {
  const { product } = p;
  const code = product.code.trim();
  const subject = `Product ${code === '' ? `#${product.id}` : code}`;
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
    return ok(payload);
  }

  for (const v of active) {
    const sku = v.sku.trim();
    if (sku === '') return invalid(`${subject} was not sent: variant #${v.id} has an empty SKU`, 'variants.id');
    if (!sameCurrency(v.currency, settings.storeCurrency)) {
      return invalid(
        `${subject} was not sent: variant ${sku} is priced in ${v.currency} but the store's currency is ${settings.storeCurrency}`,
        'variants.price',
      );
    }
    const price = nonNegativeMoney(v.price, `the price of variant ${sku}`);
    if (!price.ok) return invalid(`${subject} was not sent: ${price.problem}`, 'variants.price');

    const variant: VariantPayload = { id: sku, title: cleanText(v.title) ?? title, sku, price: price.value };
    if (v.inventory_quantity !== null && Number.isFinite(v.inventory_quantity)) {
      variant.inventory_quantity = Math.max(0, Math.trunc(v.inventory_quantity));
    }
    const variantImage = cleanText(v.image_url) ?? imageUrl;
    if (variantImage !== undefined) variant.image_url = variantImage;
    if (url !== undefined) variant.url = url;
    payload.variants.push(variant);
  }
  return ok(payload);
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
