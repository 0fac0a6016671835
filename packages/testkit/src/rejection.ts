/**
 * What `p` rejects with, checked to be a `type` (a DomainError, a ConnectError...). Fails the
 * test when `p` resolves, or rejects with anything else.
 */
export async function rejectionOf<E>(p: Promise<unknown>, type: abstract new (...args: never[]) => E): Promise<E> {
  const outcome = await p.then(
    () => ({ resolved: true as const }),
    (e: unknown) => ({ resolved: false as const, e }),
  );
  if (outcome.resolved) throw new Error(`expected a rejection with ${type.name}, but it resolved`);
  if (!(outcome.e instanceof type)) throw new Error(`expected a ${type.name}, got ${String(outcome.e)}`);
  return outcome.e;
}
