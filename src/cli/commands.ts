// The command names, apart from their help pages (help.ts loads every property, weakening and experiment name), so
// that parsing a command line loads nothing else.

/** The commands, in the order the overview lists them. */
export const commandNames = ['run', 'replay', 'check', 'matrix', 'experiment', 'kernel-demo', 'help'] as const;
export type CommandName = (typeof commandNames)[number];

/** Whether `name` is a command. */
export function isCommand(name: string): name is CommandName {
  return (commandNames as readonly string[]).includes(name);
}
