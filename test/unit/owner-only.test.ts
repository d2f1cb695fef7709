// The lab's secrets readable by their owner only: icacls on Windows (the platform and the command
// runner injected), the mode elsewhere (a real file).
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { icaclsOwnerOnly, restrictToOwner } from '../../src/lab/owner-only.js';

describe('restrictToOwner', () => {
  it('on Windows: icacls removes inherited entries and grants the user alone full control, inherited by a folder\'s files', async () => {
    const calls: Array<[string, string[]]> = [];
    const run = async (file: string, args: string[]) => void calls.push([file, args]);
    await restrictToOwner('C:\\Users\\op\\AppData\\Local\\Temp\\xtenant-doctor-lab-1', 'folder', { platform: 'win32', run, user: 'CONTOSO\\op' });
    await restrictToOwner('C:\\Users\\op\\AppData\\Local\\Temp\\xtenant-doctor-lab-1\\x.secret', 'file', { platform: 'win32', run, user: 'CONTOSO\\op' });
    expect(calls).toEqual([
      ['icacls', ['C:\\Users\\op\\AppData\\Local\\Temp\\xtenant-doctor-lab-1', '/inheritance:r', '/grant:r', 'CONTOSO\\op:(OI)(CI)F']],
      ['icacls', ['C:\\Users\\op\\AppData\\Local\\Temp\\xtenant-doctor-lab-1\\x.secret', '/inheritance:r', '/grant:r', 'CONTOSO\\op:F']],
    ]);
  });

  it('on Windows: an icacls failure is not swallowed (the lab would leave a readable secret)', async () => {
    const run = async () => {
      throw new Error('icacls: access denied');
    };
    await expect(restrictToOwner('C:\\x.secret', 'file', { platform: 'win32', run, user: 'op' })).rejects.toThrow('access denied');
  });

  it('elsewhere: mode 0700 for the folder, 0600 for a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xtd-owner-'));
    const file = join(dir, 'x.secret');
    writeFileSync(file, 's', { mode: 0o644 });
    await restrictToOwner(dir, 'folder', { platform: 'linux' });
    await restrictToOwner(file, 'file', { platform: 'linux' });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('icacls arguments for a path with spaces stay one argument', () => {
    expect(icaclsOwnerOnly('C:\\My Lab\\x.secret', 'op', 'file')[0]).toBe('C:\\My Lab\\x.secret');
  });
});
