import { METRIC_DEFS, type AlertLine } from '@shopcrew/shared';
import { t } from '@/locales';
import { formatMetric, metricLabel } from '@/composables/metricText';
import { COMPARISON_KEYS } from './alertLine';

type LineWords = Pick<AlertLine, 'metric' | 'comparison' | 'basis' | 'threshold' | 'windowDays' | 'currency' | 'target'>;

/** The threshold in words: `15%`, `SGD 900.00`, `30 分钟`, `目标的 60%（每天 6）`, `目标（未设目标）`. */
export function thresholdWords(line: LineWords): string {
  const unit = METRIC_DEFS[line.metric].unit;
  if (line.basis !== 'target') return formatMetric(unit, line.threshold, line.currency);
  const what =
    line.threshold === 1 ? t('metrics.alerts.words.target') : t('metrics.alerts.words.targetShare', { pct: formatMetric('percent', line.threshold) });
  const amount =
    line.target === null
      ? t('metrics.alerts.words.noTarget')
      : t('metrics.alerts.words.targetValue', { value: formatMetric(unit, line.target * line.threshold, line.currency) });
  return `${what}${amount}`;
}

/** A line in words, in the UI language: `退款率 高于 15%，连续 3 天`. */
export function lineWords(line: LineWords): string {
  const window = line.windowDays > 1 ? t('metrics.alerts.words.window', { n: line.windowDays }) : '';
  return `${metricLabel(line.metric)} ${t(`metrics.alerts.words.cmp.${COMPARISON_KEYS[line.comparison]}`)} ${thresholdWords(line)}${window}`;
}

/** The form's sentence: `星河旗舰店的退款率连续 3 天高于 15% 时提醒`. */
export function previewWords(line: LineWords, scope: string): string {
  return t('metrics.alerts.words.preview', {
    scope,
    metric: metricLabel(line.metric),
    window: line.windowDays > 1 ? t('metrics.alerts.words.previewWindow', { n: line.windowDays }) : '',
    cmp: t(`metrics.alerts.words.cmp.${COMPARISON_KEYS[line.comparison]}`),
    value: thresholdWords(line),
  });
}
