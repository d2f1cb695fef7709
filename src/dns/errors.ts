// Typed resolver failures: what went wrong, in words a person can act on.

export type DnsErrorKind = 'timeout' | 'network' | 'malformed' | 'refused' | 'aborted';

export class DnsError extends Error {
  constructor(
    public readonly kind: DnsErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'DnsError';
  }
}
