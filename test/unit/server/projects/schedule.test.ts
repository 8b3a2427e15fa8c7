/**
 * Scheduling on known graphs: cycles found, dependants pushed just enough (never pulled), the critical path and slack
 * of a textbook project, and which tasks are late or block a late one.
 */
import { addDays, isDay, resolveOffset } from '../../../../server/src/modules/projects/days';
import { criticalPath, findCycle, lateness, reschedule, type SchedTask } from '../../../../server/src/modules/projects/schedule';

const task = (id: number, start: string, due: string, dependsOn: number[] = [], done = false): SchedTask => ({ id, start, due, done, dependsOn });

describe('days', () => {
  it('reads D offsets and checks real calendar days', () => {
    expect(resolveOffset('D-14', '2026-11-11')).toBe('2026-10-28');
    expect(resolveOffset('D+3', '2026-11-11')).toBe('2026-11-14');
    expect(resolveOffset('D', '2026-11-11')).toBe('2026-11-11');
    expect(() => resolveOffset('T-1', '2026-11-11')).toThrow();
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2028-02-29')).toBe(true);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});

describe('findCycle', () => {
  it('finds a loop and names it; a DAG has none', () => {
    expect(findCycle([task(1, '2026-01-01', '2026-01-02', [3]), task(2, '2026-01-03', '2026-01-04', [1]), task(3, '2026-01-05', '2026-01-06', [2])])).toEqual(
      expect.arrayContaining([1, 2, 3]),
    );
    expect(findCycle([task(1, '2026-01-01', '2026-01-01', [1])])).toEqual([1, 1]);
    expect(findCycle([task(1, '2026-01-01', '2026-01-02'), task(2, '2026-01-03', '2026-01-04', [1]), task(3, '2026-01-03', '2026-01-04', [1, 2])])).toBeNull();
  });

  it('copes with a chain of 5,000 tasks without overflowing the stack', () => {
    const chain = Array.from({ length: 5000 }, (_, i) => task(i + 1, '2026-01-01', '2026-01-01', i ? [i] : []));
    expect(findCycle(chain)).toBeNull();
    chain[0] = task(1, '2026-01-01', '2026-01-01', [5000]);
    expect(findCycle(chain)?.length).toBe(5001);
  });
});

describe('reschedule', () => {
  // 1 → 2 → 4, 1 → 3 (with slack), 5 unrelated
  const tasks = [
    task(1, '2026-10-01', '2026-10-05'),
    task(2, '2026-10-06', '2026-10-08', [1]),
    task(3, '2026-10-20', '2026-10-21', [1]),
    task(4, '2026-10-09', '2026-10-12', [2]),
    task(5, '2026-10-01', '2026-10-03'),
  ];

  it('pushes the dependants that would start before it ends, by just enough, keeping their length', () => {
    const moves = reschedule(tasks, 1, '2026-10-03', '2026-10-08');
    expect(moves.map((m) => [m.id, m.to.start, m.to.due])).toEqual([
      [1, '2026-10-03', '2026-10-08'],
      [2, '2026-10-09', '2026-10-11'],
      [4, '2026-10-12', '2026-10-15'],
    ]);
  });

  it('never pulls a dependant earlier, and a move with room moves nothing else', () => {
    expect(reschedule(tasks, 1, '2026-09-28', '2026-09-30').map((m) => m.id)).toEqual([1]);
    expect(reschedule(tasks, 5, '2026-12-01', '2026-12-09').map((m) => m.id)).toEqual([5]);
  });

  it('a task waiting for two starts after the later of them', () => {
    const two = [task(1, '2026-10-01', '2026-10-02'), task(2, '2026-10-01', '2026-10-03'), task(3, '2026-10-04', '2026-10-04', [1, 2])];
    expect(reschedule(two, 1, '2026-10-05', '2026-10-06').at(-1)).toMatchObject({ id: 3, to: { start: '2026-10-07', due: '2026-10-07' } });
  });
});

describe('criticalPath', () => {
  it('a textbook project: the long branch is critical, the short one has slack', () => {
    // A(1–3) → B(4–8) → D(9–10); A → C(4–5) → D. C could slip 3 days.
    const p = [
      task(1, '2026-01-01', '2026-01-03'),
      task(2, '2026-01-04', '2026-01-08', [1]),
      task(3, '2026-01-04', '2026-01-05', [1]),
      task(4, '2026-01-09', '2026-01-10', [2, 3]),
    ];
    const cp = criticalPath(p);
    expect(cp.path).toEqual([1, 2, 4]);
    expect([...cp.critical].sort()).toEqual([1, 2, 4]);
    expect(cp.slack.get(3)).toBe(3);
    // A loose task ending before the last day has slack up to it.
    expect(criticalPath([...p, task(9, '2026-01-01', '2026-01-02')]).slack.get(9)).toBe(8);
  });
});

describe('lateness', () => {
  it('late tasks, and the unfinished tasks they wait for', () => {
    const p = [
      task(1, '2026-01-01', '2026-01-03'),
      task(2, '2026-01-04', '2026-01-05', [1]),
      task(3, '2026-01-06', '2026-01-09', [2]),
      task(4, '2026-01-01', '2026-01-02', [], true),
    ];
    const { late, blocking } = lateness(p, '2026-01-06');
    expect([...late].sort()).toEqual([1, 2]);
    expect([...blocking]).toEqual([1]);
  });
});
