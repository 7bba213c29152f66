import type { EmulatorState, StoreRecord } from './state';
import { subscriberHash } from './util';

/** Rows shown per collection; the page says how many more there are. */
export const PAGE_ROW_LIMIT = 200;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

function limited<T>(items: Iterable<T>, size: number, render: (item: T) => string): string {
  const out: string[] = [];
  for (const item of items) {
    if (out.length >= PAGE_ROW_LIMIT) break;
    out.push(render(item));
  }
  if (size > PAGE_ROW_LIMIT) out.push(`<li class="more">… and ${size - PAGE_ROW_LIMIT} more</li>`);
  return out.join('\n');
}

function renderStore(state: EmulatorState, store: StoreRecord): string {
  const d = store.data;
  const list = state.lists.get(String(d.list_id));
  const products = limited(store.products.values(), store.products.size, (p) => {
    const variants = limited(p.variants.values(), p.variants.size, (v) =>
      `<li>${escapeHtml(v.data.title)} <code>${escapeHtml(v.data.id)}</code>${v.data.price !== undefined ? ` — ${escapeHtml(v.data.price)}` : ''}${v.data.sku ? ` (sku ${escapeHtml(v.data.sku)})` : ''}</li>`,
    );
    return `<li><strong>${escapeHtml(p.data.title)}</strong> <code>${escapeHtml(p.data.id)}</code><ul>${variants}</ul></li>`;
  });
  const customers = limited(store.customers.values(), store.customers.size, (c) => {
    const email = String(c.data.email_address ?? '');
    const member = list && email ? list.members.get(subscriberHash(email)) : undefined;
    const orderIds = store.ordersByCustomer.get(String(c.data.id)) ?? new Set<string>();
    const orders = limited(orderIds, orderIds.size, (id) => {
      const o = store.orders.get(id);
      if (!o) return '';
      return `<li>order <code>${escapeHtml(id)}</code>: ${escapeHtml(o.data.order_total)} ${escapeHtml(o.data.currency_code)}, ${escapeHtml(o.data.financial_status ?? '')} (${o.lines.size} lines)</li>`;
    });
    const name = [c.data.first_name, c.data.last_name].filter(Boolean).join(' ');
    return `<li>${escapeHtml(name)} &lt;${escapeHtml(email)}&gt; <code>${escapeHtml(c.data.id)}</code> — opt_in ${escapeHtml(c.data.opt_in_status)}, audience: <em>${escapeHtml(member?.status ?? 'not a member')}</em><ul>${orders}</ul></li>`;
  });
  const carts = limited(store.carts.values(), store.carts.size, (c) => {
    const customer = store.customers.get(c.customerId);
    const lines = limited(c.lines.values(), c.lines.size, (l) =>
      `<li>${escapeHtml(l.quantity)} × ${escapeHtml(l.product_title)} <code>${escapeHtml(l.product_variant_id)}</code> at ${escapeHtml(l.price)}</li>`,
    );
    const url = typeof c.data.checkout_url === 'string' && c.data.checkout_url !== '' ? ` · <a href="${escapeHtml(c.data.checkout_url)}">checkout</a>` : '';
    const campaign = c.data.campaign_id ? ` · campaign <code>${escapeHtml(c.data.campaign_id)}</code>` : '';
    return `<li>cart <code>${escapeHtml(c.data.id)}</code> of &lt;${escapeHtml(customer?.data.email_address ?? c.customerId)}&gt;: ${escapeHtml(c.data.order_total)} ${escapeHtml(c.data.currency_code)}${url}${campaign}<ul>${lines}</ul></li>`;
  });
  return `<section>
<h2>${escapeHtml(d.name)} <code>${escapeHtml(d.id)}</code></h2>
<p>Currency ${escapeHtml(d.currency_code)} · is_syncing ${escapeHtml(d.is_syncing ?? false)} · audience <code>${escapeHtml(d.list_id)}</code></p>
<h3>Products (${store.products.size})</h3><ul>${products}</ul>
<h3>Customers (${store.customers.size})</h3><ul>${customers}</ul>
<h3>Carts (${store.carts.size})</h3><ul>${carts}</ul>
<p>Orders: ${store.orders.size} · promo rules: ${store.promoRules.size}</p>
</section>`;
}

/** The read-only overview served at `/`. */
export function renderPage(state: EmulatorState): string {
  const stores = [...state.stores.values()].map((s) => renderStore(state, s)).join('\n');
  const lists = [...state.lists.values()]
    .map((l) => `<li>${escapeHtml(l.name)} <code>${escapeHtml(l.id)}</code>: ${l.members.size} members, double_optin ${l.double_optin}</li>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Mailchimp emulator</title>
<style>body{font-family:sans-serif;margin:2em}code{color:#555}section{border-top:1px solid #ccc;margin-top:1em}</style></head>
<body><h1>Mailchimp emulator</h1>
<h2>Audiences</h2><ul>${lists}</ul>
${stores || '<p>No stores yet.</p>'}
</body></html>`;
}
