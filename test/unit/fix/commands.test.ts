// az() and the file writer quote every value so that bash and PowerShell pass exactly that value:
// checked with bash itself and with the PowerShell tokenizer of test/helpers/shells.ts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { az, loginStep, writeFileCommand } from '../../../src/fix/commands.js';
import { bashAzArgs, bashRun, bashSyntaxError, flatten, powershellArgs, PowerShellSyntaxError } from '../../helpers/shells.js';

const dir = mkdtempSync(join(tmpdir(), 'fix-commands-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const AWKWARD = [
  'plain',
  'with space',
  "it's",
  'quote \u2019typographic\u2019',
  '$(rm -rf /)',
  '`backtick`',
  '"double"',
  'semi;colon|pipe&amp',
  '@splat',
  '-leading-dash',
  'a,b',
  '{braces}',
  '[?name==\'x\'].id',
  '#comment',
  '',
];

describe('az() quoting', () => {
  it.each(AWKWARD)('passes %j unchanged in bash and PowerShell', (value) => {
    const commands = az(['network', 'x'], [['name', value], ['yes', true], ['skip', undefined], ['off', false]]);
    expect(bashSyntaxError(commands.bash)).toBeUndefined();
    const expected = ['az', 'network', 'x', '--name', value, '--yes'];
    expect(bashAzArgs(commands.bash, dir)).toEqual(expected);
    expect(flatten(powershellArgs(commands.powershell))).toEqual(expected);
  });

  it('a looked-up value is a command substitution in bash and ( … ) in PowerShell', () => {
    const lookup = az(['account', 'show'], [['query', 'id'], ['output', 'tsv']]);
    const commands = az(['group', 'show'], [['subscription', { lookup }], ['name', 'rg 1']]);
    expect(commands.bash).toBe(`az group show --subscription "$(az account show --query id --output tsv)" --name 'rg 1'`);
    expect(commands.powershell).toBe("az group show --subscription (az account show --query id --output tsv) --name 'rg 1'");
    const inner = ['az', 'account', 'show', '--query', 'id', '--output', 'tsv'].join('\u001f');
    expect(bashAzArgs(commands.bash, dir)).toEqual(['az', 'group', 'show', '--subscription', inner, '--name', 'rg 1']);
    expect(flatten(powershellArgs(commands.powershell))).toEqual(['az', 'group', 'show', '--subscription', inner, '--name', 'rg 1']);
  });

  it('the sign-in step names the tenant, or says what to find when it is unknown', () => {
    expect(loginStep('11111111-2222-3333-4444-555555555555', 'provider').commands?.bash).toBe('az login --tenant 11111111-2222-3333-4444-555555555555');
    const unknown = loginStep(undefined, 'consumer');
    expect(unknown.commands).toBeUndefined();
    expect(unknown.text).toMatch(/tenant 1/);
  });
});

describe('writeFileCommand', () => {
  it('writes the same JSON from bash as PowerShell would, with no byte-order mark', () => {
    const json = JSON.stringify({ properties: { status: 'Approved', note: "it's \u2019ok\u2019" } });
    const commands = writeFileCommand('body.json', json);
    expect(bashSyntaxError(commands.bash)).toBeUndefined();
    bashRun(commands.bash, dir);
    expect(readFileSync(join(dir, 'body.json'), 'utf8')).toBe(`${json}\n`);
    expect(flatten(powershellArgs(commands.powershell))).toEqual(['Set-Content', '-Path', 'body.json', '-Encoding', 'ascii', '-Value', json]);
  });
});

describe('the PowerShell tokenizer refuses what the quoting must never produce', () => {
  it.each(['az x --name $env:X', 'az x --name "a"', 'az x --body @file', 'az x --name a,b', 'az x --name (unclosed', "az x --name 'open", 'az x --name a`b', 'az x --% y'])('%s', (command) => {
    expect(() => powershellArgs(command)).toThrow(PowerShellSyntaxError);
  });
});
