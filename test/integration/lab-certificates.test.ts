// The lab's TLS listeners present one certificate per workspace group (`z{xy}`), chosen by SNI, as a
// front end does: a fleet's handshakes do not each parse a certificate naming every group.
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceNames } from '../../src/fabric/workspace.js';
import { type Lab, startLab, workspaceCertificateGroups } from '../../src/lab/server.js';

function peerCertificate(port: number, servername: string, ca: string): Promise<{ cert: X509Certificate; authorized: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername, ca, rejectUnauthorized: false }, () => {
      const cert = socket.getPeerX509Certificate();
      const authorized = socket.authorized;
      socket.destroy();
      if (cert) resolve({ cert, authorized });
      else reject(new Error('no certificate'));
    });
    socket.on('error', reject);
  });
}

describe('lab certificates by SNI', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ targets: 12 });
  });
  afterAll(async () => {
    await lab.stop();
  });

  it('groups the workspaces\' names by z{xy}, one wildcard per endpoint kind', () => {
    const groups = workspaceCertificateGroups(lab.state);
    const fqdn = workspaceNames(lab.state.workspaces[0]!.id).fqdns.api;
    const group = fqdn.split('.')[1]!;
    expect(groups.get(group)).toContain(`*.${fqdn.split('.').slice(1).join('.')}`);
    expect(groups.get(group)).toHaveLength(5);
    expect(groups.size).toBe(new Set(lab.state.workspaces.map((ws) => workspaceNames(ws.id).fqdns.api.split('.')[1])).size);
  });

  it('each workspace FQDN gets a trusted certificate naming its own group only', async () => {
    for (const ws of lab.state.workspaces.slice(0, 3)) {
      for (const port of [lab.addresses.listeners.private, lab.addresses.listeners.public]) {
        const fqdn = workspaceNames(ws.id).fqdns.api;
        const { cert, authorized } = await peerCertificate(port, fqdn, lab.caPem);
        expect(authorized).toBe(true);
        expect(cert.checkHost(fqdn)).toBeDefined();
        const names = cert.subjectAltName!.split(', ');
        expect(names).toHaveLength(5);
        expect(names.every((n) => n.includes(`.${fqdn.split('.')[1]}.`))).toBe(true);
      }
    }
  });

  it('another name gets the API\'s certificate, which names no workspace', async () => {
    const { cert, authorized } = await peerCertificate(lab.addresses.listeners.private, 'api.fabric.microsoft.com', lab.caPem);
    expect(authorized).toBe(true);
    expect(cert.subjectAltName).toBe('DNS:localhost, DNS:api.fabric.microsoft.com, IP Address:127.0.0.1');
    const groups = workspaceCertificateGroups(lab.state);
    const absent = Array.from({ length: 256 }, (_, i) => `z${i.toString(16).padStart(2, '0')}`).find((g) => !groups.has(g))!;
    const name = `${absent.slice(1)}000000000000000000000000000000.${absent}.w.api.fabric.microsoft.com`;
    const unknown = await peerCertificate(lab.addresses.listeners.private, name, lab.caPem);
    expect(unknown.cert.checkHost(name)).toBeUndefined();
    expect(unknown.cert.subjectAltName).toBe('DNS:localhost, DNS:api.fabric.microsoft.com, IP Address:127.0.0.1');
  });
});
