/** The early-warning rule on known series: mean ± 3σ of the same weekday, a flat history, too little history. */
import { anomaly } from '../../../server/src/modules/metrics/warnings';

describe('anomaly', () => {
  it('flags a value beyond mean ± 3σ and not one within', () => {
    const history = [10, 12, 11, 9, 10, 13, 11, 12]; // mean 11, σ ≈ 1.22
    expect(anomaly(11, history)).toMatchObject({ flagged: false, mean: 11 });
    expect(anomaly(14, history).flagged).toBe(false);
    expect(anomaly(15, history).flagged).toBe(true);
    expect(anomaly(7, history).flagged).toBe(true);
  });

  it('a flat history: flagged when the value differs by the mean itself and at least 3', () => {
    expect(anomaly(12, [3, 3, 3, 3, 3, 3, 3, 3]).flagged).toBe(true); // 退款 12 笔，近 8 周同日均值 3 笔
    expect(anomaly(5, [3, 3, 3, 3, 3, 3, 3, 3]).flagged).toBe(false);
    expect(anomaly(2, [0, 0, 0, 0]).flagged).toBe(false);
    expect(anomaly(3, [0, 0, 0, 0]).flagged).toBe(true);
  });

  it('needs four weeks of history', () => {
    expect(anomaly(100, [1, 1, 1]).flagged).toBe(false);
  });
});
