import { Type } from 'typebox';

/** A JSON object the route does not describe further (the configuration has its own schema). */
export const AnyObject = Type.Record(Type.String(), Type.Unknown());

export const SetAsideSettingSchema = Type.Object({
  path: Type.String({ description: 'The setting (`camera.source`).' }),
  value: Type.Unknown({ description: 'The value that was saved.' }),
  why: Type.String({ description: 'Why it is not used: what the panel would have said.' }),
  at: Type.Integer({ description: 'When it was set aside (epoch ms).' }),
});

/** A saved setting that is allowed but will not work now (a camera not plugged in): `path: why`. */
const SettingNotesSchema = Type.Array(Type.Object({ path: Type.String(), problem: Type.String() }), {
  description: 'Saved settings allowed but not working now, each `path: why` (a camera device not plugged in): said, not refused.',
});

export const SettingsSchema = Type.Object({
  config: AnyObject,
  overrides: AnyObject,
  file: Type.Record(Type.String(), Type.Unknown(), {
    description:
      'What the configuration file and the environment set, where it differs from the default: beside an override, what the file says.',
  }),
  notes: SettingNotesSchema,
  safeMode: Type.Union([Type.String(), Type.Null()]),
  setAside: Type.Array(SetAsideSettingSchema, {
    description:
      'Saved settings refused at a start (written by a restored backup, MQTT or an older version, and refused by the panel’s rules today): not used, and no longer among the overrides. Oldest first.',
  }),
});

export const SaveSettingsBody = Type.Object({ overrides: AnyObject }, { additionalProperties: false });

export const SettingsSavedSchema = Type.Object({
  changed: Type.Array(Type.String()),
  restartRequired: Type.Array(Type.String()),
  config: AnyObject,
  notes: SettingNotesSchema,
});

/** A node of the configuration schema (`GET /api/admin/config/schema`), a JSON schema the admin panel builds its form from. */
export interface ConfigSchemaNode {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: ConfigSchemaNode[];
  properties?: Record<string, ConfigSchemaNode>;
  items?: ConfigSchemaNode;
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  /** The value must be above this (not equal). */
  exclusiveMinimum?: number;
  /** The value must be below this (not equal). */
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  /** The setting applies only after a restart. */
  requiresRestart?: boolean;
  /** Only the configuration file may set it (it runs a program, opens a file or reaches outside the box): shown read-only. */
  fileOnly?: boolean;
  /** The bundled demo music's folder, in a list of music folders: its songs leave the library once another folder is in. */
  demoFolder?: string;
  /** A choice's name where it names a music source (`Spotify`). */
  title?: string;
  /** A choice that only a home may choose: a music source registered for homes only. */
  homesOnly?: boolean;
}
