// Redaction for support bundles: tenant, subscription and workspace ids, resource groups and
// resource names, workspace names, host names, user principals and IP addresses become stable
// pseudonyms. Stable means the same input gives the same pseudonym everywhere in one bundle, and the
// pseudonyms keep what the checks rely on, so the replay of a redacted bundle gives the same statuses:
// - GUIDs stay GUIDs; a workspace id's FQDN label (lower case, no dashes) and its `z{xy}` prefix are
//   derived from the pseudonym exactly as from the real id;
// - an IP keeps its class (private 10/8 stays in 10/8, public stays public) and equal IPs stay equal;
// - structural tokens (privatelink.fabric.microsoft.com, group and member names, fact and check ids,
//   JSON property names, states) are never treated as names.
// How: collect sensitive values from the report's structure (ARM ids, known fields), then replace in
// one regex pass per text (longest literal first, then GUID/IP/e-mail patterns), so a pseudonym is
// never itself rewritten.
import { createHmac, randomBytes } from 'node:crypto';
import net from 'node:net';
import { ENDPOINT_KINDS, PRIVATELINK_ZONE, workspaceNames } from '../fabric/workspace.js';
import { SEVERITIES, SIDES, SKIP_REASONS, STATUSES, UNAVAILABLE_KINDS, type RunReport } from '../engine/types.js';
import { escapeRegex } from '../text/regex.js';

export interface RedactorOptions {
  /** Keys the GUID pseudonyms; random by default, so two bundles do not share pseudonyms. */
  salt?: string;
}

export interface Redaction {
  kind: 'guid' | 'ip' | 'email' | 'host' | 'name';
  original: string;
  pseudonym: string;
}

/** Words that are part of the product's vocabulary, never a customer's name. */
const STRUCTURAL = new Set(
  [
    ...PRIVATELINK_ZONE.split('.'),
    PRIVATELINK_ZONE,
    'fabric.microsoft.com',
    'w', 'api', 'c', 'onelake', 'dfs', 'blob', 'workspace', 'global', 'default', 'a', 'aaaa', 'cname', 'soa', 'txt',
    ...ENDPOINT_KINDS,
    ...Object.values(workspaceNames('00000000-0000-0000-0000-000000000000').members),
    ...STATUSES, ...SEVERITIES, ...SIDES, ...SKIP_REASONS, ...UNAVAILABLE_KINDS,
    'pending', 'approved', 'rejected', 'disconnected', 'none', 'recreate', 'succeeded', 'failed', 'updating', 'deleting', 'creating',
    'canceled', 'completed', 'inprogress', 'allow', 'deny', 'enabled', 'disabled', 'active', 'inactive', 'true', 'false', 'null',
    'localhost', 'unknown', 'redacted', 'invalid',
    // The pseudonyms' own prefixes.
    'rg', 'pe', 'vnet', 'subnet', 'zone', 'link', 'nic', 'pls', 'conn', 'capacity', 'zonegroup', 'record', 'res', 'name', 'target', 'host', 'user',
  ].map((t) => t.toLowerCase()),
);

/** Hosts of the clouds' public services: structural, kept as they are. */
const STRUCTURAL_HOST = /(^|\.)(fabric\.microsoft\.(com|us|cn)|microsoft\.com|azure\.(com|net|us|cn)|windows\.net|microsoftonline\.(com|us)|usgovcloudapi\.net|chinacloudapi\.cn|redacted\.invalid)$/i;

/** Fields whose string value is a name, a host or a principal. */
const NAME_FIELDS = new Set(['resourcegroup', 'resourcegroupname', 'privatelinkservicename', 'displayname', 'workspacename', 'capacityname', 'vnetname', 'subnetname', 'zonename', 'computername', 'hostname', 'machinename']);
const HOST_FIELDS = new Set(['host', 'hostname', 'fqdn', 'server', 'servers', 'configured', 'system', 'public', 'publicservers', 'resolver', 'resolvers', 'endpoint', 'armendpoint', 'fabricendpoint', 'authorityhost', 'connectto']);
const PRINCIPAL_FIELDS = new Set(['userprincipalname', 'upn', 'email', 'mail', 'createdby', 'owner', 'principalname', 'username']);

