// Files the single executable carries inside it (SEA assets, added by scripts/release.mjs), for the
// few things the installed package reads from disk beside its code: its package.json and the config
// schema `init` points editors at. Outside the executable there are none: callers read their file.
import { getAsset, isSea } from 'node:sea';

/** The names of the assets scripts/release.mjs embeds. */
export const EMBEDDED = { packageJson: 'package.json', configSchema: 'config.schema.json' } as const;

/** The embedded file's text when running as the single executable, else undefined. */
export function embeddedText(name: (typeof EMBEDDED)[keyof typeof EMBEDDED], sea: { isSea(): boolean; getAsset(key: string, encoding: string): string } = { isSea, getAsset }): string | undefined {
  return sea.isSea() ? sea.getAsset(name, 'utf8') : undefined;
}
