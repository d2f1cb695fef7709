// A config's `plugins` entries are files or package names. A file is what a user of either platform
// types for one: `./x.mjs`, `../x.mjs`, `/opt/x.mjs`, and on Windows `.\x.mjs`, `plugins\x.mjs`,
// `C:\plugins\x.mjs`, `C:/plugins/x.mjs`, `\\server\share\x.mjs`. npm package names never hold a
// backslash or a drive letter's colon, so those are files on every platform; `pkg/sub.mjs` stays a
// package subpath as Node reads it.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const DRIVE = /^[A-Za-z]:[\\/]/;

export function isPluginFile(specifier: string): boolean {
  return specifier.startsWith('.') || specifier.startsWith('/') || specifier.includes('\\') || DRIVE.test(specifier);
}

/** A file entry made absolute against the config's folder (Windows rules on Windows); a package name unchanged. */
export function resolvePluginSpecifier(baseDir: string, specifier: string, platform: NodeJS.Platform = process.platform): string {
  if (!isPluginFile(specifier)) return specifier;
  if (platform === 'win32') return path.win32.resolve(baseDir, specifier);
  // A relative path written on Windows (`plugins\x.mjs`) names the same file here.
  return path.posix.resolve(baseDir, DRIVE.test(specifier) ? specifier : specifier.replaceAll('\\', '/'));
}

/** What `import()` is given: a file URL for an absolute file (a drive letter or UNC path is a URL path too), else the package name. */
export function pluginImportSpecifier(specifier: string, platform: NodeJS.Platform = process.platform): string {
  const windows = platform === 'win32';
  const absolute = windows ? path.win32.isAbsolute(specifier) : specifier.startsWith('/');
  return absolute ? pathToFileURL(specifier, { windows }).href : specifier;
}