const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const HEX32 = '[0-9a-fA-F]{32}';
const PATTERNS = [
  // A workspace FQDN label with its z{xy} prefix: both come from the id.
  `(?<![0-9A-Za-z])(?<label>${HEX32})\\.z(?<xy>[0-9a-fA-F]{2})(?![0-9A-Za-z-])`,
  `(?<![0-9A-Za-z-])(?<guid>${GUID})(?![0-9A-Za-z-])`,
  `(?<![0-9A-Za-z-])(?<hex>${HEX32})(?![0-9A-Za-z-])`,
  `(?<![0-9A-Za-z._%+-])(?<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,})(?![A-Za-z0-9-])`,
  `(?<![0-9A-Za-z:.])(?<ipv6>(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4})(?![0-9A-Za-z:.])`,
  `(?<![0-9A-Za-z.])(?<ipv4>(?:\\d{1,3}\\.){3}\\d{1,3})(?![0-9A-Za-z]|\\.\\d)`,
];

const SWEEP = new RegExp(PATTERNS.join('|'), 'gi');

export class Redactor {
  private readonly salt: string;
  /** lower-case literal → pseudonym (names, hosts). */
  private readonly literals = new Map<string, Redaction>();
  /** canonical form → pseudonym for GUIDs (hex32), IPs, e-mails. */
  private readonly patterned = new Map<string, Redaction>();
  /** Every value seen in the input: a pseudonym must never equal one. */
  private readonly originals = new Set<string>();
  private readonly used = new Set<string>();
  /** `kind:canonical` of every pseudonym handed out, so redaction is idempotent. */
  private readonly issued = new Set<string>();
  private readonly protectedWords = new Set(STRUCTURAL);
  private readonly factIds = new Set<string>();
  private readonly counters = new Map<string, number>();
  private regex: RegExp | undefined;

  constructor(options: RedactorOptions = {}) {
    this.salt = options.salt ?? randomBytes(16).toString('hex');
  }

  /** Collects the sensitive values of a report (and protects its vocabulary). Call before apply. */
  collectReport(report: RunReport): void {
    for (const fact of Object.values(report.facts)) this.factIds.add(fact.id);
    for (const target of report.targets) {
      for (const result of target.results) this.protect(result.checkId);
      for (const id of Object.keys(target.factRefs ?? {})) this.protect(id);
    }
    for (const id of this.factIds) this.protect(id);
    this.protectKeys(report);
    for (const target of report.targets) this.addLiteral(target.name, 'name', 'target');
    this.collectValue(report);
  }

  /** Collects from any JSON value: ARM ids, named fields, hosts; and records GUIDs and IPs seen. */
  collectValue(value: unknown, field = ''): void {
    if (typeof value === 'string') {
      this.collectString(value, field);
    } else if (Array.isArray(value)) {
      for (const item of value) this.collectValue(item, field);
    } else if (value && typeof value === 'object') {
      const object = value as Record<string, unknown>;
      // An ARM resource or sub-resource ({name, properties} or {name, id}): its name is the customer's.
      if (typeof object.name === 'string' && (isObjectLike(object.properties) || (typeof object.id === 'string' && object.id.startsWith('/subscriptions/')))) {
        this.addLiteral(object.name, 'name', typeof object.type === 'string' ? prefixForType(object.type.split('/').at(-1)!) : 'res');
      }
      for (const [key, item] of Object.entries(value)) {
        this.sweep(key);
        this.collectValue(item, key.toLowerCase());
      }
    }
  }

  /** Records GUIDs, IPs and e-mails in free text so that no pseudonym can collide with them. */
  sweep(text: string): void {
    for (const match of text.matchAll(SWEEP)) {
      const g = match.groups ?? {};
      const value = g.label ?? g.guid ?? g.hex ?? g.email ?? g.ipv6 ?? g.ipv4;
      if (value) this.originals.add(value.toLowerCase().replace(/-/g, ''));
      if (g.ipv4 || g.ipv6) this.originals.add(value!.toLowerCase());
    }
  }

