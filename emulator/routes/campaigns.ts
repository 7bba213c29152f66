import { ok, type Handler } from '../context';
import type { Router } from '../router';
import { page, paging } from '../util';
import { collection, found } from './ecommerce';

/**
 * Campaigns: only their existence is modelled (a cart's campaign_id must name one). They are made with
 * POST /_emulator/campaigns (control routes); the API reads them.
 */

const listCampaigns: Handler = ({ query, services }) => {
  const { campaigns } = services.state;
  const { items, total } = page(campaigns.values(), campaigns.size, paging(query));
  return ok(collection('campaigns', items.map((c) => ({ id: c.id, type: 'regular', status: 'sent', create_time: c.create_time, settings: { title: c.title } })), total));
};

const getCampaign: Handler = ({ params, services }) => {
  const c = found(services.state.campaigns.get(params.campaign_id));
  return ok({ id: c.id, type: 'regular', status: 'sent', create_time: c.create_time, settings: { title: c.title }, _links: [] });
};

export function registerCampaignRoutes(router: Router<Handler>): void {
  router.add('GET', '/campaigns', listCampaigns);
  router.add('GET', '/campaigns/{campaign_id}', getCampaign);
}
