/**
 * A small bounded memory of message ids (insertion order, oldest evicted). Used to recognise late answers
 * to calls that timed out or were aborted, and 2.1 CALLRESULTERRORs about results we sent.
 */
export class RecentIds {
  readonly #ids = new Map<string, string>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  add(id: string, action: string): void {
    this.#ids.delete(id);
    this.#ids.set(id, action);
    if (this.#ids.size > this.#capacity) {
      const oldest = this.#ids.keys().next();
      if (!oldest.done) this.#ids.delete(oldest.value);
    }
  }

  /** The action remembered for `id`, or undefined. */
  get(id: string): string | undefined {
    return this.#ids.get(id);
  }

  delete(id: string): boolean {
    return this.#ids.delete(id);
  }

  clear(): void {
    this.#ids.clear();
  }
}
