import { Type } from 'typebox';

/** A JSON object the route does not describe further (the configuration has its own schema). */
export const AnyObject = Type.Record(Type.String(), Type.Unknown());

export const SettingsSchema = Type.Object({ config: AnyObject, overrides: AnyObject, safeMode: Type.Union([Type.String(), Type.Null()]) });

export const SaveSettingsBody = Type.Object({ overrides: AnyObject }, { additionalProperties: false });

export const SettingsSavedSchema = Type.Object({
  changed: Type.Array(Type.String()),
  restartRequired: Type.Array(Type.String()),
  config: AnyObject,
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
}
