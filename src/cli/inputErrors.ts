// The command line's input errors, in a module of their own so that main.ts can tell them apart without loading the
// commands that throw them (each command's modules load only when that command runs: `--help` and a bad flag
// answer at once). Each one exits 2 with its message on one line.

/** A scenario file that cannot be read, parsed or validated. */
export class ScenarioInputError extends Error {}

/** A capsule file that cannot be read or is not a capsule. */
export class CapsuleInputError extends Error {}

/** A property or weakening name that check does not know, or one that does not go with another. */
export class CheckInputError extends Error {}

/** An experiment name that experiment does not know. */
export class ExperimentInputError extends Error {}
