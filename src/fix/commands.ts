// Fix commands to paste: one Azure CLI invocation rendered for bash and for PowerShell, every value
// quoted for its shell. Pure functions; the checks build their fixes with these.
import type { FixCommands, FixStep, TenantSide } from '../engine/types.js';

/** A value the doctor does not know but a command finds when the fix runs (command substitution). */
export interface Lookup {
  lookup: FixCommands;
}

/** An argument value: a string, a lookup, or `true` for a bare flag. `undefined` and `false` drop the flag. */
export type FlagValue = string | number | boolean | Lookup | undefined;

// Characters that need no quoting. PowerShell also treats `,` (array), `@` (splat), `{}` `()` `;`
// `$` and a leading `-` specially, so its set is narrower.
const BASH_BARE = /^[A-Za-z0-9_%+=:,./@-]+$/;
const POWERSHELL_BARE = /^[A-Za-z0-9_+=:./][A-Za-z0-9_+=:./-]*$/;

export function quoteBash(value: string): string {
  return value !== '' && BASH_BARE.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export function quotePowerShell(value: string): string {
  // Single-quoted strings are literal in PowerShell; a quote is doubled. Typographic quotes are
  // quote characters too, so they are doubled the same way.
  return value !== '' && POWERSHELL_BARE.test(value) ? value : `'${value.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
}

/**
 * `az <words…> --flag value …` for both shells. Flags are given in order; a `true` value is a bare
 * switch. Every value is quoted for each shell.
 */
export function az(words: string[], flags: Array<[string, FlagValue]>): FixCommands {
  const parts = (quote: (v: string) => string) => {
    const out = ['az', ...words];
    for (const [flag, value] of flags) {
      if (value === undefined || value === false) continue;
      out.push(`--${flag}`);
      if (typeof value === 'object') out.push(quote === quoteBash ? `"$(${value.lookup.bash})"` : `(${value.lookup.powershell})`);
      else if (value !== true) out.push(quote(String(value)));
    }
    return out.join(' ');
  };
  return { bash: parts(quoteBash), powershell: parts(quotePowerShell) };
}

/**
 * Writes `content` to `file` in the current folder: how a JSON body reaches `az rest --body @file`
 * intact (Windows PowerShell 5.1 strips the double quotes of a JSON argument given inline).
 * ASCII, so no byte-order mark precedes the JSON.
 */
export function writeFileCommand(file: string, content: string): FixCommands {
  return {
    bash: `printf '%s\\n' ${quoteBash(content)} > ${quoteBash(file)}`,
    powershell: `Set-Content -Path ${quotePowerShell(file)} -Encoding ascii -Value ${quotePowerShell(content)}`,
  };
}

/**
 * An az command whose JSON output is saved to `file` (a request body built from what az reads, such
 * as a JMESPath object): `> file` in bash; in PowerShell piped to `Set-Content -Encoding ascii`,
 * since Windows PowerShell's `>` writes UTF-16.
 */
export function azToFile(command: FixCommands, file: string): FixCommands {
  return { bash: `${command.bash} > ${quoteBash(file)}`, powershell: `${command.powershell} | Set-Content -Path ${quotePowerShell(file)} -Encoding ascii` };
}

/** The sign-in step that must come before commands in a tenant: `az login --tenant <id>`. */
export function loginStep(tenantId: string | undefined, side: TenantSide): FixStep {
  const which = side === 'provider' ? 'tenant 2 (the workspace and its private link service)' : 'tenant 1 (the VNet, the endpoint and the zone)';
  return tenantId
    ? { text: `Sign in to ${which}.`, tenant: side, commands: az(['login'], [['tenant', tenantId]]) }
    : { text: `Sign in to ${which} (az login --tenant with that tenant's id).`, tenant: side };
}