  /** Replaces every sensitive value in a text. */
  apply(text: string): string {
    const regex = this.combined();
    return text.replace(regex, (match, ...args: unknown[]) => {
      const groups = args.at(-1) as Record<string, string | undefined>;
      if (groups.lit !== undefined || groups.short !== undefined) return this.literals.get(match.toLowerCase())?.pseudonym ?? match;
      if (groups.label !== undefined) {
        const label = this.guidPseudonym(groups.label).replace(/-/g, '');
        const xy = groups.xy!.toLowerCase() === groups.label.slice(0, 2).toLowerCase() ? label.slice(0, 2) : groups.xy!;
        return `${label}.z${xy}`;
      }
      if (groups.guid !== undefined) return caseLike(groups.guid, this.guidPseudonym(groups.guid));
      if (groups.hex !== undefined) return caseLike(groups.hex, this.guidPseudonym(groups.hex).replace(/-/g, ''));
      if (groups.email !== undefined) {
        const [local, domain] = splitAt(groups.email);
        // `<factId>@<key>` is a fact key, not an address: keep the fact id, redact the key.
        if (this.factIds.has(local)) return `${local}@${this.apply(domain)}`;
        return this.patternPseudonym('email', groups.email.toLowerCase(), () => `user-${this.next('user')}@redacted.invalid`);
      }
      if (groups.ipv6 !== undefined) return this.ipPseudonym(groups.ipv6) ?? match;
      if (groups.ipv4 !== undefined) return this.ipPseudonym(groups.ipv4) ?? match;
      return match;
    });
  }

