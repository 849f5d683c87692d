// The version check's verdict on a session (driver vs executor image), when the gateway reports one as
// `versions` ({verdict: ok | warning | refused | overridden | not_needed, summary, notes}).

import { h } from './dom.js';

const LOOKS = {
  ok: ['versions match', 'ready'],
  warning: ['versions: warning', 'pending'],
  refused: ['version check refused', 'failed'],
  overridden: ['version check overridden', 'failed'],
};

/** Whether the session has a verdict worth a column: local sessions have no image to compare with. */
export function hasVerdict(session) {
  return Boolean(LOOKS[session.versions?.verdict]);
}

/** A small badge with the summary on hover, or null when there is no verdict worth showing. */
export function versionBadge(session) {
  if (!hasVerdict(session)) return null;
  const verdict = session.versions;
  const [label, family] = LOOKS[verdict.verdict];
  const details = [verdict.summary, ...(verdict.notes ?? [])].filter(Boolean).join('\n');
  return h('span', { class: 'badge version', dataset: { family }, title: details }, label);
}
