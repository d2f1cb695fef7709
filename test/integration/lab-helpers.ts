// Shared helpers for the lab's integration tests: real HTTPS (trusting the lab CA) and key shapes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Agent, request } from 'undici';
import { LAB_PROBE_HEADER } from '../../src/lab/audit.js';
import type { Lab } from '../../src/lab/server.js';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

const agents = new WeakMap<Lab, Agent>();

export function agentFor(lab: Lab): Agent {
  let agent = agents.get(lab);
  if (!agent) {
    agent = new Agent({ connect: { ca: lab.caPem } });
    agents.set(lab, agent);
  }
  return agent;
}

export async function closeAgent(lab: Lab): Promise<void> {
  await agents.get(lab)?.close();
  agents.delete(lab);
}

export async function call(lab: Lab, method: string, urlPath: string, token?: string, body?: string): Promise<Reply> {
  const url = /^https?:/.test(urlPath) ? urlPath : `${lab.addresses.apiBase}${urlPath}`;
  const res = await request(url, {
    method: method as 'GET',
    dispatcher: agentFor(lab),
    // The test's own requests (some deliberately not reads) are kept apart from the doctor's by the write-guard audit.
    headers: { [LAB_PROBE_HEADER]: '1', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    ...(body ? { body } : {}),
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

export function reference(relative: string): any {
  const file = path.join(import.meta.dirname, '..', 'fixtures', 'reference', relative);
  return JSON.parse(readFileSync(file, 'utf8')).responses['200'].body;
}

/** Every key path of a JSON value: `a.b`, arrays as `a[]` (all elements merged). */
export function keyPaths(value: unknown, prefix = ''): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown, p: string) => {
    if (Array.isArray(v)) {
      for (const item of v) walk(item, `${p}[]`);
    } else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        const key = p ? `${p}.${k}` : k;
        out.add(key);
        walk(child, key);
      }
    }
  };
  walk(value, prefix);
  return out;
}

/** Compares key shapes: what the reference has that the lab lacks, and what the lab adds. */
export function shapeDiff(lab: unknown, ref: unknown): { missing: string[]; extra: string[] } {
  const a = keyPaths(lab);
  const b = keyPaths(ref);
  return { missing: [...b].filter((k) => !a.has(k)).sort(), extra: [...a].filter((k) => !b.has(k)).sort() };
}

export function armPath(id: string, apiVersion: string): string {
  return `${id}?api-version=${apiVersion}`;
}
