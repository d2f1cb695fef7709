// Assembles the catalogue (built-in checks plus plugins) and validates it before any run: unique ids,
// known facts and prerequisites, no cycles. A plugin is held to the same rules as a built-in check.
import { pluginImportSpecifier } from '../config/plugin-specifier.js';
import { prerequisitesOf, qualifyPrerequisite, type CheckDef, type FactDef } from './define.js';
import { SEVERITIES, SIDES } from './types.js';

export class CatalogueError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid checks:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CatalogueError';
  }
}

export interface Catalogue {
  checks: CheckDef[];
  facts: FactDef[];
}

/** What a plugin module exports: `checks` (and optionally `facts`), as named exports or on `default`. */
export interface PluginModule {
  checks?: CheckDef[];
  facts?: FactDef[];
}

export async function loadPlugins(specifiers: string[]): Promise<Array<PluginModule & { source: string }>> {
  const plugins: Array<PluginModule & { source: string }> = [];
  for (const specifier of specifiers) {
    const url = pluginImportSpecifier(specifier);
    let loaded: Record<string, unknown>;
    try {
      loaded = (await import(url)) as Record<string, unknown>;
    } catch (error) {
      throw new CatalogueError([`plugin ${specifier} could not be loaded: ${(error as Error).message}`]);
    }
    const exported = (loaded.default && typeof loaded.default === 'object' ? loaded.default : loaded) as Record<string, unknown>;
    const checks = Array.isArray(exported) ? exported : exported.checks;
    const facts = Array.isArray(exported) ? [] : (exported.facts ?? []);
    if (!Array.isArray(checks) || !Array.isArray(facts)) {
      throw new CatalogueError([`plugin ${specifier} must export \`checks\` (an array of defineCheck results) and optionally \`facts\``]);
    }
    plugins.push({ source: specifier, checks: checks as CheckDef[], facts: facts as FactDef[] });
  }
  return plugins;
}

/** Merges built-ins and plugins and validates the result; throws CatalogueError listing every problem. */
export function buildCatalogue(builtIn: Catalogue, plugins: Array<PluginModule & { source: string }> = []): Catalogue {
  const checks: Array<CheckDef & { source?: string }> = [...builtIn.checks];
  const facts: FactDef[] = [...builtIn.facts];
  for (const plugin of plugins) {
    checks.push(...(plugin.checks ?? []).map((check) => Object.assign(Object.create(null), check, { source: plugin.source }) as CheckDef & { source: string }));
    facts.push(...(plugin.facts ?? []));
  }
  const problems = validateCatalogue(checks, facts);
  if (problems.length) throw new CatalogueError(problems);
  return { checks, facts };
}

export function validateCatalogue(checks: Array<CheckDef & { source?: string }>, facts: FactDef[]): string[] {
  const problems: string[] = [];
  const where = (check: { id?: unknown; source?: string }) => `${String(check.id ?? '(no id)')}${check.source ? ` (from ${check.source})` : ''}`;
  const factIds = new Set<string>();
  for (const fact of facts) {
    if (!fact || typeof fact.id !== 'string' || typeof fact.gather !== 'function') {
      problems.push(`a fact has no id or no gather function: ${JSON.stringify(fact?.id ?? fact)}`);
      continue;
    }
    if (factIds.has(fact.id)) problems.push(`fact ${fact.id} is defined twice`);
    factIds.add(fact.id);
  }
  const ids = new Set<string>();
  for (const check of checks) {
    if (!check || typeof check !== 'object') {
      problems.push('a check is not an object (use defineCheck)');
      continue;
    }
    if (typeof check.id !== 'string' || !/^[a-z0-9-]+\.[a-z0-9.-]+$/.test(check.id)) problems.push(`${where(check)}: id must look like <side>.<name> in lower case`);
    if (ids.has(check.id)) problems.push(`${where(check)}: duplicate check id`);
    ids.add(check.id);
    if (!SIDES.includes(check.side)) problems.push(`${where(check)}: side must be one of ${SIDES.join(', ')}`);
    if (!SEVERITIES.includes(check.severity)) problems.push(`${where(check)}: severity must be one of ${SEVERITIES.join(', ')}`);
    for (const field of ['title', 'explain', 'docStep'] as const) {
      if (typeof check[field] !== 'string' || !check[field]) problems.push(`${where(check)}: ${field} must be a non-empty string`);
    }
    const fix = (check as { fix?: unknown }).fix;
    if (typeof fix !== 'function' && !(fix && typeof fix === 'object' && typeof (fix as { summary?: unknown }).summary === 'string' && Array.isArray((fix as { steps?: unknown }).steps))) {
      problems.push(`${where(check)}: fix must be { summary, steps } or a function of the known values that returns one`);
    }
    if (typeof check.run !== 'function') problems.push(`${where(check)}: run must be a function`);
    if (!Array.isArray(check.needs)) problems.push(`${where(check)}: needs must be an array of fact ids`);
    else for (const need of check.needs) if (!factIds.has(need)) problems.push(`${where(check)}: needs unknown fact ${need}`);
    if (!Array.isArray(check.after)) problems.push(`${where(check)}: after must be an array of check ids`);
  }
  for (const check of checks) {
    if (!Array.isArray(check?.after)) continue;
    for (const name of check.after) {
      if (!ids.has(qualifyPrerequisite(check, name))) problems.push(`${where(check)}: after names unknown check ${qualifyPrerequisite(check, name)}`);
    }
  }
  const cycle = findCycle(checks.filter((c) => c && Array.isArray(c.after)));
  if (cycle) problems.push(`prerequisites form a cycle: ${cycle.join(' → ')}`);
  return problems;
}

/** A cycle among prerequisites, the implicit side credential check included (a cycle would never settle). */
function findCycle(checks: CheckDef[]): string[] | undefined {
  const byId = new Map(checks.map((c) => [c.id, c]));
  const known = new Set(byId.keys());
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    const check = byId.get(id);
    for (const prerequisite of check ? prerequisitesOf(check, known) : []) {
      const found = visit(prerequisite);
      if (found) return found;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const check of checks) {
    const found = visit(check.id);
    if (found) return found;
  }
  return undefined;
}
