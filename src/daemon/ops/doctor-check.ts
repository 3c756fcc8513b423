export type CheckStatus = 'ok' | 'warn' | 'fail';

/** One line of `moodbox doctor`: what was checked, how it stands, and what to do about it. */
export interface Check {
  name: string;
  status: CheckStatus;
  message: string;
  /** What to do about it, when something is wrong. */
  fix?: string;
}

/** What the checks may look at; tests point these at fixtures. */
export interface DoctorEnv {
  env: Readonly<Record<string, string | undefined>>;
  devDir: string;
  installDir: string;
}
