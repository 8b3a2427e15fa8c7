/**
 * A set of keys that refuses a second registration of the same key, naming both owners: two modules
 * claiming one route, event handler or service is a bug to stop at boot, not a silent replacement.
 */
export class DuplicateRegistrationError extends Error {
  constructor(kind: string, key: string, first: string, second: string) {
    super(`duplicate ${kind} "${key}": registered by ${first} and again by ${second}`);
    this.name = 'DuplicateRegistrationError';
  }
}

export class UniqueKeys {
  private readonly owners = new Map<string, string>();

  constructor(private readonly kind: string) {}

  add(key: string, owner: string): void {
    const first = this.owners.get(key);
    if (first !== undefined) throw new DuplicateRegistrationError(this.kind, key, first, owner);
    this.owners.set(key, owner);
  }
}
