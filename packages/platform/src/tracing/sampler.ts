import { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, type Sampler, TraceIdRatioBasedSampler } from "@opentelemetry/sdk-trace-base";
import { ConfigError } from "../config.js";

/**
 * The sampler OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG name (the specification's values).
 * Default `parentbased_always_on`: a request keeps its caller's decision, and every trace that
 * starts here is sampled. `parentbased_traceidratio` with a ratio keeps that share of traces
 * whole across every service, as each one decides the same for a trace id.
 */
export function samplerFrom(env: NodeJS.ProcessEnv): Sampler {
  const name = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase() || "parentbased_always_on";
  const ratio = () => {
    const arg = env.OTEL_TRACES_SAMPLER_ARG?.trim();
    const value = arg ? Number(arg) : 1;
    if (!Number.isFinite(value) || value < 0 || value > 1) {
      throw new ConfigError(`invalid configuration:\n  OTEL_TRACES_SAMPLER_ARG "${arg}" must be a ratio between 0 and 1`);
    }
    return value;
  };
  switch (name) {
    case "always_on":
      return new AlwaysOnSampler();
    case "always_off":
      return new AlwaysOffSampler();
    case "traceidratio":
      return new TraceIdRatioBasedSampler(ratio());
    case "parentbased_always_on":
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case "parentbased_always_off":
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case "parentbased_traceidratio":
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio()) });
    default:
      throw new ConfigError(
        `invalid configuration:\n  OTEL_TRACES_SAMPLER "${name}" is not supported: use always_on, always_off, traceidratio or parentbased_(always_on|always_off|traceidratio)`,
      );
  }
}
