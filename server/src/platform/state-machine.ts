/**
 * A typed state machine: the statuses of a thing and the moves between them, declared once as a table. Every status
 * change goes through `check`, so a move the table does not list is refused with the same error everywhere.
 */
export class StateMachine<S extends string> {
  constructor(
    readonly name: string,
    private readonly moves: Readonly<Record<S, readonly S[]>>,
  ) {}

  can(from: S, to: S): boolean {
    return from === to || this.moves[from].includes(to);
  }

  /** Throws IllegalTransition unless `from → to` is listed (staying put is always allowed). */
  check(from: S, to: S): void {
    if (!this.can(from, to)) throw new IllegalTransition(this.name, from, to);
  }

  next(from: S): readonly S[] {
    return this.moves[from];
  }
}

export class IllegalTransition extends Error {
  constructor(
    readonly machine: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`${machine}: ${from} → ${to} is not a valid transition`);
    this.name = 'IllegalTransition';
  }
}
