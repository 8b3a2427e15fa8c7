import { chainOf, chainRequestId, chainVerdict, MAX_CHAIN } from '../../server/src/modules/automation/chain';

describe('automation chains (carried in the request id)', () => {
  it('reads the rules that led to an event, and none from a person’s request', () => {
    expect(chainOf(null)).toEqual([]);
    expect(chainOf('6f1c2a1e-7c0a-4c8e-9a51-3b1b5e3b7c11')).toEqual([]);
    expect(chainOf(chainRequestId([4, 12]))).toEqual([4, 12]);
    expect(chainOf('auto:4.x.-1.7')).toEqual([4, 7]);
  });

  it('a rule already in the chain is a loop; beyond three rules the chain stops', () => {
    expect(MAX_CHAIN).toBe(3);
    expect(chainVerdict([], 5)).toBe('run');
    expect(chainVerdict([1, 2], 5)).toBe('run');
    expect(chainVerdict([5], 5)).toBe('skipped_loop');
    expect(chainVerdict([1, 5, 2], 5)).toBe('skipped_loop');
    expect(chainVerdict([1, 2, 3], 5)).toBe('skipped_depth');
  });
});
