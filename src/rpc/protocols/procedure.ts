/**
 * A procedure's wire shape: its number, its name (for logs and errors), and
 * the codecs of its arguments and return value. Daemons attach handlers to
 * these; clients call through them. Dispatch facts such as priority and
 * read-only permission belong to the daemon's program table, not here.
 */
import type { Codec } from '../codec.js';

export interface ProcedureSpec<A, R> {
  readonly proc: number;
  readonly name: string;
  readonly args: Codec<A>;
  readonly ret: Codec<R>;
}

export type ArgsOf<P> = P extends ProcedureSpec<infer A, unknown> ? A : never;
export type RetOf<P> = P extends ProcedureSpec<unknown, infer R> ? R : never;

export function procedure<A, R>(proc: number, name: string, args: Codec<A>, ret: Codec<R>): ProcedureSpec<A, R> {
  return { proc, name, args, ret };
}
