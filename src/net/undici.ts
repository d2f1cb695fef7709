// undici (1.5 MB of source, for Fabric REST and the connections opened ahead) loads once, with its first user or
// when a run knows it will need it (the engine's head start, during the sign-in's round trip): never
// before a run's first request, and never in the middle of the run's first wave of reads, whose
// requests would then go out one load later. The sign-in goes through Node's https and needs none of it.
let loading: Promise<typeof import('undici')['default']> | undefined;

/** undici's exports (`.default`: undici is CommonJS, and the bundle's chunk of it exports module.exports as default only). */
export function undici(): Promise<typeof import('undici')['default']> {
  return (loading ??= import('undici').then((module) => module.default));
}
