import { AppError } from '../errors';

/**
 * A typed state machine: the statuses of a thing and the moves between them, declared once as a table. Every status
 * change goes through `check`, so a move the table does not list is refused with the same error everywhere: 409
 * `illegal_transition`, in the team's words when the machine has labels.
 */
export class StateMachine<S extends string> {
  constructor(
    readonly name: string,
    private readonly moves: Readonly<Record<S, readonly S[]>>,
    /** zh-CN names of the states, for the error message. */
    private readonly labels?: Readonly<Record<S, string>>,
  ) {}

  can(from: S, to: S): boolean {
    return from === to || this.moves[from].includes(to);
  }

  /** Throws IllegalTransition unless `from → to` is listed (staying put is always allowed). */
  check(from: S, to: S): void {
    if (!this.can(from, to)) throw new IllegalTransition(this.name, from, to, this.labels?.[from], this.labels?.[to]);
  }

  next(from: S): readonly S[] {
    return this.moves[from];
  }
}

export class IllegalTransition extends AppError {
  constructor(
    readonly machine: string,
    readonly from: string,
    readonly to: string,
    fromLabel = from,
    toLabel = to,
  ) {
    super(409, 'illegal_transition', `不能从「${fromLabel}」改为「${toLabel}」 (${machine}: ${from} → ${to} is not allowed)`, { from, to });
    this.name = 'IllegalTransition';
  }
}
