import axios from 'axios';
import { queryString } from '../../../mailchimp/transport';

/** The transport builds request URLs itself (not through axios): the query must read as axios wrote it. */
describe('queryString', () => {
  const cases: Array<Record<string, string | number | boolean | undefined>> = [
    {},
    { count: 1000, offset: 0 },
    { fields: 'members.id,members.status,total_items', status: 'subscribed' },
    { since_last_changed: '2026-12-01T10:00:00+00:00', skip: undefined, exclude_fields: '_links' },
    { q: 'a b&c=d/é?[x]$', flag: true, off: false },
  ];
  it.each(cases)('%j as axios encodes it', (query) => {
    expect(`/x${queryString(query)}`).toBe(axios.getUri({ url: '/x', params: query }));
  });
  it('no query: nothing', () => {
    expect(queryString(undefined)).toBe('');
  });
});
