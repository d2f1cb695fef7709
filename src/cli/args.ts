// From yargs' types to each command's own arguments interface (RunArgs, LabArgs...), checked.
// yargs types an option by the name it is declared with (`fail-on`); its parser also sets the
// camelCase name (`failOn`), which is what the commands read. `declared` is the one place that
// crosses from the one to the other.
import type { ArgumentsCamelCase, Argv } from 'yargs';

/** The options as a handler receives them, camelCase names included. */
type Parsed<T> = ArgumentsCamelCase<T>;

/** What a builder is refused with when its options do not give every field of the interface. */
interface OptionsDoNotGiveTheArgs {
  'the options declared do not give every field of the arguments interface, with its type': never;
}

/**
 * `declared<A>()(builder)`: the builder's options, typed as the command's interface `A`. It compiles
 * only when every field of `A` is an option the builder declares, of the type `A` says.
 */
export function declared<A>() {
  return <T>(y: Argv<T> & (Parsed<T> extends A ? unknown : OptionsDoNotGiveTheArgs)): Argv<A> =>
    // The CLI's one cast: Argv<T> is invariant in T (its methods take callbacks of T), so an Argv of
    // the parsed options is not an Argv of the interface they satisfy, though the check above
    // proves that every parsed value is one.
    y as unknown as Argv<A>;
}
