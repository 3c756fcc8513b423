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
