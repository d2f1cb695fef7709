// Plugin entries on Windows: backslashes, drive letters and UNC paths are files, not package names,
// resolved and imported with Windows' rules (the platform injected, so this runs on any machine).
import { describe, expect, it } from 'vitest';
import { isPluginFile, pluginImportSpecifier, resolvePluginSpecifier } from '../../src/config/plugin-specifier.js';

describe('isPluginFile', () => {
  it.each(['./x.mjs', '../x.mjs', '/opt/x.mjs', '.\\x.mjs', 'plugins\\x.mjs', 'C:\\plugins\\x.mjs', 'c:/plugins/x.mjs', '\\\\server\\share\\x.mjs'])('%s is a file', (spec) => {
    expect(isPluginFile(spec)).toBe(true);
  });
  it.each(['some-package', '@scope/checks', 'pkg/sub.mjs'])('%s is a package', (spec) => {
    expect(isPluginFile(spec)).toBe(false);
  });
});

describe('on Windows', () => {
  const base = 'C:\\Users\\op\\doctor';
  it.each([
    ['plugins\\x.mjs', 'C:\\Users\\op\\doctor\\plugins\\x.mjs'],
    ['.\\x.mjs', 'C:\\Users\\op\\doctor\\x.mjs'],
    ['./x.mjs', 'C:\\Users\\op\\doctor\\x.mjs'],
    ['C:\\plugins\\x.mjs', 'C:\\plugins\\x.mjs'],
    ['D:/plugins/x.mjs', 'D:\\plugins\\x.mjs'],
    ['\\\\server\\share\\x.mjs', '\\\\server\\share\\x.mjs'],
    ['some-package', 'some-package'],
  ])('%s resolves to %s', (spec, resolved) => {
    expect(resolvePluginSpecifier(base, spec, 'win32')).toBe(resolved);
  });

  it.each([
    ['C:\\plugins\\x.mjs', 'file:///C:/plugins/x.mjs'],
    ['\\\\server\\share\\x.mjs', 'file://server/share/x.mjs'],
    ['C:\\my plugins\\x.mjs', 'file:///C:/my%20plugins/x.mjs'],
    ['some-package', 'some-package'],
  ])('%s is imported as %s', (spec, url) => {
    expect(pluginImportSpecifier(spec, 'win32')).toBe(url);
  });
});

describe('on Linux', () => {
  it('a relative path written on Windows names the same file', () => {
    expect(resolvePluginSpecifier('/srv/doctor', 'plugins\\x.mjs', 'linux')).toBe('/srv/doctor/plugins/x.mjs');
    expect(resolvePluginSpecifier('/srv/doctor', './x.mjs', 'linux')).toBe('/srv/doctor/x.mjs');
    expect(resolvePluginSpecifier('/srv/doctor', 'pkg/sub.mjs', 'linux')).toBe('pkg/sub.mjs');
  });
  it('an absolute path is imported as a file URL, a package by name', () => {
    expect(pluginImportSpecifier('/srv/doctor/x.mjs', 'linux')).toBe('file:///srv/doctor/x.mjs');
    expect(pluginImportSpecifier('@scope/checks', 'linux')).toBe('@scope/checks');
  });
});
