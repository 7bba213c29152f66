import { decideConsent, type ConsentInput, type MemberStatus } from '../../../mapping/consent';

const STATUSES: Array<MemberStatus | null> = [null, 'subscribed', 'unsubscribed', 'cleaned', 'pending', 'transactional', 'archived'];
const BOOLS = [false, true];

/** Expected answer for an existing member: depends on the status alone (rule 1). */
const EXISTING: Record<MemberStatus, { customerOptIn: boolean }> = {
  subscribed: { customerOptIn: true },
  unsubscribed: { customerOptIn: false },
  cleaned: { customerOptIn: false },
  pending: { customerOptIn: false },
  transactional: { customerOptIn: false },
  archived: { customerOptIn: false },
};

/** Expected answer for a new contact, keyed `shopOptIn/alwaysOptIn/doubleOptIn` (rules 2 to 5). */
const NEW_CONTACT: Record<string, { customerOptIn: boolean; action: 'none' | 'create_pending'; awaitConfirmation: boolean }> = {
  'false/false/false': { customerOptIn: false, action: 'none', awaitConfirmation: false },
  'false/false/true': { customerOptIn: false, action: 'none', awaitConfirmation: false },
  'false/true/false': { customerOptIn: false, action: 'none', awaitConfirmation: false },
  'false/true/true': { customerOptIn: false, action: 'none', awaitConfirmation: false },
  'true/false/false': { customerOptIn: false, action: 'none', awaitConfirmation: false },
  'true/false/true': { customerOptIn: false, action: 'create_pending', awaitConfirmation: true },
  'true/true/false': { customerOptIn: true, action: 'none', awaitConfirmation: false },
  'true/true/true': { customerOptIn: false, action: 'create_pending', awaitConfirmation: true },
};

type Row = [MemberStatus | null, boolean, boolean, boolean, boolean, 'none' | 'create_pending', boolean];

const TABLE: Row[] = [];
for (const memberStatus of STATUSES) {
  for (const shopOptIn of BOOLS) {
    for (const alwaysOptIn of BOOLS) {
      for (const doubleOptIn of BOOLS) {
        if (memberStatus === null) {
          const e = NEW_CONTACT[`${shopOptIn}/${alwaysOptIn}/${doubleOptIn}`];
          TABLE.push([memberStatus, shopOptIn, alwaysOptIn, doubleOptIn, e.customerOptIn, e.action, e.awaitConfirmation]);
        } else {
          TABLE.push([memberStatus, shopOptIn, alwaysOptIn, doubleOptIn, EXISTING[memberStatus].customerOptIn, 'none', false]);
        }
      }
    }
  }
}

describe('decideConsent: every combination', () => {
  it('the table covers all 7 × 2 × 2 × 2 = 56 combinations', () => {
    expect(TABLE).toHaveLength(56);
    expect(new Set(TABLE.map((r) => r.slice(0, 4).join('/'))).size).toBe(56);
  });

  it.each(TABLE)(
    'member=%s shopOptIn=%s alwaysOptIn=%s doubleOptIn=%s → customerOptIn=%s member=%s await=%s',
    (memberStatus, shopOptIn, alwaysOptIn, doubleOptIn, customerOptIn, action, awaitConfirmation) => {
      const d = decideConsent({ memberStatus, shopOptIn, alwaysOptIn, doubleOptIn });
      expect(d.customerOptIn).toBe(customerOptIn);
      expect(d.member).toEqual({ action });
      expect(d.awaitConfirmation).toBe(awaitConfirmation);
      expect(d.reason.length).toBeGreaterThan(10);
    },
  );
});

describe('decideConsent: the rules, one by one', () => {
  const input = (over: Partial<ConsentInput>): ConsentInput => ({
    memberStatus: null,
    shopOptIn: false,
    alwaysOptIn: false,
    doubleOptIn: false,
    ...over,
  });

  it('rule 1: an existing member is never changed: no member action for any status, whatever the shop says', () => {
    for (const memberStatus of STATUSES.filter((s): s is MemberStatus => s !== null)) {
      const d = decideConsent(input({ memberStatus, shopOptIn: true, alwaysOptIn: true, doubleOptIn: true }));
      expect(d.member.action).toBe('none');
      expect(d.awaitConfirmation).toBe(false);
    }
  });

  it('rule 1: a subscribed member gets opt_in_status true (a no-op), and the reason says so', () => {
    const d = decideConsent(input({ memberStatus: 'subscribed' }));
    expect(d.customerOptIn).toBe(true);
    expect(d.reason).toMatch(/subscribed/);
    expect(d.reason).toMatch(/never changes/);
  });

  it.each(['unsubscribed', 'cleaned', 'pending', 'transactional', 'archived'] as const)(
    'rule 1: %s member is never resubscribed, even with shop consent (would need fresh confirmation)',
    (memberStatus) => {
      const d = decideConsent(input({ memberStatus, shopOptIn: true, alwaysOptIn: true }));
      expect(d.customerOptIn).toBe(false);
      expect(d.reason).toContain(`as ${memberStatus}`);
      expect(d.reason).toMatch(/fresh confirmation/);
    },
  );

  it('rule 2: a new contact without consent is transactional, whatever the settings', () => {
    const d = decideConsent(input({ alwaysOptIn: true, doubleOptIn: true }));
    expect(d).toMatchObject({ customerOptIn: false, member: { action: 'none' }, awaitConfirmation: false });
    expect(d.reason).toMatch(/without marketing consent/);
  });

  it('rule 3: a consenting new contact on a double opt-in audience is created pending and awaited; customer stays transactional', () => {
    const d = decideConsent(input({ shopOptIn: true, doubleOptIn: true }));
    expect(d).toMatchObject({ customerOptIn: false, member: { action: 'create_pending' }, awaitConfirmation: true });
    expect(d.reason).toMatch(/pending/);
  });

  it('rule 3 wins over always opt-in: double opt-in is the audience owner’s requirement', () => {
    expect(decideConsent(input({ shopOptIn: true, doubleOptIn: true, alwaysOptIn: true })).member.action).toBe('create_pending');
  });

  it('rule 4: a consenting new contact with always opt-in and no double opt-in is subscribed', () => {
    const d = decideConsent(input({ shopOptIn: true, alwaysOptIn: true }));
    expect(d).toMatchObject({ customerOptIn: true, member: { action: 'none' }, awaitConfirmation: false });
    expect(d.reason).toMatch(/subscribed/);
  });

  it('rule 5: a consenting new contact without always opt-in is transactional', () => {
    const d = decideConsent(input({ shopOptIn: true }));
    expect(d).toMatchObject({ customerOptIn: false, member: { action: 'none' }, awaitConfirmation: false });
    expect(d.reason).toMatch(/always opt-in" is off/);
  });

  it('never asks for a member action together with opt_in_status true', () => {
    for (const [memberStatus, shopOptIn, alwaysOptIn, doubleOptIn] of TABLE) {
      const d = decideConsent({ memberStatus, shopOptIn, alwaysOptIn, doubleOptIn });
      expect(d.customerOptIn && d.member.action !== 'none').toBe(false);
      expect(d.awaitConfirmation).toBe(d.member.action === 'create_pending');
    }
  });

  it('opt_in_status true only ever goes to a subscribed member or a consenting new contact', () => {
    for (const [memberStatus, shopOptIn, alwaysOptIn, doubleOptIn] of TABLE) {
      const d = decideConsent({ memberStatus, shopOptIn, alwaysOptIn, doubleOptIn });
      if (d.customerOptIn) expect(memberStatus === 'subscribed' || (memberStatus === null && shopOptIn)).toBe(true);
    }
  });
});