  /** A JSON value with every string (and every key that is not a plain property name) redacted. */
  applyJson<T>(value: T): T {
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.apply(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object') {
        return Object.fromEntries(Object.entries(v).map(([k, item]) => [/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : this.apply(k), walk(item)]));
      }
      return v;
    };
    return walk(value) as T;
  }

  /** What was replaced (for tests and for a support engineer's private key; never written to a bundle). */
  redactions(): Redaction[] {
    return [...this.literals.values(), ...this.patterned.values()];
  }

  /** Originals (names, hosts) that must not appear in any redacted file. */
  literalOriginals(): string[] {
    return [...this.literals.keys()];
  }

  private collectString(value: string, field: string): void {
    this.sweep(value);
    // `|` too: fact keys join several ids with it (`vnet|endpoint`), and a joined pair is two ids.
    for (const match of value.matchAll(/\/subscriptions\/[^/\s"'|]+(?:\/[^/\s"',;)|]+)*/gi)) this.collectArmId(match[0]);
    if (NAME_FIELDS.has(field)) {
      const host = field === 'hostname' || field === 'computername' || field === 'machinename';
      this.addLiteral(value, host ? 'host' : 'name', host ? 'host' : field.startsWith('resourcegroup') ? 'rg' : 'name');
    }
    if (HOST_FIELDS.has(field)) for (const host of hostsIn(value)) this.addLiteral(host, 'host', 'host');
    if (PRINCIPAL_FIELDS.has(field) && !value.includes('@')) this.addLiteral(value, 'name', 'user');
  }

  /** `/subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}[/{type}/{name}]…` */
  private collectArmId(id: string): void {
    const parts = id.split('/').filter(Boolean);
    for (let i = 0; i + 1 < parts.length; i++) {
      const key = parts[i]!.toLowerCase();
      if (key === 'resourcegroups') this.addLiteral(parts[i + 1]!, 'name', 'rg');
      if (key === 'providers') {
        // After the namespace come type/name pairs.
        for (let j = i + 2; j + 1 < parts.length; j += 2) this.addLiteral(parts[j + 1]!, 'name', prefixForType(parts[j]!));
        break;
      }
    }
  }

  private addLiteral(raw: string, kind: 'name' | 'host', prefix: string): void {
    const value = decodeSafe(raw).trim();
    const lower = value.toLowerCase();
    if (!value || this.literals.has(lower) || this.isProtected(lower)) return;
    // GUIDs, IPs and workspace labels are handled by patterns, consistently with the ids they derive from.
    if (new RegExp(`${GUID}|${HEX32}`).test(value) || net.isIP(value)) return;
    if (kind === 'host' && (STRUCTURAL_HOST.test(lower) || !/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(lower))) return;
    this.regex = undefined;
    this.originals.add(lower);
    const make = () => (kind === 'host' ? `host-${this.next('host')}.redacted.invalid` : `${prefix}-${this.next(prefix)}`);
    let pseudonym = make();
    while (this.originals.has(pseudonym)) pseudonym = make();
    this.literals.set(lower, { kind, original: value, pseudonym });
  }

  private isProtected(lower: string): boolean {
    return this.protectedWords.has(lower) || lower.length < 2;
  }

  /** A check or fact id and its parts (`local.dns-private` → local, dns-private, dns, private) are vocabulary. */
  private protect(id: string): void {
    this.protectedWords.add(id.toLowerCase());
    for (const part of id.toLowerCase().split(/[.-]/)) this.protectedWords.add(part);
    for (const part of id.toLowerCase().split('.')) this.protectedWords.add(part);
  }

  private protectKeys(value: unknown): void {
    if (Array.isArray(value)) for (const item of value) this.protectKeys(item);
    else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key)) this.protectedWords.add(key.toLowerCase());
        this.protectKeys(item);
      }
    }
  }

  private combined(): RegExp {
    if (!this.regex) {
      const sorted = [...this.literals.keys()].sort((a, b) => b.length - a.length);
      // A name of 4+ characters is also replaced inside hyphenated words (`pe-x-nic`); a shorter one
      // only as a whole word, so `rg` cannot eat into `rg-2`.
      const long = sorted.filter((l) => l.length >= 4).map(escapeRegex);
      const short = sorted.filter((l) => l.length < 4).map(escapeRegex);
      const lit = [
        ...(long.length ? [`(?<![A-Za-z0-9_])(?<lit>${long.join('|')})(?![A-Za-z0-9_])`] : []),
        ...(short.length ? [`(?<![A-Za-z0-9_-])(?<short>${short.join('|')})(?![A-Za-z0-9_-])`] : []),
      ];
      this.regex = new RegExp([...lit, ...PATTERNS].join('|'), 'gi');
    }
    return this.regex;
  }

  private next(prefix: string): number {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return n;
  }

  private patternPseudonym(kind: Redaction['kind'], canonical: string, make: () => string): string {
    const known = this.patterned.get(`${kind}:${canonical}`);
    if (known) return known.pseudonym;
    // Already a pseudonym (a second pass over text rendered from redacted data): leave it.
    if (this.issued.has(`${kind}:${canonical}`)) return kind === 'guid' ? dashed(canonical) : canonical;
    let pseudonym = make();
    while (this.originals.has(pseudonym.toLowerCase().replace(/-/g, '')) || this.originals.has(pseudonym) || this.used.has(pseudonym)) pseudonym = make();
    this.used.add(pseudonym);
    this.issued.add(`${kind}:${kind === 'guid' ? pseudonym.replace(/-/g, '') : kind === 'ip' && net.isIP(pseudonym) === 6 ? canonicalV6(pseudonym) : pseudonym.toLowerCase()}`);
    this.patterned.set(`${kind}:${canonical}`, { kind, original: canonical, pseudonym });
    return pseudonym;
  }

  /** The dashed, lower-case pseudonym of a GUID given in any form. */
  private guidPseudonym(input: string): string {
    const hex = input.toLowerCase().replace(/-/g, '');
    let round = 0;
    return this.patternPseudonym('guid', hex, () => {
      const h = createHmac('sha256', this.salt).update(`${hex}:${round++}`).digest('hex');
      // Version 4, RFC 4122 variant: parsers that validate GUIDs accept it.
      return dashed(`${h.slice(0, 12)}4${h.slice(13, 16)}${'89ab'[parseInt(h[16]!, 16) % 4]}${h.slice(17, 32)}`);
    });
  }

  private ipPseudonym(ip: string): string | undefined {
    const family = net.isIP(ip);
    if (!family) return undefined;
    const cls = family === 4 ? ipv4Class(ip) : ipv6Class(ip);
    if (cls.keep) return ip;
    const canonical = family === 6 ? canonicalV6(ip) : ip;
    if (this.issued.has(`ip:${canonical}`)) return ip;
    return this.patternPseudonym('ip', canonical, () => cls.make(this.next(`ip:${cls.name}`)));
  }
}

