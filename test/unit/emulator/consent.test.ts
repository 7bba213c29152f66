import { customerAudienceAction, type CustomerAudienceInput } from '../../../emulator/consent';

type Case = [string, CustomerAudienceInput, ReturnType<typeof customerAudienceAction>];

const cases: Case[] = [
  ['new address, opted in', { member: undefined, optIn: true, previousOptIn: undefined, doubleOptIn: false }, { kind: 'create', status: 'subscribed' }],
  ['new address, opted in, double opt-in', { member: undefined, optIn: true, previousOptIn: undefined, doubleOptIn: true }, { kind: 'create', status: 'pending' }],
  ['new address, not opted in', { member: undefined, optIn: false, previousOptIn: undefined, doubleOptIn: false }, { kind: 'create', status: 'transactional' }],
  ['false→true, e-commerce transactional', { member: { status: 'transactional', source: 'api-ecommerce' }, optIn: true, previousOptIn: false, doubleOptIn: false }, { kind: 'set-status', status: 'subscribed' }],
  ['new customer opting in, e-commerce transactional', { member: { status: 'transactional', source: 'api-ecommerce' }, optIn: true, previousOptIn: undefined, doubleOptIn: false }, { kind: 'set-status', status: 'subscribed' }],
  ['false→true, member-API transactional', { member: { status: 'transactional', source: 'api-member' }, optIn: true, previousOptIn: false, doubleOptIn: false }, { kind: 'none' }],
  ['true→true, e-commerce transactional', { member: { status: 'transactional', source: 'api-ecommerce' }, optIn: true, previousOptIn: true, doubleOptIn: false }, { kind: 'none' }],
  ['false→true, unsubscribed', { member: { status: 'unsubscribed', source: 'api-ecommerce' }, optIn: true, previousOptIn: false, doubleOptIn: false }, { kind: 'none' }],
  ['true→false, subscribed', { member: { status: 'subscribed', source: 'api-ecommerce' }, optIn: false, previousOptIn: true, doubleOptIn: false }, { kind: 'none' }],
  ['existing cleaned', { member: { status: 'cleaned', source: 'api-member' }, optIn: true, previousOptIn: undefined, doubleOptIn: false }, { kind: 'none' }],
];

describe('customerAudienceAction', () => {
  it.each(cases)('%s', (_name, input, expected) => {
    expect(customerAudienceAction(input)).toEqual(expected);
  });
});
