// A TLS socket's peer certificate, read once, and Node's name check answered from it: every
// connection the tool opens (the probes, ARM and Fabric) checks the certificate's name without Node
// building its legacy object of the whole chain (issue 19 item 3).
import type { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';

/**
 * The peer's leaf certificate, read once per socket. Node's `getPeerX509Certificate()` hands the
 * certificates out once (Node 24: it takes them from the connection, after which it returns undefined
 * and `getPeerCertificate()` an empty object), so everything that reads a socket's peer reads it here.
 */
const peers = new WeakMap<TLSSocket, { leaf: X509Certificate | undefined }>();

export function peerCertificate(socket: TLSSocket): X509Certificate | undefined {
  let peer = peers.get(socket);
  if (!peer) peers.set(socket, (peer = { leaf: socket.getPeerX509Certificate() }));
  return peer.leaf;
}

/**
 * Node's name check (`tls.checkServerIdentity`, called on `this.getPeerCertificate(true)` when the chain
 * passed) reads only the leaf's `subject.CN` and `subjectaltname`, yet Node builds the legacy object of
 * every certificate of the chain for it (three fingerprints, the public key, ~0.2 ms of CPU). This
 * socket answers with those two fields of the leaf, from its X509Certificate (~0.01 ms): the same
 * check judges them, so the verdict is the same. Every connection the tool opens goes through it
 * (the probes, and the service clients in src/azure/agents.ts).
 */
export function checkNameOnX509(socket: TLSSocket): TLSSocket {
  // Defined, not assigned: the method's typed overloads promise the whole legacy object.
  Object.defineProperty(socket, 'getPeerCertificate', { value: () => nameFields(peerCertificate(socket)), configurable: true, writable: true });
  return socket;
}

/** What `tls.checkServerIdentity` reads, as Node's legacy object holds it; `{}` without a certificate, as Node answers. */
function nameFields(leaf: X509Certificate | undefined): { subject?: LegacyName; subjectaltname?: string } {
  if (!leaf) return {};
  const altNames = leaf.subjectAltName;
  // Node formats `subjectAltName` and the legacy `subjectaltname` with one function.
  return { subject: legacyName(leaf.subject), ...(altNames === undefined ? {} : { subjectaltname: altNames }) };
}

/** A name as Node's legacy peer certificate holds it: a value per type, an array when a type repeats. */
export type LegacyName = Record<string, string | string[]>;

/**
 * X509Certificate's name text (OpenSSL's multi-line form: an RDN per line, the values of a
 * multi-valued RDN joined by ` + `, RFC 2253 escapes `\,` `\+` `\"` `\\` `\;` `\<` `\>` and a
 * leading `\#` or `\ ` or trailing `\ `, control characters as `\XX`) back to the values Node's legacy
 * object holds (decoded, never escaped), in the certificate's order.
 */
export function legacyName(text: string | undefined): LegacyName {
  const name: LegacyName = Object.create(null) as LegacyName;
  if (!text) return name;
  let at = 0;
  while (at < text.length) {
    const equals = text.indexOf('=', at);
    if (equals === -1) break;
    const type = text.slice(at, equals);
    let value = '';
    let bytes: number[] = [];
    const flush = () => {
      if (bytes.length) value += Buffer.from(bytes).toString('utf8');
      bytes = [];
    };
    let i = equals + 1;
    for (; i < text.length; i++) {
      const c = text[i]!;
      if (c === '\\') {
        const hex = text.slice(i + 1, i + 3);
        // An escaped character is never a hex digit: two of them are a byte.
        if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
          bytes.push(Number.parseInt(hex, 16));
          i += 2;
          continue;
        }
        flush();
        value += text[i + 1] ?? '';
        i++;
        continue;
      }
      // A separator is never escaped: a newline inside a value is `\0A`, a `+` is `\+`.
      if (c === '\n' || (c === ' ' && text.startsWith(' + ', i))) break;
      flush();
      value += c;
    }
    flush();
    const had = name[type];
    if (had === undefined) name[type] = value;
    else if (Array.isArray(had)) had.push(value);
    else name[type] = [had, value];
    at = i + (text[i] === '\n' ? 1 : 3);
  }
  return name;
}
