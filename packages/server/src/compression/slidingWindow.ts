/**
 * The last bytes of a deflate stream's uncompressed data, up to its LZ77 window: with context takeover
 * (RFC 7692 §7.2.1/§7.2.2) the next message may refer back into them, so they become the preset dictionary
 * of the next message's inflate or deflate. A plain buffer, sized to what was seen, is all an idle connection
 * keeps: no zlib stream (about 7 KB of inflate state or 256 KB of deflate state) stays allocated.
 */
export class SlidingWindow {
  #bytes: Buffer | undefined;

  constructor(readonly size: number) {}

  /** The window's content, or undefined while it is empty. */
  get bytes(): Buffer | undefined {
    return this.#bytes;
  }

  append(data: Buffer): void {
    if (data.length === 0) return;
    const held = this.#bytes;
    if (data.length >= this.size) {
      // A copy: `data` may be a view into a much larger buffer that must not stay pinned.
      this.#bytes = Buffer.from(data.subarray(data.length - this.size));
      return;
    }
    const keep = held === undefined ? 0 : Math.min(held.length, this.size - data.length);
    const next = Buffer.allocUnsafeSlow(keep + data.length);
    if (keep > 0) held!.copy(next, 0, held!.length - keep);
    data.copy(next, keep);
    this.#bytes = next;
  }

  clear(): void {
    this.#bytes = undefined;
  }
}
