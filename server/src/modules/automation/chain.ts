/**
 * Which automation rules caused an event, carried in the event's request id: an action runs in a unit whose request id
 * is `auto:<rule>.<rule>…`, so every event it causes (and every event a subscriber publishes in reaction, since the
 * dispatcher keeps the request id) names its chain. That is how a rule is kept from re-triggering itself, however
 * indirectly, and how a chain is stopped at MAX_CHAIN.
 */
export const MAX_CHAIN = 3;
const PREFIX = 'auto:';

/** The rule ids that led to an event, oldest first ([] for an event a person, WeCom or a marketplace caused). */
export function chainOf(requestId: string | null): number[] {
  if (!requestId?.startsWith(PREFIX)) return [];
  return requestId
    .slice(PREFIX.length)
    .split('.')
    .map(Number)
    .filter((n) => Number.isSafeInteger(n) && n > 0);
}

export function chainRequestId(chain: readonly number[]): string {
  return `${PREFIX}${chain.join('.')}`;
}

export type ChainVerdict = 'run' | 'skipped_loop' | 'skipped_depth';

/** May `ruleId` act on an event caused by `chain`? Not when it is in the chain already, nor beyond MAX_CHAIN. */
export function chainVerdict(chain: readonly number[], ruleId: number): ChainVerdict {
  if (chain.includes(ruleId)) return 'skipped_loop';
  if (chain.length >= MAX_CHAIN) return 'skipped_depth';
  return 'run';
}
