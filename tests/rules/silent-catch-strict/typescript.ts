export class Storage {
  get(key: string): string | null {
    try {
      return window.localStorage.getItem(key);
      // bkgen: expect silent-catch-strict
    } catch {
      // private mode: no storage, fall through
    }
    return null;
  }

  set(key: string, value: string): void {
    try {
      window.localStorage.setItem(key, value);
      // bkgen: ok silent-catch-strict
    } catch {}
  }

  async sync(api: Api): Promise<void> {
    // bkgen: expect silent-catch-strict
    await api.push(this.dump()).then(() => this.clear(), () => { /* retried on the next tick */ });
    // bkgen: ok silent-catch-strict
    await api.pull().catch((err: unknown) => console.warn('pull failed', err));
  }
}
