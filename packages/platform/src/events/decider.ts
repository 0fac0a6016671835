/**
 * An aggregate's rules as pure functions (the decider pattern): `decide` turns a command and
 * the current state into the events that record what happened (or throws a DomainError when a
 * rule forbids it), `evolve` folds one event into the state. No I/O and no clock: the time a
 * decision depends on is the `now` passed in, so the same inputs always give the same events.
 */
export interface Decider<C, S, E> {
  /** The state of a stream with no events yet. */
  readonly initialState: S;
  decide(command: C, state: S, now: Date): readonly E[];
  evolve(state: S, event: E): S;
}

/** The state `events` lead to, from the decider's initial state. */
export function fold<C, S, E>(decider: Decider<C, S, E>, events: Iterable<E>, from: S = decider.initialState): S {
  let state = from;
  for (const e of events) state = decider.evolve(state, e);
  return state;
}

/**
 * How an aggregate's events are recorded: a proto message's full name and binary, and back.
 * `encode` is also given the state the event leads to, for contracts whose events carry the
 * aggregate as it is after them (a codec that needs only the event ignores it). `decode` is
 * given when the event happened (the `now` its command was decided at), for domains whose
 * events do not carry their time in the payload.
 */
export interface EventCodec<E, S = unknown> {
  encode(event: E, stateAfter: S): { type: string; payload: Uint8Array };
  decode(type: string, payload: Uint8Array, occurTime: Date): E;
}
