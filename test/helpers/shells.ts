// How the two shells of a jump VM read a fix command, for tests (pwsh is not on this machine).
// PowerShell: a tokenizer of the rules the doctor's quoting relies on (single-quoted strings with ''
// as a quote, typographic single quotes as quotes too, barewords, `( … )` for a command whose output
// is the argument); anything else that PowerShell would treat specially is refused, so a command that
// leans on any other rule fails the test. Bash: bash itself, with `az` replaced by a function that
// prints its arguments.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

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
 * A fix that can be pasted: every command parses in bash, PowerShell's reading of each az command
 * gives az the arguments bash gives it (none holding a double quote), and no command holds a
 * placeholder. Returns the bash commands, for assertions on their values.
 */
export function pastableCommands(fix: { steps: Array<{ commands?: { bash: string; powershell: string } }> } | undefined, cwd: string): string[] {
  const out: string[] = [];
  for (const step of fix?.steps ?? []) {
    if (!step.commands) continue;
    const { bash, powershell } = step.commands;
    const syntax = bashSyntaxError(bash);
    if (syntax) throw new Error(`bash cannot parse ${bash}: ${syntax}`);
    const ps = flatten(powershellArgs(powershell));
    if (/\b(ZONE_RG|PE_RG|PE_NAME|PLS_ID|SUBNET_ID|VNET_ID|LINK_NAME|RG|NAME)\b|\{[A-Za-z_]+\}|<[A-Za-z_][A-Za-z_ -]*>/.test(bash)) throw new Error(`a placeholder in ${bash}`);
    if (bash.startsWith('az ')) {
      const args = bashAzArgs(bash, cwd);
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
