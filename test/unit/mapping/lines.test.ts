import { lineChanges } from '../../../mapping/lines';

interface Line { id: string; quantity: number }
const differs = (a: Partial<Line>, b: Line) => a.quantity !== b.quantity;

describe('lineChanges', () => {
  it('creates the lines Mailchimp lacks, patches those that differ with every field, deletes the others', () => {
    const wanted: Line[] = [{ id: 'a', quantity: 1 }, { id: 'b', quantity: 3 }, { id: 'c', quantity: 1 }];
    const current = [{ id: 'b', quantity: 2 }, { id: 'c', quantity: 1 }, { id: 'd', quantity: 9 }];
    expect(lineChanges(wanted, current, differs)).toEqual({
      create: [{ id: 'a', quantity: 1 }],
      update: [{ id: 'b', patch: { quantity: 3 } }],
      remove: ['d'],
    });
  });

  it('matches Mailchimp numeric line ids as strings, and nothing changes when the lines are equal', () => {
    const current = [{ id: 7 as unknown as string, quantity: 1 }];
    expect(lineChanges([{ id: '7', quantity: 1 }], current, differs)).toEqual({ create: [], update: [], remove: [] });
  });
});
