// How the two shells of a jump VM read a fix command, for tests. PowerShell: when `pwsh` is on the
// PATH, PowerShell's own parser (System.Management.Automation.Language.Parser) must parse every
// command; always, a tokenizer of the rules the doctor's quoting relies on (single-quoted strings
// with '' as a quote, typographic single quotes as quotes too, barewords, `( … )` for a command whose
// output is the argument) gives the arguments az receives; anything else that PowerShell would
// treat specially is refused, so a command that leans on any other rule fails the test. Which one
// ran is in POWERSHELL_CHECK (the tests name it). Bash: bash itself, with `az` replaced by a function
// that prints its arguments.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** An argument: a string, or the arguments of a nested command whose output becomes the argument. */
export type Arg = string | { sub: Arg[] };

const QUOTES = new Set(["'", '\u2018', '\u2019', '\u201a', '\u201b']);
// Characters PowerShell treats specially in argument mode (outside quotes), anywhere in a word.
const SPECIAL = new Set(['$', '"', '`', ';', '|', '&', '(', ')', '{', '}', ',', '<', '>', '\u201c', '\u201d', '\u201e']);
// Characters that start something else at the beginning of a word: splatting, a comment, a redirection.
const SPECIAL_FIRST = new Set(['@', '#', '[', '<', '>']);

export class PowerShellSyntaxError extends Error {}

/** The arguments PowerShell passes for `command`, under the rules above; throws on anything else. */
export function powershellArgs(command: string): Arg[] {
  const [args, end] = parse(command, 0, false);
  if (end !== command.length) throw new PowerShellSyntaxError(`unexpected ) at ${end} in ${command}`);
  return args;
}

function parse(text: string, start: number, nested: boolean): [Arg[], number] {
  const args: Arg[] = [];
  let i = start;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === ')') {
      if (!nested) throw new PowerShellSyntaxError(`unbalanced ) at ${i} in ${text}`);
      return [args, i];
    }
    if (c === '(') {
      const [sub, end] = parse(text, i + 1, true);
      if (text[end] !== ')') throw new PowerShellSyntaxError(`unclosed ( at ${i} in ${text}`);
      args.push({ sub });
      i = end + 1;
      if (i < text.length && text[i] !== ' ' && text[i] !== ')') throw new PowerShellSyntaxError(`text glued to ( … ) at ${i} in ${text}`);
      continue;
    }
    if (QUOTES.has(c)) {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new PowerShellSyntaxError(`unclosed quote in ${text}`);
        const q = text[i]!;
        if (QUOTES.has(q)) {
          if (QUOTES.has(text[i + 1] ?? '')) {
            value += q;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += q;
        i++;
      }
      if (i < text.length && text[i] !== ' ' && text[i] !== ')') throw new PowerShellSyntaxError(`text glued to a quoted string at ${i} in ${text}`);
      args.push(value);
      continue;
    }
    if (SPECIAL_FIRST.has(c)) throw new PowerShellSyntaxError(`a word starting with ${c} at ${i} in ${text}`);
    let word = '';
    while (i < text.length && text[i] !== ' ' && text[i] !== '\t' && text[i] !== ')') {
      const w = text[i]!;
      if (SPECIAL.has(w) || QUOTES.has(w)) throw new PowerShellSyntaxError(`${w} inside a bare word at ${i} in ${text}`);
      word += w;
      i++;
    }
    if (word === '--%') throw new PowerShellSyntaxError(`the stop-parsing token in ${text}`);
    args.push(word);
  }
  if (nested) throw new PowerShellSyntaxError(`unclosed ( in ${text}`);
  return [args, i];
}

/** Nested commands flattened the way the bash side prints them: their arguments joined by U+001F. */
export function flatten(args: Arg[]): string[] {
  return args.map((a) => (typeof a === 'string' ? a : flatten(a.sub).join('\u001f')));
}

