// Reading a body from outside with a cap: past `cap` bytes the stream is destroyed (a hostile or
// broken server must not fill memory) and the caller learns the body was cut. The one capped reader:
// ARM and Fabric (readBody in src/azure/http.ts) refuse such an answer, the HTTPS probe keeps its
// first `cap` bytes.

export interface CappedBody {
  /** The body as UTF-8, at most `cap` bytes of it. */
  text: string;
  /** Bytes received (past the cap: up to the end of the chunk that crossed it). */
  bytes: number;
  /** The body was longer than `cap`; reading stopped there. */
  truncated: boolean;
}

/**
 * `onChunk` is told the size of each chunk kept whole (a run's read budget charges it as the body
 * streams in); when it throws, the stream is destroyed and the error goes to the caller.
 */
export async function readCapped(body: AsyncIterable<Uint8Array | string> & { destroy?(): unknown }, cap: number, onChunk?: (bytes: number) => void): Promise<CappedBody> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of body) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    chunks.push(buffer.subarray(0, Math.max(0, cap - bytes)));
    bytes += buffer.length;
    if (bytes > cap) {
      body.destroy?.();
      return { text: Buffer.concat(chunks).toString('utf8'), bytes, truncated: true };
    }
    try {
      onChunk?.(buffer.length);
    } catch (error) {
      body.destroy?.();
      throw error;
    }
  }
  return { text: Buffer.concat(chunks).toString('utf8'), bytes, truncated: false };
}
