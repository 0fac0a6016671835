let answer: Promise<boolean> | undefined;

/**
 * Whether a Docker-compatible engine answers. testcontainers fails within milliseconds when
 * there is none, so asking costs little; the answer is cached for the life of the process.
 */
export function hasContainerRuntime(): Promise<boolean> {
  answer ??= import("testcontainers").then(
    async ({ getContainerRuntimeClient }) => {
      try {
        await getContainerRuntimeClient();
        return true;
      } catch {
        return false;
      }
    },
    () => false,
  );
  return answer;
}