/** `pwsh` on the PATH (PowerShell 7), found without running anything else; undefined when there is none. */
export function findPwsh(path = process.env.PATH ?? ''): string | undefined {
  const names = process.platform === 'win32' ? ['pwsh.exe'] : ['pwsh'];
  for (const dir of path.split(delimiter).filter(Boolean)) for (const name of names) if (existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

// Parses each command of a JSON array (in an environment variable: no quoting of ours in between) and
// prints a JSON array of the parse errors of each, '' for none.
const PARSE_SCRIPT = [
  '$commands = @(ConvertFrom-Json $env:XTD_PS_COMMANDS)',
  '$out = foreach ($c in $commands) { $t = $null; $e = $null; [void][System.Management.Automation.Language.Parser]::ParseInput([string]$c, [ref]$t, [ref]$e); (@($e) | ForEach-Object { $_.Message }) -join \'; \' }',
  'ConvertTo-Json -InputObject @($out) -Compress',
].join('; ');

/**
 * PowerShell's parse errors for each command ('' when it parses), from `pwsh`'s own parser in one
 * process for all of them; undefined when no pwsh is given.
 */
export function pwshParseErrors(commands: string[], pwsh: string | undefined = PWSH): string[] | undefined {
  if (!pwsh) return undefined;
  if (commands.length === 0) return [];
  const result = spawnSync(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', PARSE_SCRIPT], {
    encoding: 'utf8',
    env: { ...process.env, XTD_PS_COMMANDS: JSON.stringify(commands) },
  });
  if (result.status !== 0) throw new Error(`${pwsh} could not parse: exit ${result.status}: ${result.stderr}`);
  const errors = JSON.parse(result.stdout.trim()) as unknown;
  if (!Array.isArray(errors) || errors.length !== commands.length) throw new Error(`${pwsh} answered ${result.stdout}`);
  return errors.map(String);
}

const PWSH = findPwsh();

/** Which PowerShell check the fix tests use on this machine, for their names and logs. */
export const POWERSHELL_CHECK = PWSH ? `PowerShell's parser (${PWSH}) and the quoting tokenizer` : 'the quoting tokenizer (no pwsh on the PATH)';

/** Whether bash parses `command` (`bash -n`); the error text when it does not. */
export function bashSyntaxError(command: string): string | undefined {
  const result = spawnSync('bash', ['-n', '-c', command], { encoding: 'utf8' });
  return result.status === 0 ? undefined : result.stderr || `bash -n exited ${result.status}`;
}

/**
 * The arguments bash passes to `az` in `command` (a command that starts with `az`): `az` is a function
 * that prints them NUL-separated, or, inside a command substitution, joined by U+001F.
 */
export function bashAzArgs(command: string, cwd: string): string[] {
  const fake = `az() { if (( BASH_SUBSHELL > 0 )); then local IFS=$'\\x1f'; set -- az "$@"; printf '%s' "$*"; else printf 'az\\0'; printf '%s\\0' "$@"; fi; }`;
  const result = spawnSync('bash', ['-c', `${fake}\n${command}`], { encoding: 'utf8', cwd });
  if (result.status !== 0) throw new Error(`bash ran ${command}: exit ${result.status}: ${result.stderr}`);
  return result.stdout.split('\0').slice(0, -1);
}

/** Runs a command that only writes a file (the fixes' `printf … > file`) in `cwd`. */
export function bashRun(command: string, cwd: string): void {
  const result = spawnSync('bash', ['-c', command], { encoding: 'utf8', cwd });
  if (result.status !== 0) throw new Error(`bash ran ${command}: exit ${result.status}: ${result.stderr}`);
}

/**
 * An az command whose output goes to a file (`azToFile` in src/fix/commands.ts): the az part and the
 * file, the same in both shells; undefined for any other command.
 */
export function azToFileParts(bash: string, powershell: string): { bash: string; powershell: string; file: string } | undefined {
  const b = /^(az .*) > ('[^']*'|[A-Za-z0-9_./-]+)$/.exec(bash);
  const p = /^(az .*) \| Set-Content -Path ('[^']*'|[A-Za-z0-9_./-]+) -Encoding ascii$/.exec(powershell);
  if (!b && !p) return undefined;
  if (!b || !p) throw new Error(`only one shell writes a file:\n${bash}\n${powershell}`);
  const file = b[2]!.replace(/^'|'$/g, '');
  if (file !== p[2]!.replace(/^'|'$/g, '')) throw new Error(`the shells write different files:\n${bash}\n${powershell}`);
  return { bash: b[1]!, powershell: p[1]!, file };
}

/**
 * A fix that can be pasted: every command parses in bash and, where pwsh is installed, in
 * PowerShell's parser; PowerShell's reading of each az command (the tokenizer) gives az the
 * arguments bash gives it (none holding a double quote), and no command holds a placeholder.
 * Returns the bash commands, for assertions on their values.
 */
export function pastableCommands(fix: { steps: Array<{ commands?: { bash: string; powershell: string } }> } | undefined, cwd: string): string[] {
  const out: string[] = [];
  const steps = (fix?.steps ?? []).filter((s) => s.commands);
  const parsed = pwshParseErrors(steps.map((s) => s.commands!.powershell));
  for (const [i, step] of steps.entries()) {
    const { bash, powershell } = step.commands!;
    const syntax = bashSyntaxError(bash);
    if (syntax) throw new Error(`bash cannot parse ${bash}: ${syntax}`);
    if (parsed?.[i]) throw new Error(`PowerShell cannot parse ${powershell}: ${parsed[i]}`);
    const toFile = azToFileParts(bash, powershell);
    const az = toFile ?? { bash, powershell };
    const ps = flatten(powershellArgs(az.powershell));
    if (/\b(ZONE_RG|PE_RG|PE_NAME|PLS_ID|SUBNET_ID|VNET_ID|LINK_NAME|RG|NAME)\b|\{[A-Za-z_]+\}|<[A-Za-z_][A-Za-z_ -]*>/.test(bash)) throw new Error(`a placeholder in ${bash}`);
    if (az.bash.startsWith('az ')) {
      const args = bashAzArgs(az.bash, cwd);
      if (JSON.stringify(args) !== JSON.stringify(ps)) throw new Error(`bash and PowerShell differ:\n${JSON.stringify(args)}\n${JSON.stringify(ps)}`);
      if (args.some((a) => a.includes('"'))) throw new Error(`an az argument holds a double quote: ${bash}`);
    } else if (bash.startsWith('printf ')) {
      // A body file: both shells must write the same bytes.
      bashRun(bash, cwd);
      const file = ps[ps.indexOf('-Path') + 1]!;
      const written = readFileSync(join(cwd, file), 'utf8');
      if (written !== `${ps[ps.indexOf('-Value') + 1]}\n`) throw new Error(`bash and PowerShell write different ${file}: ${written}`);
    }
    out.push(bash);
  }
  return out;
}
