/** When an instance is taken out of rotation after failing in a row (Envoy's consecutive-5xx outlier detection). */
export interface EjectionOptions {
  /** Failures in a row (the instance, not the caller's request, failed) that eject it. Default 3. */
  consecutiveFailures?: number;
  /** How long the first ejection lasts, in ms. Default 5 000. */
  baseMs?: number;
  /** The longest an ejection lasts however often the instance is ejected, in ms. Default 60 000. */
  maxMs?: number;
}

/** What ejection keeps about one instance. */
export interface EjectionState {
  consecutiveFailures: number;
  /** Ejections so far: each lasts longer than the one before, up to `maxMs`. */
  ejections: number;
  /** Out of rotation until this time (ms); 0 when in rotation. */
  ejectedUntil: number;
  lastEjectedAt: number;
}

/** A fresh instance's state: in rotation, nothing against it. */
export const freshEjectionState = (): EjectionState => ({ consecutiveFailures: 0, ejections: 0, ejectedUntil: 0, lastEjectedAt: 0 });

/** The ejection rules with their defaults applied. */
export interface OutlierEjection {
  isEjected(s: EjectionState, now: number): boolean;
  /** A call the instance answered (with any answer, NOT_FOUND included): its run of failures ends. */
  succeeded(s: EjectionState, now: number): void;
  /**
   * A call the instance failed. Ejects it after enough in a row, unless `othersInRotation` is 0:
   * the last instance is never ejected, since a call to it may still work and none elsewhere can.
   * Returns whether it was ejected now.
   */
  failed(s: EjectionState, now: number, othersInRotation: number): boolean;
}

/** The ejection rules: after N failures in a row, out for base x 2^(ejections-1), capped. */
export function outlierEjection(opts: EjectionOptions = {}): OutlierEjection {
  const threshold = opts.consecutiveFailures ?? 3;
  const baseMs = opts.baseMs ?? 5_000;
  const maxMs = opts.maxMs ?? 60_000;
  return {
    isEjected: (s, now) => s.ejectedUntil > now,
    succeeded(s, now) {
      s.consecutiveFailures = 0;
      // An instance that has behaved for a whole longest ejection starts again from the base.
      if (s.ejections > 0 && now - s.lastEjectedAt > maxMs) s.ejections = 0;
    },
    failed(s, now, othersInRotation) {
      s.consecutiveFailures++;
      if (s.consecutiveFailures < threshold || s.ejectedUntil > now || othersInRotation === 0) return false;
      s.ejections++;
      s.consecutiveFailures = 0;
      s.lastEjectedAt = now;
      s.ejectedUntil = now + Math.min(maxMs, baseMs * 2 ** (s.ejections - 1));
      return true;
    },
  };
}