export function createRedactor(options: RedactorOptions = {}): Redactor {
  return new Redactor(options);
}

interface IpClass {
  name: string;
  keep?: boolean;
  make: (n: number) => string;
}

const KEEP: IpClass = { name: 'keep', keep: true, make: () => '' };

/** Keeps the class (docs/reference.md §4's private ranges); public addresses go to documentation ranges. */
function ipv4Class(ip: string): IpClass {
  const [a, b] = ip.split('.').map(Number) as [number, number];
  if (a === 127 || a === 0 || a >= 224 || ip === '168.63.129.16') return KEEP; // loopback, unspecified, multicast, Azure's resolver
  if (a === 10) return { name: '10', make: (n) => inBlock([10, 123], n) };
  if (a === 172 && b >= 16 && b <= 31) return { name: '172', make: (n) => inBlock([172, 29], n) };
  if (a === 192 && b === 168) return { name: '192', make: (n) => inBlock([192, 168], n) };
  if (a === 100 && b >= 64 && b <= 127) return { name: '100', make: (n) => inBlock([100, 100], n) };
  if (a === 169 && b === 254) return { name: '169', make: (n) => inBlock([169, 254], n) };
  // Public: TEST-NET-2, then TEST-NET-3 (public by every private-range test), hosts .1–.254.
  return { name: 'public', make: (n) => (n <= 254 ? `198.51.100.${n}` : n <= 508 ? `203.0.113.${n - 254}` : `198.18.${Math.floor(n / 254) % 256}.${(n % 254) + 1}`) };
}

/** The n-th host address (never .0 or .255) in a /16, starting at its .123.1. */
function inBlock(prefix: [number, number], n: number): string {
  const index = n - 1;
  return `${prefix[0]}.${prefix[1]}.${(123 + Math.floor(index / 254)) % 256}.${(index % 254) + 1}`;
}

function ipv6Class(ip: string): IpClass {
  const lower = ip.toLowerCase();
  if (lower === '::' || lower === '::1' || lower.startsWith('ff')) return KEEP;
  if (/^f[cd]/.test(lower)) return { name: 'ula', make: (n) => `fd00:db8:1::${n.toString(16)}` };
  if (/^fe[89ab]/.test(lower)) return { name: 'll', make: (n) => `fe80::db8:${n.toString(16)}` };
  return { name: 'public6', make: (n) => `2001:db8::${n.toString(16)}` };
}

function canonicalV6(ip: string): string {
  // Expand to 8 groups so `fd00::1` and `fd00:0::1` are one address.
  const [head, tail] = ip.toLowerCase().split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.map((g) => g.replace(/^0+(?=.)/, '')).join(':');
}

/** Host names in a value like `dns.contoso.com`, `host:53`, `[v6]:53`, `https://host:8443/x`, `H:P:H2:P2`. */
function hostsIn(value: string): string[] {
  const text = value.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
  return text.split(/[:\s,]+/).filter((part) => /[a-z]/i.test(part) && part.includes('.') && !/^\[/.test(part));
}

function prefixForType(type: string): string {
  const known: Record<string, string> = {
    privateendpoints: 'pe',
    virtualnetworks: 'vnet',
    subnets: 'subnet',
    privatednszones: 'zone',
    virtualnetworklinks: 'link',
    networkinterfaces: 'nic',
    privatelinkservicesforfabric: 'pls',
    privateendpointconnections: 'conn',
    capacities: 'capacity',
    privatednszonegroups: 'zonegroup',
    a: 'record',
  };
  return known[type.toLowerCase()] ?? 'res';
}

function dashed(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function isObjectLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

function caseLike(original: string, pseudonym: string): string {
  return original === original.toUpperCase() && /[A-F]/.test(original) ? pseudonym.toUpperCase() : pseudonym;
}

function splitAt(email: string): [string, string] {
  const at = email.indexOf('@');
  return [email.slice(0, at), email.slice(at + 1)];
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
