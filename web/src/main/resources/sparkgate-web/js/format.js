// Words and numbers as people read them: kinds by their language, states by what they mean, times in short units.

const LANGUAGES = { spark: 'Scala', sql: 'SQL', pyspark: 'Python', shared: 'Scala · SQL · Python' };

export function languageOf(kind) {
  return LANGUAGES[kind] ?? kind;
}

/** The statement kinds a session of `kind` runs, first the default. */
export function statementKindsOf(kind) {
  return kind === 'shared' ? ['spark', 'sql', 'pyspark'] : [kind];
}

/** How a session state reads, and its colour family in the stylesheet. */
const STATES = {
  not_started: ['waiting to start', 'pending'],
  starting: ['starting', 'pending'],
  recovering: ['recovering', 'pending'],
  idle: ['idle', 'ready'],
  running: ['running', 'working'],
  busy: ['busy', 'working'],
  shutting_down: ['shutting down', 'ended'],
  error: ['error', 'failed'],
  dead: ['dead', 'failed'],
  killed: ['deleted', 'ended'],
  success: ['ended', 'ended'],
};

export function stateLabel(state) {
  return (STATES[state] ?? [state])[0];
}

export function stateFamily(state) {
  return (STATES[state] ?? [state, 'ended'])[1];
}

export function canRun(state) {
  return state === 'idle' || state === 'busy' || state === 'running';
}

export function hasEnded(state) {
  return ['error', 'dead', 'killed', 'success', 'shutting_down'].includes(state);
}

/** 42 s, 3 min, 5 h, 2 d */
export function age(millis) {
  const seconds = Math.max(0, Math.round(millis / 1000));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86400)} d`;
}

/** 0.4 s, 12 s, 2 min 5 s */
export function duration(millis) {
  const seconds = Math.max(0, millis) / 1000;
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}
