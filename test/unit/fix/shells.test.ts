// The test helper that reads fix commands as the two shells do (test/helpers/shells.ts): it uses
// PowerShell's own parser when `pwsh` is on the PATH and says so, the quoting tokenizer otherwise.
// pwsh is not installed on the build machine, so a stand-in `pwsh` proves the wiring: found on the
// PATH, given every command at once, its verdict per command obeyed.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { az, azToFile } from '../../../src/fix/commands.js';
import { azToFileParts, findPwsh, POWERSHELL_CHECK, pwshParseErrors } from '../../helpers/shells.js';

const dir = mkdtempSync(join(tmpdir(), 'xtd-pwsh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in pwsh: checks it was asked to run PowerShell's parser, and calls a command with "BROKEN" in it unparsable. */
function fakePwsh(): string {
  const file = join(dir, process.platform === 'win32' ? 'pwsh.exe' : 'pwsh');
  writeFileSync(
    file,
    `#!${process.execPath}
const script = process.argv[process.argv.indexOf('-Command') + 1] || '';
if (!script.includes('[System.Management.Automation.Language.Parser]::ParseInput')) { console.error('not the parser: ' + script); process.exit(9); }
const commands = JSON.parse(process.env.XTD_PS_COMMANDS);
process.stdout.write(JSON.stringify(commands.map((c) => (c.includes('BROKEN') ? 'Missing closing ")" in expression.' : ''))));
`,
  );
  chmodSync(file, 0o755);
  return file;
}

describe('PowerShell check of fix commands', () => {
  it('says which check runs on this machine: the parser when pwsh is on the PATH, else the tokenizer', () => {
    const pwsh = findPwsh();
    expect(POWERSHELL_CHECK).toBe(pwsh ? `PowerShell's parser (${pwsh}) and the quoting tokenizer` : 'the quoting tokenizer (no pwsh on the PATH)');
  });

  it('finds pwsh on a PATH, and none where there is none', () => {
    const pwsh = fakePwsh();
    expect(findPwsh(['/nonexistent', dir].join(delimiter))).toBe(pwsh);
    expect(findPwsh('/nonexistent')).toBeUndefined();
  });

  it("asks pwsh's parser about every command in one process and reports each command's errors", () => {
    const pwsh = fakePwsh();
    expect(pwshParseErrors(['az login --tenant x', 'az rest BROKEN (', 'Clear-DnsClientCache'], pwsh)).toEqual(['', 'Missing closing ")" in expression.', '']);
    expect(pwshParseErrors(['az login'], undefined)).toBeUndefined();
  });

  it('reads an az command whose output goes to a file the same way in both shells', () => {
    const command = azToFile(az(['rest'], [['method', 'get'], ['query', "{id: value[?state=='Active'] | [0].id}"]]), 'assign-capacity.json');
    expect(command.bash).toBe(`az rest --method get --query '{id: value[?state=='\\''Active'\\''] | [0].id}' > assign-capacity.json`);
    expect(command.powershell).toBe(`az rest --method get --query '{id: value[?state==''Active''] | [0].id}' | Set-Content -Path assign-capacity.json -Encoding ascii`);
    expect(azToFileParts(command.bash, command.powershell)).toEqual({ bash: command.bash.replace(/ > assign-capacity\.json$/, ''), powershell: command.powershell.replace(/ \| Set-Content.*$/, ''), file: 'assign-capacity.json' });
    expect(() => azToFileParts('az x > a.json', 'az x | Set-Content -Path b.json -Encoding ascii')).toThrow(/different files/);
    expect(azToFileParts('az x', 'az x')).toBeUndefined();
  });
});
