// The command line's parsing, shared by `digest` (src/cli.ts) and the
// job-board commands (src/sources/cli.ts): one kind of usage error, one
// wording for node:util's parseArgs errors, so every command exits 64 on a
// bad command line.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake on the command line (unknown command or flag, bad value, missing argument): exit 64 (EX_USAGE). */
export class UsageError extends Error {}

/** parseArgs, strict and with positionals, its errors as one-line UsageErrors. */
export function parseCommandLine<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options });
  } catch (err) {
    // parseArgs' own message is several lines with Node's wording; one line of ours instead.
    const e = err as { code?: string; message: string };
    const flag = /'([^']+)'/.exec(e.message)?.[1] ?? '';
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option ${flag}; run \`digest --help\``);
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError(`option ${flag.split(/[ ,]/)[0]} needs a value; run \`digest --help\``);
    throw new UsageError(`${e.message.split('\n')[0]}; run \`digest --help\``);
  }
}
