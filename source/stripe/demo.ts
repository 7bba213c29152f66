import type Stripe from 'stripe';

/** Demo data for an empty fake Stripe: products with prices, customers with a card, paid purchases, one refund. */
export async function seedStripeDemo(stripe: Stripe, currency = 'usd'): Promise<{ products: number; customers: number; purchases: number }> {
  const existing = await stripe.products.list({ limit: 1 });
  if (existing.data.length > 0) return { products: 0, customers: 0, purchases: 0 };
  const catalogue = [['Blue mug', 1250], ['Green teapot', 3400], ['Tea sampler', 1900], ['Gift card', 2500]] as const;
  const plans: string[] = [];
  for (const [name, amount] of catalogue) {
    const product = await stripe.products.create({ name, description: `${name} from the demo catalogue` });
    // Plans: the fake has no Prices API (a Plan is a recurring Price in Stripe).
    plans.push((await stripe.plans.create({ product: product.id, amount, currency, interval: 'month' })).id);
  }
  const people = [['ada@example.com', 'Ada Lovelace'], ['grace@example.com', 'Grace Hopper'], ['alan@example.com', 'Alan Turing']] as const;
  let purchases = 0;
  for (const [i, [email, name]] of people.entries()) {
    const token = await stripe.tokens.create({ card: { number: '4242424242424242', exp_month: '12', exp_year: '2030', cvc: '123' } } as Stripe.TokenCreateParams);
    const customer = await stripe.customers.create({ email, name, source: token.id });
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ plan: plans[i % plans.length], quantity: i + 1 } as Stripe.SubscriptionCreateParams.Item] });
    purchases++;
    if (i === 1) {
      const invoice = await stripe.invoices.retrieve(sub.latest_invoice as string);
      const charge = typeof invoice.charge === 'string' ? invoice.charge : (invoice.charge as Stripe.Charge | null)?.id;
      if (charge) await stripe.refunds.create({ charge, amount: 1000 });
    }
  }
  return { products: catalogue.length, customers: people.length, purchases };
}
