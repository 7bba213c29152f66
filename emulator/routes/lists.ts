import { ok, type Handler } from '../context';
import type { Router } from '../router';
import type { Json, ListRecord } from '../state';
import { page, paging } from '../util';

export function listView(list: ListRecord): Json {
  const counts = { subscribed: 0, unsubscribed: 0, cleaned: 0, transactional: 0, pending: 0, archived: 0 };
  for (const member of list.members.values()) counts[member.status] += 1;
  return {
    id: list.id,
    web_id: list.web_id,
    name: list.name,
    contact: { company: 'Emulated shop', address1: '', city: '', state: '', zip: '', country: 'US' },
    permission_reminder: 'You signed up in our shop.',
    campaign_defaults: { from_name: 'Emulated shop', from_email: 'shop@example.com', subject: '', language: 'en' },
    notify_on_subscribe: '',
    notify_on_unsubscribe: '',
    date_created: list.date_created,
    list_rating: 0,
    email_type_option: false,
    double_optin: list.double_optin,
    marketing_permissions: false,
    visibility: 'prv',
    stats: {
      member_count: counts.subscribed,
      unsubscribe_count: counts.unsubscribed,
      cleaned_count: counts.cleaned,
      total_contacts: list.members.size - counts.archived,
    },
  };
}

const getLists: Handler = ({ query, services }) => {
  const p = paging(query);
  const { items, total } = page(services.state.lists.values(), services.state.lists.size, p);
  return ok({ lists: items.map(listView), total_items: total, _links: [] });
};

const getList: Handler = ({ params, services }) => ok(listView(services.audience.list(params.list_id)));

export function registerListRoutes(router: Router<Handler>): void {
  router.add('GET', '/lists', getLists);
  router.add('GET', '/lists/{list_id}', getList);
}
