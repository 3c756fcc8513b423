/**
 * What starts Moodbox again once it stops for a restart (exit code 75: "Restart Moodbox now", a
 * restore, a fleet's `restart`, the memory guard): systemd for the installed service (it sets
 * `INVOCATION_ID` and, with `Type=notify`, `NOTIFY_SOCKET`), or a supervisor that says so with
 * `MOODBOX_SUPERVISED=1` (scripts/supervise.sh, a test that starts the daemon again). Undefined for
 * a start by hand (`moodbox start` in a terminal, under nohup): nothing would start it again, so
 * the admin panel offers no restart there and says how to do it by hand.
 */
export type Restarter = 'systemd' | 'supervisor';

/** The variable a supervisor sets to say that it starts Moodbox again after exit code 75. */
export const SUPERVISED_ENV = 'MOODBOX_SUPERVISED';

export function restarterOf(env: Readonly<Record<string, string | undefined>>): Restarter | undefined {
  const isSet = (name: string): boolean => (env[name] ?? '') !== '';
  if (isSet('INVOCATION_ID') || isSet('NOTIFY_SOCKET')) return 'systemd';
  return env[SUPERVISED_ENV] === '1' ? 'supervisor' : undefined;
}
