import type { Knex } from 'knex';
import { at, customerTouch, otherCase, type ModelCart, type ModelOrder, type ModelProduct, type ShopModel, type Touch } from './shop-model';
import type { Buyer, CartBuyer, CartFields, CartLineSpec, CodeFields, LineSpec, OrderFields, ProductFields, PromotionFields, VariantFields, Write } from './steps';

/** What a write did: the entities it touched (for the immediate path) and the row whose updated_at can be stamped. */
export interface Effect {
  touched: Touch[];
  main?: { table: string; id: number };
  /** One line for the step log printed with a failure. */
  log: string;
}

const BASE_ORDERED_AT = Date.UTC(2026, 2, 1, 10, 0, 0, 123);

function when(iso: string | null | undefined): Date | null | undefined {
  return iso === undefined ? undefined : iso === null ? null : new Date(iso);
}

function defined<T extends object>(row: T): Partial<T> {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const product = (id: number): Touch => ({ type: 'product', id: String(id) });
const order = (id: number): Touch => ({ type: 'order', id: String(id) });
const rule = (id: number): Touch => ({ type: 'promo_rule', id: String(id) });
const code = (id: number): Touch => ({ type: 'promo_code', id: String(id) });
const cart = (id: number): Touch => ({ type: 'cart', id: String(id) });

/** Applies generated writes to the shop database (or to an open transaction), keeping the model in step. */
export class ShopWriter {
  constructor(private readonly model: ShopModel) {}

  async apply(db: Knex, w: Write): Promise<Effect> {
    const m = this.model;
    switch (w.kind) {
      case 'createProduct': {
        const p = await this.insertProduct(db, w.fields, w.variants);
        return { touched: [product(p.id)], main: { table: 'products', id: p.id }, log: `create product ${p.code} (${p.variants.length} variants)` };
      }
      case 'updateProduct': {
        const p = at(m.products, w.pick);
        if (!p) return { touched: [], log: 'update product: none' };
        await db('products').where({ id: p.id }).update(defined({ ...w.patch, published_at: when(w.patch.published_at) }));
        return { touched: [product(p.id)], main: { table: 'products', id: p.id }, log: `update product ${p.code} ${JSON.stringify(w.patch)}` };
      }
      case 'changeProductCode': {
        const p = at(m.products, w.pick);
        if (!p) return { touched: [], log: 'change code: none' };
        const old = p.code;
        p.code = `P-${p.id}-r${m.nextId()}`;
        await db('products').where({ id: p.id }).update({ code: p.code });
        return { touched: [product(p.id)], main: { table: 'products', id: p.id }, log: `change product code ${old} → ${p.code}` };
      }
      case 'deleteProduct': {
        const p = at(m.products, w.pick);
        if (!p) return { touched: [], log: 'delete product: none' };
        await db('product_variants').where({ product_id: p.id }).delete();
        await db('products').where({ id: p.id }).delete();
        m.products = m.products.filter((x) => x !== p);
        return { touched: [product(p.id)], log: `hard-delete product ${p.code} and its variants` };
      }
      case 'createVariant': {
        const p = at(m.products, w.pick);
        if (!p) return { touched: [], log: 'create variant: none' };
        const id = await this.insertVariant(db, p, w.fields);
        return { touched: [product(p.id)], main: { table: 'product_variants', id }, log: `create variant ${id} of ${p.code} ${JSON.stringify(w.fields)}` };
      }
      case 'updateVariant': {
        const v = at(m.variants(), w.pick);
        if (!v) return { touched: [], log: 'update variant: none' };
        await db('product_variants').where({ id: v.variant.id }).update(defined(w.patch));
        return { touched: [product(v.product.id)], main: { table: 'product_variants', id: v.variant.id }, log: `update variant ${v.variant.sku} ${JSON.stringify(w.patch)}` };
      }
      case 'deleteVariant': {
        const v = at(m.variants(), w.pick);
        if (!v) return { touched: [], log: 'delete variant: none' };
        await db('product_variants').where({ id: v.variant.id }).delete();
        v.product.variants = v.product.variants.filter((x) => x !== v.variant);
        return { touched: [product(v.product.id)], log: `hard-delete variant ${v.variant.sku}` };
      }
      case 'createUser': {
        const id = m.nextId();
        const email = m.email(w.email);
        await db('users').insert({ id, email, first_name: w.first_name, last_name: w.last_name, marketing_opt_in: w.marketing_opt_in, ...w.address });
        m.users.push({ id, email });
        return { touched: [customerTouch(email)], main: { table: 'users', id }, log: `create user ${id} <${email}> opt-in ${w.marketing_opt_in}` };
      }
      case 'updateUser': {
        const u = at(m.users, w.pick);
        if (!u) return { touched: [], log: 'update user: none' };
        await db('users').where({ id: u.id }).update(defined(w.patch));
        return { touched: [customerTouch(u.email)], main: { table: 'users', id: u.id }, log: `update user ${u.id} ${JSON.stringify(w.patch)}` };
      }
      case 'changeEmail': {
        const u = at(m.users, w.pick);
        if (!u) return { touched: [], log: 'change email: none' };
        const old = u.email;
        u.email = w.to === 'case' ? otherCase(old) : m.email('valid');
        await db('users').where({ id: u.id }).update({ email: u.email });
        return { touched: [customerTouch(old), customerTouch(u.email)], main: { table: 'users', id: u.id }, log: `change email of user ${u.id} <${old}> → <${u.email}>` };
      }
      case 'deleteUser': {
        const u = at(m.users.filter((x) => !m.orders.some((o) => o.userId === x.id)), w.pick);
        if (!u) return { touched: [], log: 'delete user: none without orders' };
        await db('users').where({ id: u.id }).delete();
        m.users = m.users.filter((x) => x !== u);
        return { touched: [customerTouch(u.email)], log: `hard-delete user ${u.id} <${u.email}>` };
      }
      case 'createOrder':
        return this.createOrder(db, w.buyer, w.fields, w.lines);
      case 'updateOrder': {
        const o = at(m.orders, w.pick);
        if (!o) return { touched: [], log: 'update order: none' };
        const { promo_code: promo, ...rest } = w.patch;
        await db('orders').where({ id: o.id }).update(defined({ ...rest, promo_code: promo === undefined ? undefined : this.promoCode(promo) }));
        return { touched: [order(o.id)], main: { table: 'orders', id: o.id }, log: `update order ${o.number} ${JSON.stringify(w.patch)}` };
      }
      case 'updateLine': {
        const o = at(m.orders, w.pick);
        const l = o && at(o.lines, w.line);
        if (!o || !l) return { touched: [], log: 'update line: none' };
        await db('order_lines').where({ id: l.id }).update(defined(w.patch));
        return { touched: [order(o.id)], log: `update line ${l.id} of ${o.number} ${JSON.stringify(w.patch)}` };
      }
      case 'addLine': {
        const o = at(m.orders, w.pick);
        if (!o) return { touched: [], log: 'add line: none' };
        const added = await this.insertLines(db, o, [w.line]);
        return { touched: [order(o.id)], log: `add ${added} line to ${o.number}` };
      }
      case 'deleteLine': {
        const o = at(m.orders, w.pick);
        const l = o && o.lines.length > 1 ? at(o.lines, w.line) : undefined;
        if (!o || !l) return { touched: [], log: 'delete line: no order with two lines' };
        await db('order_lines').where({ id: l.id }).delete();
        o.lines = o.lines.filter((x) => x !== l);
        return { touched: [order(o.id)], log: `hard-delete line ${l.id} of ${o.number}` };
      }
      case 'deleteOrder': {
        const o = at(m.orders, w.pick);
        if (!o) return { touched: [], log: 'delete order: none' };
        await db('order_lines').where({ order_id: o.id }).delete();
        await db('orders').where({ id: o.id }).delete();
        m.orders = m.orders.filter((x) => x !== o);
        return { touched: [order(o.id)], log: `hard-delete order ${o.number} and its lines` };
      }
      case 'registerGuest': {
        const email = at(m.unregisteredGuests(), w.pick);
        if (!email) return { touched: [], log: 'register guest: none' };
        const id = m.nextId();
        const written = otherCase(email);
        await db('users').insert({ id, email: written, first_name: w.first_name, last_name: w.last_name, marketing_opt_in: w.marketing_opt_in });
        m.users.push({ id, email: written });
        const linked = w.linkOrders ? m.orders.filter((o) => o.userId === null && o.guestEmail !== null && customerTouch(o.guestEmail).id === customerTouch(email).id) : [];
        for (const o of linked) o.userId = id;
        if (linked.length > 0) await db('orders').whereIn('id', linked.map((o) => o.id)).update({ user_id: id });
        return { touched: [customerTouch(email), ...linked.map((o) => order(o.id))], main: { table: 'users', id }, log: `guest <${email}> registers as user ${id}${linked.length ? `, ${linked.length} orders linked` : ''}` };
      }
      case 'createPromotion': {
        const id = m.nextId();
        await db('promotions').insert(promotionRow(id, w.fields));
        m.promotions.push({ id, codes: [] });
        const codes = [];
        for (const c of w.codes) codes.push(await this.insertCode(db, id, c));
        return { touched: [rule(id), ...codes.map(code)], main: { table: 'promotions', id }, log: `create promotion ${id} with codes ${codes.join(',')}` };
      }
      case 'updatePromotion': {
        const p = at(m.promotions, w.pick);
        if (!p) return { touched: [], log: 'update promotion: none' };
        await db('promotions').where({ id: p.id }).update(defined({ ...w.patch, starts_at: when(w.patch.starts_at), ends_at: when(w.patch.ends_at) }));
        return { touched: [rule(p.id)], main: { table: 'promotions', id: p.id }, log: `update promotion ${p.id} ${JSON.stringify(w.patch)}` };
      }
      case 'deletePromotion': {
        const p = at(m.promotions, w.pick);
        if (!p) return { touched: [], log: 'delete promotion: none' };
        await db('promo_codes').where({ promotion_id: p.id }).delete();
        await db('promotions').where({ id: p.id }).delete();
        m.promotions = m.promotions.filter((x) => x !== p);
        return { touched: [rule(p.id), ...p.codes.map((c) => code(c.id))], log: `hard-delete promotion ${p.id} and its codes` };
      }
      case 'createCode': {
        const p = at(m.promotions, w.pick);
        if (!p) return { touched: [], log: 'create code: none' };
        const id = await this.insertCode(db, p.id, w.fields);
        return { touched: [code(id)], main: { table: 'promo_codes', id }, log: `create code ${id} "${w.fields.code}" of promotion ${p.id}` };
      }
      case 'updateCode': {
        const c = at(m.codes(), w.pick);
        if (!c) return { touched: [], log: 'update code: none' };
        await db('promo_codes').where({ id: c.id }).update(defined(w.patch));
        if (w.patch.code !== undefined) c.code = w.patch.code;
        return { touched: [code(c.id)], main: { table: 'promo_codes', id: c.id }, log: `update code ${c.id} ${JSON.stringify(w.patch)}` };
      }
      case 'deleteCode': {
        const c = at(m.codes(), w.pick);
        if (!c) return { touched: [], log: 'delete code: none' };
        await db('promo_codes').where({ id: c.id }).delete();
        for (const p of m.promotions) p.codes = p.codes.filter((x) => x !== c);
        return { touched: [code(c.id)], log: `hard-delete code ${c.id}` };
      }
      case 'changeSettings': {
        for (const [name, value] of Object.entries({ store_name: w.store_name, store_domain: w.store_domain })) {
          if (value !== undefined) await db('shop_settings').insert({ name, value }).onConflict('name').merge();
        }
        return { touched: [], log: `change settings ${JSON.stringify({ store_name: w.store_name, store_domain: w.store_domain })}` };
      }
      case 'createCart':
        return this.createCart(db, w.buyer, w.fields, w.lines);
      case 'updateCart': {
        const c = at(m.carts, w.pick);
        if (!c) return { touched: [], log: 'update cart: none' };
        await db('carts').where({ id: c.id }).update(defined(w.patch));
        return { touched: [cart(c.id)], main: { table: 'carts', id: c.id }, log: `update cart ${c.id} ${JSON.stringify(w.patch)}` };
      }
      case 'updateCartLine': {
        const c = at(m.carts, w.pick);
        const l = c && at(c.lines, w.line);
        if (!c || !l) return { touched: [], log: 'update cart line: none' };
        await db('cart_lines').where({ id: l.id }).update(defined(w.patch));
        return { touched: [cart(c.id)], main: { table: 'cart_lines', id: l.id }, log: `update line ${l.id} of cart ${c.id} ${JSON.stringify(w.patch)}` };
      }
      case 'addCartLine': {
        const c = at(m.carts, w.pick);
        if (!c) return { touched: [], log: 'add cart line: none' };
        const added = await this.insertCartLines(db, c, [w.line]);
        return { touched: [cart(c.id)], log: `add ${added} line to cart ${c.id}` };
      }
      case 'deleteCartLine': {
        const c = at(m.carts, w.pick);
        const l = c && at(c.lines, w.line);
        if (!c || !l) return { touched: [], log: 'delete cart line: none' };
        await db('cart_lines').where({ id: l.id }).delete();
        c.lines = c.lines.filter((x) => x !== l);
        return { touched: [cart(c.id)], log: `hard-delete line ${l.id} of cart ${c.id}` };
      }
      case 'convertCart': {
        const c = at(m.carts, w.pick);
        if (!c) return { touched: [], log: 'convert cart: none' };
        if (w.how === 'mark') {
          const o = at(m.orders, c.id);
          const orderId = o?.id ?? 999_999;
          await db('carts').where({ id: c.id }).update({ order_id: orderId });
          return { touched: [cart(c.id)], main: { table: 'carts', id: c.id }, log: `cart ${c.id} becomes order ${orderId} (order_id)` };
        }
        const email = c.userId !== null ? m.users.find((u) => u.id === c.userId)?.email : c.guestEmail;
        if (!email) return { touched: [], log: `convert cart ${c.id}: no buyer` };
        // After the cart's last change: the database's clock stamps the cart, so the order is placed a minute ahead.
        const id = m.nextId();
        const o: ModelOrder = { id, number: `SO-${id}`, userId: c.userId, guestEmail: c.userId === null ? c.guestEmail : null, lines: [] };
        await db('orders').insert({
          id, order_number: o.number, user_id: o.userId, guest_email: o.guestEmail, status: 'paid', currency: 'USD', order_total: '10.00',
          ordered_at: new Date(Date.now() + 60_000),
        });
        m.orders.push(o);
        const first = (await db('cart_lines').where({ cart_id: c.id }).orderBy('id').first('product_id', 'variant_id')) as { product_id: number; variant_id: number | null } | undefined;
        if (first) {
          const lineId = m.nextId();
          await db('order_lines').insert({ id: lineId, order_id: id, product_id: first.product_id, variant_id: first.variant_id, quantity: 1, unit_price: '10.00', discount: '0.00' });
          o.lines.push({ id: lineId, productId: Number(first.product_id) });
        }
        return { touched: [order(id), customerTouch(email), cart(c.id)], main: { table: 'orders', id }, log: `the buyer of cart ${c.id} places order ${o.number}` };
      }
      case 'deleteCart': {
        const c = at(m.carts, w.pick);
        if (!c) return { touched: [], log: 'delete cart: none' };
        await db('cart_lines').where({ cart_id: c.id }).delete();
        await db('carts').where({ id: c.id }).delete();
        m.carts = m.carts.filter((x) => x !== c);
        return { touched: [cart(c.id)], log: `hard-delete cart ${c.id} and its lines` };
      }
    }
  }

  private async createCart(db: Knex, buyer: CartBuyer, fields: CartFields, lines: CartLineSpec[]): Promise<Effect> {
    const m = this.model;
    const id = m.nextId();
    const user = buyer.kind === 'user' ? at(m.users, buyer.pick) : undefined;
    const guests = m.orders.flatMap((o) => (o.guestEmail === null ? [] : [o.guestEmail]));
    const reused = buyer.kind === 'guest' && buyer.reuse !== null ? at(guests, buyer.reuse) : undefined;
    const guestEmail = buyer.kind !== 'guest' ? null : reused ? otherCase(reused) : m.email(buyer.email);
    const c: ModelCart = { id, userId: user?.id ?? null, guestEmail, lines: [] };
    await db('carts').insert({
      id, user_id: c.userId, guest_email: guestEmail, guest_first_name: buyer.kind === 'guest' ? buyer.first_name : null, currency: 'USD', ...fields,
    });
    m.carts.push(c);
    await this.insertCartLines(db, c, lines);
    return { touched: [cart(id)], main: { table: 'carts', id }, log: `create cart ${id} ${user ? `of user ${user.id}` : guestEmail ? `of guest <${guestEmail}>` : 'without a buyer'}, ${c.lines.length} lines` };
  }

  private async insertCartLines(db: Knex, c: ModelCart, lines: CartLineSpec[]): Promise<number> {
    let written = 0;
    for (const l of lines) {
      const p = at(this.model.products, l.product);
      if (!p) continue;
      const v = l.variant === null ? undefined : at(p.variants, l.variant);
      const id = this.model.nextId();
      await db('cart_lines').insert({ id, cart_id: c.id, product_id: p.id, variant_id: v?.id ?? null, quantity: l.quantity, unit_price: l.unit_price });
      c.lines.push({ id });
      written += 1;
    }
    return written;
  }

  private async insertProduct(db: Knex, fields: ProductFields, variants: VariantFields[]): Promise<ModelProduct> {
    const id = this.model.nextId();
    const p: ModelProduct = { id, code: `P-${id}`, variants: [] };
    await db('products').insert({ id, code: p.code, ...fields, published_at: when(fields.published_at) });
    this.model.products.push(p);
    for (const v of variants) await this.insertVariant(db, p, v);
    return p;
  }

  private async insertVariant(db: Knex, p: ModelProduct, fields: VariantFields): Promise<number> {
    const id = this.model.nextId();
    const sku = `${p.code}-V${id}`;
    await db('product_variants').insert({ id, product_id: p.id, sku, ...fields });
    p.variants.push({ id, sku });
    return id;
  }

  private async insertCode(db: Knex, promotionId: number, fields: CodeFields): Promise<number> {
    const id = this.model.nextId();
    await db('promo_codes').insert({ id, promotion_id: promotionId, ...fields });
    this.model.promotions.find((p) => p.id === promotionId)?.codes.push({ id, code: fields.code });
    return id;
  }

  private promoCode(promo: OrderFields['promo_code']): string | null {
    if (promo === null) return null;
    if (promo === 'unknown') return 'NO-SUCH-CODE';
    return at(this.model.codes(), promo)?.code ?? null;
  }

  /** Lines naming existing products (and one of their variants, or none); returns how many were written. */
  private async insertLines(db: Knex, o: ModelOrder, lines: LineSpec[]): Promise<number> {
    let written = 0;
    for (const l of lines) {
      const p = at(this.model.products, l.product);
      if (!p) continue;
      const v = l.variant === null ? undefined : at(p.variants, l.variant);
      const id = this.model.nextId();
      await db('order_lines').insert({ id, order_id: o.id, product_id: p.id, variant_id: v?.id ?? null, quantity: l.quantity, unit_price: l.unit_price, discount: l.discount });
      o.lines.push({ id, productId: p.id });
      written += 1;
    }
    return written;
  }

  private async createOrder(db: Knex, buyer: Buyer, fields: OrderFields, lines: LineSpec[]): Promise<Effect> {
    const m = this.model;
    if (m.products.length === 0) return { touched: [], log: 'create order: no products yet' };
    const id = m.nextId();
    const user = buyer.kind === 'user' ? at(m.users, buyer.pick) : undefined;
    const guests = m.orders.flatMap((o) => (o.guestEmail === null ? [] : [o.guestEmail]));
    const reused = buyer.kind === 'guest' && buyer.reuse !== null ? at(guests, buyer.reuse) : undefined;
    const guestEmail = user ? null : reused ? otherCase(reused) : m.email(buyer.kind === 'guest' ? buyer.email : 'valid');
    const guestNames = buyer.kind === 'guest' ? { guest_first_name: buyer.first_name, guest_last_name: buyer.last_name } : {};
    const { promo_code: promo, ...rest } = fields;
    const o: ModelOrder = { id, number: `SO-${id}`, userId: user?.id ?? null, guestEmail, lines: [] };
    await db('orders').insert({
      id, order_number: o.number, user_id: o.userId, guest_email: guestEmail, ...(user ? {} : guestNames), currency: 'USD', ...rest,
      promo_code: this.promoCode(promo), ordered_at: new Date(BASE_ORDERED_AT + id * 60_000),
    });
    m.orders.push(o);
    await this.insertLines(db, o, lines);
    const buyerTouch = customerTouch(user ? user.email : (guestEmail as string));
    return { touched: [order(id), buyerTouch], main: { table: 'orders', id }, log: `create order ${o.number} ${user ? `of user ${user.id}` : `of guest <${guestEmail}>`} ${fields.status}, ${o.lines.length} lines` };
  }
}

function promotionRow(id: number, f: PromotionFields): Record<string, unknown> {
  return { id, ...f, starts_at: when(f.starts_at), ends_at: when(f.ends_at) };
}
