// The lab's folder of secrets (client secrets, tokens, its CA) readable by its owner only. On Linux
// and macOS that is the mode (0700 for the folder, 0600 for a file). On Windows a mode protects
// nothing (Node keeps only the read-only bit), so the ACL is set with icacls: inherited entries
// removed, full control for the current user alone, and for a folder inherited by what is created in
// it, so a file written there is never readable by others, not even for a moment.
import { execFile } from 'node:child_process';
import { chmod } from 'node:fs/promises';
import os from 'node:os';
import { promisify } from 'node:util';

export type RunCommand = (file: string, args: string[]) => Promise<unknown>;

export interface OwnerOnlyOptions {
  platform?: NodeJS.Platform;
  /** Runs icacls (injected by tests). */
  run?: RunCommand;
  /** The Windows account, DOMAIN\user. */
  user?: string;
}

function windowsUser(): string {
  const name = process.env.USERNAME ?? os.userInfo().username;
  return process.env.USERDOMAIN ? `${process.env.USERDOMAIN}\\${name}` : name;
}

/** The icacls arguments that leave `path` to `user` alone; `(OI)(CI)` makes a folder's entry apply to what it will hold. */
export function icaclsOwnerOnly(path: string, user: string, kind: 'file' | 'folder'): string[] {
  return [path, '/inheritance:r', '/grant:r', `${user}:${kind === 'folder' ? '(OI)(CI)F' : 'F'}`];
}

export async function restrictToOwner(path: string, kind: 'file' | 'folder', options: OwnerOnlyOptions = {}): Promise<void> {
  if ((options.platform ?? process.platform) !== 'win32') {
    await chmod(path, kind === 'folder' ? 0o700 : 0o600);
    return;
  }
  const run = options.run ?? promisify(execFile);
  await run('icacls', icaclsOwnerOnly(path, options.user ?? windowsUser(), kind));
}
