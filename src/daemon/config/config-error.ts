import { DomainError, type MoodboxErrorCode } from '../../kernel/errors.js';

/** The codes of the configuration, with their meanings. */
export const CONFIG_ERROR_CODES = {
  MB_ERR_CONFIG_INVALID: 'the configuration file or an environment override is invalid',
  MB_ERR_CONFIG_READ: 'the configuration file cannot be read or is not JSON',
} as const satisfies Readonly<Record<MoodboxErrorCode, string>>;

export type ConfigErrorCode = keyof typeof CONFIG_ERROR_CODES;

/** The configuration file cannot be read, or it (or an environment override) is invalid: every problem is listed. */
export class ConfigError extends DomainError<ConfigErrorCode> {
  /** One line per problem, `path: message`. */
  readonly problems: readonly string[];

  constructor(code: ConfigErrorCode, problems: readonly string[], options?: { cause?: unknown }) {
    super(code, formatProblems(problems), options);
    this.problems = problems;
  }
}

function formatProblems(problems: readonly string[]): string {
  if (problems.length === 1) return `invalid configuration: ${problems[0] ?? ''}`;
  return `invalid configuration (${problems.length} problems):\n${problems.map((p) => `  - ${p}`).join('\n')}`;
}
