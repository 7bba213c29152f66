import { noContent, ok, type Handler } from '../context';
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

/**
 * DELETE /lists/{list_id} (204): the audience is gone with its members, and so are the stores tied to it (a store
 * belongs to one audience and cannot move; Mailchimp keeps no store without its audience). Every later request naming
 * the list, its members or those stores answers 404 "Resource Not Found" as a problem document.
 */
const deleteList: Handler = ({ params, services }) => {
  const list = services.audience.list(params.list_id);
  for (const [id, store] of services.state.stores) if (String(store.data.list_id) === list.id) services.state.stores.delete(id);
  services.state.lists.delete(list.id);
  return noContent();
};

export function registerListRoutes(router: Router<Handler>): void {
  router.add('GET', '/lists', getLists);
  router.add('GET', '/lists/{list_id}', getList);
  router.add('DELETE', '/lists/{list_id}', deleteList);
}
