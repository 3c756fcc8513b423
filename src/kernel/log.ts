/**
 * The log calls Moodbox's parts make: the object first, then a constant lowercase message
 * (`log.info({ trackId }, 'track started')`), errors under `err`. A pino logger (a child per module)
 * fits; tests pass `pino({ level: 'silent' })` or a logger on a captured stream.
 */
export interface Log {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
